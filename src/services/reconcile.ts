// Invariant 4: no change silently drops a sign-up. After a rule edit, a new closed day or an
// import, every live future sign-up of the touched series is checked against its shift as it now is.
import type { Conn } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { dayRulesFor, loadSeries, overridesFor, type SeriesRecord } from '../db/schedule.js';
import { bookingsDuring, liveSignupsOfSeries, moveSignup, updateSignup, type Signup } from '../db/signups.js';
import { storeOf } from '../db/store.js';
import { RotaError } from '../domain/errors.js';
import type { DayRules } from '../domain/day-calendar.js';
import { expandSeries, findShift, parseShiftId, type Shift, type ShiftOverride } from '../domain/recurrence.js';
import { formatInstant } from '../domain/time.js';
import type { Actor } from './people.js';
import { enqueue } from './notices.js';
import { promoteWaitlist } from './signups.js';

/** What to do with sign-ups whose shift a change removes or moves: `cancel` them, or `move` them with it. */
export type AffectedMode = 'cancel' | 'move';

export interface AffectedSignup {
  signupId: number;
  personId: number;
  personName: string;
  shiftId: string;
  start: string;
  change: 'removed' | 'moved';
  /** The shift a moved sign-up goes to: the same id, or the day's new shift after a rule edit. */
  newShiftId: string | null;
  newStart: string | null;
  outcome: 'cancelled' | 'moved' | 'unresolved';
  reason: string | null;
}

/**
 * Checks the live, not yet ended sign-ups of `seriesIds` against the schedule as it stands inside
 * the transaction, and those of `editedShiftIds` even when ended (a coordinator who cancels or
 * moves one past shift means its sign-ups too). Without a mode any affected sign-up aborts the
 * change with SIGNUPS_AFFECTED, listing them; with one, they are cancelled or moved and the list
 * is returned.
 */
export function reconcileSignups(tx: Conn, actor: Actor, seriesIds: number[], now: Date, mode: AffectedMode | undefined, editedShiftIds: string[] = []): AffectedSignup[] {
  if (seriesIds.length === 0) return [];
  const live = liveSignupsOfSeries(tx, seriesIds, now.getTime(), editedShiftIds);
  if (live.length === 0) return [];
  const list = loadSeries(tx, { seriesIds });
  const bySeries = new Map(list.map((s) => [s.id, s]));
  const days = dayRulesFor(tx, list);
  const overrides = overridesFor(tx, seriesIds);
  const affected: AffectedSignup[] = [];
  for (const s of live) {
    const series = bySeries.get(s.seriesId)!;
    const ref = parseShiftId(s.shiftId)!;
    const seriesDays = days.get(series.id)!;
    const seriesOverrides = overrides.get(series.id) ?? [];
    const current = findShift(series, ref.key, seriesDays, seriesOverrides.find((o) => o.key === ref.key));
    const removed = !current || current.cancelled;
    if (!removed && current.start === s.startAt && current.end === s.endAt) continue;
    // A rule edit that changes the time gives the day a new shift (a new id): that is where the
    // person moves, as a coordinator who moved the gate duty from 07:15 to 07:30 expects.
    const target = removed ? sameDayShift(series, s.localDate, seriesDays, seriesOverrides) : current;
    affected.push({
      signupId: s.id,
      personId: s.personId,
      personName: s.personName,
      shiftId: s.shiftId,
      start: formatInstant(s.startAt, series.timezone),
      change: target ? 'moved' : 'removed',
      newShiftId: target ? target.id : null,
      newStart: target ? formatInstant(target.start, series.timezone) : null,
      outcome: 'unresolved',
      reason: null,
    });
    if (!mode) continue;
    const item = affected[affected.length - 1]!;
    const refusal = target && mode === 'move' ? moveRefusal(tx, s, target) : null;
    if (!target || mode === 'cancel' || refusal) {
      cancel(tx, s.id, now);
      item.outcome = 'cancelled';
      item.reason = refusal;
    } else {
      moveSignup(tx, s.id, { shiftId: target.id, startAt: target.start, endAt: target.end, localDate: target.localDate }, now.getTime());
      item.outcome = 'moved';
    }
    writeAudit(tx, now, { actorId: actor.id, action: `signup.${item.outcome === 'moved' ? 'move' : 'cancel'}`, entity: 'signup', entityId: s.id, detail: { ...item } });
    const about = { signupId: s.id, personId: s.personId, rotaId: s.rotaId, seriesId: s.seriesId, start: s.startAt };
    enqueue(tx, item.outcome === 'moved' ? { kind: 'signup-moved', ...about, newStart: target!.start } : { kind: 'signup-cancelled', ...about }, now);
  }
  if (affected.length > 0 && !mode) {
    throw new RotaError(
      'SIGNUPS_AFFECTED',
      `This change would remove or move ${affected.length} shift sign-up(s). Repeat it with affectedSignups "cancel" or "move" to say what happens to them.`,
      { signups: affected },
    );
  }
  // Places freed by cancelled sign-ups or a raised maximum go to the first eligible people waiting
  // (the waitlists of removed shifts were cancelled above, so they promote nobody).
  const waiting = live.filter((s) => s.status === 'waitlisted').map((s) => affected.find((a) => a.signupId === s.id && a.outcome === 'moved')?.newShiftId ?? s.shiftId);
  for (const shiftId of new Set(waiting)) promoteWaitlist(tx, actor, shiftId, now);
  return affected;
}

function cancel(tx: Conn, id: number, now: Date): void {
  updateSignup(tx, id, { status: 'cancelled', cancelledAt: now.getTime(), cancelReason: 'shift_changed' }, now.getTime());
}

/** The series' first live shift on a local date, if the schedule still has one that day. */
function sameDayShift(series: SeriesRecord, date: string, days: DayRules, overrides: ShiftOverride[]): Shift | null {
  return expandSeries(series, { from: date, to: date }, days, overrides).find((shift) => !shift.cancelled) ?? null;
}

/** Why a sign-up cannot follow its shift to `target`, or null when it can. */
function moveRefusal(tx: Conn, s: Signup, target: Shift): string | null {
  if (target.id !== s.shiftId) {
    const there = storeOf(tx).shiftFill(target.id);
    if (there.some((t) => t.id === s.personId)) return 'ALREADY_SIGNED_UP';
    if (s.status === 'confirmed' && there.filter((t) => t.status === 'confirmed').length >= target.max) return 'SHIFT_FULL';
  }
  return s.status === 'confirmed' && bookingsDuring(tx, s.personId, { start: target.start, end: target.end }, [s.id]).length > 0 ? 'COLLIDES' : null;
}
