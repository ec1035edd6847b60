// Cover offers: a volunteer offers their place; the first eligible person waiting for the shift
// takes it at once, or else the first claim wins. The owner's sign-up ends and the claimer's
// begins in one transaction (invariant 2), so the shift never loses a volunteer in between.
import { listRotas } from '../db/schedule.js';
import { transaction } from '../db/store.js';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { getPerson, type Person } from '../db/people.js';
import { getOffer, getSignup, insertOffer, liveOfferOf, liveSignup, offersByStatus, signupsOfPerson, updateOffer, updateSignup, type Offer, type Signup } from '../db/signups.js';
import { RotaError } from '../domain/errors.js';
import { checkClaim, checkOffer, effectiveOfferStatus, eligibleInLine, offerClosed, refusalError, type ActorFacts, type OfferState, type Refusal } from '../domain/signup-rules.js';
import { enqueue } from './notices.js';
import { requirePerson } from './people.js';
import { requireRota } from './schedule.js';
import {
  addSignup,
  circumstances,
  closeDependents,
  liveRef,
  loadPlace,
  requireSignup,
  signupFacts,
  waitingCandidates,
  type Place,
} from './signups.js';

const OFFER_ALERT_MS = 48 * 3_600_000;

/** An offer with the place it offers, and its status as of now (open offers lapse at the start). */
export interface OfferView {
  offer: Offer;
  signup: Signup;
  /** The name of the person who offered the place (after a trade the sign-up may be someone else's). */
  ownerName: string;
  status: OfferState;
}

function view(db: Conn, offer: Offer, now: Date): OfferView {
  const signup = getSignup(db, offer.signupId)!;
  // An offer whose place was cancelled elsewhere (say by a series edit) offers nothing any more.
  const stored = signup.status !== 'confirmed' && (offer.status === 'open' || offer.status === 'pending_approval') ? 'withdrawn' : offer.status;
  const ownerName = signup.personId === offer.personId ? signup.personName : (getPerson(db, offer.personId)?.name ?? signup.personName);
  return { offer, signup, ownerName, status: effectiveOfferStatus(stored, signup.startAt, now.getTime()) };
}

function requireOffer(db: Conn, id: number): Offer {
  const offer = getOffer(db, id);
  if (!offer) throw new RotaError('NOT_FOUND', `No offer has id ${id}.`);
  return offer;
}

/** Why `claimer` could not take the offered place now (the offer taken to be in `status`), or null. */
function claimRefusal(db: Conn, v: OfferView, status: OfferState, claimer: Person, place: Place, now: Date): Refusal | null {
  return checkClaim({
    offer: { ownerId: v.offer.personId, status },
    person: claimer,
    shift: place.shift,
    rota: place.settings,
    existing: liveRef(liveSignup(db, place.shift.id, claimer.id)),
    ...circumstances(db, claimer.id, place.shift),
    now: now.getTime(),
  });
}

export function getOfferView(db: Db, id: number, now: Date): OfferView {
  return view(db, requireOffer(db, id), now);
}

/**
 * Moves an offered place to the claimer: the owner's sign-up is cancelled and the claimer's
 * (a waitlisted one moved up, or a new one) confirmed, in the caller's transaction.
 */
