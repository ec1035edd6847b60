import { describe, expect, it } from 'vitest';
import {
  checkCancel,
  checkClaim,
  checkOffer,
  checkTrade,
  choosePromotions,
  decideAttendance,
  decideSignUp,
  effectiveOfferStatus,
  eligibleInLine,
  overlaps,
  shiftDates,
  type Booking,
  type PersonFacts,
  type RotaSettings,
  type ShiftFacts,
  type SignUpInput,
  type TradeSide,
  type WaitingCandidate,
} from '../../src/domain/signup-rules.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

// A 07:15–08:15 school-gate shift in Shanghai on Monday 4 January 2027.
const shift: ShiftFacts = {
  id: '1.20270104T0715',
  start: at('2027-01-04T07:15:00+08:00'),
  end: at('2027-01-04T08:15:00+08:00'),
  localDate: '2027-01-04',
  timezone: 'Asia/Shanghai',
  max: 2,
  cancelled: false,
};
const rota: RotaSettings = { waitlist: true, cancelClosesHoursBefore: 12, requireApproval: false, teamIds: [], archived: false };
const ann: PersonFacts = { id: 1, name: 'Ann', archived: false, teamIds: [7] };
const volunteer = { id: ann.id, role: 'volunteer' as const };
const coordinator = { id: 99, role: 'coordinator' as const };
const before = shift.start - 24 * HOUR;

const booking = (start: string, end: string, shiftId = '2.x'): Booking => ({ signupId: 50, shiftId, start: at(start), end: at(end) });

describe('overlaps', () => {
  it.each([
    ['a shift that starts exactly when another ends does not collide', '08:15', '09:15', false],
    ['a shift that ends exactly when another starts does not collide', '06:15', '07:15', false],
    ['a shift that starts a minute before the other ends collides', '08:14', '09:14', true],
    ['a shift inside another collides', '07:30', '08:00', true],
    ['the same hours collide', '07:15', '08:15', true],
  ])('%s', (_name, from, to, expected) => {
    expect(overlaps(shift, booking(`2027-01-04T${from}:00+08:00`, `2027-01-04T${to}:00+08:00`))).toBe(expected);
  });
});

describe('shiftDates', () => {
  it.each([
    ['a morning shift touches one date', '2027-01-04T07:15:00+08:00', '2027-01-04T08:15:00+08:00', '2027-01-04', '2027-01-04'],
    ['a night patrol from 22:00 to 06:00 touches two', '2027-01-04T22:00:00+08:00', '2027-01-05T06:00:00+08:00', '2027-01-04', '2027-01-05'],
    ['a shift ending exactly at midnight touches one', '2027-01-04T22:00:00+08:00', '2027-01-05T00:00:00+08:00', '2027-01-04', '2027-01-04'],
  ])('%s', (_name, start, end, first, last) => {
    expect(shiftDates({ start: at(start), end: at(end), timezone: 'Asia/Shanghai' })).toEqual({ first, last });
  });

  it('reads dates in the rota\'s zone, not the server\'s', () => {
    expect(shiftDates({ start: at('2027-01-04T23:30:00-05:00'), end: at('2027-01-05T00:30:00-05:00'), timezone: 'America/New_York' })).toEqual({ first: '2027-01-04', last: '2027-01-05' });
  });
});

