// Shifts in a window: computed from the series, with the sign-ups that fill them.
import type { Conn } from '../db/connection.js';
import { listRotas } from '../db/schedule.js';
import { storeOf, type FillRow, type RotaSchedule, type Store } from '../db/store.js';
import { RotaError } from '../domain/errors.js';
import { Memo } from '../domain/memo.js';
import { checkWindow, expandSeries, findShift, parseShiftId, seriesShiftsPerDay, shiftDate, type Shift } from '../domain/recurrence.js';
import { daysBetween, formatDate, localToday, parseDate } from '../domain/time.js';
import { windowWarnings, type Warning } from './rotas.js';
import type { Rota, SeriesRecord } from '../domain/types.js';

export type ShiftStatus = 'cancelled' | 'gap' | 'ok' | 'full';

export interface ShiftView {
  shift: Shift;
  rota: Rota;
  series: SeriesRecord;
  confirmed: readonly ShiftPerson[];
  waitlisted: readonly ShiftPerson[];
  status: ShiftStatus;
}

interface ShiftPerson {
  id: number;
  name: string;
}

/** The list of a shift nobody is on: one for all of them. */
const NOBODY: readonly ShiftPerson[] = Object.freeze([]);

function shiftStatus(shift: Shift, confirmed: number): ShiftStatus {
  if (shift.cancelled) return 'cancelled';
  if (confirmed < shift.min) return 'gap';
  return confirmed >= shift.max ? 'full' : 'ok';
}

interface Fill {
  confirmed: readonly ShiftPerson[];
  waitlisted: readonly ShiftPerson[];
}

/**
 * Sign-ups by shift; a person on several of the shifts is one object, and each list is exactly
 * as long as it is (an array filled by push holds room for 17), since kept listings hold thousands.
 */
function fillsOf(rows: FillRow[]): Map<string, Fill> {
  const lists = new Map<string, { confirmed: ShiftPerson[]; waitlisted: ShiftPerson[] }>();
  const people = new Map<number, ShiftPerson>();
  for (const r of rows) {
    let f = lists.get(r.shiftId);
    if (!f) lists.set(r.shiftId, (f = { confirmed: [], waitlisted: [] }));
    let person = people.get(r.id);
    if (!person) people.set(r.id, (person = { id: r.id, name: r.name }));
    (r.status === 'confirmed' ? f.confirmed : f.waitlisted).push(person);
  }
  const map = new Map<string, Fill>();
  const exact = (list: ShiftPerson[]) => (list.length === 0 ? NOBODY : list.slice());
  for (const [id, f] of lists) map.set(id, { confirmed: exact(f.confirmed), waitlisted: exact(f.waitlisted) });
  return map;
}

export interface ShiftQuery {
  rotaId?: number;
  from?: string;
  to?: string;
  /** Without rotaId: only rotas owned by these units (the caller's reach). */
  unitIds?: ReadonlySet<number>;
  /** Refuse with RANGE_TOO_LONG rather than list more shifts than this (requests set it; feeds have their own window). */
  maxShifts?: number;
}

/** How many shifts a series can make in a day, per series record (a schedule's records are kept until their rota changes). */
const perDayOf = new WeakMap<SeriesRecord, number>();

function shiftsPerDayOf(series: SeriesRecord): number {
  let n = perDayOf.get(series);
  if (n === undefined) perDayOf.set(series, (n = seriesShiftsPerDay(series)));
  return n;
}

/** Most shifts one API listing (`/shifts`, `/gaps`) answers with. */
export const LISTING_LIMIT = 5000;

function tooMany(limit: number, query: ShiftQuery, from: string, to: string): RotaError {
  const narrower = query.rotaId === undefined ? 'fewer days or one rota (rotaId)' : 'fewer days';
  return new RotaError('RANGE_TOO_LONG', `More than ${limit} shifts fall between ${from} and ${to}; ask for ${narrower}.`, { field: 'to', limit });
}

/** One rota's part of a listing, as of one data revision: its shifts per series, in the schedule's order. */
interface RotaListing {
  stamp: string;
  from: string;
  to: string;
  timezone: string;
  series: { series: SeriesRecord; views: ShiftView[] }[];
  size: number;
}

