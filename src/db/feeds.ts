// What feeds show, read as plain records: the people they name, overridden shifts' notes, when
// each shift's sign-ups last changed, a group's sign-ups, and which rotas a feed depends on.
import { shiftId } from '../domain/recurrence.js';
import type { FeedPerson, FeedSignup } from '../domain/types.js';
import type { Db } from './connection.js';
import { jsonValues } from './dialect.js';

type Row = Omit<FeedPerson, 'archived'> & { archivedAt: number | null };

const PERSON = 'SELECT id, name, phone, email, role, archived_at AS archivedAt, updated_at AS updatedAt FROM people';

export function feedStatements(db: Db) {
  const c = db.$client;
  const people = c.prepare<[string], Row>(`${PERSON} WHERE id IN (${jsonValues(c, 'integer')}) ORDER BY id`);
  const firstCoordinator = c.prepare<[], Row>(`${PERSON} WHERE role = 'coordinator' AND archived_at IS NULL ORDER BY id LIMIT 1`);
  const overrides = c.prepare<[number], { seriesId: number; key: string; note: string | null; updatedAt: number }>(
    'SELECT o.series_id AS seriesId, o.key AS key, o.note AS note, o.updated_at AS updatedAt FROM shift_overrides o JOIN series s ON s.id = o.series_id WHERE s.rota_id = ?',
  );
  const signupChanges = c.prepare<[number, string, string], { shiftId: string; at: number }>(
    'SELECT shift_id AS shiftId, max(updated_at) AS at FROM signups WHERE rota_id = ? AND local_date >= ? AND local_date <= ? GROUP BY shift_id',
  );
  const shiftChanges = c.prepare<[string], { shiftId: string; at: number }>(
    `SELECT shift_id AS shiftId, max(updated_at) AS at FROM signups WHERE shift_id IN (${jsonValues(c, 'text')}) GROUP BY shift_id`,
  );
  const signupsOf = c.prepare<[string, string, string], FeedSignup>(
    `SELECT id, shift_id AS shiftId, series_id AS seriesId, rota_id AS rotaId, person_id AS personId, status, start_at AS startAt, end_at AS endAt,
            local_date AS localDate, cancel_reason AS cancelReason
     FROM signups WHERE person_id IN (${jsonValues(c, 'integer')}) AND local_date >= ? AND local_date <= ? ORDER BY id`,
  );
  const rotasOf = c.prepare<[string, number], number>(`SELECT DISTINCT rota_id FROM signups WHERE person_id IN (${jsonValues(c, 'integer')}) AND start_at >= ? ORDER BY rota_id`).pluck();
  const toPerson = (r: Row): FeedPerson => ({ id: r.id, name: r.name, phone: r.phone, email: r.email, role: r.role, archived: r.archivedAt !== null, updatedAt: r.updatedAt });
  return {
    people: (ids: number[]) => people.all(JSON.stringify(ids)).map(toPerson),
    firstCoordinator: () => {
      const r = firstCoordinator.get();
      return r ? toPerson(r) : null;
    },
    overrides: (rotaId: number) => new Map(overrides.all(rotaId).map((r) => [shiftId(r.seriesId, r.key), { note: r.note, updatedAt: r.updatedAt }])),
    signupChanges: (rotaId: number, from: string, to: string) => new Map(signupChanges.all(rotaId, from, to).map((r) => [r.shiftId, r.at] as const)),
    /** The latest sign-up change on each of these shifts. */
    shiftChanges: (shiftIds: readonly string[]) => new Map(shiftChanges.all(JSON.stringify(shiftIds)).map((r) => [r.shiftId, r.at] as const)),
    signupsOf: (personIds: number[], from: string, to: string) => signupsOf.all(JSON.stringify(personIds), from, to),
    /** The rotas in which these people have sign-ups starting at or after an instant. */
    rotasOf: (personIds: number[], since: number) => rotasOf.all(JSON.stringify(personIds), since),
  };
}
