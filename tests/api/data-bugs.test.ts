// Two data bugs: cancelling a past shift left its sign-ups confirmed and counted, and an offer
// withdrawn by a trade showed the offerer's id with the other person's name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makePerson, makeRota } from '../helpers/signup-fixtures.js';

let t: TestApp;
afterEach(() => t.close());

describe('cancelling a past shift', () => {
  // Tuesday 10 March 2026, 10:00 in Shanghai: the fixture rota's shift of 3 March is a week past.
  beforeEach(async () => {
    t = await makeApp('2026-03-10T02:00:00Z');
  });

  it('with affectedSignups "cancel" cancels its sign-ups, which are no longer listed or counted', async () => {
    const call = t.call.bind(t);
    const rota = await makeRota(call);
    const past = rota.shiftOn('2026-03-03');
    const ann = await makePerson(call, 'Ann');
    const bob = await makePerson(call, 'Bob');
    // A coordinator enters last week's paper sheet.
    const signups = [];
    for (const p of [ann, bob]) {
      const res = await t.call('POST', `/api/v1/shifts/${past}/signups`, { body: { personId: p.id } });
      expect(res.status).toBe(201);
      signups.push(res.body.id as number);
    }
    const stats = async () => (await t.call('GET', `/api/v1/stats/person-shifts?groupBy=rota&from=2026-03-01&to=2026-03-31&rotaId=${rota.rotaId}`)).body.total;
    expect(await stats()).toEqual({ personShifts: 2, people: 2, minutes: 120, hours: 2 });

    const unsaid = await t.call('PATCH', `/api/v1/shifts/${past}`, { body: { cancelled: true } });
    expect(unsaid.status).toBe(409);
    expect(unsaid.body.error.code).toBe('SIGNUPS_AFFECTED');
    expect(unsaid.body.error.signups.map((s: { signupId: number }) => s.signupId).sort()).toEqual(signups.sort());

    const res = await t.call('PATCH', `/api/v1/shifts/${past}`, { body: { cancelled: true, affectedSignups: 'cancel' } });
    expect(res.status).toBe(200);
    expect(res.body.affectedSignups.map((a: { signupId: number; outcome: string }) => [a.signupId, a.outcome]).sort()).toEqual(signups.map((id) => [id, 'cancelled']).sort());

    const shift = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.rotaId}&from=2026-03-03&to=2026-03-03`)).body.shifts[0];
    expect(shift).toMatchObject({ id: past, status: 'cancelled', confirmed: 0, people: [] });
    for (const p of [ann, bob]) {
      const theirs = (await t.call('GET', `/api/v1/people/${p.id}/signups?from=2026-03-01&to=2026-03-31&includeCancelled=true`)).body.signups;
      expect(theirs.map((s: { shiftId: string; status: string }) => [s.shiftId, s.status])).toEqual([[past, 'cancelled']]);
    }
    expect(await stats()).toEqual({ personShifts: 0, people: 0, minutes: 0, hours: 0 });
  });
});

describe('an offer closed by a trade', () => {
  beforeEach(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });

  it('keeps the offerer\'s id and name together', async () => {
    const call = t.call.bind(t);
    const rota = await makeRota(call);
    const ann = await makePerson(call, 'Ann');
    const bob = await makePerson(call, 'Bob');
    const mine = (await t.call('POST', `/api/v1/shifts/${rota.shiftOn('2026-03-05')}/signups`, { token: ann.token, body: {} })).body;
    const theirs = (await t.call('POST', `/api/v1/shifts/${rota.shiftOn('2026-03-06')}/signups`, { token: bob.token, body: {} })).body;
    const offered = await t.call('POST', `/api/v1/signups/${mine.id}/offer`, { token: ann.token });
    expect(offered.body).toMatchObject({ status: 'open', personId: ann.id, personName: 'Ann' });
    const trade = await t.call('POST', `/api/v1/signups/${mine.id}/trade`, { token: ann.token, body: { withSignupId: theirs.id } });
    expect(trade.status).toBe(201);
    expect((await t.call('POST', `/api/v1/trades/${trade.body.id}/accept`, { token: bob.token })).status).toBe(200);

    const offer = (await t.call('GET', `/api/v1/offers/${offered.body.id}`, { token: ann.token })).body;
    expect(offer).toMatchObject({ status: 'withdrawn', signupId: mine.id, personId: ann.id, personName: 'Ann' });
    // The place itself is Bob's now.
    const place = (await t.call('GET', `/api/v1/people/${bob.id}/signups?from=2026-03-05&to=2026-03-05`, { token: bob.token })).body.signups;
    expect(place).toMatchObject([{ id: mine.id, personId: bob.id, personName: 'Bob' }]);
  });
});