/** Windows up to this many days are kept (pages, gaps, notices), not the year-long windows of feeds. */
const KEPT_WINDOW_DAYS = 31;
/**
 * At most this many shifts are kept over all listings of one connection, ~750 bytes each with
 * their answer: a week of a district's 500 rotas (8,500 shifts) and a little more, in ~7 MB. A
 * morning rush over the same rotas' fortnights (17,000 shifts) fits in no bound that small, and
 * only cycles through whatever the bound lets it keep: 12,000 kept 3,000 more (~2 MB) of the service's
 * resident memory for no more hits (bench/, issue 12); 24,000 took ~15 MB.
 */
const KEPT_SHIFTS = 9_000;

/**
 * Listings by rota and window, each filed under the data revision it was read at (see
 * `Store.listingStamp`), least recently used dropped first. The revision lives in the database and
 * is read on every use, so a write by any connection or process shows in the next listing.
 */
class ListingCache {
  private readonly entries = new Map<string, RotaListing>();
  private shifts = 0;

  get(key: string, stamp: string): RotaListing | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.stamp !== stamp) {
      this.shifts -= entry.size;
      return null;
    }
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: RotaListing): void {
    if (entry.size > KEPT_SHIFTS) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.shifts -= old.size;
    }
    this.entries.set(key, entry);
    this.shifts += entry.size;
    for (const [k, e] of this.entries) {
      if (this.shifts <= KEPT_SHIFTS) break;
      this.entries.delete(k);
      this.shifts -= e.size;
    }
  }
}

const listingCaches = new WeakMap<Store, ListingCache>();

function listingCache(store: Store): ListingCache {
  let cache = listingCaches.get(store);
  if (!cache) listingCaches.set(store, (cache = new ListingCache()));
  return cache;
}

/**
 * Shifts whose local date (in their rota's zone) is within [from, to]. Without dates: today and
 * the next 13 days in each rota's zone. Each rota's part of a short window is kept per data
 * revision, so a repeated listing reads one revision row and no other data.
 */
export interface Listing {
  shifts: ShiftView[];
  warnings: Warning[];
  /**
   * For one rota's listing: the kept listing it was made from, the same object for as long as the
   * rota's data is unchanged, so that a caller may keep what it makes of the answer under it.
   */
  kept: object | null;
}

export function listShifts(db: Conn, query: ShiftQuery, now: Date): Listing {
  if (query.from !== undefined && query.to !== undefined) checkWindow({ from: query.from, to: query.to });
  const store = storeOf(db);
  const cache = listingCache(store);
  const rotaIds = query.rotaId !== undefined ? [query.rotaId] : listRotas(db, false, query.unitIds).map((r) => r.id);
  const limit = query.maxShifts ?? Infinity;
  const views: ShiftView[] = [];
  const warnings = new Map<string, Warning>();
  let source: RotaListing | null = null;
  for (const rotaId of rotaIds) {
    const stamp = store.listingStamp(rotaId);
    if (stamp === null) throw new RotaError('NOT_FOUND', `No rota has id ${rotaId}.`);
    const key = `${rotaId}|${query.from ?? ''}|${query.to ?? ''}`;
    let kept = cache.get(key, stamp);
    // A default window moves with the rota's own today.
    if (kept && query.from === undefined && kept.from !== formatDate(localToday(now, kept.timezone))) kept = null;
    // The same checks in the same order whether the shifts are kept or expanded now, so a listing
    // is refused alike either way, and an hourly series is refused before it is expanded.
    const add = (s: SeriesRecord, from: string, to: string, expand: () => ShiftView[]): ShiftView[] => {
      for (const w of windowWarnings(s.dayCalendarIds, Number(from.slice(0, 4)), Number(to.slice(0, 4)))) warnings.set(`${w.calendarId}|${w.year}`, w);
      const perDay = shiftsPerDayOf(s);
      if (perDay > 1 && views.length + perDay * (daysBetween(parseDate(from)!, parseDate(to)!) + 1) > limit) throw tooMany(limit, query, from, to);
      const list = expand();
      for (const v of list) views.push(v);
      if (views.length > limit) throw tooMany(limit, query, from, to);
      return list;
    };
    if (kept) {
      for (const { series, views: list } of kept.series) add(series, kept.from, kept.to, () => list);
      source = kept;
      continue;
    }
    const schedule = store.schedule(rotaId);
    if (!schedule) throw new RotaError('NOT_FOUND', `No rota has id ${rotaId}.`);
    const { rota, series, days, overrides } = schedule;
    const from = query.from ?? formatDate(localToday(now, rota.timezone));
    const to = query.to ?? shiftDate(from, 13);
    checkWindow({ from, to });
    const fill = fillsOf(store.fills(rota.id, shiftDate(from, -1), shiftDate(to, 1)));
    const parts = series.map((s) => ({
      series: s,
      views: add(s, from, to, () => expandSeries(s, { from, to }, days.get(s.id)!, overrides.get(s.id)).map((shift) => toView(shift, rota, s, fill.get(shift.id)))),
    }));
    if (daysBetween(parseDate(from)!, parseDate(to)!) < KEPT_WINDOW_DAYS) {
      source = { stamp, from, to, timezone: rota.timezone, series: parts, size: parts.reduce((n, p) => n + p.views.length, 0) };
      cache.set(key, source);
    }
  }
  views.sort((a, b) => a.shift.start - b.shift.start || a.shift.seriesId - b.shift.seriesId);
  return { shifts: views, warnings: [...warnings.values()], kept: rotaIds.length === 1 ? source : null };
}