function transfer(tx: Conn, actor: ActorFacts, offer: Offer, owned: Signup, place: Place, claimerId: number, now: Date): number {
  updateSignup(tx, owned.id, { status: 'cancelled', cancelledAt: now.getTime(), cancelReason: 'given_away' }, now.getTime());
  writeAudit(tx, now, { actorId: actor.id, action: 'signup.cancel', entity: 'signup', entityId: owned.id, detail: { shiftId: owned.shiftId, personId: owned.personId, offerId: offer.id, to: claimerId } });
  const waiting = liveSignup(tx, place.shift.id, claimerId);
  let claimSignupId: number;
  if (waiting) {
    claimSignupId = waiting.id;
    updateSignup(tx, waiting.id, { status: 'confirmed' }, now.getTime());
    writeAudit(tx, now, { actorId: actor.id, action: 'signup.promote', entity: 'signup', entityId: waiting.id, detail: { shiftId: owned.shiftId, offerId: offer.id } });
  } else {
    claimSignupId = addSignup(tx, actor, place.shift, claimerId, 'confirmed', now);
  }
  updateOffer(tx, offer.id, { status: 'claimed', claimedBy: claimerId, claimSignupId, closedAt: now.getTime() });
  writeAudit(tx, now, { actorId: actor.id, action: 'offer.claim', entity: 'offer', entityId: offer.id, detail: { signupId: owned.id, claimedBy: claimerId, claimSignupId } });
  const about = { offerId: offer.id, rotaId: owned.rotaId, seriesId: owned.seriesId, start: owned.startAt };
  enqueue(tx, { kind: 'cover-claimed', ...about, personId: owned.personId, otherId: claimerId }, now);
  // A claimer who did not claim it themselves (someone waiting, or placed by a coordinator) hears of it too.
  if (actor.id !== claimerId) enqueue(tx, { kind: 'cover-given', ...about, personId: claimerId, otherId: owned.personId }, now);
  closeDependents(tx, actor, owned.id, now);
  return claimSignupId;
}

/**
 * Offers a confirmed place for cover. When someone eligible is waiting for the shift, the place
 * goes straight to the first of them (as a cancellation would give it; no approval needed);
 * otherwise the offer stays open until claimed, withdrawn, or the shift starts.
 */
export function offerSignup(db: Db, actor: ActorFacts, signupId: number, now: Date): OfferView {
  const id = transaction(db,
    (tx) => {
      const owned = requireSignup(tx, signupId);
      const refusal = checkOffer({ actor, signup: signupFacts(owned), rota: requireRota(tx, owned.rotaId), now: now.getTime() });
      if (refusal) throw refusalError(refusal);
      const existing = liveOfferOf(tx, owned.id);
      if (existing) {
        throw new RotaError('ALREADY_OFFERED', 'This place is already offered for cover.', { offerId: existing.id, status: existing.status });
      }
      const place = loadPlace(tx, owned.shiftId);
      const offerId = insertOffer(tx, { signupId: owned.id, personId: owned.personId, status: 'open' }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'offer.create', entity: 'offer', entityId: offerId, detail: { signupId: owned.id, shiftId: owned.shiftId } });
      const next = eligibleInLine({ shift: place.shift, rota: place.settings, waiting: waitingCandidates(tx, place.shift), now: now.getTime() })[0];
      if (next !== undefined) transfer(tx, actor, getOffer(tx, offerId)!, owned, place, getSignup(tx, next)!.personId, now);
      // A place left open close to its shift is called out in the rota's group.
      else if (owned.startAt - now.getTime() <= OFFER_ALERT_MS) {
        enqueue(tx, { kind: 'offer-open', offerId, personId: null, otherId: owned.personId, rotaId: owned.rotaId, seriesId: owned.seriesId, start: owned.startAt }, now);
      }
      return offerId;
    },
  );
  return getOfferView(db, id, now);
}

type ClaimResult = { signup: Signup } | { pending: OfferView };

/**
 * Claims an open offer for oneself (or, by a coordinator, for someone). The first claim wins;
 * later ones get OFFER_CLOSED. On a rota that requires approval a volunteer's claim waits for a
 * coordinator, and the owner keeps the place until then.
 */
export function claimOffer(db: Db, actor: ActorFacts, offerId: number, claimerId: number, now: Date): ClaimResult {
  const result = transaction(db,
    (tx): { signupId: number } | { pendingOfferId: number } => {
      const current = view(tx, requireOffer(tx, offerId), now);
      if (current.status !== 'open') throw refusalError(offerClosed(current.status));
      const place = loadPlace(tx, current.signup.shiftId);
      const claimer = requirePerson(tx, claimerId);
      const refusal = claimRefusal(tx, current, current.status, claimer, place, now);
      if (refusal) throw refusalError(refusal);
      if (place.settings.requireApproval && actor.role !== 'coordinator') {
        updateOffer(tx, offerId, { status: 'pending_approval', claimedBy: claimer.id });
        writeAudit(tx, now, { actorId: actor.id, action: 'offer.claim.pending', entity: 'offer', entityId: offerId, detail: { claimedBy: claimer.id } });
        return { pendingOfferId: offerId };
      }
      return { signupId: transfer(tx, actor, current.offer, current.signup, place, claimer.id, now) };
    },
  );
  return 'signupId' in result ? { signup: getSignup(db, result.signupId)! } : { pending: getOfferView(db, result.pendingOfferId, now) };
}

