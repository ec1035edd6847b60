// The desk overview's SQL (issue 13): person-shifts by the rota's own unit, and which unit of a level
// each unit sits in, each one query over the unit closure.
import type { Db } from './connection.js';
import type { UnitKind } from './units.js';

/** Counted as statistics count them (src/db/stats.ts): attended, or confirmed and past where the rota counts unmarked sign-ups. */
const COUNTED =
  "s.status <> 'cancelled' AND (s.attendance = 'attended' OR (s.status = 'confirmed' AND s.attendance IS NULL AND s.end_at <= ? AND r.count_unmarked = 1))";

/** Person-shifts by the rota's own unit, month and person, over the rotas below `unitId`. */
export function countsByRotaUnit(db: Db, unitId: number, from: string, to: string, now: Date): [number, string, number, number][] {
  return db.$client
    .prepare(
      `SELECT r.unit_id, substr(s.local_date, 1, 7), s.person_id, count(*)
       FROM signups s JOIN rotas r ON r.id = s.rota_id JOIN unit_closure c ON c.descendant_id = r.unit_id AND c.ancestor_id = ?
       WHERE s.local_date BETWEEN ? AND ? AND ${COUNTED}
       GROUP BY 1, 2, 3`,
    )
    .raw()
    .all(unitId, from, to, now.getTime()) as [number, string, number, number][];
}

/** Each unit below `unitId` that sits in (or is) a unit of `level`, mapped to that unit: one query over the closure. */
export function levelRows(db: Db, unitId: number, level: UnitKind): Map<number, number> {
  const pairs = db.$client
    .prepare(
      `SELECT c.descendant_id, c.ancestor_id FROM unit_closure c
       JOIN units u ON u.id = c.ancestor_id AND u.kind = ? AND u.id <> ?
       JOIN unit_closure top ON top.descendant_id = u.id AND top.ancestor_id = ?`,
    )
    .raw()
    .all(level, unitId, unitId) as [number, number][];
  return new Map(pairs);
}
