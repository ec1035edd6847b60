// Cancelling a whole day (a typhoon or rainstorm warning): every shift of one rota, or of all
// rotas, on a local date, cancelled in one transaction through the "this shift only" override.
import { transaction } from '../db/store.js';
import type { Db } from '../db/connection.js';
import { RotaError } from '../domain/errors.js';
import { requireDate } from '../domain/time.js';
import type { Actor } from './people.js';
import type { AffectedSignup } from './reconcile.js';
import { editShift } from './schedule.js';
import { getShift, listShifts, type ShiftView } from './shifts.js';

export interface CancelDayInput {
  /** The local date, in each rota's own zone. */
  date: string;
  rotaId?: number;
  note?: string | null;
  /** Without rotaId: the rotas of these units only (those the caller coordinates). */
  unitIds?: ReadonlySet<number>;
}

export interface CancelledDay {
  date: string;
  shifts: ShiftView[];
  /** The sign-ups cancelled with their shifts: the people to tell. */
  affected: AffectedSignup[];
}

/**
 * Cancels every shift still to come on `date` (shifts already over are left as they were, with
 * their attendance). The people on them are cancelled with their shift, as a "this shift only"
 * cancellation with `affectedSignups: "cancel"` does: their sign-ups stay recorded (cancelled), their
 * calendars show the shift as cancelled, and they are listed in the answer.
 */
export function cancelDay(db: Db, actor: Actor, input: CancelDayInput, now: Date): CancelledDay {
  requireDate(input.date, 'date');
  // editShift's own transactions become savepoints inside this one: the day is cancelled whole or not at all.
  const ids = transaction(db,
    () => {
      const { shifts } = listShifts(db, { from: input.date, to: input.date, ...(input.rotaId !== undefined ? { rotaId: input.rotaId } : {}), ...(input.unitIds ? { unitIds: input.unitIds } : {}) }, now);
      const open = shifts.filter((v) => !v.shift.cancelled && v.shift.end > now.getTime());
      if (open.length === 0) {
        const over = shifts.some((v) => !v.shift.cancelled);
        throw new RotaError(over ? 'PAST' : 'NOT_FOUND', over ? `Every shift on ${input.date} is already over.` : `There is no shift to cancel on ${input.date}.`, { field: 'date' });
      }
      const affected: AffectedSignup[] = [];
      for (const v of open) {
        affected.push(...editShift(db, actor, v.shift.id, { cancelled: true, note: input.note ?? null, affectedSignups: 'cancel' }, now).affected);
      }
      return { shiftIds: open.map((v) => v.shift.id), affected };
    },
  );
  return { date: input.date, shifts: ids.shiftIds.map((id) => getShift(db, id)), affected: ids.affected };
}
