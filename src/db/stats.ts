// Person-shift totals in SQL: the counting rule of src/domain/person-shifts.ts over indexed columns,
// so a quarter of a million-row table costs about what raw SQL costs.
import type Database from 'better-sqlite3';
import { isPostgres } from './pg/sync-client.js';
import { hoursOf, type GroupBy, type StatsRow, type StatsTable } from '../domain/person-shifts.js';

/**
 * A statistics report checked and resolved (services/stats.ts): plain data, which a report thread
 * is sent and computes with nothing but this file's SQL.
 */
export interface StatsPlan {
  groupBy: GroupBy;
  filter: StatsFilter;
  /** groupBy=unit: the level whose units are the rows, and the unit they lie in. */
  level?: string;
  unitId?: number;
}

export type StatsReport = StatsTable & { from: string; to: string };

export function statsTable(client: Database.Database, plan: StatsPlan): StatsReport {
  const { groupBy, filter } = plan;
  const { rows, total } = groupBy === 'unit' ? unitRollupTable(client, plan.level!, plan.unitId!, filter) : personShiftTable(client, groupBy, filter);
  return { groupBy, from: filter.from, to: filter.to, rows: rows.map((r) => (groupBy === 'team' && r.key === 'none' ? { ...r, label: r.label || '—' } : r)), total };
}

export interface StatsFilter {
  from: string;
  to: string;
  now: number;
  rotaId?: number;
  teamId?: number;
  /** Only rotas owned by these units (the caller's reach). */
  unitIds?: ReadonlySet<number>;
}

const KEY: Record<Exclude<GroupBy, 'unit'>, { key: string; label: string }> = {
  person: { key: 's.person_id', label: 'p.name' },
  rota: { key: 's.rota_id', label: 'r.name' },
  month: { key: 'substr(s.local_date, 1, 7)', label: 'substr(s.local_date, 1, 7)' },
  team: { key: "coalesce(p.home_team_id, 'none')", label: 't.name' },
};

/** PostgreSQL's key of a person's team: one column has one type there, so a team's id is its text. */
const PG_TEAM_KEY = "coalesce(CAST(p.home_team_id AS TEXT), 'none')";

