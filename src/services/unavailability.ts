// Unavailability: dates a person cannot serve. They are not signed up, promoted or handed an
// offer on those dates; places they already hold stay theirs (and are listed) until they cancel.
import { transaction } from '../db/store.js';
import type { Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import {
  deleteUnavailability,
  getUnavailability,
  insertUnavailability,
  listUnavailability,
  signupsOfPerson,
  type Unavailability,
} from '../db/signups.js';
import { RotaError } from '../domain/errors.js';
import { checkWindow } from '../domain/recurrence.js';
import { optionalText } from '../domain/validate.js';
import { requirePerson } from './people.js';
import type { Actor, Signup } from '../domain/types.js';

interface UnavailabilityInput {
  from: string;
  to: string;
  note?: string | null;
}

/** Records the dates and answers them with the live sign-ups the person already holds on them. */
export function addUnavailability(db: Db, actor: Actor, personId: number, input: UnavailabilityInput, now: Date): { unavailability: Unavailability; signups: Signup[] } {
  checkWindow({ from: input.from, to: input.to });
  const note = optionalText(input.note, 'note');
  const id = transaction(db,
    (tx) => {
      requirePerson(tx, personId);
      const id = insertUnavailability(tx, { personId, from: input.from, to: input.to, note }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'unavailability.create', entity: 'unavailability', entityId: id, detail: { personId, from: input.from, to: input.to } });
      return id;
    },
  );
  return { unavailability: getUnavailability(db, id)!, signups: signupsOfPerson(db, personId, { from: input.from, to: input.to, includeCancelled: false }) };
}

export function personUnavailability(db: Db, personId: number): Unavailability[] {
  requirePerson(db, personId);
  return listUnavailability(db, personId);
}

export function removeUnavailability(db: Db, actor: Actor, personId: number, id: number, now: Date): Unavailability {
  return transaction(db,
    (tx) => {
      const found = getUnavailability(tx, id);
      if (!found || found.personId !== personId) throw new RotaError('NOT_FOUND', `Person ${personId} has no unavailability with id ${id}.`);
      deleteUnavailability(tx, id);
      writeAudit(tx, now, { actorId: actor.id, action: 'unavailability.delete', entity: 'unavailability', entityId: id, detail: { personId, from: found.from, to: found.to } });
      return found;
    },
  );
}
