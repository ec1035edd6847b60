import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { fillOf, makePeople, makePerson, makeRota } from '../helpers/signup-fixtures.js';

// The clock stands at 2026-03-01 08:00 in Shanghai; the fixture rota's shifts run daily 07:15–08:15 from 2 March.
let t: TestApp;
beforeEach(async () => {
  t = await makeApp('2026-03-01T00:00:00Z');
});
afterEach(() => t.close());

const signUp = async (shiftId: string, token: string) => {
  const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token, body: {} });
  expect(res.status).toBe(201);
  return res.body as { id: number; status: string };
};
const offer = (signupId: number, token?: string) => t.call('POST', `/api/v1/signups/${signupId}/offer`, token === undefined ? {} : { token });
const claim = (offerId: number, token: string) => t.call('POST', `/api/v1/offers/${offerId}/claim`, { token, body: {} });
const propose = (signupId: number, withSignupId: number, token: string) => t.call('POST', `/api/v1/signups/${signupId}/trade`, { token, body: { withSignupId } });
const tradeAction = (tradeId: number, action: 'accept' | 'decline' | 'approve' | 'reject', token?: string) =>
  t.call('POST', `/api/v1/trades/${tradeId}/${action}`, token === undefined ? {} : { token });

describe('cover offers', () => {
  it('moves the place to the first claimer in one step and closes the offer to everyone after', async () => {
    const r = await makeRota(t.call);
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    const mine = await signUp(shift, ann!.token);
    const offered = await offer(mine.id, ann!.token);
    expect(offered.status).toBe(201);
    expect(offered.body).toMatchObject({ status: 'open', signupId: mine.id, personId: ann!.id, shiftId: shift });

    const won = await claim(offered.body.id, bob!.token);
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ personId: bob!.id, shiftId: shift, status: 'confirmed' });
    expect((await t.call('GET', `/api/v1/signups/${mine.id}`, { token: ann!.token })).body.status).toBe('cancelled');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [bob!.id], waitlisted: [] });

    const late = await claim(offered.body.id, cai!.token);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'OFFER_CLOSED', status: 'claimed' });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });

  it('hands an offered place straight to the first eligible person on the waitlist', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '07:45' });
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    const mine = await signUp(shift, ann!.token);
    await signUp(shift, bob!.token);
    await signUp(shift, cai!.token);
    // Bob has since taken the overlapping patrol, so the place goes to Cai, next in line after him.
    await signUp(patrol.shiftOn('2026-03-04'), bob!.token);
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [bob!.id, cai!.id] });
    const res = await offer(mine.id, ann!.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'claimed', claimedBy: cai!.id });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [cai!.id], waitlisted: [bob!.id] });
  });

  it('moves a waitlisted claimer up rather than signing them up twice', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '07:45' });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    const mine = await signUp(shift, ann!.token);
    await signUp(shift, bob!.token);
    const clash = await signUp(patrol.shiftOn('2026-03-04'), bob!.token);
    const offered = await offer(mine.id, ann!.token);
    expect(offered.body.status).toBe('open');
    await t.call('DELETE', `/api/v1/signups/${clash.id}`, { token: bob!.token });
    const won = await claim(offered.body.id, bob!.token);
    expect(won.status).toBe(200);
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });

  it('refuses a claim that would collide or fall on unavailable dates, and changes nothing', async () => {
    const r = await makeRota(t.call);
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '08:00' });
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    const mine = await signUp(shift, ann!.token);
    const offered = await offer(mine.id, ann!.token);
    await signUp(patrol.shiftOn('2026-03-04'), bob!.token);
    await t.call('POST', `/api/v1/people/${cai!.id}/unavailability`, { token: cai!.token, body: { from: '2026-03-04', to: '2026-03-04' } });
    expect((await claim(offered.body.id, bob!.token)).body.error.code).toBe('COLLIDES');
    expect((await claim(offered.body.id, cai!.token)).body.error.code).toBe('UNAVAILABLE');
    expect((await claim(offered.body.id, ann!.token)).body.error.code).toBe('ALREADY_SIGNED_UP');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect((await t.call('GET', `/api/v1/offers/${offered.body.id}`, { token: bob!.token })).body.status).toBe('open');
  });

  it('lists the open offers a person could take, not their own nor ones that would collide', async () => {
    const r = await makeRota(t.call);
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '08:00' });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const a = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const b = await signUp(r.shiftOn('2026-03-05'), ann!.token);
    const first = await offer(a.id, ann!.token);
    const second = await offer(b.id, ann!.token);
    await signUp(patrol.shiftOn('2026-03-05'), bob!.token);
    const forBob = await t.call('GET', '/api/v1/offers', { token: bob!.token });
    expect(forBob.status).toBe(200);
    expect(forBob.body.offers.map((o: { id: number }) => o.id)).toEqual([first.body.id]);
    expect((await t.call('GET', '/api/v1/offers', { token: ann!.token })).body.offers).toEqual([]);
    expect(second.body.status).toBe('open');
    expect((await t.call('GET', `/api/v1/offers?personId=${ann!.id}`, { token: bob!.token })).status).toBe(403);
  });

  it('lets the owner withdraw an offer, after which claims get OFFER_CLOSED', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const offered = await offer(mine.id, ann!.token);
    const notHers = await t.call('DELETE', `/api/v1/offers/${offered.body.id}`, { token: bob!.token });
    expect(notHers.status).toBe(403);
    const withdrawn = await t.call('DELETE', `/api/v1/offers/${offered.body.id}`, { token: ann!.token });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await t.call('DELETE', `/api/v1/offers/${offered.body.id}`, { token: ann!.token })).body.status).toBe('withdrawn');
    const res = await claim(offered.body.id, bob!.token);
    expect(res.body.error).toMatchObject({ code: 'OFFER_CLOSED', status: 'withdrawn' });
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('lets an offer lapse when the shift starts, leaving the owner responsible', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-02');
    const mine = await signUp(shift, ann!.token);
    const offered = await offer(mine.id, ann!.token);
    t.setNow('2026-03-01T23:14:59Z');
    expect((await t.call('GET', `/api/v1/offers/${offered.body.id}`, { token: bob!.token })).body.status).toBe('open');
    t.setNow('2026-03-01T23:15:00Z');
    expect((await t.call('GET', `/api/v1/offers/${offered.body.id}`, { token: bob!.token })).body.status).toBe('lapsed');
    const res = await claim(offered.body.id, bob!.token);
    expect(res.body.error).toMatchObject({ code: 'OFFER_CLOSED', status: 'lapsed' });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('refuses a volunteer offering inside the lock window with LOCKED, while claiming stays open until the start', async () => {
    const r = await makeRota(t.call, { cancelClosesHoursBefore: 12 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-02');
    const early = await offer((await signUp(r.shiftOn('2026-03-03'), ann!.token)).id, ann!.token);
    const mine = await signUp(shift, ann!.token);
    const offered = await offer(mine.id, ann!.token);
    await t.call('DELETE', `/api/v1/offers/${offered.body.id}`, { token: ann!.token });
    t.setNow('2026-03-01T12:00:00Z');
    const locked = await offer(mine.id, ann!.token);
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('LOCKED');
    expect((await t.call('GET', '/api/v1/offers', { token: bob!.token })).body.offers.map((o: { id: number }) => o.id)).toEqual([early.body.id]);
    t.setNow('2026-03-02T23:14:00Z'); // a minute before the 3 March shift, deep inside its lock window
    expect((await claim(early.body.id, bob!.token)).status).toBe(200);
  });

  it('refuses a volunteer offering someone else\'s place or offering twice, and changes nothing', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const waiting = await signUp(r.shiftOn('2026-03-04'), bob!.token);
    expect((await offer(mine.id, bob!.token)).status).toBe(403);
    expect((await offer(waiting.id, bob!.token)).body.error.code).toBe('NOT_SIGNED_UP');
    const first = await offer(mine.id, ann!.token);
    // Bob is waiting and eligible, so the offer went straight to him; Ann's place is no longer hers to offer.
    expect(first.body.status).toBe('claimed');
    expect((await offer(mine.id, ann!.token)).body.error.code).toBe('NOT_SIGNED_UP');
    const other = await signUp(r.shiftOn('2026-03-05'), ann!.token);
    const open = await offer(other.id, ann!.token);
    const twice = await offer(other.id, ann!.token);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'ALREADY_OFFERED', offerId: open.body.id });
    expect(await fillOf(t.call, r.shiftOn('2026-03-05'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('makes a claim wait for a coordinator on a rota that requires approval', async () => {
    const r = await makeRota(t.call, { requireApproval: true });
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    const mine = await signUp(shift, ann!.token);
    const offered = await offer(mine.id, ann!.token);
    const pending = await claim(offered.body.id, bob!.token);
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'pending_approval', claimedBy: bob!.id });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect((await claim(offered.body.id, cai!.token)).body.error.code).toBe('OFFER_CLOSED');
    expect((await t.call('POST', `/api/v1/offers/${offered.body.id}/approve`, { token: bob!.token })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/offers/pending')).body.offers.map((o: { id: number }) => o.id)).toEqual([offered.body.id]);
    const approved = await t.call('POST', `/api/v1/offers/${offered.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ personId: bob!.id, status: 'confirmed' });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });

  it('keeps the place with its owner when a coordinator rejects a claim', async () => {
    const r = await makeRota(t.call, { requireApproval: true });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    const mine = await signUp(shift, ann!.token);
    const offered = await offer(mine.id, ann!.token);
    await claim(offered.body.id, bob!.token);
    const rejected = await t.call('POST', `/api/v1/offers/${offered.body.id}/reject`);
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect((await offer(mine.id, ann!.token)).body.status).toBe('open');
  });
});

describe('trades', () => {
  it('exchanges two places when the person asked accepts', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const x = r.shiftOn('2026-03-04');
    const y = r.shiftOn('2026-03-05');
    const mine = await signUp(x, ann!.token);
    const theirs = await signUp(y, bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', proposerId: ann!.id, responderId: bob!.id, gives: { shiftId: x }, takes: { shiftId: y } });
    expect((await t.call('GET', `/api/v1/people/${bob!.id}/trades`, { token: bob!.token })).body.trades.map((tr: { id: number }) => tr.id)).toEqual([proposed.body.id]);
    const accepted = await tradeAction(proposed.body.id, 'accept', bob!.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(await fillOf(t.call, x)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
    expect(await fillOf(t.call, y)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect((await t.call('GET', `/api/v1/people/${bob!.id}/trades`, { token: bob!.token })).body.trades).toEqual([]);
  });

  it('checks the trade again at acceptance and refuses it if it would now collide, moving nobody', async () => {
    const r = await makeRota(t.call);
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '08:00' });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const x = r.shiftOn('2026-03-04');
    const y = r.shiftOn('2026-03-05');
    const mine = await signUp(x, ann!.token);
    const theirs = await signUp(y, bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    await signUp(patrol.shiftOn('2026-03-05'), ann!.token);
    const res = await tradeAction(proposed.body.id, 'accept', bob!.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('COLLIDES');
    expect(await fillOf(t.call, x)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect(await fillOf(t.call, y)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });

  it('refuses a trade at acceptance when one person has since become unavailable', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-05'), bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    await t.call('POST', `/api/v1/people/${bob!.id}/unavailability`, { token: bob!.token, body: { from: '2026-03-04', to: '2026-03-04' } });
    expect((await tradeAction(proposed.body.id, 'accept', bob!.token)).body.error.code).toBe('UNAVAILABLE');
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('ends a trade when declined, and a later acceptance gets TRADE_CLOSED', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-05'), bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    expect((await tradeAction(proposed.body.id, 'decline', ann!.token)).status).toBe(403);
    expect((await tradeAction(proposed.body.id, 'decline', bob!.token)).body.status).toBe('declined');
    const res = await tradeAction(proposed.body.id, 'accept', bob!.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TRADE_CLOSED');
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('closes a trade when one of its places is cancelled', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-05'), bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    await t.call('DELETE', `/api/v1/signups/${mine.id}`, { token: ann!.token });
    const res = await tradeAction(proposed.body.id, 'accept', bob!.token);
    expect(res.body.error.code).toBe('TRADE_CLOSED');
    expect(await fillOf(t.call, r.shiftOn('2026-03-05'))).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });

  it('refuses volunteers trading someone else\'s place or accepting a trade meant for another, and changes nothing', async () => {
    const r = await makeRota(t.call);
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-05'), bob!.token);
    expect((await propose(mine.id, theirs.id, cai!.token)).status).toBe(403);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    expect((await tradeAction(proposed.body.id, 'accept', cai!.token)).status).toBe(403);
    expect((await tradeAction(proposed.body.id, 'accept', ann!.token)).status).toBe(403);
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect(await fillOf(t.call, r.shiftOn('2026-03-05'))).toEqual({ confirmed: [bob!.id], waitlisted: [] });
    expect((await t.call('GET', `/api/v1/trades/${proposed.body.id}`, { token: cai!.token })).status).toBe(403);
  });

  it('refuses a trade of two places on the same shift as invalid', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-04'), bob!.token);
    expect((await propose(mine.id, theirs.id, ann!.token)).status).toBe(400);
  });

  it('refuses a volunteer proposing a trade inside the lock window with LOCKED', async () => {
    const r = await makeRota(t.call, { cancelClosesHoursBefore: 12 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-02'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-05'), bob!.token);
    t.setNow('2026-03-01T12:00:00Z');
    const res = await propose(mine.id, theirs.id, ann!.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LOCKED');
    expect((await t.call('GET', `/api/v1/people/${bob!.id}/trades`, { token: bob!.token })).body.trades).toEqual([]);
  });

  it('makes an accepted trade wait for a coordinator on a rota that requires approval', async () => {
    const r = await makeRota(t.call, { requireApproval: true });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const x = r.shiftOn('2026-03-04');
    const y = r.shiftOn('2026-03-05');
    const mine = await signUp(x, ann!.token);
    const theirs = await signUp(y, bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    const pending = await tradeAction(proposed.body.id, 'accept', bob!.token);
    expect(pending.body.status).toBe('pending_approval');
    expect(await fillOf(t.call, x)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect((await tradeAction(proposed.body.id, 'approve', bob!.token)).status).toBe(403);
    expect((await t.call('GET', '/api/v1/trades/pending')).body.trades.map((tr: { id: number }) => tr.id)).toEqual([proposed.body.id]);
    expect((await tradeAction(proposed.body.id, 'approve')).body.status).toBe('accepted');
    expect(await fillOf(t.call, x)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
    expect(await fillOf(t.call, y)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('moves nobody when a coordinator rejects a pending trade', async () => {
    const r = await makeRota(t.call, { requireApproval: true });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const theirs = await signUp(r.shiftOn('2026-03-05'), bob!.token);
    const proposed = await propose(mine.id, theirs.id, ann!.token);
    await tradeAction(proposed.body.id, 'accept', bob!.token);
    expect((await tradeAction(proposed.body.id, 'reject')).body.status).toBe('rejected');
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
    expect(await fillOf(t.call, r.shiftOn('2026-03-05'))).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });
});

describe('the audit log', () => {
  it('tells coordinators who did what to a sign-up and when, and is closed to volunteers', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const waiting = await signUp(r.shiftOn('2026-03-04'), bob!.token);
    t.setNow('2026-03-01T01:00:00Z');
    await t.call('DELETE', `/api/v1/signups/${mine.id}`, { token: ann!.token });
    const log = await t.call('GET', `/api/v1/audit?entity=signup&entityId=${mine.id}`);
    expect(log.status).toBe(200);
    expect(log.body.entries.map((e: { action: string; actorId: number; at: string }) => [e.action, e.actorId, e.at])).toEqual([
      ['signup.cancel', ann!.id, '2026-03-01T01:00:00.000Z'],
      ['signup.create', ann!.id, '2026-03-01T00:00:00.000Z'],
    ]);
    const promoted = await t.call('GET', `/api/v1/audit?entity=signup&entityId=${waiting.id}`);
    expect(promoted.body.entries[0]).toMatchObject({ action: 'signup.promote', actorId: ann!.id });
    expect((await t.call('GET', '/api/v1/audit', { token: ann!.token })).status).toBe(403);
  });
});

describe('unavailability', () => {
  it('lists a person\'s unavailability to them and lets them remove it', async () => {
    const ann = await makePerson(t.call, 'Ann');
    const added = await t.call('POST', `/api/v1/people/${ann.id}/unavailability`, { token: ann.token, body: { from: '2026-04-01', to: '2026-04-07', note: 'spring trip' } });
    expect(added.body).toMatchObject({ from: '2026-04-01', to: '2026-04-07', note: 'spring trip', signups: [] });
    expect((await t.call('GET', `/api/v1/people/${ann.id}/unavailability`, { token: ann.token })).body.unavailability).toHaveLength(1);
    const removed = await t.call('DELETE', `/api/v1/people/${ann.id}/unavailability/${added.body.id}`, { token: ann.token });
    expect(removed.status).toBe(200);
    expect((await t.call('GET', `/api/v1/people/${ann.id}/unavailability`, { token: ann.token })).body.unavailability).toEqual([]);
    const log = await t.call('GET', `/api/v1/audit?entity=unavailability&entityId=${added.body.id}`);
    expect(log.body.entries.map((e: { action: string }) => e.action)).toEqual(['unavailability.delete', 'unavailability.create']);
  });
});
