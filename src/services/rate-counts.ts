// Where rate-limit windows are counted: in the process for one node (SQLite), in the database
// when several nodes share PostgreSQL (issue 16), so that a token's minute is one minute on all.
import type { Db } from '../db/connection.js';
import { isPostgres } from '../db/pg/sync-client.js';
import { countShared, forgetEnded, type RateWindow } from '../db/rate-limits.js';

/** Counts `n` more for `key` at `now`: the window after counting. */
export type CountRate = (key: string, n: number, now: number) => RateWindow;

/** How often (in counts) a node clears ended windows from the shared table. */
const SWEEP_EVERY = 1000;

/** The shared counter for this database, or null when the process counts alone. */
export function sharedRateCounter(db: Db, scope: string, windowMs: number): CountRate | null {
  if (!isPostgres(db.$client)) return null;
  let counted = 0;
  return (key, n, now) => {
    if (++counted % SWEEP_EVERY === 0) forgetEnded(db, now);
    return countShared(db, `${scope}:${key}`, n, now, windowMs);
  };
}
