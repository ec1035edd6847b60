// Builds each feed's events from the schedule: shifts as their rota computes them, the sign-ups on
// them, and when each thing last changed (DTSTAMP, LAST-MODIFIED and SEQUENCE come from the data).
// It reads nothing itself: a FeedSource (src/services/feeds.ts) hands it domain records.
import { shiftDate, type DateWindow, type Shift } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';
import type { EventStatus, FeedDocument, FeedEvent } from './ical.js';
import { LABELS, type Labels } from './labels.js';
import type { FeedPerson, FeedSignup, Locale, Person, Rota, SeriesRecord, Team } from '../domain/types.js';

/** Feeds roll with the local date: about two months back, a year ahead. */
const DAYS_BACK = 60;
const DAYS_AHEAD = 365;
/** A shift the coordinator cancelled stays visible (STATUS:CANCELLED) until this many days after its date. */
const CANCELLED_VISIBLE_DAYS = 14;

export interface FeedOptions {
  now: Date;
  /** UIDs are scoped to the service's host name (RFC 5545 §3.8.4.7). */
  host: string;
  /** Words for team, rota and open-shift feeds; a person's feed speaks the person's own locale. */
  locale: Locale;
}

interface Ref {
  id: number;
  name: string;
}

/** A shift as computed now, with its live sign-ups in sign-up order. */
export interface FilledShift {
  shift: Shift;
  confirmed: readonly Ref[];
  waitlisted: readonly Ref[];
}

/** Everything a render reads, as domain records. */
export interface FeedSource {
  people(ids: number[]): FeedPerson[];
  /** The first active coordinator, for rotas whose creator is no longer one. */
  firstCoordinator(): FeedPerson | null;
  rota(id: number): Rota | null;
  series(rotaId: number): SeriesRecord[];
  /** Notes and change times of a rota's overridden shifts, by shift id. */
  overrides(rotaId: number): Map<string, { note: string | null; updatedAt: number }>;
  /** The latest sign-up change on each shift of a rota with local dates in the window (or on each of `only`). */
  signupChanges(rotaId: number, window: DateWindow, only?: ReadonlySet<string>): Map<string, number>;
  /** The rota's shifts with local dates in the window (only those of `only`, when given), and their fill. */
  shifts(rotaId: number, window: DateWindow, only?: ReadonlySet<string>): FilledShift[];
  /** Sign-ups of these people on local dates [from, to], in id order. */
  signupsOf(personIds: number[], from: string, to: string): FeedSignup[];
}

/** One shift as a feed shows it. */
interface Slot {
  shiftId: string;
  rota: Rota;
  label: string | null;
  start: number;
  end: number;
  localDate: string;
  /** Capacity and fill; null for a shift the rule no longer produces (only its sign-ups remember it). */
  fill: { min: number; max: number; confirmed: readonly Ref[]; waitlisted: readonly Ref[] } | null;
  cancelled: boolean;
  note: string | null;
  coordinator: FeedPerson | null;
  lastModified: number;
}

interface RotaWindow {
  today: string;
  from: string;
  to: string;
}

/** Everything one render needs about one rota, loaded once. */
interface RotaData {
  rota: Rota;
  window: RotaWindow;
  slots: Map<string, Slot>;
  series: Map<number, SeriesRecord>;
  overrides: Map<string, { note: string | null; updatedAt: number }>;
  signupChanges: Map<string, number>;
  coordinator: FeedPerson | null;
}

/** The state of one render: the people it names (each loaded once) and each rota's data. */
class Loader {
  private peopleById = new Map<number, FeedPerson>();
  private rotas = new Map<number, RotaData>();

  constructor(
    readonly source: FeedSource,
    readonly now: Date,
  ) {}

  /**
   * The people with these ids (and any loaded before). Only those a feed names are read: a
   * district has tens of thousands of people, and reading them all made each render take ~0.3 s
   * and ~100 MB (bench/, issue 7).
   */
  people(ids: Iterable<number>): Map<number, FeedPerson> {
    const missing = [...new Set(ids)].filter((id) => !this.peopleById.has(id));
    if (missing.length > 0) for (const r of this.source.people(missing)) this.peopleById.set(r.id, r);
    return this.peopleById;
  }

  /**
   * A rota's data for this render, loaded on first use: every shift of its window, or for a
   * person's or team's feed only the shifts their sign-ups are on (`only`), which a render of a
   * captain's ~50 events needs instead of a year's ~1,500.
   */
  rota(rota: Rota, only?: ReadonlySet<string>): RotaData {
    let data = this.rotas.get(rota.id);
    if (!data) {
      data = this.load(rota, only);
      this.rotas.set(rota.id, data);
    }
    return data;
  }

