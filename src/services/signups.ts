// Sign-ups: take a place (or join the waitlist), leave it, move the waitlist up, record attendance.
// Each use case loads, decides with src/domain/signup-rules.ts and writes in one IMMEDIATE
// transaction, so two requests (or two processes) can never both take the last place.
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import {
  bookingsDuring,
  countConfirmed,
  getSignup,
  insertSignup,
  liveOfferOf,
  listTrades,
  liveSignup,
  signupsOfPerson,
  unavailableBetween,
  updateOffer,
  updateSignup,
  updateTrade,
  waitlistOf,
} from '../db/signups.js';
import { RotaError } from '../domain/errors.js';
import { checkWindow, type Shift } from '../domain/recurrence.js';
import {
  checkCancel,
  choosePromotions,
  decideAttendance,
  decideSignUp,
  refusalError,
  shiftDates,
  type AttendanceMark,
  type Booking,
  type DateRange,
  type RotaSettings,
  type SignupFacts,
  type WaitingCandidate,
} from '../domain/signup-rules.js';
import { storeOf, transaction, type RotaSchedule } from '../db/store.js';
import { enqueue } from './notices.js';
import { requirePerson } from './people.js';
import { requireRota } from './rotas.js';
import { getShift, getShiftOnly } from './shifts.js';
import type { Actor, Signup } from '../domain/types.js';

/** A shift as it is now, with its rota's settings. */
export interface Place {
  shift: Shift;
  settings: RotaSettings;
}

export function loadPlace(db: Conn, shiftId: string): Place {
  const { shift, rota } = getShift(db, shiftId);
  return { shift, settings: settingsOf(storeOf(db).schedule(rota.id)!) };
}

export function rotaSettings(db: Conn, rotaId: number): RotaSettings {
  const schedule = storeOf(db).schedule(rotaId);
  if (!schedule) throw new RotaError('NOT_FOUND', `No rota has id ${rotaId}.`);
  return settingsOf(schedule);
}

function settingsOf({ rota, teamIds }: RotaSchedule): RotaSettings {
  const { waitlist, cancelClosesHoursBefore, requireApproval, archived } = rota;
  return { waitlist, cancelClosesHoursBefore, requireApproval, archived, teamIds };
}

/** What stands in the way of a person taking a shift: their confirmed places then, and dates away. */
export function circumstances(db: Conn, personId: number, shift: Shift, exceptSignupIds: number[] = []): { bookings: Booking[]; unavailable: DateRange[] } {
  const dates = shiftDates(shift);
  return { bookings: bookingsDuring(db, personId, shift, exceptSignupIds), unavailable: unavailableBetween(db, personId, dates.first, dates.last) };
}

export function signupFacts(s: Signup): SignupFacts {
  return { id: s.id, personId: s.personId, status: s.status, start: s.startAt };
}

export function requireSignup(db: Conn, id: number): Signup {
  const signup = getSignup(db, id);
  if (!signup) throw new RotaError('NOT_FOUND', `No sign-up has id ${id}.`);
  return signup;
}

export function liveRef(s: Signup | null): { id: number; status: 'confirmed' | 'waitlisted' } | null {
  return s && s.status !== 'cancelled' ? { id: s.id, status: s.status } : null;
}

/** A new confirmed or waitlisted sign-up carrying the shift's UTC start, end and local date. */
export function addSignup(tx: Conn, actor: Actor, shift: Shift, personId: number, status: 'confirmed' | 'waitlisted', now: Date): number {
  const id = insertSignup(
    tx,
    { shiftId: shift.id, seriesId: shift.seriesId, rotaId: shift.rotaId, personId, status, startAt: shift.start, endAt: shift.end, localDate: shift.localDate, createdBy: actor.id },
    now.getTime(),
  );
  writeAudit(tx, now, { actorId: actor.id, action: 'signup.create', entity: 'signup', entityId: id, detail: { shiftId: shift.id, personId, status } });
  return id;
}

/**
 * Signs a person up: a confirmed place, a place on the waitlist, or a refusal with its reason.
 * The hot path: statements prepared once, the shift computed from the rota's cached schedule,
 * capacity and the person's own sign-up read together, and the answer built from what was read.
 */
