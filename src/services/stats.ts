// Person-shift statistics: rows by person, team (home team), rota or month, and a total counted on its own.
import type { Db } from '../db/connection.js';
import { personShiftTable, unitRollupTable, type StatsFilter } from '../db/stats.js';
import type { UnitKind } from '../db/units.js';
import { RotaError } from '../domain/errors.js';
import { requireUnit } from './units.js';
import { requireTeam } from './people.js';
import { requireRota } from './schedule.js';
import type { GroupBy, StatsTable } from '../domain/person-shifts.js';
import { checkWindow } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';
import type { Locale } from '../db/people.js';
import { runReport } from './report-pool.js';
import { bytesOf, type StatsFormat } from './report-jobs.js';

export interface StatsQuery {
  groupBy: GroupBy;
  from?: string;
  to?: string;
  rotaId?: number;
  teamId?: number;
  /** Only rotas owned by these units (the caller's reach). */
  unitIds?: ReadonlySet<number>;
  /** groupBy=unit: the level whose units are the rows, and the unit they lie in. */
  level?: UnitKind;
  unitId?: number;
}

export type StatsReport = StatsTable & { from: string; to: string };

/** Defaults: from 1 January of this year to today (UTC dates), at most 366 days. */
export function personShiftStats(db: Db, q: StatsQuery, now: Date): StatsReport {
  const today = formatDate(localToday(now, 'UTC'));
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  checkWindow({ from, to });
  if (q.rotaId !== undefined) requireRota(db, q.rotaId);
  if (q.teamId !== undefined) requireTeam(db, q.teamId);
  const filter = { from, to, now: now.getTime(), ...(q.rotaId !== undefined ? { rotaId: q.rotaId } : {}), ...(q.teamId !== undefined ? { teamId: q.teamId } : {}), ...(q.unitIds ? { unitIds: q.unitIds } : {}) };
  const { rows, total } = q.groupBy === 'unit' ? unitRollup(db, q, filter) : personShiftTable(db, q.groupBy, filter);
  return { groupBy: q.groupBy, from, to, rows: rows.map((r) => (q.groupBy === 'team' && r.key === 'none' ? { ...r, label: r.label || '—' } : r)), total };
}

function unitRollup(db: Db, q: StatsQuery, filter: StatsFilter) {
  if (q.level === undefined || q.unitId === undefined) {
    throw new RotaError('VALIDATION', 'groupBy=unit needs level (the kind of unit each row is, e.g. community) and unitId (the unit they lie in).', { field: q.level === undefined ? 'level' : 'unitId' });
  }
  requireUnit(db, q.unitId);
  return unitRollupTable(db, q.level, q.unitId, filter);
}

/**
 * The statistics and, for CSV and Excel, the file, computed on a report thread (a district's
 * quarter reads a quarter of a million sign-ups): the service keeps answering meanwhile.
 */
export async function personShiftReport(db: Db, query: StatsQuery, now: Date, format: StatsFormat, locale: Locale): Promise<{ table: StatsReport; body: string | Buffer | null }> {
  const { table, body } = await runReport(db, { kind: 'stats', query, now: now.getTime(), format, locale });
  return { table, body: body === null ? null : bytesOf(body) };
}
