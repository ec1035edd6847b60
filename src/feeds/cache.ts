// Rendered feeds kept per data version, so a morning of calendar polling costs little.
//
// How it works: every change to scheduling data bumps the one-row `data_revision` counter (SQLite
// triggers, migrations/0001), in whichever process made it. A feed's content depends only on that
// data and on today's local date in the rotas' zones (the window rolls, cancelled shifts fade), so
// the revision plus those dates name a version. The ETag is derived from the version alone: a
// second process, or this one after a restart, answers 304 to a client holding the current
// version without rendering anything. A request first reads the revision (one indexed row); on a
// hit, the cached text is served (or gzipped once per version and kept) with no token lookup, as a
// replaced token bumps the revision too. On a miss, token, revision and data are read in one read
// transaction, so a cached text is never older than the version it is filed under.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import { formatDate, localToday } from '../domain/time.js';
import { buildFeed, findFeed, type FeedKind } from './build.js';
import { renderCalendar } from './ical.js';
import type { FeedLocale } from './labels.js';

/** Bump when the rendering changes, so that every client fetches the new form once. */
const FORMAT = 1;

export interface CachedFeed {
  /** The version's tag, without quotes or coding suffix. */
  tag: string;
  body: Buffer;
  gzipped(): Buffer;
}

export type FeedAnswer = { found: false } | { found: true; tag: string; feed: CachedFeed | null };

export interface FeedRequest {
  kind: FeedKind;
  token: string;
  locale: FeedLocale;
  now: Date;
}

export class FeedCache {
  private readonly entries = new Map<string, CachedFeed>();
  private zones: { revision: number; list: string[] } | null = null;
  private readonly revision: Statement<[], number>;
  private readonly zoneList: Statement<[], string>;
  private readonly host: string;

  constructor(
    private readonly db: Db,
    publicUrl: string,
    private readonly limit = 256,
  ) {
    this.revision = db.$client.prepare<[], number>('SELECT value FROM data_revision WHERE id = 1').pluck();
    this.zoneList = db.$client.prepare<[], string>('SELECT DISTINCT timezone FROM rotas ORDER BY timezone').pluck();
    this.host = new URL(publicUrl).hostname;
  }

  /**
   * The feed a token opens as of now. `clientHas(tag)` says whether the client already holds that
   * version (If-None-Match); then nothing is rendered and `feed` is null.
   */
  open(request: FeedRequest, clientHas: (tag: string) => boolean): FeedAnswer {
    const key = `${request.kind}/${request.locale}/${request.token}`;
    const cached = this.entries.get(key);
    if (cached && cached.tag === this.tagOf(request)) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return { found: true, tag: cached.tag, feed: clientHas(cached.tag) ? null : cached };
    }
    return this.db.transaction((tx) => {
      const tag = this.tagOf(request);
      const subject = findFeed(tx, request.kind, request.token);
      if (!subject) {
        this.entries.delete(key);
        return { found: false };
      }
      if (clientHas(tag)) return { found: true, tag, feed: null };
      const text = renderCalendar(buildFeed(tx, subject, { now: request.now, host: this.host, locale: request.locale }));
      const feed = cachedFeed(tag, text);
      this.entries.set(key, feed);
      if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
      return { found: true, tag, feed };
    });
  }

  /** The version tag: the revision, and a digest of today's date in every rota's zone. */
  private tagOf(request: FeedRequest): string {
    const revision = this.revision.get()!;
    if (this.zones?.revision !== revision) this.zones = { revision, list: this.zoneList.all() };
    const dates = this.zones.list.map((zone) => `${zone}=${formatDate(localToday(request.now, zone))}`).join(',');
    const digest = createHash('sha256').update(`${FORMAT}|${request.kind}|${request.locale}|${this.host}|${dates}`).digest('base64url').slice(0, 16);
    return `${revision}-${digest}`;
  }
}

function cachedFeed(tag: string, text: string): CachedFeed {
  const body = Buffer.from(text, 'utf8');
  let gzipped: Buffer | null = null;
  return { tag, body, gzipped: () => (gzipped ??= gzipSync(body)) };
}