function toView(shift: Shift, rota: Rota, series: SeriesRecord, fill: Fill | undefined): ShiftView {
  const confirmed = fill?.confirmed ?? NOBODY;
  return { shift, rota, series, confirmed, waitlisted: fill?.waitlisted ?? NOBODY, status: shiftStatus(shift, confirmed.length) };
}

/**
 * The shifts of one rota with these ids whose local dates lie in the window, with their fill, in
 * the order given: what a listing of the window shows of them, without expanding the rest of it.
 * Ids the rota no longer produces are left out.
 */
export function shiftsById(db: Conn, rotaId: number, ids: readonly string[], window: { from: string; to: string }): ShiftView[] {
  const store = storeOf(db);
  const schedule = store.schedule(rotaId);
  if (!schedule || ids.length === 0) return [];
  const fill = fillsOf(store.shiftsFill(ids));
  const views: ShiftView[] = [];
  for (const id of ids) {
    const ref = parseShiftId(id);
    const found = ref && shiftIn(schedule, ref);
    if (found && found.shift.localDate >= window.from && found.shift.localDate <= window.to) views.push(toView(found.shift, schedule.rota, found.series, fill.get(id)));
  }
  return views;
}

/**
 * Shifts looked up by series record and key (a new schedule has new records, so a changed series
 * is looked up afresh), over all series: the shifts people are signing up for this week. Kept per
 * series record (128 each), a district's 2,000 series held ~8 MB of shifts asked for once.
 */
const shiftsFound = new Memo<string, Shift | null>(4096);
/** A number for each series record, naming it in `shiftsFound`'s keys. */
const recordNumbers = new WeakMap<SeriesRecord, number>();
let records = 0;

/** The shift a schedule makes for a shift id's series and key, with its series; null when it makes none. */
function shiftIn(schedule: RotaSchedule, ref: { seriesId: number; key: string }): { shift: Shift; series: SeriesRecord } | null {
  const series = schedule.series.find((s) => s.id === ref.seriesId);
  if (!series) return null;
  let n = recordNumbers.get(series);
  if (n === undefined) recordNumbers.set(series, (n = ++records));
  const shift = shiftsFound.get(`${n}|${ref.key}`, () => findShift(series, ref.key, schedule.days.get(series.id)!, schedule.overrides.get(series.id)?.find((o) => o.key === ref.key)));
  return shift ? { shift, series } : null;
}

/** One shift by id with its rota and series, without its fill, or NOT_FOUND. */
export function getShiftOnly(db: Conn, id: string): Omit<ShiftView, 'confirmed' | 'waitlisted' | 'status'> {
  const ref = parseShiftId(id);
  if (!ref) throw new RotaError('NOT_FOUND', `"${id}" is not a shift id.`);
  const store = storeOf(db);
  const rotaId = store.rotaOfSeries(ref.seriesId);
  const schedule = rotaId === null ? null : store.schedule(rotaId);
  const found = schedule && shiftIn(schedule, ref);
  if (!found) throw new RotaError('NOT_FOUND', `No shift has id ${id}.`);
  return { shift: found.shift, rota: schedule!.rota, series: found.series };
}

/** One shift by id, with its fill, or NOT_FOUND. */
export function getShift(db: Conn, id: string): ShiftView {
  const { shift, rota, series } = getShiftOnly(db, id);
  return toView(shift, rota, series, fillsOf(storeOf(db).shiftFill(shift.id)).get(shift.id));
}
