// Sign-up decisions: who may take, leave, hand over or swap a place on a shift, and who moves up
// from the waitlist. Pure: the caller loads the facts (and `now`) and writes what is decided.
import { RotaError, type ErrorCode } from './errors.js';
import { DAY_MS, formatDate, instantToWall } from './time.js';
import type { Actor } from './types.js';

const HOUR_MS = 3_600_000;

/** The shift as it is now (after overrides). Instants are UTC ms. */
export interface ShiftFacts {
  id: string;
  start: number;
  end: number;
  /** Local date of the start, in the rota's zone. */
  localDate: string;
  timezone: string;
  max: number;
  cancelled: boolean;
}

export interface RotaSettings {
  waitlist: boolean;
  cancelClosesHoursBefore: number;
  requireApproval: boolean;
  /** Teams the rota is restricted to; empty means everyone. */
  teamIds: readonly number[];
  archived: boolean;
}

export interface PersonFacts {
  id: number;
  name: string;
  archived: boolean;
  teamIds: readonly number[];
}

/** A confirmed place a person holds (the shift's stored UTC start and end). */
export interface Booking {
  signupId: number;
  shiftId: string;
  start: number;
  end: number;
}

/** Dates a person cannot serve, inclusive, `YYYY-MM-DD`. */
export interface DateRange {
  from: string;
  to: string;
}

export type SignupStatus = 'confirmed' | 'waitlisted' | 'cancelled';

/** A sign-up as far as the rules care. */
export interface SignupFacts {
  id: number;
  personId: number;
  status: SignupStatus;
  start: number;
}

export interface Refusal {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The refusal as a RotaError, to throw so that the transaction around it rolls back. */
export function refusalError(refusal: Refusal): RotaError {
  return new RotaError(refusal.code, refusal.message, refusal.details);
}

/** Half-open intervals: a shift that starts exactly when another ends does not collide. */
export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The local dates a shift touches in its zone (a night patrol from 22:00 to 06:00 touches two). */
export function shiftDates(shift: Pick<ShiftFacts, 'start' | 'end' | 'timezone'>): { first: string; last: string } {
  const dateOf = (instant: number) => {
    const wall = instantToWall(instant, shift.timezone);
    return formatDate(wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS));
  };
  return { first: dateOf(shift.start), last: dateOf(Math.max(shift.start, shift.end - 1)) };
}

/** The instant from which volunteers can no longer cancel or offer a place on the shift. */
function lockStart(shiftStart: number, rota: Pick<RotaSettings, 'cancelClosesHoursBefore'>): number {
  return shiftStart - rota.cancelClosesHoursBefore * HOUR_MS;
}

interface EligibilityInput {
  person: PersonFacts;
  shift: ShiftFacts;
  rota: RotaSettings;
  /** The person's confirmed places (any rota), not counting one they are about to give up. */
  bookings: readonly Booking[];
  unavailable: readonly DateRange[];
}

/**
 * Whether a person may hold a confirmed place on the shift at all: not archived, in one of the
 * rota's teams (when it has any), available on the shift's dates, and free at its time
 * (invariant 3). Shared by sign-ups, promotion from the waitlist, claims and trades.
 */
export function checkEligible({ person, shift, rota, bookings, unavailable }: EligibilityInput): Refusal | null {
  if (person.archived) {
    return { code: 'PERSON_ARCHIVED', message: `${person.name} has been archived and cannot take shifts.`, details: { personId: person.id } };
  }
  if (rota.teamIds.length > 0 && !person.teamIds.some((t) => rota.teamIds.includes(t))) {
    return {
      code: 'NOT_IN_TEAM',
      message: `This rota is only for members of certain teams, and ${person.name} is not in any of them. A coordinator can add them to a team.`,
      details: { personId: person.id, teamIds: [...rota.teamIds] },
    };
  }
  const dates = shiftDates(shift);
  const away = unavailable.find((u) => u.from <= dates.last && u.to >= dates.first);
  if (away) {
    return {
      code: 'UNAVAILABLE',
      message: `${person.name} marked ${away.from === away.to ? away.from : `${away.from} to ${away.to}`} as unavailable.`,
      details: { personId: person.id, from: away.from, to: away.to },
    };
  }
  const clash = bookings.find((b) => b.shiftId !== shift.id && overlaps(b, shift));
  if (clash) {
    return {
      code: 'COLLIDES',
      message: `${person.name} already has a shift at that time.`,
      details: { personId: person.id, signupId: clash.signupId, shiftId: clash.shiftId },
    };
  }
  return null;
}

