// Person-shift statistics: rows by person, team (home team), rota or month, and a total counted on its own.
import type { Db } from '../db/connection.js';
import { statsTable, type StatsPlan, type StatsReport } from '../db/stats.js';
import { subtreeIds, type UnitKind } from '../db/units.js';
import { RotaError } from '../domain/errors.js';
import { requireUnit } from './units.js';
import { requireTeam } from './people.js';
import { requireRota } from './rotas.js';
import type { GroupBy } from '../domain/person-shifts.js';
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

/**
 * What a report computes, checked (every rota, team and unit it names exists) and resolved
 * (defaults from 1 January of this year to today, UTC dates, at most 366 days; a unit's subtree
 * within the caller's reach): here, so that a report thread needs nothing but the SQL.
 */
export function planStats(db: Db, q: StatsQuery, now: Date): StatsPlan {
  const today = formatDate(localToday(now, 'UTC'));
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  checkWindow({ from, to });
  if (q.rotaId !== undefined) requireRota(db, q.rotaId);
  if (q.teamId !== undefined) requireTeam(db, q.teamId);
  const unitIds = q.groupBy !== 'unit' && q.unitId !== undefined ? within(db, q.unitId, q.unitIds) : q.unitIds;
  const filter = { from, to, now: now.getTime(), ...(q.rotaId !== undefined ? { rotaId: q.rotaId } : {}), ...(q.teamId !== undefined ? { teamId: q.teamId } : {}), ...(unitIds ? { unitIds } : {}) };
  if (q.groupBy !== 'unit') return { groupBy: q.groupBy, filter };
  if (q.level === undefined || q.unitId === undefined) {
    throw new RotaError('VALIDATION', 'groupBy=unit needs level (the kind of unit each row is, e.g. community) and unitId (the unit they lie in).', { field: q.level === undefined ? 'level' : 'unitId' });
  }
  requireUnit(db, q.unitId);
  return { groupBy: q.groupBy, filter, level: q.level, unitId: q.unitId };
}

export function personShiftStats(db: Db, q: StatsQuery, now: Date): StatsReport {
  return statsTable(db.$client, planStats(db, q, now));
}

/** A unit and the units below it, within the caller's reach when one is given. */
function within(db: Db, unitId: number, reach: ReadonlySet<number> | undefined): Set<number> {
  requireUnit(db, unitId);
  return new Set(subtreeIds(db, [unitId]).filter((id) => !reach || reach.has(id)));
}

/**
 * The statistics and, for CSV and Excel, the file, computed on a report thread (a district's
 * quarter reads a quarter of a million sign-ups): the service keeps answering meanwhile.
 */
export async function personShiftReport(db: Db, query: StatsQuery, now: Date, format: StatsFormat, locale: Locale): Promise<{ table: StatsReport; body: string | Buffer | null }> {
  const { table, body } = await runReport(db, { kind: 'stats', plan: planStats(db, query, now), format, locale });
  return { table, body: body === null ? null : bytesOf(body) };
}