export function signUp(db: Db, actor: Actor, shiftId: string, personId: number, now: Date): Signup {
  const store = storeOf(db);
  const at = now.getTime();
  return transaction(db, () => {
    const { shift, rota } = getShiftOnly(db, shiftId);
    const schedule = store.schedule(rota.id)!;
    const person = store.person(personId);
    if (!person) throw new RotaError('NOT_FOUND', `No person has id ${personId}.`);
    const dates = shiftDates(shift);
    const outcome = decideSignUp({
      actor,
      person,
      shift,
      rota: settingsOf(schedule),
      ...store.placeFacts(shift.id, person.id),
      bookings: store.bookingsDuring(person.id, shift),
      unavailable: store.unavailableBetween(person.id, dates.first, dates.last),
      now: at,
    });
    if ('refusal' in outcome) throw refusalError(outcome.refusal);
    const row = { shiftId: shift.id, seriesId: shift.seriesId, rotaId: shift.rotaId, personId: person.id, status: outcome.status, startAt: shift.start, endAt: shift.end, localDate: shift.localDate, createdBy: actor.id, now: at };
    const id = store.insertSignup(row);
    store.audit(at, actor.id, 'signup.create', 'signup', id, { shiftId: shift.id, personId: person.id, status: outcome.status }, rota.unitId);
    store.keepScheduleAfterSignups(schedule);
    return {
      id,
      shiftId: shift.id,
      seriesId: shift.seriesId,
      rotaId: shift.rotaId,
      rotaName: rota.name,
      timezone: rota.timezone,
      personId: person.id,
      personName: person.name,
      status: outcome.status,
      attendance: null,
      walkIn: false,
      startAt: shift.start,
      endAt: shift.end,
      localDate: shift.localDate,
      createdAt: at,
      cancelledAt: null,
    };
  });
}

/**
 * Cancels a sign-up. A freed confirmed place goes to the first eligible person on the waitlist.
 * Cancelling an already cancelled sign-up answers it unchanged, so a double tap is harmless.
 */
export function cancelSignup(db: Db, actor: Actor, signupId: number, now: Date): Signup {
  transaction(db,
    (tx) => {
      const signup = requireSignup(tx, signupId);
      const refusal = checkCancel({ actor, signup: signupFacts(signup), rota: requireRota(tx, signup.rotaId), now: now.getTime() });
      if (signup.status === 'cancelled') {
        if (refusal?.code === 'FORBIDDEN') throw refusalError(refusal);
        return;
      }
      if (refusal) throw refusalError(refusal);
      updateSignup(tx, signup.id, { status: 'cancelled', cancelledAt: now.getTime(), cancelReason: actor.id === signup.personId ? 'left' : 'removed' }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'signup.cancel', entity: 'signup', entityId: signup.id, detail: { shiftId: signup.shiftId, personId: signup.personId, was: signup.status } });
      // Someone else (a coordinator) took the person off: they hear of it.
      if (actor.id !== signup.personId) enqueue(tx, { kind: 'signup-cancelled', signupId: signup.id, personId: signup.personId, rotaId: signup.rotaId, seriesId: signup.seriesId, start: signup.startAt }, now);
      closeDependents(tx, actor, signup.id, now);
      if (signup.status === 'confirmed' && !signup.walkIn) promoteWaitlist(tx, actor, signup.shiftId, now);
    },
  );
  return getSignup(db, signupId)!;
}

/** A place that is given up or changes hands ends its open offer and the open trades that name it. */
export function closeDependents(tx: Conn, actor: Actor, signupId: number, now: Date): void {
  const offer = liveOfferOf(tx, signupId);
  if (offer) {
    updateOffer(tx, offer.id, { status: 'withdrawn', closedAt: now.getTime() });
    writeAudit(tx, now, { actorId: actor.id, action: 'offer.withdraw', entity: 'offer', entityId: offer.id, detail: { signupId, reason: 'the place was given up' } });
  }
  for (const trade of listTrades(tx, { statuses: ['proposed', 'pending_approval'], signupId })) {
    updateTrade(tx, trade.id, { status: 'withdrawn', decidedAt: now.getTime(), decidedBy: actor.id });
    writeAudit(tx, now, { actorId: actor.id, action: 'trade.withdraw', entity: 'trade', entityId: trade.id, detail: { signupId, reason: 'a place in it was given up' } });
  }
}