describe('decideSignUp', () => {
  const base: SignUpInput = { actor: volunteer, person: ann, shift, rota, existing: null, confirmed: 0, bookings: [], unavailable: [], now: before };
  const outcome = (o: Partial<SignUpInput>) => {
    const r = decideSignUp({ ...base, ...o });
    return 'refusal' in r ? r.refusal.code : r.status;
  };

  it.each<[string, Partial<SignUpInput>, string]>([
    ['a shift with room confirms', {}, 'confirmed'],
    ['the last place confirms', { confirmed: 1 }, 'confirmed'],
    ['a full shift waitlists when the rota keeps a waitlist', { confirmed: 2 }, 'waitlisted'],
    ['a full shift refuses when the rota keeps no waitlist', { confirmed: 2, rota: { ...rota, waitlist: false } }, 'SHIFT_FULL'],
    ['a shift whose maximum was lowered below its people takes nobody new', { confirmed: 3, rota: { ...rota, waitlist: false } }, 'SHIFT_FULL'],
    ['a second tap reads as already signed up', { existing: { id: 5, status: 'confirmed' } }, 'ALREADY_SIGNED_UP'],
    ['a second tap on the waitlist reads as already signed up', { existing: { id: 5, status: 'waitlisted' }, confirmed: 2 }, 'ALREADY_SIGNED_UP'],
    ['a cancelled shift refuses', { shift: { ...shift, cancelled: true } }, 'SHIFT_CANCELLED'],
    ['an archived rota refuses', { rota: { ...rota, archived: true } }, 'SHIFT_CANCELLED'],
    ['a volunteer a millisecond before the start is in time', { now: shift.start - 1 }, 'confirmed'],
    ['a volunteer at the start is too late', { now: shift.start }, 'PAST'],
    ['a coordinator may record a past shift', { actor: coordinator, now: shift.end + 30 * 24 * HOUR }, 'confirmed'],
    ['a coordinator cannot overbook either', { actor: coordinator, confirmed: 2, rota: { ...rota, waitlist: false } }, 'SHIFT_FULL'],
    ['unavailable on the shift\'s date refuses', { unavailable: [{ from: '2027-01-04', to: '2027-01-04' }] }, 'UNAVAILABLE'],
    ['unavailable until the day before is fine', { unavailable: [{ from: '2026-12-20', to: '2027-01-03' }] }, 'confirmed'],
    ['unavailable from the day after is fine', { unavailable: [{ from: '2027-01-05', to: '2027-01-09' }] }, 'confirmed'],
    ['an overlapping confirmed shift collides', { bookings: [booking('2027-01-04T08:00:00+08:00', '2027-01-04T09:00:00+08:00')] }, 'COLLIDES'],
    ['a shift ending exactly at the start does not collide', { bookings: [booking('2027-01-04T06:15:00+08:00', '2027-01-04T07:15:00+08:00')] }, 'confirmed'],
    ['a rota restricted to other teams refuses', { rota: { ...rota, teamIds: [8] } }, 'NOT_IN_TEAM'],
    ['a rota restricted to one of the person\'s teams accepts', { rota: { ...rota, teamIds: [8, 7] } }, 'confirmed'],
    ['an archived person is refused', { actor: coordinator, person: { ...ann, archived: true } }, 'PERSON_ARCHIVED'],
  ])('%s', (_name, o, expected) => {
    expect(outcome(o)).toBe(expected);
  });

  it('refuses an overnight shift when the person is away on its second date', () => {
    const night = { ...shift, start: at('2027-01-04T22:00:00+08:00'), end: at('2027-01-05T06:00:00+08:00') };
    expect(outcome({ shift: night, unavailable: [{ from: '2027-01-05', to: '2027-01-05' }] })).toBe('UNAVAILABLE');
  });

  it('names the existing sign-up in ALREADY_SIGNED_UP, so a double tap reads as "you are on it"', () => {
    const r = decideSignUp({ ...base, existing: { id: 5, status: 'waitlisted' } });
    expect('refusal' in r && r.refusal.details).toEqual({ signupId: 5, status: 'waitlisted' });
  });
});

