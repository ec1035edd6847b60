// Rendered feeds kept per data version, so a morning of calendar polling costs little, and the
// source that hands src/feeds the records it renders.
//
// How it works: every change to a rota's own data (the rota, its series, overrides, sign-ups...)
// changes that rota's revision, and every change to people, teams or day calendars changes a
// shared one (SQLite triggers, migrations/0004), in whichever process made it. A feed depends on
// the shared revisions, on the revisions of the rotas it shows (a person's or team's feed: the
// rotas its people have sign-ups in; one query on the person index), and on today's date in
// those rotas' zones. A version tag is a digest of those, so a sign-up in one community
// re-renders only the feeds that show that community; a second process, or this one after a
// restart, computes the same tag. A replaced token changes a revision too, so a hit needs no token
// lookup. On a miss, token, revisions and data are read in one read transaction, so a cached
// text is never older than the version it is filed under.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Conn, Db } from '../db/connection.js';
import { feedStatements } from '../db/feeds.js';
import { personByFeedToken, teamByFeedToken } from '../db/people.js';
import { rotaByFeedToken } from '../db/schedule.js';
import { storeOf } from '../db/store.js';
import { MAX_WINDOW_DAYS, shiftDate, type DateWindow } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';
import { buildFeed, type FeedSource, type FeedSubject } from '../feeds/build.js';
import { renderCalendar } from '../feeds/ical.js';
import { listShifts, shiftsById } from './shifts.js';
import type { FeedKind, Locale } from '../domain/types.js';

/** Bump when the rendering changes, so that every client fetches the new form once. */
const FORMAT = 2;
/** Sign-ups on UTC dates more than this many days ago are outside every feed's window (60 days back, a day's margin each way). */
const LOOKBACK_DAYS = 62;

export interface CachedFeed {
  body: Buffer;
  gzipped(): Buffer;
}

export type FeedAnswer = { found: false } | { found: true; tag: string; feed: CachedFeed | null };

export interface FeedRequest {
  kind: FeedKind;
  token: string;
  locale: Locale;
  now: Date;
}

/** The rotas a person's or team's feed shows, as found for one UTC day and one state of their sign-ups. */
interface RotasShown {
  day: string;
  signups: string;
  ids: number[];
}

interface Entry {
  /** The rendered text, or null until a client without the current version asks for it. */
  feed: CachedFeed | null;
  /** What the feed's tag was made from (see versionOf), and the tag. */
  version: string;
  tag: string;
  /** The database's commit count (Store.commits) and the minute the version was last known true at. */
  checked: { commits: number | null; minute: number };
  /** Whose feed: the rota shown, or the people whose sign-ups are shown. */
  rotaId: number | null;
  personIds: number[];
  rotas: RotasShown | null;
}

type Shown = Omit<Entry, 'feed' | 'version' | 'tag' | 'checked'>;

/** A window split into parts listShifts accepts (at most 366 days each). */
function chunks(from: string, to: string): DateWindow[] {
  const parts: DateWindow[] = [];
  for (let start = from; start <= to; start = shiftDate(start, MAX_WINDOW_DAYS)) {
    const end = shiftDate(start, MAX_WINDOW_DAYS - 1);
    parts.push({ from: start, to: end < to ? end : to });
  }
  return parts;
}

function feedSource(db: Db, now: Date): FeedSource {
  const q = feedStatements(db);
  const store = storeOf(db);
  return {
    people: q.people,
    firstCoordinator: q.firstCoordinator,
    rota: (id) => store.schedule(id)?.rota ?? null,
    series: (rotaId) => store.schedule(rotaId)?.series ?? [],
    overrides: q.overrides,
    signupChanges: (rotaId, window, only) => (only ? q.shiftChanges([...only]) : q.signupChanges(rotaId, window.from, window.to)),
    shifts: (rotaId, window, only) => (only ? shiftsById(db, rotaId, [...only], window) : chunks(window.from, window.to).flatMap((part) => listShifts(db, { rotaId, ...part }, now).shifts)),
    signupsOf: q.signupsOf,
  };
}

/** The owner of a feed token, or null for an unknown or replaced token (or an archived owner). */
function findFeed(db: Conn, kind: FeedKind, token: string): FeedSubject | null {
  if (kind === 'people') {
    const person = personByFeedToken(db, token);
    return person && { kind, person };
  }
  if (kind === 'teams') {
    const team = teamByFeedToken(db, token);
    return team && { kind, team };
  }
  const rota = rotaByFeedToken(db, token);
  return rota && { kind, rota };
}

/**
 * Rendered feeds are kept up to this many bytes of text, least recently used dropped first: about
 * 120 feeds of a captain's 50 events (~33 KB each). Kept by count (256), a district's feeds took
 * ~9 MB of the service's resident memory (bench/, issue 12).
 */
const KEPT_BYTES = 4 * 1024 * 1024;
/** What an entry is counted as besides its text: a version kept without a text (a 304) counts this much. */
const ENTRY_BYTES = 256;

const sizeOf = (entry: Entry) => ENTRY_BYTES + (entry.feed?.body.length ?? 0);

