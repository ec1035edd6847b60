import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makePeople, makePerson, makeRota, type PersonSetup } from '../helpers/signup-fixtures.js';

// The clock stands at Monday 2026-03-02 04:00 in Shanghai: that morning's 07:15 shift is inside
// the default 12-hour lock, and "the next four weeks" run from 2 to 29 March.
let t: TestApp;
beforeEach(async () => {
  t = await makeApp('2026-03-01T20:00:00Z');
});
afterEach(() => t.close());

/** A confirmed place for the person, made by the coordinator; its sign-up id. */
const place = async (shiftId: string, who: PersonSetup): Promise<number> => {
  const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId: who.id } });
  expect(res.status).toBe(201);
  return res.body.id;
};
const away = async (who: PersonSetup, date: string) => {
  expect((await t.call('POST', `/api/v1/people/${who.id}/unavailability`, { body: { from: date, to: date } })).status).toBe(201);
};
const options = (signupId: number, token?: string) => t.call('GET', `/api/v1/signups/${signupId}/swap-options`, token === undefined ? {} : { token });
const names = (res: { body: { swapOptions: { personName: string; localDate: string }[] } }) => res.body.swapOptions.map((o) => `${o.localDate} ${o.personName}`);

describe('swap options', () => {
  it('lists only the places on the same rota in the next four weeks that both people could take', async () => {
    const r = await makeRota(t.call, { name: 'East gate' });
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '07:45' });
    const ann = await makePerson(t.call, 'Ann');
    const mine = await place(r.shiftOn('2026-03-04'), ann);
    const p = Object.fromEntries((await makePeople(t.call, 12, 'Captain')).map((who, i) => [`p${i + 1}`, who])) as Record<string, PersonSetup>;

    await place(r.shiftOn('2026-03-05'), p.p1!); // can swap
    await place(r.shiftOn('2026-03-06'), p.p2!);
    await place(patrol.shiftOn('2026-03-06'), ann); // Ann is on patrol at that time
    await place(r.shiftOn('2026-03-07'), p.p3!);
    await away(ann, '2026-03-07'); // Ann is away that day
    await place(r.shiftOn('2026-03-08'), p.p4!);
    await away(p.p4!, '2026-03-04'); // p4 could not take Ann's day
    await place(r.shiftOn('2026-03-09'), p.p5!);
    await place(patrol.shiftOn('2026-03-04'), p.p5!); // p5 is on patrol at Ann's time
    await place(r.shiftOn('2026-03-10'), p.p6!);
    await place(r.shiftOn('2026-03-10'), ann); // Ann already holds that shift
    await place(r.shiftOn('2026-03-04'), p.p7!); // the same shift as Ann's
    await place(patrol.shiftOn('2026-03-12'), p.p8!); // another rota
    await place(r.shiftOn('2026-03-02'), p.p9!); // starts within 12 hours: locked
    await place(r.shiftOn('2026-03-29'), p.p10!); // the last day of the four weeks
    await place(r.shiftOn('2026-03-30'), p.p11!); // one day too far
    // A full shift: its two confirmed people can swap, the one waiting cannot.
    await place(r.shiftOn('2026-03-13'), p.p1!);
    await place(r.shiftOn('2026-03-13'), p.p12!);
    expect((await t.call('POST', `/api/v1/shifts/${r.shiftOn('2026-03-13')}/signups`, { body: { personId: p.p2!.id } })).body.status).toBe('waitlisted');

    const res = await options(mine, ann.token);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['2026-03-05 Captain 1', '2026-03-13 Captain 1', '2026-03-13 Captain 12', '2026-03-29 Captain 10']);
    const bobs = (await t.call('GET', `/api/v1/people/${p.p1!.id}/signups`)).body.signups[0];
    // Only when, where and whose: no one's contact details or ids beyond the sign-up to propose.
    expect(res.body.swapOptions[0]).toEqual({
      signupId: bobs.id,
      shiftId: r.shiftOn('2026-03-05'),
      rotaName: 'East gate',
      label: null,
      location: null,
      start: '2026-03-05T07:15:00+08:00',
      end: '2026-03-05T08:15:00+08:00',
      localDate: '2026-03-05',
      personName: 'Captain 1',
    });
  });

  it('offers only what can be proposed: each option proposes at once, and is not offered again while asked', async () => {
    const r = await makeRota(t.call);
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const mine = await place(r.shiftOn('2026-03-04'), ann!);
    await place(r.shiftOn('2026-03-05'), bob!);
    await place(r.shiftOn('2026-03-06'), cai!);
    const listed = (await options(mine, ann!.token)).body.swapOptions as { signupId: number; personName: string }[];
    expect(listed.map((o) => o.personName)).toEqual(['Captain 2', 'Captain 3']);

    const proposed = await t.call('POST', `/api/v1/signups/${mine}/trade`, { token: ann!.token, body: { withSignupId: listed[0]!.signupId } });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', responderId: bob!.id });
    expect(names(await options(mine, ann!.token))).toEqual(['2026-03-06 Captain 3']);

    // Once Bob declines, his place may be asked for again.
    expect((await t.call('POST', `/api/v1/trades/${proposed.body.id}/decline`, { token: bob!.token })).status).toBe(200);
    expect(names(await options(mine, ann!.token))).toEqual(['2026-03-05 Captain 2', '2026-03-06 Captain 3']);
  });

  it('answers the owner and coordinators, and refuses another volunteer with 403', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const mine = await place(r.shiftOn('2026-03-04'), ann!);
    await place(r.shiftOn('2026-03-02'), bob!);
    await place(r.shiftOn('2026-03-05'), bob!);

    const other = await options(mine, bob!.token);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    expect(names(await options(mine, ann!.token))).toEqual(['2026-03-05 Captain 2']);
    // A coordinator is not held by the lock, so this morning's place is one they could still swap.
    expect(names(await options(mine))).toEqual(['2026-03-02 Captain 2', '2026-03-05 Captain 2']);
    expect((await options(999_999, ann!.token)).status).toBe(404);
    expect((await t.call('GET', `/api/v1/signups/${mine}/swap-options`, { token: null })).status).toBe(401);
  });

  it('says why there is nothing to look for: the place is locked, cancelled, or only waiting', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const today = await place(r.shiftOn('2026-03-02'), ann!);
    const locked = await options(today, ann!.token);
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('LOCKED');

    const later = await place(r.shiftOn('2026-03-05'), bob!);
    const waiting = await t.call('POST', `/api/v1/shifts/${r.shiftOn('2026-03-05')}/signups`, { token: ann!.token, body: {} });
    expect(waiting.body.status).toBe('waitlisted');
    expect((await options(waiting.body.id, ann!.token)).body.error.code).toBe('NOT_SIGNED_UP');
    expect((await t.call('DELETE', `/api/v1/signups/${later}`, { token: bob!.token })).status).toBe(200);
    expect((await options(later, bob!.token)).body.error.code).toBe('NOT_SIGNED_UP');
  });
});