export interface SignUpInput extends EligibilityInput {
  actor: Actor;
  /** The person's live sign-up on this shift, if any. */
  existing: { id: number; status: 'confirmed' | 'waitlisted' } | null;
  /** Confirmed places taken on the shift (walk-ins are attendance, not places). */
  confirmed: number;
  now: number;
}

type SignUpOutcome = { status: 'confirmed' | 'waitlisted' } | { refusal: Refusal };

/**
 * A sign-up, by the person or by a coordinator for them. Volunteers can sign up until the shift
 * starts; coordinators also afterwards (entering paper sheets). Capacity binds everyone:
 * a full shift waitlists when the rota keeps a waitlist, and refuses otherwise.
 */
export function decideSignUp(input: SignUpInput): SignUpOutcome {
  const { actor, person, shift, rota, existing, confirmed, now } = input;
  if (existing) {
    return {
      refusal: {
        code: 'ALREADY_SIGNED_UP',
        message: existing.status === 'confirmed' ? `${person.name} is already on this shift.` : `${person.name} is already on the waitlist for this shift.`,
        details: { signupId: existing.id, status: existing.status },
      },
    };
  }
  if (shift.cancelled || rota.archived) {
    return { refusal: { code: 'SHIFT_CANCELLED', message: rota.archived ? 'This rota has been archived.' : 'This shift has been cancelled.' } };
  }
  if (actor.role !== 'coordinator' && now >= shift.start) {
    return { refusal: { code: 'PAST', message: 'This shift has already started; ask a coordinator to record it.' } };
  }
  const ineligible = checkEligible(input);
  if (ineligible) return { refusal: ineligible };
  if (confirmed < shift.max) return { status: 'confirmed' };
  if (rota.waitlist) return { status: 'waitlisted' };
  return { refusal: { code: 'SHIFT_FULL', message: `This shift is full (${shift.max} of ${shift.max} places taken).`, details: { max: shift.max } } };
}

interface LeaveInput {
  actor: Actor;
  signup: SignupFacts;
  rota: Pick<RotaSettings, 'cancelClosesHoursBefore'>;
  now: number;
}

function ownerOrCoordinator(actor: Actor, signup: SignupFacts, doing: string): Refusal | null {
  if (actor.role === 'coordinator' || actor.id === signup.personId) return null;
  return { code: 'FORBIDDEN', message: `You can only ${doing} your own sign-ups; a coordinator can do it for others.` };
}

function lockedForVolunteer(actor: Actor, signup: SignupFacts, rota: Pick<RotaSettings, 'cancelClosesHoursBefore'>, now: number, doing: string): Refusal | null {
  if (actor.role === 'coordinator') return null;
  if (now >= signup.start) return { code: 'PAST', message: 'This shift has already started.' };
  if (now >= lockStart(signup.start, rota)) {
    return {
      code: 'LOCKED',
      message: `Within ${rota.cancelClosesHoursBefore} hours of the start you can no longer ${doing}; please ask a coordinator.`,
      details: { hours: rota.cancelClosesHoursBefore },
    };
  }
  return null;
}

/**
 * Cancelling: the owner or a coordinator. Volunteers cannot leave a confirmed place inside the
 * rota's lock window (someone would have to be found at short notice); leaving the waitlist
 * frees no one's place, so it stays open until the start.
 */
