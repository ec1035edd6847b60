// Sign-ups, offers, trades and unavailability as domain records; drizzle rows stop here.
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Duty } from '../domain/fairness.js';
import type { Booking, DateRange, OfferState, TradeState } from '../domain/signup-rules.js';
import type { Signup } from '../domain/types.js';
import type { Conn } from './connection.js';
import { storeOf } from './store.js';
import { offers, people, rotas, signups, trades, unavailability } from './schema.js';

const signupColumns = { s: signups, rotaName: rotas.name, timezone: rotas.timezone, personName: people.name };

function toSignup(r: { s: typeof signups.$inferSelect; rotaName: string; timezone: string; personName: string }): Signup {
  const s = r.s;
  return {
    id: s.id,
    shiftId: s.shiftId,
    seriesId: s.seriesId,
    rotaId: s.rotaId,
    rotaName: r.rotaName,
    timezone: r.timezone,
    personId: s.personId,
    personName: r.personName,
    status: s.status,
    attendance: s.attendance,
    walkIn: s.walkIn,
    startAt: s.startAt,
    endAt: s.endAt,
    localDate: s.localDate,
    createdAt: s.createdAt,
    cancelledAt: s.cancelledAt,
  };
}

function selectSignups(db: Conn, where: SQL | undefined) {
  return db
    .select(signupColumns)
    .from(signups)
    .innerJoin(rotas, eq(rotas.id, signups.rotaId))
    .innerJoin(people, eq(people.id, signups.personId))
    .where(where);
}

export function getSignup(db: Conn, id: number): Signup | null {
  const row = selectSignups(db, eq(signups.id, id)).get();
  return row ? toSignup(row) : null;
}

/** The person's confirmed or waitlisted sign-up on a shift (at most one, by a unique index). */
export function liveSignup(db: Conn, shiftId: string, personId: number): Signup | null {
  const row = selectSignups(db, and(eq(signups.shiftId, shiftId), eq(signups.personId, personId), ne(signups.status, 'cancelled'))).get();
  return row ? toSignup(row) : null;
}

/** Confirmed places taken on a shift. Walk-ins are attendance, not places, so they do not count. */
export function countConfirmed(db: Conn, shiftId: string): number {
  return db
    .select({ n: count() })
    .from(signups)
    .where(and(eq(signups.shiftId, shiftId), eq(signups.status, 'confirmed'), eq(signups.walkIn, false)))
    .get()!.n;
}

/** Waitlisted sign-ups of a shift, first come first. */
export function waitlistOf(db: Conn, shiftId: string): Signup[] {
  return selectSignups(db, and(eq(signups.shiftId, shiftId), eq(signups.status, 'waitlisted'))).orderBy(asc(signups.id)).all().map(toSignup);
}

/** The person's confirmed places overlapping [start, end), except the sign-ups named. */
export function bookingsDuring(db: Conn, personId: number, window: { start: number; end: number }, except: number[] = []): Booking[] {
  const where = [eq(signups.personId, personId), eq(signups.status, 'confirmed'), lt(signups.startAt, window.end), gt(signups.endAt, window.start)];
  return db
    .select({ signupId: signups.id, shiftId: signups.shiftId, start: signups.startAt, end: signups.endAt })
    .from(signups)
    .where(and(...where))
    .all()
    .filter((b) => !except.includes(b.signupId));
}

/** Local dates [from, to], or only sign-ups whose shift ends after an instant (ms). */
type SignupWindow = ({ from: string; to: string } | { endsAfter: number }) & { includeCancelled: boolean };

/** A person's sign-ups by shift start (the first 1,000), within local dates [from, to] or ending after an instant; by prepared statement (a person's page asks on every visit). */
export function signupsOfPerson(db: Conn, personId: number, w: SignupWindow): Signup[] {
  return storeOf(db).signupsOfPerson(personId, 'endsAfter' in w ? { endsAfter: w.endsAfter } : { from: w.from, to: w.to }, w.includeCancelled);
}

/**
 * Live sign-ups of the series whose shift ends after `endsAfter`, and those of `shiftIds` even
 * when ended (what a schedule change must check).
 */
export function liveSignupsOfSeries(db: Conn, seriesIds: number[], endsAfter: number, shiftIds: string[]): Signup[] {
  const ending = shiftIds.length > 0 ? or(gt(signups.endAt, endsAfter), inArray(signups.shiftId, shiftIds)) : gt(signups.endAt, endsAfter);
  return selectSignups(db, and(inArray(signups.seriesId, seriesIds), ne(signups.status, 'cancelled'), ending)).all().map(toSignup);
}

