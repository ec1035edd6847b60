// Trades: A proposes to exchange her place for B's; B accepts or declines. On acceptance (or a
// coordinator's approval, where the rota requires one) both places change hands in one
// transaction, checked again at that moment (invariant 2): both move, or neither.
import { listRotas } from '../db/schedule.js';
import { transaction } from '../db/store.js';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { getSignup, getTrade, insertTrade, listTrades, liveSignup, updateSignup, updateTrade, type Signup, type Trade } from '../db/signups.js';
import { RotaError } from '../domain/errors.js';
import { shiftDate } from '../domain/recurrence.js';
import {
  checkOffer,
  checkTrade,
  checkTradeParties,
  effectiveTradeStatus,
  refusalError,
  type ActorFacts,
  type Refusal,
  type TradeParty,
  type TradeSide,
  type TradeState,
} from '../domain/signup-rules.js';
import { formatDate, localToday } from '../domain/time.js';
import { enqueue } from './notices.js';
import { requirePerson } from './people.js';
import { requireRota } from './schedule.js';
import { LISTING_LIMIT, listShifts, type ShiftView } from './shifts.js';
import { circumstances, closeDependents, liveRef, loadPlace, requireSignup, signupFacts } from './signups.js';

/** A trade with its two sign-ups as they are now, and its status as of now (open trades lapse). */
export interface TradeView {
  trade: Trade;
  proposerName: string;
  responderName: string;
  /** The proposer's sign-up and the one asked for; once accepted, each holds the other person. */
  signup: Signup;
  withSignup: Signup;
  status: TradeState;
}

function view(db: Conn, trade: Trade, now: Date): TradeView {
  const signup = getSignup(db, trade.signupId)!;
  const withSignup = getSignup(db, trade.withSignupId)!;
  // A place cancelled elsewhere (say by a series edit) voids an open trade, as a cancellation here does.
  const held = signup.status === 'confirmed' && withSignup.status === 'confirmed' && signup.personId === trade.proposerId && withSignup.personId === trade.responderId;
  const stored = !held && (trade.status === 'proposed' || trade.status === 'pending_approval') ? 'withdrawn' : trade.status;
  return {
    trade,
    proposerName: requirePerson(db, trade.proposerId).name,
    responderName: requirePerson(db, trade.responderId).name,
    signup,
    withSignup,
    status: effectiveTradeStatus(stored, Math.min(signup.startAt, withSignup.startAt), now.getTime()),
  };
}

function requireTrade(db: Conn, id: number): Trade {
  const trade = getTrade(db, id);
  if (!trade) throw new RotaError('NOT_FOUND', `No trade has id ${id}.`);
  return trade;
}

export function getTradeView(db: Db, id: number, now: Date): TradeView {
  return view(db, requireTrade(db, id), now);
}

/** The reads a trade check repeats; swap options keep them for the whole list (`remembered`). */
interface Lookups {
  place(shiftId: string): ReturnType<typeof loadPlace>;
  rota(id: number): ReturnType<typeof requireRota>;
  person(id: number): ReturnType<typeof requirePerson>;
}

function direct(tx: Conn): Lookups {
  return { place: (id) => loadPlace(tx, id), rota: (id) => requireRota(tx, id), person: (id) => requirePerson(tx, id) };
}

function remembered(tx: Conn): Lookups {
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, load: () => T): T => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key) as T;
  };
  return {
    place: (id) => once(`shift ${id}`, () => loadPlace(tx, id)),
    rota: (id) => once(`rota ${id}`, () => requireRota(tx, id)),
    person: (id) => once(`person ${id}`, () => requirePerson(tx, id)),
  };
}

function party(lookups: Lookups, personId: number, gives: Signup): TradeParty {
  return { person: lookups.person(personId), gives: { ...signupFacts(gives), shiftId: gives.shiftId } };
}

/** One side in full: the party would take the shift of `takes`. */
function side(tx: Conn, lookups: Lookups, p: TradeParty, gives: Signup, takes: Signup): TradeSide {
  const { shift, settings } = lookups.place(takes.shiftId);
  return {
    ...p,
    takes: shift,
    takesRota: settings,
    givesRota: lookups.rota(gives.rotaId),
    ...circumstances(tx, p.person.id, shift, [gives.id]),
    holdsTaken: liveRef(liveSignup(tx, shift.id, p.person.id)),
  };
}

/**
 * Checks a trade now: first who holds what (so a place cancelled with its shift reads as a
 * closed trade), then, loading both shifts, timing and each side's eligibility.
 */
function check(
  tx: Conn,
  actor: ActorFacts,
  by: 'proposer' | 'responder',
  proposerId: number,
  responderId: number,
  mine: Signup,
  theirs: Signup,
  now: Date,
  lookups: Lookups = direct(tx),
): Refusal | null {
  const proposer = party(lookups, proposerId, mine);
  const responder = party(lookups, responderId, theirs);
  const parties = checkTradeParties({ actor, by, proposer, responder });
  if (parties) return parties;
  return checkTrade({ actor, by, proposer: side(tx, lookups, proposer, mine, theirs), responder: side(tx, lookups, responder, theirs, mine), now: now.getTime() });
}