export function checkCancel({ actor, signup, rota, now }: LeaveInput): Refusal | null {
  const forbidden = ownerOrCoordinator(actor, signup, 'cancel');
  if (forbidden) return forbidden;
  if (signup.status === 'waitlisted') {
    return actor.role !== 'coordinator' && now >= signup.start ? { code: 'PAST', message: 'This shift has already started.' } : null;
  }
  return lockedForVolunteer(actor, signup, rota, now, 'cancel');
}

function notConfirmed(signup: SignupFacts, doing: string): Refusal | null {
  if (signup.status === 'confirmed') return null;
  return {
    code: 'NOT_SIGNED_UP',
    message: signup.status === 'waitlisted' ? `Only a confirmed place can be ${doing}; this sign-up is on the waitlist.` : `This sign-up was cancelled, so it cannot be ${doing}.`,
    details: { signupId: signup.id, status: signup.status },
  };
}

/**
 * Offering a confirmed place for cover: the owner or a coordinator, before the shift starts
 * (an offer lapses then anyway); volunteers not inside the lock window.
 */
export function checkOffer({ actor, signup, rota, now }: LeaveInput): Refusal | null {
  return (
    ownerOrCoordinator(actor, signup, 'offer') ??
    notConfirmed(signup, 'offered') ??
    (now >= signup.start ? { code: 'PAST', message: 'This shift has already started.' } : null) ??
    lockedForVolunteer(actor, signup, rota, now, 'offer your place')
  );
}

export type OfferState = 'open' | 'pending_approval' | 'claimed' | 'withdrawn' | 'lapsed' | 'rejected';

/** An open or pending offer lapses when its shift starts; the owner stays responsible. */
export function effectiveOfferStatus(status: OfferState, shiftStart: number, now: number): OfferState {
  return (status === 'open' || status === 'pending_approval') && now >= shiftStart ? 'lapsed' : status;
}

const CLOSED_BECAUSE: Record<OfferState, string> = {
  open: 'nobody has claimed it yet',
  pending_approval: 'someone else has claimed it',
  claimed: 'someone else has taken it',
  withdrawn: 'it was withdrawn',
  lapsed: 'the shift has started',
  rejected: 'a coordinator turned the claim down',
};

/** Why an offer cannot be acted on in its state; every claim after the first reads this. */
export function offerClosed(status: OfferState): Refusal {
  return { code: 'OFFER_CLOSED', message: `This offer is not open for that: ${CLOSED_BECAUSE[status]}.`, details: { status } };
}

interface ClaimInput extends EligibilityInput {
  offer: { ownerId: number; status: OfferState };
  /** The claimer's live sign-up on the offered shift, if any (a waitlisted one moves up). */
  existing: { id: number; status: 'confirmed' | 'waitlisted' } | null;
  now: number;
}

/** Claiming an offer: the first claim of an open offer wins, before the shift starts. */
export function checkClaim(input: ClaimInput): Refusal | null {
  const { offer, person, shift, existing, now } = input;
  const status = effectiveOfferStatus(offer.status, shift.start, now);
  if (status !== 'open') return offerClosed(status);
  if (offer.ownerId === person.id || existing?.status === 'confirmed') {
    return { code: 'ALREADY_SIGNED_UP', message: `${person.name} is already on this shift.`, details: existing ? { signupId: existing.id, status: existing.status } : {} };
  }
  if (shift.cancelled) return { code: 'SHIFT_CANCELLED', message: 'This shift has been cancelled.' };
  return checkEligible(input);
}

export interface WaitingCandidate {
  signupId: number;
  person: PersonFacts;
  bookings: readonly Booking[];
  unavailable: readonly DateRange[];
}