describe('checkCancel and checkOffer', () => {
  const mine = { id: 5, personId: ann.id, status: 'confirmed' as const, start: shift.start };
  const cases: [string, Parameters<typeof checkCancel>[0], string | null][] = [
    ['the owner a millisecond before the lock may cancel', { actor: volunteer, signup: mine, rota, now: shift.start - 12 * HOUR - 1 }, null],
    ['the owner exactly at the lock is locked out', { actor: volunteer, signup: mine, rota, now: shift.start - 12 * HOUR }, 'LOCKED'],
    ['with no lock window the owner may cancel until the start', { actor: volunteer, signup: mine, rota: { cancelClosesHoursBefore: 0 }, now: shift.start - 1 }, null],
    ['the owner at the start is too late', { actor: volunteer, signup: mine, rota: { cancelClosesHoursBefore: 0 }, now: shift.start }, 'PAST'],
    ['another volunteer may not', { actor: { id: 2, role: 'volunteer' }, signup: mine, rota, now: before }, 'FORBIDDEN'],
    ['a coordinator may inside the lock', { actor: coordinator, signup: mine, rota, now: shift.start - HOUR }, null],
    ['a coordinator may after the start', { actor: coordinator, signup: mine, rota, now: shift.end }, null],
    ['leaving the waitlist is allowed inside the lock', { actor: volunteer, signup: { ...mine, status: 'waitlisted' }, rota, now: shift.start - HOUR }, null],
    ['leaving the waitlist after the start is too late', { actor: volunteer, signup: { ...mine, status: 'waitlisted' }, rota, now: shift.start }, 'PAST'],
  ];
  it.each(cases)('cancel: %s', (_name, input, expected) => {
    expect(checkCancel(input)?.code ?? null).toBe(expected);
  });

  it.each<[string, Parameters<typeof checkOffer>[0], string | null]>([
    ['the owner before the lock may offer', { actor: volunteer, signup: mine, rota, now: before }, null],
    ['the owner inside the lock may not', { actor: volunteer, signup: mine, rota, now: shift.start - HOUR }, 'LOCKED'],
    ['a coordinator may inside the lock', { actor: coordinator, signup: mine, rota, now: shift.start - HOUR }, null],
    ['nobody may once the shift has started', { actor: coordinator, signup: mine, rota, now: shift.start }, 'PAST'],
    ['a waitlisted sign-up has no place to offer', { actor: volunteer, signup: { ...mine, status: 'waitlisted' }, rota, now: before }, 'NOT_SIGNED_UP'],
    ['another volunteer may not', { actor: { id: 2, role: 'volunteer' }, signup: mine, rota, now: before }, 'FORBIDDEN'],
  ])('offer: %s', (_name, input, expected) => {
    expect(checkOffer(input)?.code ?? null).toBe(expected);
  });
});

describe('offers', () => {
  it.each([
    ['an open offer a millisecond before the start is open', 'open', shift.start - 1, 'open'],
    ['an open offer at the start has lapsed', 'open', shift.start, 'lapsed'],
    ['a pending claim at the start has lapsed', 'pending_approval', shift.start, 'lapsed'],
    ['a claimed offer stays claimed', 'claimed', shift.start, 'claimed'],
  ] as const)('%s', (_name, stored, now, expected) => {
    expect(effectiveOfferStatus(stored, shift.start, now)).toBe(expected);
  });

  const bob: PersonFacts = { id: 2, name: 'Bob', archived: false, teamIds: [] };
  const claim = (o: Partial<Parameters<typeof checkClaim>[0]>) =>
    checkClaim({ offer: { ownerId: ann.id, status: 'open' }, person: bob, shift, rota, existing: null, bookings: [], unavailable: [], now: before, ...o })?.code ?? null;

  it.each<[string, Partial<Parameters<typeof checkClaim>[0]>, string | null]>([
    ['the first claim of an open offer is fine', {}, null],
    ['a claim inside the lock window is fine (claiming stays open until the start)', { now: shift.start - 1 }, null],
    ['a claim at the start finds the offer lapsed', { now: shift.start }, 'OFFER_CLOSED'],
    ['a claim after someone else\'s finds it closed', { offer: { ownerId: ann.id, status: 'claimed' } }, 'OFFER_CLOSED'],
    ['a claim while another waits for approval finds it closed', { offer: { ownerId: ann.id, status: 'pending_approval' } }, 'OFFER_CLOSED'],
    ['the owner cannot claim their own offer', { person: ann }, 'ALREADY_SIGNED_UP'],
    ['someone waiting for the shift may claim it', { existing: { id: 8, status: 'waitlisted' } }, null],
    ['a claimer who would collide is refused', { bookings: [booking('2027-01-04T07:00:00+08:00', '2027-01-04T07:30:00+08:00')] }, 'COLLIDES'],
    ['a claimer away that day is refused', { unavailable: [{ from: '2027-01-01', to: '2027-01-10' }] }, 'UNAVAILABLE'],
  ])('%s', (_name, o, expected) => {
    expect(claim(o)).toBe(expected);
  });
});

