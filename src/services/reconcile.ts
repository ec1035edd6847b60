// Invariant 4: no change silently drops a sign-up. After a rule edit, a new closed day or an
// import, every live future sign-up of the touched series is checked against its shift as it now is.
import { and, eq, gt, inArray, lt, ne } from 'drizzle-orm';
import type { Conn } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { dayRulesFor, loadSeries, overridesFor } from '../db/schedule.js';
import { people, signups } from '../db/schema.js';
import { RotaError } from '../domain/errors.js';
import { findShift, parseShiftId } from '../domain/recurrence.js';
import { formatInstant } from '../domain/time.js';
import type { Actor } from './people.js';

/** What to do with sign-ups whose shift a change removes or moves: `cancel` them, or `move` them with it. */
export type AffectedMode = 'cancel' | 'move';

export interface AffectedSignup {
  signupId: number;
  personId: number;
  personName: string;
  shiftId: string;
  start: string;
  change: 'removed' | 'moved';
  newStart: string | null;
  outcome: 'cancelled' | 'moved' | 'unresolved';
  reason: string | null;
}

/**
 * Checks the live, not yet ended sign-ups of `seriesIds` against the schedule as it stands inside
 * the transaction. Without a mode any affected sign-up aborts the change with SIGNUPS_AFFECTED,
 * listing them; with one, they are cancelled or moved and the list is returned.
 */
export function reconcileSignups(tx: Conn, actor: Actor, seriesIds: number[], now: Date, mode: AffectedMode | undefined): AffectedSignup[] {
  if (seriesIds.length === 0) return [];
  const live = tx
    .select({ s: signups, name: people.name })
    .from(signups)
    .innerJoin(people, eq(people.id, signups.personId))
    .where(and(inArray(signups.seriesId, seriesIds), ne(signups.status, 'cancelled'), gt(signups.endAt, now.getTime())))
    .all();
  if (live.length === 0) return [];
  const list = loadSeries(tx, { seriesIds });
  const bySeries = new Map(list.map((s) => [s.id, s]));
  const days = dayRulesFor(tx, list);
  const overrides = overridesFor(tx, seriesIds);
  const affected: AffectedSignup[] = [];
  for (const { s, name } of live) {
    const series = bySeries.get(s.seriesId)!;
    const ref = parseShiftId(s.shiftId)!;
    const shift = findShift(series, ref.key, days.get(series.id)!, overrides.get(series.id)?.find((o) => o.key === ref.key));
    const removed = !shift || shift.cancelled;
    if (!removed && shift.start === s.startAt && shift.end === s.endAt) continue;
    affected.push({
      signupId: s.id,
      personId: s.personId,
      personName: name,
      shiftId: s.shiftId,
      start: formatInstant(s.startAt, series.timezone),
      change: removed ? 'removed' : 'moved',
      newStart: removed ? null : formatInstant(shift.start, series.timezone),
      outcome: 'unresolved',
      reason: null,
    });
    if (!mode) continue;
    const item = affected[affected.length - 1]!;
    if (removed || mode === 'cancel') {
      cancel(tx, s.id, now);
      item.outcome = 'cancelled';
    } else if (s.status === 'confirmed' && collides(tx, s.personId, s.id, shift.start, shift.end)) {
      cancel(tx, s.id, now);
      item.outcome = 'cancelled';
      item.reason = 'COLLIDES';
    } else {
      tx.update(signups).set({ startAt: shift.start, endAt: shift.end, localDate: shift.localDate, updatedAt: now.getTime() }).where(eq(signups.id, s.id)).run();
      item.outcome = 'moved';
    }
    writeAudit(tx, now, { actorId: actor.id, action: `signup.${item.outcome === 'moved' ? 'move' : 'cancel'}`, entity: 'signup', entityId: s.id, detail: { ...item } });
  }
  if (affected.length > 0 && !mode) {
    throw new RotaError(
      'SIGNUPS_AFFECTED',
      `This change would remove or move ${affected.length} shift sign-up(s). Repeat it with affectedSignups "cancel" or "move" to say what happens to them.`,
      { signups: affected },
    );
  }
  return affected;
}

function cancel(tx: Conn, id: number, now: Date): void {
  tx.update(signups).set({ status: 'cancelled', cancelledAt: now.getTime(), updatedAt: now.getTime() }).where(eq(signups.id, id)).run();
}

function collides(tx: Conn, personId: number, exceptId: number, start: number, end: number): boolean {
  const other = tx
    .select({ id: signups.id })
    .from(signups)
    .where(and(eq(signups.personId, personId), eq(signups.status, 'confirmed'), ne(signups.id, exceptId), lt(signups.startAt, end), gt(signups.endAt, start)))
    .get();
  return other !== undefined;
}