interface PromotionInput {
  shift: ShiftFacts;
  rota: RotaSettings;
  confirmed: number;
  /** Waitlisted sign-ups in the order they joined. */
  waiting: readonly WaitingCandidate[];
  now: number;
}

/**
 * Who moves up when places free: the first eligible people in line, as many as there are free
 * places. Someone who would collide or is unavailable keeps their place in line. Nobody is moved
 * onto a shift that has started (that would invent a person-shift) or was cancelled.
 */
export function choosePromotions(input: PromotionInput): number[] {
  return eligibleInLine(input).slice(0, Math.max(0, input.shift.max - input.confirmed));
}

/**
 * The waitlisted sign-ups that could take a place now, in line order. An offered place goes
 * straight to the first of them, whether or not the shift is full.
 */
export function eligibleInLine({ shift, rota, waiting, now }: Omit<PromotionInput, 'confirmed'>): number[] {
  if (shift.cancelled || rota.archived || now >= shift.start) return [];
  return waiting.filter((w) => !checkEligible({ person: w.person, shift, rota, bookings: w.bookings, unavailable: w.unavailable })).map((w) => w.signupId);
}

export type TradeState = 'proposed' | 'pending_approval' | 'accepted' | 'declined' | 'withdrawn' | 'rejected' | 'lapsed';

/** A party to a trade: a person and the place they give up. */
export interface TradeParty {
  person: PersonFacts;
  gives: SignupFacts & { shiftId: string };
}

/** One side of a trade in full: also the place they take, and what stands in the way of it. */
export interface TradeSide extends TradeParty {
  takes: ShiftFacts;
  takesRota: RotaSettings;
  givesRota: Pick<RotaSettings, 'cancelClosesHoursBefore'>;
  /** The person's confirmed places, the one they give up excluded. */
  bookings: readonly Booking[];
  unavailable: readonly DateRange[];
  /** The person's live sign-up on the shift they would take, if any. */
  holdsTaken: { id: number; status: 'confirmed' | 'waitlisted' } | null;
}

interface TradePartiesInput<P extends TradeParty = TradeParty> {
  actor: Actor;
  /** Whose move this is: the proposer proposes, the responder accepts. Coordinators act for either. */
  by: 'proposer' | 'responder';
  proposer: P;
  responder: P;
}

/**
 * Who may trade what: the mover (or a coordinator), two different people, two different shifts,
 * and both places still confirmed and held by the same people as when the trade was proposed.
 */
export function checkTradeParties({ actor, by, proposer, responder }: TradePartiesInput): Refusal | null {
  const mover = by === 'proposer' ? proposer : responder;
  if (actor.role !== 'coordinator' && actor.id !== mover.person.id) {
    return {
      code: 'FORBIDDEN',
      message: by === 'proposer' ? 'You can only trade your own sign-ups; a coordinator can do it for others.' : 'Only the person asked (or a coordinator) can answer this trade.',
    };
  }
  if (proposer.person.id === responder.person.id) {
    return { code: 'VALIDATION', message: 'Both sign-ups belong to the same person; a trade is between two people.', details: { field: 'withSignupId' } };
  }
  for (const side of [proposer, responder]) {
    if (side.gives.status === 'confirmed' && side.gives.personId === side.person.id) continue;
    // When proposing, the person holding the sign-up is its owner; later, a change means the trade is void.
    if (by === 'proposer') return notConfirmed(side.gives, 'traded');
    return { code: 'TRADE_CLOSED', message: 'This trade is no longer possible: one of the two places was cancelled or has changed hands.' };
  }
  if (proposer.gives.shiftId === responder.gives.shiftId) {
    return { code: 'VALIDATION', message: 'Both sign-ups are for the same shift; a trade needs two different shifts.', details: { field: 'withSignupId' } };
  }
  return null;
}