/** The waitlist of a shift as candidates for the domain's promotion rules, in line order. */
export function waitingCandidates(tx: Conn, shift: Shift): WaitingCandidate[] {
  return waitlistOf(tx, shift.id).map((w) => ({ signupId: w.id, person: requirePerson(tx, w.personId), ...circumstances(tx, w.personId, shift) }));
}

/**
 * Moves the first eligible waitlisted people up into free places. Called inside the transaction
 * that freed them; returns the sign-ups promoted.
 */
export function promoteWaitlist(tx: Conn, actor: { id: number }, shiftId: string, now: Date): number[] {
  const first = waitlistOf(tx, shiftId)[0];
  // A shift that has started takes no one from its waitlist (that would invent a person-shift).
  if (!first || first.startAt <= now.getTime()) return [];
  const { shift, settings } = loadPlace(tx, shiftId);
  const chosen = choosePromotions({ shift, rota: settings, confirmed: countConfirmed(tx, shiftId), waiting: waitingCandidates(tx, shift), now: now.getTime() });
  for (const id of chosen) {
    updateSignup(tx, id, { status: 'confirmed' }, now.getTime());
    writeAudit(tx, now, { actorId: actor.id, action: 'signup.promote', entity: 'signup', entityId: id, detail: { shiftId } });
    enqueue(tx, { kind: 'waitlist-promoted', signupId: id, personId: getSignup(tx, id)!.personId, rotaId: shift.rotaId, seriesId: shift.seriesId, start: shift.start }, now);
  }
  return chosen;
}

interface AttendanceInput {
  personId: number;
  status: AttendanceMark;
  walkIn?: boolean;
}

/** Records attended or no-show (coordinators only, checked by the route); walk-ins count as attended. */
export function recordAttendance(db: Db, actor: Actor, shiftId: string, input: AttendanceInput, now: Date): Signup {
  const id = transaction(db,
    (tx) => {
      const { shift } = loadPlace(tx, shiftId);
      const person = requirePerson(tx, input.personId);
      const existing = liveSignup(tx, shift.id, person.id);
      const outcome = decideAttendance({
        shift,
        person,
        mark: input.status,
        walkIn: input.walkIn ?? false,
        existing: liveRef(existing),
        bookings: bookingsDuring(tx, person.id, shift, existing ? [existing.id] : []),
        now: now.getTime(),
      });
      if ('refusal' in outcome) throw refusalError(outcome.refusal);
      let signupId: number;
      if (outcome.action === 'mark') {
        signupId = existing!.id;
        updateSignup(tx, signupId, { attendance: input.status }, now.getTime());
      } else if (existing) {
        signupId = existing.id;
        updateSignup(tx, signupId, { status: 'confirmed', walkIn: true, attendance: 'attended' }, now.getTime());
      } else {
        signupId = insertSignup(
          tx,
          {
            shiftId: shift.id,
            seriesId: shift.seriesId,
            rotaId: shift.rotaId,
            personId: person.id,
            status: 'confirmed',
            walkIn: true,
            attendance: 'attended',
            startAt: shift.start,
            endAt: shift.end,
            localDate: shift.localDate,
            createdBy: actor.id,
          },
          now.getTime(),
        );
      }
      writeAudit(tx, now, { actorId: actor.id, action: 'signup.attendance', entity: 'signup', entityId: signupId, detail: { shiftId: shift.id, personId: person.id, status: input.status, walkIn: outcome.action === 'walk-in' } });
      return signupId;
    },
  );
  return getSignup(db, id)!;
}

interface SignupQuery {
  from?: string;
  to?: string;
  includeCancelled?: boolean;
}

/**
 * A person's sign-ups on shifts whose local date lies in [from, to] (at most 366 days), or
 * without dates those that have not ended yet.
 */
export function listPersonSignups(db: Db, personId: number, query: SignupQuery, now: Date): Signup[] {
  requirePerson(db, personId);
  const includeCancelled = query.includeCancelled ?? false;
  if (query.from === undefined && query.to === undefined) return signupsOfPerson(db, personId, { endsAfter: now.getTime(), includeCancelled });
  if (query.from === undefined || query.to === undefined) {
    throw new RotaError('VALIDATION', 'Give both from and to, or neither (for the sign-ups that have not ended yet).', { field: query.from === undefined ? 'from' : 'to' });
  }
  checkWindow({ from: query.from, to: query.to });
  return signupsOfPerson(db, personId, { from: query.from, to: query.to, includeCancelled });
}