  private load(rota: Rota, only: ReadonlySet<string> | undefined): RotaData {
    const window = windowOf(rota, this.now);
    const series = new Map(this.source.series(rota.id).map((s) => [s.id, s]));
    const overrides = this.source.overrides(rota.id);
    // Any sign-up change on a shift (someone joins, leaves, moves up) changes what its events show.
    const signupChanges = this.source.signupChanges(rota.id, { from: shiftDate(window.from, -1), to: shiftDate(window.to, 1) }, only);
    const data: RotaData = { rota, window, slots: new Map(), series, overrides, signupChanges, coordinator: this.coordinatorOf(rota) };
    const views = this.source.shifts(rota.id, window, only);
    const known = this.people(views.flatMap((v) => [...v.confirmed, ...v.waitlisted].map((p) => p.id)));
    for (const v of views) {
      const s = v.shift;
      const base = baseSlot(data, s.id, s.seriesId);
      const named = [...v.confirmed, ...v.waitlisted].map((p) => known.get(p.id)?.updatedAt ?? 0);
      data.slots.set(s.id, {
        ...base,
        start: s.start,
        end: s.end,
        localDate: s.localDate,
        fill: { min: s.min, max: s.max, confirmed: v.confirmed, waitlisted: v.waitlisted },
        cancelled: s.cancelled,
        lastModified: Math.max(base.lastModified, ...named),
      });
    }
    return data;
  }

  /** The coordinator who created the rota, while still an active coordinator, else the first active coordinator. */
  private coordinatorOf(rota: Rota): FeedPerson | null {
    const active = (p: FeedPerson | undefined) => p !== undefined && p.role === 'coordinator' && !p.archived;
    const creator = rota.createdBy === null ? undefined : this.people([rota.createdBy]).get(rota.createdBy);
    if (active(creator)) return creator!;
    return this.source.firstCoordinator();
  }
}

function windowOf(rota: Rota, now: Date): RotaWindow {
  const today = formatDate(localToday(now, rota.timezone));
  return { today, from: shiftDate(today, -DAYS_BACK), to: shiftDate(today, DAYS_AHEAD) };
}

/** What a shift's events share whether or not the rule still produces it: names, note, changes. */
function baseSlot(data: RotaData, shiftId: string, seriesId: number): Omit<Slot, 'start' | 'end' | 'localDate' | 'fill' | 'cancelled'> {
  const series = data.series.get(seriesId);
  const override = data.overrides.get(shiftId);
  return {
    shiftId,
    rota: data.rota,
    label: series?.label ?? null,
    note: override?.note ?? null,
    coordinator: data.coordinator,
    lastModified: Math.max(
      data.rota.updatedAt,
      series?.updatedAt ?? 0,
      override?.updatedAt ?? 0,
      data.signupChanges.get(shiftId) ?? 0,
      data.coordinator?.updatedAt ?? 0,
    ),
  };
}

function stillVisible(localDate: string, today: string): boolean {
  return today <= shiftDate(localDate, CANCELLED_VISIBLE_DAYS);
}

// ---------- words ----------

function title(slot: Slot): string {
  return slot.label ? `${slot.rota.name} · ${slot.label}` : slot.rota.name;
}

function names(list: readonly Ref[], L: Labels): string {
  return list.length === 0 ? L.nobody : list.map((p) => p.name).join(L.listSeparator);
}

function contact(p: FeedPerson): string {
  return [p.name, p.phone, p.email].filter(Boolean).join(' · ');
}

type Line = [string, string | null | undefined];

/** Description lines "Label: value"; ical-generator escapes the text (RFC 5545 §3.3.11). */
function describe(L: Labels, lines: Line[]): string {
  return lines
    .filter((line): line is [string, string] => typeof line[1] === 'string' && line[1].length > 0)
    .map(([label, value]) => `${label}${L.colon}${value}`)
    .join('\n');
}

function commonLines(slot: Slot, L: Labels): Line[] {
  return [
    [L.place, slot.rota.location],
    [L.note, slot.note],
    [L.coordinator, slot.coordinator ? contact(slot.coordinator) : null],
  ];
}

/** Fill and names, or for a cancelled shift just that it is cancelled. */
function fillLines(slot: Slot, L: Labels): Line[] {
  const fill = slot.fill;
  if (slot.cancelled) return [[L.status, L.shiftCancelled]];
  if (!fill) return [];
  return [
    [L.fill, L.filled(fill.confirmed.length, fill.max, fill.min)],
    [L.signedUp, names(fill.confirmed, L)],
    [L.waitlist, fill.waitlisted.length > 0 ? names(fill.waitlisted, L) : null],
  ];
}