export class FeedCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly q: ReturnType<typeof feedStatements>;
  private readonly host: string;

  constructor(
    private readonly db: Db,
    publicUrl: string,
    private readonly limit = KEPT_BYTES,
  ) {
    this.q = feedStatements(db);
    this.host = new URL(publicUrl).hostname;
  }

  /**
   * The feed a token opens as of now. `clientHas(tag)` says whether the client already holds that
   * version (If-None-Match); then nothing is rendered and `feed` is null.
   */
  open(request: FeedRequest, clientHas: (tag: string) => boolean): FeedAnswer {
    const key = `${request.kind}/${request.locale}/${request.token}`;
    const cached = this.entries.get(key);
    // Nothing committed since the version was last found true, in the same minute (today's date in
    // each zone is part of it): it still is, without reading the revisions.
    const commits = storeOf(this.db).commits();
    const minute = Math.floor(request.now.getTime() / 60_000);
    const unchanged = cached !== undefined && commits !== null && cached.checked.commits === commits && cached.checked.minute === minute;
    if (cached && (unchanged || this.versionOf(request, cached) === cached.version)) {
      // Updated in place: a new object per poll, held by a long-lived entry, would outlive the
      // young generation and be collected with the old.
      cached.checked.commits = commits;
      cached.checked.minute = minute;
      // Kept without a text (last asked by a client that held it): rendered below for this one.
      const holds = clientHas(cached.tag);
      if (holds || cached.feed !== null) {
        this.entries.delete(key);
        this.entries.set(key, cached);
        return { found: true, tag: cached.tag, feed: holds ? null : cached.feed };
      }
    }
    return this.db.transaction((tx) => {
      const subject = findFeed(tx, request.kind, request.token);
      if (!subject) {
        this.drop(key);
        return { found: false };
      }
      const rotaId = subject.kind === 'rotas' || subject.kind === 'open' ? subject.rota.id : null;
      const personIds = subject.kind === 'people' ? [subject.person.id] : subject.kind === 'teams' ? subject.team.memberIds : [];
      const shown: Shown = { rotaId, personIds, rotas: null };
      const version = this.versionOf(request, shown);
      const tag = createHash('sha256').update(version).digest('base64url').slice(0, 22);
      // A client that holds this version (a poll after a restart, or to another process) is
      // answered without a render; the version is kept, so its next poll reads nothing either.
      const feed = clientHas(tag) ? null : cachedFeed(renderCalendar(buildFeed(feedSource(this.db, request.now), subject, { now: request.now, host: this.host, locale: request.locale })));
      this.keep(key, { ...shown, version, tag, feed, checked: { commits, minute } });
      return { found: true, tag, feed };
    });
  }

  /** Files a feed as the latest used, dropping the least recently used ones beyond the limit (never the one filed). */
  private keep(key: string, entry: Entry): void {
    this.drop(key);
    this.entries.set(key, entry);
    this.bytes += sizeOf(entry);
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.limit || k === key) break;
      this.drop(k);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry);
  }

  /**
   * What a feed's version tag is a digest of: the shared revisions, each rota's revision and
   * today's date in its zone. One read as a rule; the rotas a person's or team's feed shows are
   * found again only when one of their sign-ups changed or the UTC day did, so that a poll does not
   * read the sign-ups themselves. Every process finds the same rotas for the same data on the same
   * day (the lookback is whole days), so every process makes the same tag.
   */
  private versionOf(request: FeedRequest, shown: Shown): string {
    const store = storeOf(this.db);
    let rotaIds = shown.rotaId !== null ? [shown.rotaId] : (shown.rotas?.ids ?? []);
    let read = store.feedVersion(shown.personIds, rotaIds);
    if (shown.personIds.length > 0) {
      const day = todayIn(request.now, 'UTC');
      const kept = shown.rotas;
      if (!kept || kept.day !== day || kept.signups !== read.signups) {
        const since = Date.parse(`${shiftDate(day, -LOOKBACK_DAYS)}T00:00:00Z`);
        shown.rotas = { day, signups: read.signups, ids: this.q.rotasOf(shown.personIds, since) };
        rotaIds = shown.rotas.ids;
        read = { ...store.feedVersion([], rotaIds), signups: read.signups };
      }
    }
    let version = `${FORMAT}|${request.kind}|${request.locale}|${this.host}|${read.shared}`;
    for (const id of rotaIds) {
      const rota = read.rotas.get(id);
      version += `|${id}:${rota?.revision ?? 0}:${todayIn(request.now, rota?.timezone ?? 'UTC')}`;
    }
    return version;
  }
}

/** Today's date by zone, for the minute it was worked out in: a zone's date changes only on a whole minute. */
const todays = new Map<string, string>();
let todaysMinute = Number.NaN;

function todayIn(now: Date, zone: string): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== todaysMinute) {
    todays.clear();
    todaysMinute = minute;
  }
  let today = todays.get(zone);
  if (today === undefined) todays.set(zone, (today = formatDate(localToday(now, zone))));
  return today;
}

function cachedFeed(text: string): CachedFeed {
  const body = Buffer.from(text, 'utf8');
  let gzipped: Buffer | null = null;
  return { body, gzipped: () => (gzipped ??= gzipSync(body)) };
}
