// Person-shift statistics: rows by person, team (home team), rota or month, and a total counted on its own.
import type { Db } from '../db/connection.js';
import { personShiftTable } from '../db/stats.js';
import { requireTeam } from './people.js';
import { requireRota } from './schedule.js';
import type { GroupBy, StatsTable } from '../domain/person-shifts.js';
import { checkWindow } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';

export interface StatsQuery {
  groupBy: GroupBy;
  from?: string;
  to?: string;
  rotaId?: number;
  teamId?: number;
  /** Only rotas owned by these units (the caller's reach). */
  unitIds?: ReadonlySet<number>;
}

/** Defaults: from 1 January of this year to today (UTC dates), at most 366 days. */
export function personShiftStats(db: Db, q: StatsQuery, now: Date): StatsTable & { from: string; to: string } {
  const today = formatDate(localToday(now, 'UTC'));
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  checkWindow({ from, to });
  if (q.rotaId !== undefined) requireRota(db, q.rotaId);
  if (q.teamId !== undefined) requireTeam(db, q.teamId);
  const filter = { from, to, now: now.getTime(), ...(q.rotaId !== undefined ? { rotaId: q.rotaId } : {}), ...(q.teamId !== undefined ? { teamId: q.teamId } : {}), ...(q.unitIds ? { unitIds: q.unitIds } : {}) };
  const { rows, total } = personShiftTable(db, q.groupBy, filter);
  return { groupBy: q.groupBy, from, to, rows: rows.map((r) => (q.groupBy === 'team' && r.key === 'none' ? { ...r, label: r.label || '—' } : r)), total };
}