/** Proposes exchanging the proposer's place (`signupId`) for someone else's (`withSignupId`). */
export function proposeTrade(db: Db, actor: ActorFacts, signupId: number, withSignupId: number, now: Date): TradeView {
  const id = transaction(db,
    (tx) => {
      const mine = requireSignup(tx, signupId);
      const theirs = requireSignup(tx, withSignupId);
      const refusal = check(tx, actor, 'proposer', mine.personId, theirs.personId, mine, theirs, now);
      if (refusal) throw refusalError(refusal);
      const tradeId = insertTrade(tx, { signupId: mine.id, withSignupId: theirs.id, proposerId: mine.personId, responderId: theirs.personId }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'trade.propose', entity: 'trade', entityId: tradeId, detail: { signupId: mine.id, withSignupId: theirs.id } });
      return tradeId;
    },
  );
  return getTradeView(db, id, now);
}

function tradeClosed(status: TradeState): RotaError {
  return new RotaError('TRADE_CLOSED', `This trade is not open for that: it is ${status.replace('_', ' ')}.`, { status });
}

/** Both places change hands: each sign-up keeps its shift and takes the other person. */
function swap(tx: Conn, actor: ActorFacts, v: TradeView, now: Date): void {
  const { trade, signup, withSignup } = v;
  updateTrade(tx, trade.id, { status: 'accepted', decidedAt: now.getTime(), decidedBy: actor.id });
  // Offers and other trades of these two places end; this trade is no longer open, so it stays accepted.
  for (const id of [signup.id, withSignup.id]) closeDependents(tx, actor, id, now);
  updateSignup(tx, signup.id, { personId: trade.responderId }, now.getTime());
  updateSignup(tx, withSignup.id, { personId: trade.proposerId }, now.getTime());
  writeAudit(tx, now, { actorId: actor.id, action: 'trade.accept', entity: 'trade', entityId: trade.id, detail: { signupId: signup.id, withSignupId: withSignup.id } });
  for (const [personId, otherId, gave, took] of [
    [trade.proposerId, trade.responderId, signup, withSignup],
    [trade.responderId, trade.proposerId, withSignup, signup],
  ] as const) {
    enqueue(tx, { kind: 'trade-accepted', tradeId: trade.id, personId, otherId, rotaId: took.rotaId, seriesId: took.seriesId, gave: gave.startAt, took: took.startAt }, now);
  }
  writeAudit(tx, now, { actorId: actor.id, action: 'signup.trade', entity: 'signup', entityId: signup.id, detail: { tradeId: trade.id, from: trade.proposerId, to: trade.responderId } });
  writeAudit(tx, now, { actorId: actor.id, action: 'signup.trade', entity: 'signup', entityId: withSignup.id, detail: { tradeId: trade.id, from: trade.responderId, to: trade.proposerId } });
}

/**
 * The person asked accepts (or a coordinator for them). Checked again now; on a rota that
 * requires approval a volunteer's acceptance waits for a coordinator, and nobody moves until then.
 */
export function acceptTrade(db: Db, actor: ActorFacts, tradeId: number, now: Date): TradeView {
  transaction(db,
    (tx) => {
      const v = view(tx, requireTrade(tx, tradeId), now);
      if (v.status !== 'proposed') throw tradeClosed(v.status);
      const refusal = check(tx, actor, 'responder', v.trade.proposerId, v.trade.responderId, v.signup, v.withSignup, now);
      if (refusal) throw refusalError(refusal);
      const needsApproval = [v.signup.rotaId, v.withSignup.rotaId].some((id) => requireRota(tx, id).requireApproval);
      if (needsApproval && actor.role !== 'coordinator') {
        updateTrade(tx, tradeId, { status: 'pending_approval', decidedAt: now.getTime(), decidedBy: actor.id });
        writeAudit(tx, now, { actorId: actor.id, action: 'trade.accept.pending', entity: 'trade', entityId: tradeId });
        return;
      }
      swap(tx, actor, v, now);
    },
  );
  return getTradeView(db, tradeId, now);
}

/** A coordinator approves an accepted trade waiting for approval; it is checked again now. */
export function approveTrade(db: Db, actor: ActorFacts, tradeId: number, now: Date): TradeView {
  transaction(db,
    (tx) => {
      const v = view(tx, requireTrade(tx, tradeId), now);
      if (v.status !== 'pending_approval') throw tradeClosed(v.status);
      const refusal = check(tx, actor, 'responder', v.trade.proposerId, v.trade.responderId, v.signup, v.withSignup, now);
      if (refusal) throw refusalError(refusal);
      swap(tx, actor, v, now);
    },
  );
  return getTradeView(db, tradeId, now);
}

const ENDINGS = {
  decline: { status: 'declined', from: ['proposed', 'pending_approval'], who: 'responder' },
  withdraw: { status: 'withdrawn', from: ['proposed', 'pending_approval'], who: 'proposer' },
  reject: { status: 'rejected', from: ['pending_approval'], who: 'coordinator' },
} as const;