describe('choosePromotions', () => {
  const person = (id: number): PersonFacts => ({ id, name: `P${id}`, archived: false, teamIds: [] });
  const free = (id: number): WaitingCandidate => ({ signupId: id * 10, person: person(id), bookings: [], unavailable: [] });
  const busy: WaitingCandidate = { ...free(1), bookings: [booking('2027-01-04T07:45:00+08:00', '2027-01-04T08:45:00+08:00')] };
  const away: WaitingCandidate = { ...free(2), unavailable: [{ from: '2027-01-04', to: '2027-01-04' }] };
  const line = [busy, away, free(3), free(4)];

  it.each<[string, Partial<Parameters<typeof choosePromotions>[0]>, number[]]>([
    ['one free place goes to the first eligible person in line', { confirmed: 1 }, [30]],
    ['two free places go to the first two eligible', { confirmed: 0 }, [30, 40]],
    ['a full shift promotes nobody', { confirmed: 2 }, []],
    ['a shift still over its lowered maximum promotes nobody', { confirmed: 3 }, []],
    ['a shift that has started promotes nobody', { confirmed: 1, now: shift.start }, []],
    ['a cancelled shift promotes nobody', { confirmed: 1, shift: { ...shift, cancelled: true } }, []],
  ])('%s', (_name, o, expected) => {
    expect(choosePromotions({ shift, rota, confirmed: 0, waiting: line, now: before, ...o })).toEqual(expected);
  });

  it('offers a place to the first eligible person waiting even when the shift is full', () => {
    expect(eligibleInLine({ shift, rota, waiting: line, now: before })[0]).toBe(30);
  });
});