function event(slot: Slot, uid: string, fields: Pick<FeedEvent, 'summary' | 'description' | 'status' | 'transparent'>): FeedEvent {
  return { uid, start: slot.start, end: slot.end, timezone: slot.rota.timezone, location: slot.rota.location, lastModified: slot.lastModified, ...fields };
}

function fillState(slot: Slot): string {
  return slot.fill && !slot.cancelled ? ` ${slot.fill.confirmed.length}/${slot.fill.max}` : '';
}

function byStart(a: FeedEvent, b: FeedEvent): number {
  return a.start - b.start || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
}

// ---------- rota and open-shift feeds ----------

/** Every shift of the rota with its fill ("2/4") and names; cancelled ones for a while. */
function rotaFeed(source: FeedSource, rota: Rota, opts: FeedOptions): FeedDocument {
  const L = LABELS[opts.locale];
  const data = new Loader(source, opts.now).rota(rota);
  const events = [...data.slots.values()]
    .filter((slot) => !slot.cancelled || stillVisible(slot.localDate, data.window.today))
    .map((slot) =>
      event(slot, `${slot.shiftId}@${opts.host}`, {
        summary: `${slot.cancelled ? L.cancelledPrefix : ''}${title(slot)}${fillState(slot)}`,
        description: describe(L, [...fillLines(slot, L), ...commonLines(slot, L)]),
        status: slot.cancelled ? 'CANCELLED' : 'CONFIRMED',
        transparent: true,
      }),
    );
  return { name: rota.name, events: events.sort(byStart) };
}

/** Shifts from today on that are below their minimum, for anyone who likes to help. */
function openShiftsFeed(source: FeedSource, rota: Rota, opts: FeedOptions): FeedDocument {
  const L = LABELS[opts.locale];
  const data = new Loader(source, opts.now).rota(rota);
  const events = [...data.slots.values()]
    .filter((slot) => !slot.cancelled && slot.localDate >= data.window.today && slot.fill !== null && slot.fill.confirmed.length < slot.fill.min)
    .map((slot) =>
      event(slot, `${slot.shiftId}-open@${opts.host}`, {
        summary: `${title(slot)}${fillState(slot)} · ${L.needs(slot.fill!.min - slot.fill!.confirmed.length)}`,
        description: describe(L, [...fillLines(slot, L), ...commonLines(slot, L)]),
        status: 'CONFIRMED',
        transparent: true,
      }),
    );
  return { name: L.openCalendar(rota.name), events: events.sort(byStart) };
}

// ---------- personal and team feeds ----------

/** What a group of people (one person, or a team's members) holds on one shift. */
interface Holding {
  slot: Slot;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  /** The people of the group concerned: those on the shift, or those whose place was cancelled with it. */
  people: Ref[];
}

/**
 * The shifts a group of people is on in each rota's window. A live sign-up shows its shift as it is
 * now; a sign-up cancelled with its shift shows the shift as it was, cancelled, until
 * CANCELLED_VISIBLE_DAYS after its date; a shift someone left (or gave away) is not shown.
 */
function holdingsOf(loader: Loader, personIds: number[]): Holding[] {
  if (personIds.length === 0) return [];
  const todayUtc = formatDate(localToday(loader.now, 'UTC'));
  // Every zone's window lies within a day of the UTC one; each rota's own window is applied below.
  const rows = loader.source.signupsOf(personIds, shiftDate(todayUtc, -DAYS_BACK - 1), shiftDate(todayUtc, DAYS_AHEAD + 1));
  const byShift = new Map<string, FeedSignup[]>();
  const rotas = new Map<number, { rota: Rota; window: RotaWindow; shiftIds: Set<string> } | null>();
  for (const row of rows) {
    if (!rotas.has(row.rotaId)) {
      const rota = loader.source.rota(row.rotaId);
      rotas.set(row.rotaId, rota && !rota.archived ? { rota, window: windowOf(rota, loader.now), shiftIds: new Set() } : null);
    }
    const shown = rotas.get(row.rotaId);
    if (!shown || row.localDate < shown.window.from || row.localDate > shown.window.to) continue;
    shown.shiftIds.add(row.shiftId);
    byShift.set(row.shiftId, [...(byShift.get(row.shiftId) ?? []), row]);
  }
  const known = loader.people(rows.map((r) => r.personId));
  const nameOf = (id: number): Ref => ({ id, name: known.get(id)?.name ?? '' });
  const holdings: Holding[] = [];
  for (const [shiftId, list] of byShift) {
    const { rota, shiftIds } = rotas.get(list[0]!.rotaId)!;
    const data = loader.rota(rota, shiftIds);
    const live = list.filter((r) => r.status !== 'cancelled');
    if (live.length > 0) {
      // A past shift whose rule was since changed is no longer produced: its sign-up remembers it.
      const slot = data.slots.get(shiftId) ?? slotFromSignup(data, live[0]!, false);
      const status = slot.cancelled ? 'cancelled' : live.some((r) => r.status === 'confirmed') ? 'confirmed' : 'waitlisted';
      holdings.push({ slot, status, people: live.map((r) => nameOf(r.personId)) });
      continue;
    }
    // Each person's latest sign-up on the shift decides: left (hidden) or cancelled with the shift.
    const latest = new Map<number, FeedSignup>();
    for (const r of list) latest.set(r.personId, r);
    const cancelled = [...latest.values()].filter((r) => r.cancelReason === 'shift_changed');
    const first = cancelled[0];
    if (!first || !stillVisible(first.localDate, data.window.today)) continue;
    holdings.push({ slot: slotFromSignup(data, first, true), status: 'cancelled', people: cancelled.map((r) => nameOf(r.personId)) });
  }
  return holdings;
}