/** A sign-up follows its shift to a new time (and maybe a new shift id). */
export function moveSignup(db: Conn, id: number, to: { shiftId: string; startAt: number; endAt: number; localDate: string }, now: number): void {
  db.update(signups).set({ ...to, updatedAt: now }).where(eq(signups.id, id)).run();
}

export interface NewSignup {
  shiftId: string;
  seriesId: number;
  rotaId: number;
  personId: number;
  status: 'confirmed' | 'waitlisted';
  startAt: number;
  endAt: number;
  localDate: string;
  createdBy: number;
  walkIn?: boolean;
  attendance?: 'attended' | null;
}

export function insertSignup(db: Conn, values: NewSignup, now: number): number {
  return db
    .insert(signups)
    .values({ ...values, createdAt: now, updatedAt: now })
    .returning({ id: signups.id })
    .get().id;
}

export function updateSignup(
  db: Conn,
  id: number,
  set: Partial<Pick<typeof signups.$inferInsert, 'status' | 'attendance' | 'walkIn' | 'personId' | 'cancelledAt' | 'cancelReason'>>,
  now: number,
): void {
  db.update(signups).set({ ...set, updatedAt: now }).where(eq(signups.id, id)).run();
}

/** Dates the person marked unavailable that touch [first, last]. */
export function unavailableBetween(db: Conn, personId: number, first: string, last: string): DateRange[] {
  return db
    .select({ from: unavailability.fromDate, to: unavailability.toDate })
    .from(unavailability)
    .where(and(eq(unavailability.personId, personId), lte(unavailability.fromDate, last), gte(unavailability.toDate, first)))
    .all();
}

export interface Unavailability {
  id: number;
  personId: number;
  from: string;
  to: string;
  note: string | null;
}

function toUnavailability(r: typeof unavailability.$inferSelect): Unavailability {
  return { id: r.id, personId: r.personId, from: r.fromDate, to: r.toDate, note: r.note };
}

export function listUnavailability(db: Conn, personId: number): Unavailability[] {
  return db.select().from(unavailability).where(eq(unavailability.personId, personId)).orderBy(asc(unavailability.fromDate), asc(unavailability.id)).all().map(toUnavailability);
}

export function getUnavailability(db: Conn, id: number): Unavailability | null {
  const row = db.select().from(unavailability).where(eq(unavailability.id, id)).get();
  return row ? toUnavailability(row) : null;
}

export function insertUnavailability(db: Conn, values: { personId: number; from: string; to: string; note: string | null }, now: number): number {
  return db
    .insert(unavailability)
    .values({ personId: values.personId, fromDate: values.from, toDate: values.to, note: values.note, createdAt: now })
    .returning({ id: unavailability.id })
    .get().id;
}

export function deleteUnavailability(db: Conn, id: number): void {
  db.delete(unavailability).where(eq(unavailability.id, id)).run();
}

export interface Offer {
  id: number;
  signupId: number;
  /** The person who offered their place. */
  personId: number;
  /** As stored; open and pending offers lapse at the shift's start (see effectiveOfferStatus). */
  status: OfferState;
  claimedBy: number | null;
  claimSignupId: number | null;
  createdAt: number;
  closedAt: number | null;
}

function toOffer(r: typeof offers.$inferSelect): Offer {
  return {
    id: r.id,
    signupId: r.signupId,
    personId: r.personId,
    status: r.status,
    claimedBy: r.claimedBy,
    claimSignupId: r.claimSignupId,
    createdAt: r.createdAt,
    closedAt: r.closedAt,
  };
}

export function getOffer(db: Conn, id: number): Offer | null {
  const row = db.select().from(offers).where(eq(offers.id, id)).get();
  return row ? toOffer(row) : null;
}

/** The open or pending offer of a sign-up, if any (at most one, by a unique index). */
export function liveOfferOf(db: Conn, signupId: number): Offer | null {
  const row = db.select().from(offers).where(and(eq(offers.signupId, signupId), inArray(offers.status, ['open', 'pending_approval']))).get();
  return row ? toOffer(row) : null;
}

/** Offers in the given stored states whose shift has not started, soonest shift first. */
export function offersByStatus(db: Conn, statuses: OfferState[], startsAfter: number): Offer[] {
  return db
    .select({ o: offers })
    .from(offers)
    .innerJoin(signups, eq(signups.id, offers.signupId))
    .where(and(inArray(offers.status, statuses), gt(signups.startAt, startsAfter)))
    .orderBy(asc(signups.startAt), asc(offers.id))
    .limit(500)
    .all()
    .map((r) => toOffer(r.o));
}

