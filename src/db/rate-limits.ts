// Rate-limit windows in the database, for several API nodes on one PostgreSQL (issue 16): each
// node adds its counts in one statement, which answers everyone's, so every node sees every
// node's count (src/http/rate-limit.ts decides how often). SQLite serves one process, which
// counts in memory only.
import type { Db } from './connection.js';

export interface RateWindow {
  count: number;
  endsAt: number;
}

/**
 * Counts `n` more for `key` at `now` in a window of `windowMs` that starts with its first count,
 * and answers the window after counting. A window that has ended starts again.
 */
export function countShared(db: Db, key: string, n: number, now: number, windowMs: number): RateWindow {
  return db.$client
    .prepare(
      `INSERT INTO rate_limits AS w (key, count, ends_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET count = CASE WHEN w.ends_at <= ? THEN excluded.count ELSE w.count + excluded.count END,
                                       ends_at = CASE WHEN w.ends_at <= ? THEN excluded.ends_at ELSE w.ends_at END
       RETURNING count, ends_at AS endsAt`,
    )
    .get(key, n, now + windowMs, now, now) as RateWindow;
}

/** Forgets windows that have ended (any node may, now and then). */
export function forgetEnded(db: Db, now: number): void {
  db.$client.prepare('DELETE FROM rate_limits WHERE ends_at <= ?').run(now);
}