function sideRefusal(side: TradeSide): Refusal | null {
  if (side.holdsTaken) {
    return {
      code: 'ALREADY_SIGNED_UP',
      message: `${side.person.name} is already ${side.holdsTaken.status === 'confirmed' ? 'on' : 'on the waitlist for'} the other shift.`,
      details: { signupId: side.holdsTaken.id, status: side.holdsTaken.status },
    };
  }
  if (side.takes.cancelled || side.takesRota.archived) return { code: 'SHIFT_CANCELLED', message: 'One of the two shifts has been cancelled.' };
  return checkEligible({ person: side.person, shift: side.takes, rota: side.takesRota, bookings: side.bookings, unavailable: side.unavailable });
}

/**
 * A trade exchanges two confirmed places between two people. It is checked when proposed and
 * again when accepted or approved, at that moment: the parties as above, neither shift started,
 * neither inside a lock window for a volunteer (a trade lets go of a place as a cancellation
 * does), and each person free and available for the other shift.
 */
export function checkTrade(input: TradePartiesInput<TradeSide> & { now: number }): Refusal | null {
  const { actor, proposer, responder, now } = input;
  const parties = checkTradeParties(input);
  if (parties) return parties;
  for (const side of [proposer, responder]) {
    if (now >= side.gives.start) return { code: 'PAST', message: 'One of the two shifts has already started.' };
    const locked = lockedForVolunteer(actor, side.gives, side.givesRota, now, 'trade this shift');
    if (locked) return locked;
  }
  return sideRefusal(proposer) ?? sideRefusal(responder);
}

/** An open trade lapses when the earlier of its two shifts starts. */
export function effectiveTradeStatus(status: TradeState, firstStart: number, now: number): TradeState {
  return (status === 'proposed' || status === 'pending_approval') && now >= firstStart ? 'lapsed' : status;
}

export type AttendanceMark = 'attended' | 'no_show';

interface AttendanceInput {
  shift: ShiftFacts;
  person: PersonFacts;
  mark: AttendanceMark;
  walkIn: boolean;
  existing: { id: number; status: 'confirmed' | 'waitlisted' } | null;
  /** The person's confirmed places elsewhere (for a walk-in, who becomes confirmed here). */
  bookings: readonly Booking[];
  now: number;
}

type AttendanceOutcome = { action: 'mark' | 'walk-in' } | { refusal: Refusal };

/**
 * Attendance, recorded by a coordinator once the shift has started. A walk-in counts as attended
 * without taking a place; someone neither confirmed nor a walk-in is NOT_SIGNED_UP.
 * A waitlisted person who turned up anyway is recorded as a walk-in.
 */
export function decideAttendance({ shift, person, mark, walkIn, existing, bookings, now }: AttendanceInput): AttendanceOutcome {
  if (walkIn && mark !== 'attended') return { refusal: { code: 'VALIDATION', message: 'A walk-in is someone who came, so their status must be "attended".', details: { field: 'status' } } };
  if (shift.cancelled) return { refusal: { code: 'SHIFT_CANCELLED', message: 'This shift was cancelled; there is no attendance to record.' } };
  if (now < shift.start) return { refusal: { code: 'NOT_STARTED', message: 'Attendance can be recorded once the shift has started.' } };
  if (existing?.status === 'confirmed') return { action: 'mark' };
  if (!walkIn) {
    return {
      refusal: {
        code: 'NOT_SIGNED_UP',
        message: `${person.name} ${existing ? 'was only on the waitlist' : 'was not signed up'} for this shift; record them as a walk-in if they served.`,
        details: { personId: person.id },
      },
    };
  }
  const clash = bookings.find((b) => b.shiftId !== shift.id && overlaps(b, shift));
  if (clash) {
    return {
      refusal: {
        code: 'COLLIDES',
        message: `${person.name} is confirmed on another shift at that time; cancel or mark that one first.`,
        details: { personId: person.id, signupId: clash.signupId, shiftId: clash.shiftId },
      },
    };
  }
  return { action: 'walk-in' };
}