export function insertOffer(db: Conn, values: { signupId: number; personId: number; status: OfferState; claimedBy?: number; claimSignupId?: number; closedAt?: number }, now: number): number {
  return db
    .insert(offers)
    .values({ ...values, createdAt: now })
    .returning({ id: offers.id })
    .get().id;
}

export function updateOffer(db: Conn, id: number, set: Partial<Pick<typeof offers.$inferInsert, 'status' | 'claimedBy' | 'claimSignupId' | 'closedAt'>>): void {
  db.update(offers).set(set).where(eq(offers.id, id)).run();
}

export interface Trade {
  id: number;
  signupId: number;
  withSignupId: number;
  proposerId: number;
  responderId: number;
  /** As stored; open trades lapse when the earlier shift starts (see effectiveTradeStatus). */
  status: TradeState;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: number | null;
}

function toTrade(r: typeof trades.$inferSelect): Trade {
  return {
    id: r.id,
    signupId: r.signupId,
    withSignupId: r.withSignupId,
    proposerId: r.proposerId,
    responderId: r.responderId,
    status: r.status,
    createdAt: r.createdAt,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
  };
}

export function getTrade(db: Conn, id: number): Trade | null {
  const row = db.select().from(trades).where(eq(trades.id, id)).get();
  return row ? toTrade(row) : null;
}

export function insertTrade(db: Conn, values: { signupId: number; withSignupId: number; proposerId: number; responderId: number }, now: number): number {
  return db
    .insert(trades)
    .values({ ...values, status: 'proposed', createdAt: now })
    .returning({ id: trades.id })
    .get().id;
}

export function updateTrade(db: Conn, id: number, set: { status: TradeState; decidedAt: number; decidedBy: number }): void {
  db.update(trades).set(set).where(eq(trades.id, id)).run();
}

/** Trades in the given stored states, of a person (proposed or asked) or naming a sign-up when given; newest first. */
export function listTrades(db: Conn, filter: { statuses: TradeState[]; personId?: number; signupId?: number }): Trade[] {
  const where: SQL[] = [inArray(trades.status, filter.statuses)];
  if (filter.personId !== undefined) where.push(or(eq(trades.proposerId, filter.personId), eq(trades.responderId, filter.personId))!);
  if (filter.signupId !== undefined) where.push(or(eq(trades.signupId, filter.signupId), eq(trades.withSignupId, filter.signupId))!);
  return db.select().from(trades).where(and(...where)).orderBy(desc(trades.id)).limit(500).all().map(toTrade);
}

// ---- Duties: what loads a person, for fairness ----------------------------------------------

// Confirmed and not marked no-show, or attended: the sign-ups that load a person (DESIGN "Fairness").
const counted = () => and(ne(signups.status, 'cancelled'), or(eq(signups.attendance, 'attended'), and(eq(signups.status, 'confirmed'), isNull(signups.attendance))));

const dutyColumns = { personId: signups.personId, signupId: signups.id, shiftId: signups.shiftId, rotaId: signups.rotaId, localDate: signups.localDate, start: signups.startAt, end: signups.endAt };

type PersonDuty = Duty & { personId: number };

/** Everyone's counted duties on local dates [first, last]. */
export function dutiesBetween(db: Conn, first: string, last: string): PersonDuty[] {
  return db.select(dutyColumns).from(signups).where(and(gte(signups.localDate, first), lte(signups.localDate, last), counted())).all();
}

/**
 * Each person's (not archived) latest counted duty before a local date ("last duty"): one
 * statement, one indexed look-up per person inside SQLite (signups_person_start), instead of one
 * query per person.
 */
export function lastDutiesBefore(db: Conn, date: string): PersonDuty[] {
  const latest = db
    .select({ id: signups.id })
    .from(signups)
    .where(and(eq(signups.personId, people.id), lt(signups.localDate, date), counted()))
    .orderBy(desc(signups.startAt))
    .limit(1);
  return db
    .select(dutyColumns)
    .from(people)
    .innerJoin(signups, eq(signups.id, sql`(${latest})`))
    .where(isNull(people.archivedAt))
    .all();
}

/** Everyone's dates away that touch local dates [first, last]. */
export function awayBetween(db: Conn, first: string, last: string): (DateRange & { personId: number })[] {
  return db
    .select({ personId: unavailability.personId, from: unavailability.fromDate, to: unavailability.toDate })
    .from(unavailability)
    .where(and(lte(unavailability.fromDate, last), gte(unavailability.toDate, first)))
    .all();
}
