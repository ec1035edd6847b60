// Person-shift statistics: rows by person, team (home team), rota or month, and a total counted on its own.
import type { Db } from '../db/connection.js';
import { personShiftTable, unitRollupTable, type StatsFilter } from '../db/stats.js';
import { subtreeIds, type UnitKind } from '../db/units.js';
import { RotaError } from '../domain/errors.js';
import { requireUnit } from './units.js';
import { requireTeam } from './people.js';
import { requireRota } from './rotas.js';
import type { GroupBy, StatsTable } from '../domain/person-shifts.js';
import { checkWindow } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';
import type { StatsFormat } from './report-jobs.js';
import { bytesOf, runReport } from './report-pool.js';
import type { Locale } from '../domain/types.js';

export interface StatsQuery {
  groupBy: GroupBy;
  from?: string;
  to?: string;
  rotaId?: number;
  teamId?: number;
  /** Only rotas owned by these units (the caller's reach). */
  unitIds?: ReadonlySet<number>;
  /** groupBy=unit: the level whose units are the rows, and the unit they lie in; otherwise only rotas of that unit and below. */
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
  const unitIds = q.groupBy !== 'unit' && q.unitId !== undefined ? within(db, q.unitId, q.unitIds) : q.unitIds;
  const filter = { from, to, now: now.getTime(), ...(q.rotaId !== undefined ? { rotaId: q.rotaId } : {}), ...(q.teamId !== undefined ? { teamId: q.teamId } : {}), ...(unitIds ? { unitIds } : {}) };
  const { rows, total } = q.groupBy === 'unit' ? unitRollup(db, q, filter) : personShiftTable(db, q.groupBy, filter);
  return { groupBy: q.groupBy, from, to, rows: rows.map((r) => (q.groupBy === 'team' && r.key === 'none' ? { ...r, label: r.label || '—' } : r)), total };
}

/** A unit and the units below it, within the caller's reach when one is given. */
function within(db: Db, unitId: number, reach: ReadonlySet<number> | undefined): Set<number> {
  requireUnit(db, unitId);
  return new Set(subtreeIds(db, [unitId]).filter((id) => !reach || reach.has(id)));
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
