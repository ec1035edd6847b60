// Rate-limit counts that several nodes share: on PostgreSQL (issue 16) every node adds its counts
// to one row per key, so that a token's minute is one minute on all. One SQLite process counts
// alone, in memory (src/http/rate-limit.ts, which also decides how often a node adds).
import type { Db } from '../db/connection.js';
import { isPostgres } from '../db/pg/sync-client.js';
import { countShared, forgetEnded, type RateWindow } from '../db/rate-limits.js';

/** Adds `n` to `key`'s shared count at `now`: the shared window after adding. */
export type AddToShared = (key: string, n: number, now: number) => RateWindow;

/** How often (in additions) a node clears ended windows from the shared table. */
const SWEEP_EVERY = 1000;

/** The shared count for this database, or null when the process counts alone. */
export function sharedRateCounter(db: Db, scope: string, windowMs: number): AddToShared | null {
  if (!isPostgres(db.$client)) return null;
  let added = 0;
  return (key, n, now) => {
    if (++added % SWEEP_EVERY === 0) forgetEnded(db, now);
    return countShared(db, `${scope}:${key}`, n, now, windowMs);
  };
}
