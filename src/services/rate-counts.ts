// Where rate-limit windows are counted: in the process for one node (SQLite), in the database
// when several nodes share PostgreSQL (issue 16), so that a token's minute is one minute on all.
import type { Db } from '../db/connection.js';
import { isPostgres } from '../db/pg/sync-client.js';
import { countShared, forgetEnded, type RateWindow } from '../db/rate-limits.js';

/** Counts `n` more for `key` at `now`: the window after counting. */
export type CountRate = (key: string, n: number, now: number) => RateWindow;

/** How often (in counts) a node clears ended windows from the shared table. */
const SWEEP_EVERY = 1000;
/** A node adds its counts to the shared one at least this often per key... */
const FLUSH_MS = 1000;
/** ...and whenever it has counted this share of the limit since (1 for small limits: every count). */
const FLUSH_SHARE = 1 / 20;
/** Keys a node keeps its own counts for; the least recently counted go first. */
const KEYS = 5000;

interface Pending {
  /** The shared count when last added to, this node's counts since, and when that was. */
  shared: number;
  local: number;
  endsAt: number;
  flushedAt: number;
}

/**
 * The shared counter for this database, or null when the process counts alone. Each node adds
 * its counts to the shared row in batches (a write per key at most every FLUSH_MS, or each
 * FLUSH_SHARE of the limit), not one write per request: a limit is reached at most a twentieth
 * late per node, and a limit of 20 or less is counted exactly.
 */
export function sharedRateCounter(db: Db, scope: string, windowMs: number, max: number): CountRate | null {
  if (!isPostgres(db.$client)) return null;
  const batch = Math.max(1, Math.floor(max * FLUSH_SHARE));
  const pending = new Map<string, Pending>();
  let flushes = 0;
  return (key, n, now) => {
    let p = pending.get(key);
    if (p) pending.delete(key);
    if (p === undefined || p.endsAt <= now) p = { shared: 0, local: 0, endsAt: 0, flushedAt: -Infinity };
    p.local += n;
    if (p.local >= batch || now - p.flushedAt >= FLUSH_MS || p.endsAt <= now) {
      if (++flushes % SWEEP_EVERY === 0) forgetEnded(db, now);
      const window = countShared(db, `${scope}:${key}`, p.local, now, windowMs);
      p = { shared: window.count, local: 0, endsAt: window.endsAt, flushedAt: now };
    }
    pending.set(key, p);
    if (pending.size > KEYS) pending.delete(pending.keys().next().value!);
    return { count: p.shared + p.local, endsAt: p.endsAt };
  };
}