describe('checkTrade', () => {
  const bob: PersonFacts = { id: 2, name: 'Bob', archived: false, teamIds: [7] };
  const other: ShiftFacts = { ...shift, id: '1.20270105T0715', start: shift.start + 24 * HOUR, end: shift.end + 24 * HOUR, localDate: '2027-01-05' };
  const sideOf = (person: PersonFacts, gives: ShiftFacts, takes: ShiftFacts, signupId: number): TradeSide => ({
    person,
    gives: { id: signupId, personId: person.id, status: 'confirmed', start: gives.start, shiftId: gives.id },
    takes,
    takesRota: rota,
    givesRota: rota,
    bookings: [],
    unavailable: [],
    holdsTaken: null,
  });
  const proposer = sideOf(ann, shift, other, 11);
  const responder = sideOf(bob, other, shift, 12);
  const check = (o: Partial<Parameters<typeof checkTrade>[0]>) =>
    checkTrade({ actor: { id: bob.id, role: 'volunteer' }, by: 'responder', proposer, responder, now: before, ...o })?.code ?? null;

  it.each<[string, Partial<Parameters<typeof checkTrade>[0]>, string | null]>([
    ['the person asked may accept', {}, null],
    ['the proposer may propose', { actor: volunteer, by: 'proposer' }, null],
    ['the proposer may not accept', { actor: volunteer }, 'FORBIDDEN'],
    ['a third volunteer may not propose', { actor: { id: 3, role: 'volunteer' }, by: 'proposer' }, 'FORBIDDEN'],
    ['a coordinator may accept for them', { actor: coordinator }, null],
    ['a place cancelled since the proposal closes the trade', { proposer: { ...proposer, gives: { ...proposer.gives, status: 'cancelled' } } }, 'TRADE_CLOSED'],
    ['a place that changed hands since closes the trade', { responder: { ...responder, gives: { ...responder.gives, personId: 3 } } }, 'TRADE_CLOSED'],
    ['a waitlisted place cannot be proposed', { actor: volunteer, by: 'proposer', proposer: { ...proposer, gives: { ...proposer.gives, status: 'waitlisted' } } }, 'NOT_SIGNED_UP'],
    ['two places on one shift is no trade', { responder: { ...responder, gives: { ...responder.gives, shiftId: shift.id } } }, 'VALIDATION'],
    ['a volunteer inside the lock of either shift is locked out', { now: shift.start - HOUR }, 'LOCKED'],
    ['a coordinator inside the lock may still approve', { actor: coordinator, now: shift.start - HOUR }, null],
    ['a shift that has started cannot be traded', { actor: coordinator, now: shift.start }, 'PAST'],
    ['someone already on the other shift cannot take it again', { proposer: { ...proposer, holdsTaken: { id: 9, status: 'waitlisted' } } }, 'ALREADY_SIGNED_UP'],
    ['taking a shift that collides with another of one\'s places is refused', { responder: { ...responder, bookings: [booking('2027-01-04T08:00:00+08:00', '2027-01-04T09:00:00+08:00')] } }, 'COLLIDES'],
    ['taking a shift on a date one is away is refused', { proposer: { ...proposer, unavailable: [{ from: '2027-01-05', to: '2027-01-05' }] } }, 'UNAVAILABLE'],
    ['the other rota\'s team restriction applies', { proposer: { ...proposer, takesRota: { ...rota, teamIds: [8] } } }, 'NOT_IN_TEAM'],
  ])('%s', (_name, o, expected) => {
    expect(check(o)).toBe(expected);
  });

  it('lets two people swap two overlapping shifts, since each gives up the one that would collide', () => {
    const overlapping: ShiftFacts = { ...shift, id: '5.20270104T0745', start: shift.start + 30 * MIN, end: shift.end + 30 * MIN };
    expect(check({ proposer: sideOf(ann, shift, overlapping, 11), responder: sideOf(bob, overlapping, shift, 12) })).toBeNull();
  });
});

describe('decideAttendance', () => {
  const base: Parameters<typeof decideAttendance>[0] = { shift, person: ann, mark: 'attended', walkIn: false, existing: { id: 5, status: 'confirmed' }, bookings: [], now: shift.start };
  const decide = (o: Partial<typeof base>) => {
    const r = decideAttendance({ ...base, ...o });
    return 'refusal' in r ? r.refusal.code : r.action;
  };

  it.each<[string, Partial<typeof base>, string]>([
    ['a confirmed person is marked from the start', {}, 'mark'],
    ['a no-show is marked too', { mark: 'no_show' }, 'mark'],
    ['nothing is marked before the start', { now: shift.start - 1 }, 'NOT_STARTED'],
    ['nothing is marked on a cancelled shift', { shift: { ...shift, cancelled: true } }, 'SHIFT_CANCELLED'],
    ['someone not signed up is refused', { existing: null }, 'NOT_SIGNED_UP'],
    ['someone only waitlisted is refused unless a walk-in', { existing: { id: 5, status: 'waitlisted' } }, 'NOT_SIGNED_UP'],
    ['a walk-in is recorded', { existing: null, walkIn: true }, 'walk-in'],
    ['a waitlisted person who came is recorded as a walk-in', { existing: { id: 5, status: 'waitlisted' }, walkIn: true }, 'walk-in'],
    ['a walk-in cannot be a no-show', { existing: null, walkIn: true, mark: 'no_show' }, 'VALIDATION'],
    ['a walk-in confirmed elsewhere at that time collides', { existing: null, walkIn: true, bookings: [booking('2027-01-04T07:00:00+08:00', '2027-01-04T08:00:00+08:00')] }, 'COLLIDES'],
  ])('%s', (_name, o, expected) => {
    expect(decide(o)).toBe(expected);
  });
});