/** A coordinator approves a claim waiting for approval; the claimer is checked again now. */
export function approveOffer(db: Db, actor: ActorFacts, offerId: number, now: Date): Signup {
  const signupId = transaction(db,
    (tx) => {
      const current = view(tx, requireOffer(tx, offerId), now);
      if (current.status !== 'pending_approval') throw refusalError(offerClosed(current.status));
      const place = loadPlace(tx, current.signup.shiftId);
      const claimer = requirePerson(tx, current.offer.claimedBy!);
      // The claim is judged as it would be if made now, on the offer as it was when claimed.
      const refusal = claimRefusal(tx, current, 'open', claimer, place, now);
      if (refusal) throw refusalError(refusal);
      writeAudit(tx, now, { actorId: actor.id, action: 'offer.approve', entity: 'offer', entityId: offerId, detail: { claimedBy: claimer.id } });
      return transfer(tx, actor, current.offer, current.signup, place, claimer.id, now);
    },
  );
  return getSignup(db, signupId)!;
}

/** Ends an offer without moving the place: withdrawn by its owner, or a claim rejected by a coordinator. */
export function closeOffer(db: Db, actor: ActorFacts, offerId: number, how: 'withdraw' | 'reject', now: Date): OfferView {
  transaction(db,
    (tx) => {
      const current = view(tx, requireOffer(tx, offerId), now);
      if (how === 'withdraw' && actor.role !== 'coordinator' && actor.id !== current.offer.personId) {
        throw new RotaError('FORBIDDEN', 'Only the person who offered this place (or a coordinator) can withdraw the offer.');
      }
      // Withdrawing twice is a double tap, not a mistake: answer the offer as it is.
      if (how === 'withdraw' && current.status === 'withdrawn') return;
      const allowed = how === 'withdraw' ? ['open', 'pending_approval'] : ['pending_approval'];
      if (!allowed.includes(current.status)) throw refusalError(offerClosed(current.status));
      updateOffer(tx, offerId, { status: how === 'withdraw' ? 'withdrawn' : 'rejected', closedAt: now.getTime() });
      writeAudit(tx, now, { actorId: actor.id, action: `offer.${how}`, entity: 'offer', entityId: offerId, detail: { signupId: current.signup.id } });
    },
  );
  return getOfferView(db, offerId, now);
}

/** Open offers of shifts not yet started that the person could take now, soonest first. */
export function claimableOffers(db: Db, personId: number, now: Date): OfferView[] {
  const person = requirePerson(db, personId);
  return offersByStatus(db, ['open'], now.getTime())
    .map((o) => view(db, o, now))
    .filter((v) => {
      if (v.status !== 'open') return false;
      return !claimRefusal(db, v, v.status, person, loadPlace(db, v.signup.shiftId), now);
    });
}

/** Claims waiting for a coordinator's approval. */
export function pendingOffers(db: Db, now: Date, unitIds: ReadonlySet<number>): OfferView[] {
  const rotaIds = new Set(listRotas(db, true, unitIds).map((r) => r.id));
  return offersByStatus(db, ['pending_approval'], now.getTime())
    .map((o) => view(db, o, now))
    .filter((v) => v.status === 'pending_approval' && rotaIds.has(v.signup.rotaId));
}

/**
 * A person's own offers still waiting, in the given states (open, or claimed and waiting for
 * approval), soonest shift first: the places they asked to be covered and still hold.
 */
export function offersOfPerson(db: Db, personId: number, statuses: readonly ('open' | 'pending_approval')[], now: Date): OfferView[] {
  requirePerson(db, personId);
  return signupsOfPerson(db, personId, { endsAfter: now.getTime(), includeCancelled: false })
    .map((s) => liveOfferOf(db, s.id))
    .filter((o): o is Offer => o !== null)
    .map((o) => view(db, o, now))
    .filter((v) => (statuses as readonly OfferState[]).includes(v.status));
}