describe('a person\'s own offers', () => {
  it('lists the places she asked to be covered while they wait, and answers another volunteer 403', async () => {
    const r = await makeRota(t.call);
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const kept = await place(r.shiftOn('2026-03-04'), ann!);
    const first = await place(r.shiftOn('2026-03-05'), ann!);
    const second = await place(r.shiftOn('2026-03-06'), ann!);
    await place(r.shiftOn('2026-03-07'), bob!);
    const offerOf = async (signupId: number, who: PersonSetup) => (await t.call('POST', `/api/v1/signups/${signupId}/offer`, { token: who.token })).body.id as number;
    const a = await offerOf(second, ann!);
    const b = await offerOf(first, ann!);
    await offerOf((await t.call('GET', `/api/v1/people/${bob!.id}/signups`)).body.signups[0].id, bob!);

    const mine = await t.call('GET', `/api/v1/people/${ann!.id}/offers?status=open`, { token: ann!.token });
    expect(mine.status).toBe(200);
    // Soonest shift first, whatever the order they were offered in.
    expect(mine.body.offers.map((o: { id: number; signupId: number; status: string }) => [o.id, o.signupId, o.status])).toEqual([
      [b, first, 'open'],
      [a, second, 'open'],
    ]);
    expect(mine.body.offers.map((o: { signupId: number }) => o.signupId)).not.toContain(kept);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/offers`, { token: bob!.token })).status).toBe(403);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/offers`)).body.offers).toHaveLength(2);

    // Withdrawn or taken, an offer is no longer waiting.
    expect((await t.call('DELETE', `/api/v1/offers/${a}`, { token: ann!.token })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/offers/${b}/claim`, { token: cai!.token, body: {} })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/offers`, { token: ann!.token })).body.offers).toEqual([]);
  });

  it('shows a claim waiting for a coordinator apart from the open offers', async () => {
    const r = await makeRota(t.call, { requireApproval: true });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const signupId = await place(r.shiftOn('2026-03-04'), ann!);
    const offered = await t.call('POST', `/api/v1/signups/${signupId}/offer`, { token: ann!.token });
    expect((await t.call('POST', `/api/v1/offers/${offered.body.id}/claim`, { token: bob!.token, body: {} })).status).toBe(202);

    const all = await t.call('GET', `/api/v1/people/${ann!.id}/offers`, { token: ann!.token });
    expect(all.body.offers.map((o: { status: string; claimedBy: number }) => [o.status, o.claimedBy])).toEqual([['pending_approval', bob!.id]]);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/offers?status=open`, { token: ann!.token })).body.offers).toEqual([]);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/offers?status=claimed`, { token: ann!.token })).status).toBe(400);
  });
});