function where(filter: StatsFilter): { sql: string; params: (string | number)[] } {
  const clauses = [
    's.local_date BETWEEN ? AND ?',
    "s.status <> 'cancelled'",
    "(s.attendance = 'attended' OR (s.status = 'confirmed' AND s.attendance IS NULL AND s.end_at <= ? AND r.count_unmarked = TRUE))",
  ];
  const params: (string | number)[] = [filter.from, filter.to, filter.now];
  if (filter.rotaId !== undefined) {
    clauses.push('s.rota_id = ?');
    params.push(filter.rotaId);
  }
  if (filter.teamId !== undefined) {
    clauses.push('p.home_team_id = ?');
    params.push(filter.teamId);
  }
  if (filter.unitIds !== undefined) {
    clauses.push(`r.unit_id IN (${[...filter.unitIds].map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.unitIds);
  }
  return { sql: clauses.join(' AND '), params };
}

/** serviceMinutes of src/domain/checkin.ts in SQL: whole minutes, rounded half up, per sign-up. */
const MINUTES =
  'sum((CASE WHEN s.checked_in_at IS NOT NULL AND s.checked_out_at > s.checked_in_at THEN s.checked_out_at - s.checked_in_at ELSE s.end_at - s.start_at END + 30000) / 60000)';

const FROM = 'FROM signups s JOIN rotas r ON r.id = s.rota_id JOIN people p ON p.id = s.person_id LEFT JOIN teams t ON t.id = p.home_team_id';

/** SQLite's ORDER BY on the key column: integers (PostgreSQL's team ids are their text) before text, text by code unit. */
function compareKeys(x: string | number, y: string | number): number {
  const a = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
  const b = typeof y === 'string' && /^\d+$/.test(y) ? Number(y) : y;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rows of one grouping and the total, from a single pass over the sign-ups: SQL counts each
 * person's person-shifts per group, and the rows and the total (whose distinct people do not add up
 * over rows) are summed from that. Counting the total with a second query read the quarter's rows
 * twice and took twice the raw SQL's time (bench/, issue 7).
 */
function personShiftTable(client: Database.Database, groupBy: Exclude<GroupBy, 'unit'>, filter: StatsFilter): StatsTotals {
  const w = where(filter);
  const k = groupBy === 'team' && isPostgres(client) ? { ...KEY.team, key: PG_TEAM_KEY } : KEY[groupBy];
  const perPerson = client
    .prepare(`SELECT ${k.key} AS key, min(${k.label}) AS label, s.person_id, count(*), ${MINUTES} ${FROM} WHERE ${w.sql} GROUP BY 1, 3`)
    .raw()
    .iterate(...w.params) as IterableIterator<PerPerson>;
  return summarise(perPerson, groupBy === 'month');
}

/**
 * The roll-up (issue 13): one row per unit of `level` in `ancestorId`'s subtree, each sign-up
 * counted under the unit of that level that holds its rota's unit (one closure join). A person
 * in two rows is one person in the total; sign-ups of rotas above the level belong to no row and
 * are left out of the total too, so the rows add up to it.
 */
function unitRollupTable(client: Database.Database, level: string, ancestorId: number, filter: StatsFilter): StatsTotals {
  const w = where(filter);
  const perPerson = client
    .prepare(
      `SELECT u.id AS key, min(u.name) AS label, s.person_id, count(*), ${MINUTES} ${FROM}
       JOIN unit_closure c ON c.descendant_id = r.unit_id JOIN units u ON u.id = c.ancestor_id
       JOIN unit_closure a ON a.descendant_id = u.id AND a.ancestor_id = ?
       WHERE u.kind = ? AND ${w.sql} GROUP BY 1, 3`,
    )
    .raw()
    .iterate(ancestorId, level, ...w.params) as IterableIterator<PerPerson>;
  return summarise(perPerson, false);
}

type PerPerson = [string | number, string | null, number, number, number];

/** Ids up to this are kept as bits (at most 2 MiB of them); any larger go into a Set. */
const MAX_BIT_ID = 2 ** 24;

/**
 * Distinct person ids, one bit each: a Set of a district quarter's 50,000 ids, with the tables it
 * outgrew on the way, took ~3 MB more of the report thread's memory (bench/, issue 12), which
 * lives in the service's process. Ids are SQLite rowids, so in practice all small and positive.
 */
class PersonIds {
  private bits = new Uint32Array(1024);
  private readonly large = new Set<number>();
  private count = 0;

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= MAX_BIT_ID) {
      this.large.add(id);
      return;
    }
    const word = id >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (id & 31);
    if ((this.bits[word]! & bit) === 0) {
      this.bits[word]! |= bit;
      this.count++;
    }
  }

  get size(): number {
    return this.count + this.large.size;
  }
}
type StatsTotals = { rows: StatsRow[]; total: { personShifts: number; people: number; minutes: number; hours: number } };

/**
 * Sums the per-person rows as SQLite hands them over, one at a time: a district's quarter has some
 * 50,000 of them, and reading them all into an array first cost the report thread ~35 MB more at
 * its peak (bench/, issue 12).
 */
function summarise(perPerson: Iterable<PerPerson>, byKey: boolean): StatsTotals {
  const groups = new Map<string | number, { key: string | number; label: string | null; personShifts: number; people: number; minutes: number }>();
  const everyone = new PersonIds();
  let personShifts = 0;
  let minutes = 0;
  for (const [key, label, personId, count, served] of perPerson) {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, label: null, personShifts: 0, people: 0, minutes: 0 }));
    if (label !== null && (group.label === null || label < group.label)) group.label = label;
    group.personShifts += count;
    group.people += 1;
    group.minutes += served;
    personShifts += count;
    minutes += served;
    everyone.add(personId);
  }
  const rows = [...groups.values()].sort(byKey ? (a, b) => compareKeys(a.key, b.key) : (a, b) => b.personShifts - a.personShifts || compareKeys(a.key, b.key));
  return {
    rows: rows.map((r) => ({ key: String(r.key), label: r.label ?? '', personShifts: r.personShifts, people: r.people, minutes: r.minutes, hours: hoursOf(r.minutes) })),
    total: { personShifts, people: everyone.size, minutes, hours: hoursOf(minutes) },
  };
}
