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
import { gunzipSync, gzipSync } from 'node:zlib';
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

/** What a feed is: its tag, and its text in the coding asked for, or null when the client holds it. */
export type FeedAnswer = { found: false } | { found: true; tag: string; body: Buffer | null };

export interface FeedRequest {
  kind: FeedKind;
  token: string;
  locale: Locale;
  now: Date;
  /** Send it gzipped? */
  gzip: boolean;
}

/** The rotas a person's or team's feed shows, as found for one UTC day and one state of their sign-ups. */
interface RotasShown {
  day: string;
  signups: string;
  ids: number[];
}

/** A rendered feed: gzipped, and as text while it is among the most recently used. */
interface Rendered {
  gzip: Buffer;
  text: Buffer | null;
}

interface Entry {
  /** Null until a client without the current version asks for it (a 304 renders nothing). */
  rendered: Rendered | null;
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

type Shown = Omit<Entry, 'rendered' | 'version' | 'tag' | 'checked'>;

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
 * Rendered feeds are kept as text up to this many bytes, least recently used dropped first: about
 * 120 feeds of a captain's 50 events (~33 KB each). Kept by count (256), a district's feeds took
 * ~9 MB of the service's resident memory (bench/, issue 12).
 */
const TEXT_BYTES = 4 * 1024 * 1024;
/**
 * Versions and gzipped feeds are kept up to this many bytes, least recently used dropped first:
 * about 900 captains' feeds (~2.2 KB gzipped each). A feed whose text was dropped is inflated
 * again for a client that does not take gzip (under 0.1 ms), not rendered again (several ms).
 */
const KEPT_BYTES = 2 * 1024 * 1024;
/** What an entry is counted as besides its gzipped feed (a version kept without a render counts this much). */
const ENTRY_BYTES = 256;

export class FeedCache {
  /** Least recently used first. */
  private readonly entries = new Map<string, Entry>();
  /** Bytes of entries and their gzipped feeds, and of the texts kept. */
  private bytes = 0;
  private textBytes = 0;
  private readonly q: ReturnType<typeof feedStatements>;
  private readonly host: string;

  constructor(
    private readonly db: Db,
    publicUrl: string,
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
      // Kept without a render (last asked by a client that held it): rendered below for this one.
      const holds = clientHas(cached.tag);
      if (holds || cached.rendered !== null) {
        this.entries.delete(key);
        this.entries.set(key, cached);
        return { found: true, tag: cached.tag, body: holds ? null : this.bodyOf(cached.rendered!, request.gzip) };
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
      if (clientHas(tag)) {
        this.keep(key, { ...shown, version, tag, rendered: null, checked: { commits, minute } });
        return { found: true, tag, body: null };
      }
      const text = Buffer.from(renderCalendar(buildFeed(feedSource(this.db, request.now), subject, { now: request.now, host: this.host, locale: request.locale })), 'utf8');
      const rendered = { gzip: exactCopy(gzipSync(text)), text };
      this.keep(key, { ...shown, version, tag, rendered, checked: { commits, minute } });
      return { found: true, tag, body: request.gzip ? rendered.gzip : text };
    });
  }

  /**
   * A kept feed in the coding asked for. A dropped text is inflated again for this answer and not
   * kept: kept, it would push out another text, which would then wait for a full collection.
   */
  private bodyOf(rendered: Rendered, gzip: boolean): Buffer {
    return gzip ? rendered.gzip : (rendered.text ?? gunzipSync(rendered.gzip));
  }

  /** Files a version as the latest used. */
  private keep(key: string, entry: Entry): void {
    this.drop(key);
    this.entries.set(key, entry);
    this.bytes += ENTRY_BYTES + (entry.rendered?.gzip.length ?? 0);
    this.textBytes += entry.rendered?.text?.length ?? 0;
    this.trim(key);
  }

  /** Beyond the limits, drops the least recently used texts, and entries (never the one just used, `key`). */
  private trim(key: string): void {
    for (const [k, entry] of this.entries) {
      if ((this.bytes <= KEPT_BYTES && this.textBytes <= TEXT_BYTES) || k === key) break;
      if (this.bytes > KEPT_BYTES) this.drop(k);
      else if (entry.rendered?.text) {
        this.textBytes -= entry.rendered.text.length;
        entry.rendered.text = null;
      }
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= ENTRY_BYTES + (entry.rendered?.gzip.length ?? 0);
    this.textBytes -= entry.rendered?.text?.length ?? 0;
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

/**
 * zlib hands back its output as a view of the 16 KB chunk it wrote into: kept as is, a feed's
 * ~2 KB gzipped form held the whole chunk (about 14 MB for the kept feeds of a district).
 */
function exactCopy(view: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(view.length);
  view.copy(copy);
  return copy;
}