/**
 * Ends a trade with nobody moving: declined by the person asked, withdrawn by the proposer,
 * rejected by a coordinator (coordinators may do any of these).
 */
export function endTrade(db: Db, actor: ActorFacts, tradeId: number, how: keyof typeof ENDINGS, now: Date): TradeView {
  const ending = ENDINGS[how];
  transaction(db,
    (tx) => {
      const v = view(tx, requireTrade(tx, tradeId), now);
      const allowedPerson = ending.who === 'responder' ? v.trade.responderId : ending.who === 'proposer' ? v.trade.proposerId : null;
      if (actor.role !== 'coordinator' && actor.id !== allowedPerson) {
        throw new RotaError('FORBIDDEN', `Only the ${ending.who === 'coordinator' ? 'coordinators' : `person who ${ending.who === 'proposer' ? 'proposed' : 'was asked'}`} can ${how} this trade.`);
      }
      // Repeating the same ending is a double tap: answer the trade as it is.
      if (v.status === ending.status) return;
      if (!(ending.from as readonly TradeState[]).includes(v.status)) throw tradeClosed(v.status);
      updateTrade(tx, tradeId, { status: ending.status, decidedAt: now.getTime(), decidedBy: actor.id });
      writeAudit(tx, now, { actorId: actor.id, action: `trade.${how}`, entity: 'trade', entityId: tradeId });
    },
  );
  return getTradeView(db, tradeId, now);
}

/** Open trades a person proposed or was asked, or (without a person) those waiting for approval. */
export function openTrades(db: Db, filter: { personId: number } | { pendingApproval: true; unitIds: ReadonlySet<number> }, now: Date): TradeView[] {
  const rotaIds = 'unitIds' in filter ? new Set(listRotas(db, true, filter.unitIds).map((r) => r.id)) : null;
  const query = 'personId' in filter ? { statuses: ['proposed', 'pending_approval'] as TradeState[], personId: filter.personId } : { statuses: ['pending_approval'] as TradeState[] };
  if ('personId' in filter) requirePerson(db, filter.personId);
  return listTrades(db, query)
    .map((t) => view(db, t, now))
    .filter((v) => (v.status === 'proposed' || v.status === 'pending_approval') && (!rotaIds || rotaIds.has(v.signup.rotaId)));
}

/** How far ahead swap options look: today and the next four weeks in the rota's zone. */
const SWAP_DAYS = 28;
/** Most swap options one answer lists. */
const SWAP_OPTIONS_LIMIT = 50;

/** Someone else's confirmed place that the owner of a sign-up could ask to swap for. */
export interface SwapOption {
  signup: Signup;
  shift: ShiftView;
}

/**
 * The places on the same rota, in the next four weeks, that the owner of `signupId` could propose
 * to swap it for now: other people's confirmed sign-ups where each of the two could take the
 * other's shift (free, available, in the rota's teams, neither shift started nor locked), judged
 * by the same check as proposing, so every option listed can be proposed. Places already asked
 * for with this sign-up are left out. Read in one transaction, so the list is one moment's.
 */
export function swapOptions(db: Db, actor: ActorFacts, signupId: number, now: Date): SwapOption[] {
  return transaction(db, (tx) => {
    const mine = requireSignup(tx, signupId);
    if (actor.role !== 'coordinator' && actor.id !== mine.personId) {
      throw new RotaError('FORBIDDEN', 'You can only look for swaps for your own duties; a coordinator can do it for others.');
    }
    // Letting a place go by a swap needs what offering it needs: a confirmed place, not started, not locked for a volunteer.
    const refusal = checkOffer({ actor, signup: signupFacts(mine), rota: requireRota(tx, mine.rotaId), now: now.getTime() });
    if (refusal) throw refusalError(refusal);
    const asked = new Set(listTrades(tx, { statuses: ['proposed', 'pending_approval'], signupId: mine.id }).flatMap((t) => [t.signupId, t.withSignupId]));
    const from = formatDate(localToday(now, mine.timezone));
    const options: SwapOption[] = [];
    // Shifts, rotas and people read once for the whole list, not once per place looked at.
    const lookups = remembered(tx);
    for (const view of listShifts(tx, { rotaId: mine.rotaId, from, to: shiftDate(from, SWAP_DAYS - 1), maxShifts: LISTING_LIMIT }, now).shifts) {
      if (view.shift.id === mine.shiftId) continue;
      for (const person of view.confirmed) {
        if (person.id === mine.personId) continue;
        const theirs = liveSignup(tx, view.shift.id, person.id);
        if (!theirs || asked.has(theirs.id)) continue;
        if (!check(tx, actor, 'proposer', mine.personId, theirs.personId, mine, theirs, now, lookups)) options.push({ signup: theirs, shift: view });
        // A phone shows a few dozen at most; the soonest come first.
        if (options.length >= SWAP_OPTIONS_LIMIT) return options;
      }
    }
    return options;
  });
}