/** A shift as its sign-up remembers it: the times it had then (it may since be gone or moved). */
function slotFromSignup(data: RotaData, row: FeedSignup, cancelled: boolean): Slot {
  const base = baseSlot(data, row.shiftId, row.seriesId);
  const current = data.slots.get(row.shiftId);
  return { ...base, start: row.startAt, end: row.endAt, localDate: row.localDate, fill: null, cancelled, lastModified: Math.max(base.lastModified, current?.lastModified ?? 0) };
}

/** A person's feed: their confirmed shifts, waitlisted ones as TENTATIVE, and ones cancelled on them. */
function personFeed(source: FeedSource, person: Person, opts: FeedOptions): FeedDocument {
  const L = LABELS[person.locale];
  const personId = person.id;
  const loader = new Loader(source, opts.now);
  const events = holdingsOf(loader, [personId]).map(({ slot, status }) => {
    const others = slot.fill?.confirmed.filter((p) => p.id !== personId) ?? [];
    const summary = status === 'cancelled' ? `${L.cancelledPrefix}${title(slot)}` : `${title(slot)}${status === 'waitlisted' ? L.waitlistSuffix : ''}`;
    const place = status === 'cancelled' ? L.cancelledByCoordinator : status === 'waitlisted' ? L.waitlisted : L.confirmed;
    return event(slot, `${slot.shiftId}-person-${personId}@${opts.host}`, {
      summary,
      description: describe(L, [
        [L.rota, title(slot)],
        [L.yourPlace, place],
        [L.with, status === 'cancelled' ? null : names(others, L)],
        [L.fill, slot.fill && status !== 'cancelled' ? L.filled(slot.fill.confirmed.length, slot.fill.max, slot.fill.min) : null],
        ...commonLines(slot, L),
      ]),
      status: statusOf(status),
      transparent: status !== 'confirmed',
    });
  });
  return { name: L.personCalendar(person.name), events: events.sort(byStart) };
}

/** A team's feed: the shifts its members are on, with the members named in the title. */
function teamFeed(source: FeedSource, team: Team, opts: FeedOptions): FeedDocument {
  const L = LABELS[opts.locale];
  const events = holdingsOf(new Loader(source, opts.now), team.memberIds).map(({ slot, status, people: members }) =>
    event(slot, `${slot.shiftId}-team-${team.id}@${opts.host}`, {
      summary: `${status === 'cancelled' ? L.cancelledPrefix : ''}${title(slot)}${L.colon}${names(members, L)}${status === 'waitlisted' ? L.waitlistSuffix : ''}`,
      description: describe(L, [...fillLines(slot, L), ...commonLines(slot, L)]),
      status: statusOf(status),
      transparent: true,
    }),
  );
  return { name: L.teamCalendar(team.name), events: events.sort(byStart) };
}

function statusOf(status: Holding['status']): EventStatus {
  return status === 'cancelled' ? 'CANCELLED' : status === 'waitlisted' ? 'TENTATIVE' : 'CONFIRMED';
}

// ---------- tokens ----------

/** Whose feed a token opens. */
export type FeedSubject =
  | { kind: 'people'; person: Person }
  | { kind: 'teams'; team: Team }
  | { kind: 'rotas' | 'open'; rota: Rota };

export function buildFeed(source: FeedSource, subject: FeedSubject, opts: FeedOptions): FeedDocument {
  switch (subject.kind) {
    case 'people':
      return personFeed(source, subject.person, opts);
    case 'teams':
      return teamFeed(source, subject.team, opts);
    case 'rotas':
      return rotaFeed(source, subject.rota, opts);
    case 'open':
      return openShiftsFeed(source, subject.rota, opts);
  }
}
