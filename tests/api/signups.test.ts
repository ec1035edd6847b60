import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { fillOf, makePeople, makePerson, makeRota } from '../helpers/signup-fixtures.js';

// The clock stands at 2026-03-01 08:00 in Shanghai; the fixture rota's shifts run daily 07:15–08:15 from 2 March.
let t: TestApp;
beforeEach(async () => {
  t = await makeApp('2026-03-01T00:00:00Z');
});
afterEach(() => t.close());

const signUp = (shiftId: string, token: string, body: object = {}) => t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token, body });
const cancel = (signupId: number, token?: string) => t.call('DELETE', `/api/v1/signups/${signupId}`, token === undefined ? {} : { token });

describe('signing up', () => {
  it('confirms a volunteer on a shift with room, and the shift lists them', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const res = await signUp(r.shiftOn('2026-03-02'), ann.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ shiftId: r.shiftOn('2026-03-02'), personId: ann.id, status: 'confirmed', start: '2026-03-02T07:15:00+08:00', end: '2026-03-02T08:15:00+08:00', localDate: '2026-03-02' });
    expect(await fillOf(t.call, r.shiftOn('2026-03-02'))).toEqual({ confirmed: [ann.id], waitlisted: [] });
  });

  it('puts the next person on the waitlist when the shift is full', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 2 });
    const [a, b, c] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-03');
    expect((await signUp(shift, a!.token)).body.status).toBe('confirmed');
    expect((await signUp(shift, b!.token)).body.status).toBe('confirmed');
    const third = await signUp(shift, c!.token);
    expect(third.status).toBe(201);
    expect(third.body.status).toBe('waitlisted');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [a!.id, b!.id], waitlisted: [c!.id] });
  });

  it('refuses a full shift with SHIFT_FULL when the rota keeps no waitlist, and changes nothing', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1, waitlist: false });
    const [a, b] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-03');
    await signUp(shift, a!.token);
    const res = await signUp(shift, b!.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SHIFT_FULL');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [a!.id], waitlisted: [] });
  });

  it('answers a double tap with ALREADY_SIGNED_UP naming the existing sign-up and its status', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [a, b] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-03');
    const first = await signUp(shift, a!.token);
    const again = await signUp(shift, a!.token);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_SIGNED_UP', signupId: first.body.id, status: 'confirmed' });
    const waiting = await signUp(shift, b!.token);
    const waitingAgain = await signUp(shift, b!.token);
    expect(waitingAgain.body.error).toMatchObject({ code: 'ALREADY_SIGNED_UP', signupId: waiting.body.id, status: 'waitlisted' });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [a!.id], waitlisted: [b!.id] });
  });

  it('refuses a shift overlapping one the person holds in another rota with COLLIDES, and changes nothing', async () => {
    const gate = await makeRota(t.call, { name: 'Gate', startTime: '07:15', durationMinutes: 60 });
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '08:00', durationMinutes: 60 });
    const ann = await makePerson(t.call, 'Ann');
    await signUp(gate.shiftOn('2026-03-04'), ann.token);
    const res = await signUp(patrol.shiftOn('2026-03-04'), ann.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('COLLIDES');
    expect(res.body.error.shiftId).toBe(gate.shiftOn('2026-03-04'));
    expect(await fillOf(t.call, patrol.shiftOn('2026-03-04'))).toEqual({ confirmed: [], waitlisted: [] });
  });

  it('lets a person take a shift that starts exactly when their other shift ends', async () => {
    const gate = await makeRota(t.call, { name: 'Gate', startTime: '07:15', durationMinutes: 45 });
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '08:00', durationMinutes: 60 });
    const ann = await makePerson(t.call, 'Ann');
    expect((await signUp(gate.shiftOn('2026-03-04'), ann.token)).body.status).toBe('confirmed');
    expect((await signUp(patrol.shiftOn('2026-03-04'), ann.token)).body.status).toBe('confirmed');
  });

  it('refuses dates the person marked unavailable with UNAVAILABLE, and changes nothing', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const away = await t.call('POST', `/api/v1/people/${ann.id}/unavailability`, { token: ann.token, body: { from: '2026-03-05', to: '2026-03-06', note: 'visiting family' } });
    expect(away.status).toBe(201);
    const res = await signUp(r.shiftOn('2026-03-06'), ann.token);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', from: '2026-03-05', to: '2026-03-06' });
    expect(await fillOf(t.call, r.shiftOn('2026-03-06'))).toEqual({ confirmed: [], waitlisted: [] });
    expect((await signUp(r.shiftOn('2026-03-07'), ann.token)).status).toBe(201);
  });

  it('refuses a cancelled shift with SHIFT_CANCELLED', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const shift = r.shiftOn('2026-03-04');
    expect((await t.call('PATCH', `/api/v1/shifts/${shift}`, { body: { cancelled: true } })).status).toBe(200);
    const res = await signUp(shift, ann.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SHIFT_CANCELLED');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [], waitlisted: [] });
  });

  it('refuses volunteers a shift that has started with PAST, while a coordinator can record it', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const shift = r.shiftOn('2026-03-02');
    t.setNow('2026-03-01T23:15:00Z');
    const res = await signUp(shift, ann.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PAST');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [], waitlisted: [] });
    t.setNow('2026-03-10T00:00:00Z');
    const recorded = await signUp(shift, t.coordinatorToken, { personId: ann.id });
    expect(recorded.status).toBe(201);
    expect(recorded.body.status).toBe('confirmed');
  });

  it('lets only members of its teams sign up to a rota restricted to teams', async () => {
    const team = await t.call('POST', '/api/v1/teams', { body: { name: 'Building 7' } });
    const r = await makeRota(t.call, { teamIds: [team.body.id] });
    const member = await makePerson(t.call, 'Member', { teamIds: [team.body.id] });
    const outsider = await makePerson(t.call, 'Outsider');
    const refused = await signUp(r.shiftOn('2026-03-04'), outsider.token);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NOT_IN_TEAM');
    expect((await signUp(r.shiftOn('2026-03-04'), member.token)).status).toBe(201);
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [member.id], waitlisted: [] });
  });

  it('refuses to sign up an archived person with PERSON_ARCHIVED', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    await t.call('DELETE', `/api/v1/people/${ann.id}`);
    const res = await signUp(r.shiftOn('2026-03-04'), t.coordinatorToken, { personId: ann.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PERSON_ARCHIVED');
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [], waitlisted: [] });
  });

  it('lets a coordinator sign up a captain without a phone, but not a volunteer sign up someone else', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const forbidden = await signUp(r.shiftOn('2026-03-04'), ann!.token, { personId: bob!.id });
    expect(forbidden.status).toBe(403);
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [], waitlisted: [] });
    const res = await signUp(r.shiftOn('2026-03-04'), t.coordinatorToken, { personId: bob!.id });
    expect(res.status).toBe(201);
    expect(res.body.personId).toBe(bob!.id);
  });

  it('answers NOT_FOUND for a shift the series does not have', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const res = await signUp(`${r.seriesId}.20260304T0900`, ann.token);
    expect(res.status).toBe(404);
  });

  it('keeps everyone confirmed when the maximum is lowered below them, and only stops new sign-ups', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 3 });
    const [a, b, c, d] = await makePeople(t.call, 4, 'Captain');
    const shift = r.shiftOn('2026-03-04');
    for (const p of [a, b, c]) await signUp(shift, p!.token);
    expect((await t.call('PATCH', `/api/v1/shifts/${shift}`, { body: { maxVolunteers: 2 } })).status).toBe(200);
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [a!.id, b!.id, c!.id], waitlisted: [] });
    expect((await signUp(shift, d!.token)).body.status).toBe('waitlisted');
    await cancel((await t.call('GET', `/api/v1/people/${a!.id}/signups`, { token: a!.token })).body.signups[0].id, a!.token);
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [b!.id, c!.id], waitlisted: [d!.id] });
  });
});

describe('cancelling', () => {
  it('gives the freed place to the first person in line who can take it', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1, startTime: '07:15' });
    const other = await makeRota(t.call, { name: 'Patrol', startTime: '07:30' });
    const [ann, bob, cai, dan] = await makePeople(t.call, 4, 'Captain');
    const shift = r.shiftOn('2026-03-05');
    const annSignup = await signUp(shift, ann!.token);
    await signUp(shift, bob!.token);
    await signUp(shift, cai!.token);
    await signUp(shift, dan!.token);
    // Bob has since taken an overlapping shift; Cai has since become unavailable: both stay waiting.
    await t.call('DELETE', `/api/v1/signups/${(await t.call('GET', `/api/v1/people/${bob!.id}/signups`, { token: bob!.token })).body.signups[0].id}`, { token: bob!.token });
    await signUp(shift, bob!.token);
    expect((await signUp(other.shiftOn('2026-03-05'), bob!.token)).body.status).toBe('confirmed');
    await t.call('POST', `/api/v1/people/${cai!.id}/unavailability`, { token: cai!.token, body: { from: '2026-03-05', to: '2026-03-05' } });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [cai!.id, dan!.id, bob!.id] });

    const res = await cancel(annSignup.body.id, ann!.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: annSignup.body.id, status: 'cancelled' });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [dan!.id], waitlisted: [cai!.id, bob!.id] });
  });

  it('refuses a volunteer inside the lock window with LOCKED, while a coordinator may still cancel', async () => {
    const r = await makeRota(t.call, { cancelClosesHoursBefore: 12 });
    const ann = await makePerson(t.call, 'Ann');
    const shift = r.shiftOn('2026-03-02');
    const s = await signUp(shift, ann.token);
    t.setNow('2026-03-01T11:15:00Z'); // exactly 12 hours before 07:15 Shanghai time
    const res = await cancel(s.body.id, ann.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LOCKED');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann.id], waitlisted: [] });
    expect((await cancel(s.body.id)).body.status).toBe('cancelled');
  });

  it('lets a volunteer cancel just before the lock window opens', async () => {
    const r = await makeRota(t.call, { cancelClosesHoursBefore: 12 });
    const ann = await makePerson(t.call, 'Ann');
    const s = await signUp(r.shiftOn('2026-03-02'), ann.token);
    t.setNow('2026-03-01T11:14:59Z');
    expect((await cancel(s.body.id, ann.token)).status).toBe(200);
  });

  it('lets a volunteer leave the waitlist inside the lock window, but not after the start', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-02');
    await signUp(shift, ann!.token);
    const waiting = await signUp(shift, bob!.token);
    t.setNow('2026-03-01T23:15:00Z');
    const late = await cancel(waiting.body.id, bob!.token);
    expect(late.body.error.code).toBe('PAST');
    t.setNow('2026-03-01T20:00:00Z');
    expect((await cancel(waiting.body.id, bob!.token)).body.status).toBe('cancelled');
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('refuses a volunteer cancelling someone else\'s sign-up, and changes nothing', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const s = await signUp(r.shiftOn('2026-03-04'), ann!.token);
    const res = await cancel(s.body.id, bob!.token);
    expect(res.status).toBe(403);
    expect(await fillOf(t.call, r.shiftOn('2026-03-04'))).toEqual({ confirmed: [ann!.id], waitlisted: [] });
  });

  it('answers a second cancel with the cancelled sign-up, unchanged', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const s = await signUp(r.shiftOn('2026-03-04'), ann.token);
    await cancel(s.body.id, ann.token);
    const again = await cancel(s.body.id, ann.token);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('cancelled');
  });

  it('moves the waitlist up when a coordinator raises the shift\'s maximum', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-05');
    for (const p of [ann, bob, cai]) await signUp(shift, p!.token);
    expect((await t.call('PATCH', `/api/v1/shifts/${shift}`, { body: { maxVolunteers: 2 } })).status).toBe(200);
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [ann!.id, bob!.id], waitlisted: [cai!.id] });
  });

  it('promotes the waitlist when a series edit cancels a confirmed place that now collides', async () => {
    const gate = await makeRota(t.call, { name: 'Gate', maxVolunteers: 1, startTime: '07:15' });
    const patrol = await makeRota(t.call, { name: 'Patrol', startTime: '09:00' });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = gate.shiftOn('2026-03-05');
    await signUp(shift, ann!.token);
    await signUp(shift, bob!.token);
    await signUp(patrol.shiftOn('2026-03-05'), ann!.token);
    const edit = await t.call('PATCH', `/api/v1/shifts/${shift}`, { body: { start: '2026-03-05T09:00', affectedSignups: 'move' } });
    expect(edit.status).toBe(200);
    expect(edit.body.affectedSignups.find((a: { personId: number }) => a.personId === ann!.id)).toMatchObject({ outcome: 'cancelled', reason: 'COLLIDES' });
    expect(await fillOf(t.call, shift)).toEqual({ confirmed: [bob!.id], waitlisted: [] });
  });
});

describe('a person\'s sign-ups', () => {
  it('lists a person\'s sign-ups in a date window to them and to coordinators, not to other volunteers', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    for (const date of ['2026-03-02', '2026-03-09', '2026-03-20']) await signUp(r.shiftOn(date), ann!.token);
    const res = await t.call('GET', `/api/v1/people/${ann!.id}/signups?from=2026-03-01&to=2026-03-10`, { token: ann!.token });
    expect(res.status).toBe(200);
    expect(res.body.signups.map((s: { localDate: string }) => s.localDate)).toEqual(['2026-03-02', '2026-03-09']);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/signups`)).body.signups).toHaveLength(3);
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/signups`, { token: bob!.token })).status).toBe(403);
  });
  it('lists, without dates, a day-long duty still running, and not one that has ended', async () => {
    const r = await makeRota(t.call, { rrule: 'FREQ=DAILY;COUNT=2', startTime: '09:00', durationMinutes: 1440 });
    const ann = await makePerson(t.call, 'Ann');
    for (const date of ['2026-03-02', '2026-03-03']) expect((await signUp(r.shiftOn(date), ann.token)).status).toBe(201);
    const mine = async () => (await t.call('GET', `/api/v1/people/${ann.id}/signups`, { token: ann.token })).body.signups.map((s: { localDate: string }) => s.localDate);
    expect(await mine()).toEqual(['2026-03-02', '2026-03-03']);
    // 08:59 on 4 March in Shanghai: the duty of the 3rd began 23 h 59 min ago and runs for another minute.
    t.setNow('2026-03-04T00:59:00Z');
    expect(await mine()).toEqual(['2026-03-03']);
    t.setNow('2026-03-04T01:00:00Z');
    expect(await mine()).toEqual([]);
  });
});

describe('attendance', () => {
  it('lets a coordinator mark attended or no-show once the shift has started', async () => {
    const r = await makeRota(t.call);
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    const shift = r.shiftOn('2026-03-02');
    await signUp(shift, ann!.token);
    await signUp(shift, bob!.token);
    const early = await t.call('POST', `/api/v1/shifts/${shift}/attendance`, { body: { personId: ann!.id, status: 'attended' } });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOT_STARTED');
    expect((await t.call('GET', `/api/v1/people/${ann!.id}/signups`)).body.signups[0].attendance).toBeNull();
    t.setNow('2026-03-02T00:00:00Z');
    const came = await t.call('POST', `/api/v1/shifts/${shift}/attendance`, { body: { personId: ann!.id, status: 'attended' } });
    expect(came.status).toBe(200);
    expect(came.body).toMatchObject({ personId: ann!.id, status: 'confirmed', attendance: 'attended', walkIn: false });
    const missed = await t.call('POST', `/api/v1/shifts/${shift}/attendance`, { body: { personId: bob!.id, status: 'no_show' } });
    expect(missed.body.attendance).toBe('no_show');
  });

  it('refuses a volunteer marking attendance, and changes nothing', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    const shift = r.shiftOn('2026-03-02');
    await signUp(shift, ann.token);
    t.setNow('2026-03-02T00:00:00Z');
    const res = await t.call('POST', `/api/v1/shifts/${shift}/attendance`, { token: ann.token, body: { personId: ann.id, status: 'attended' } });
    expect(res.status).toBe(403);
    expect((await t.call('GET', `/api/v1/people/${ann.id}/signups?from=2026-03-02&to=2026-03-02`)).body.signups[0].attendance).toBeNull();
  });

  it('refuses attendance for someone not signed up with NOT_SIGNED_UP, and records a walk-in as attended without taking a place', async () => {
    const r = await makeRota(t.call, { maxVolunteers: 1 });
    const [ann, bob, cai] = await makePeople(t.call, 3, 'Captain');
    const shift = r.shiftOn('2026-03-02');
    await signUp(shift, ann!.token);
    t.setNow('2026-03-02T00:00:00Z');
    const refused = await t.call('POST', `/api/v1/shifts/${shift}/attendance`, { body: { personId: bob!.id, status: 'attended' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NOT_SIGNED_UP');
    expect((await t.call('GET', `/api/v1/people/${bob!.id}/signups?from=2026-03-02&to=2026-03-02`)).body.signups).toEqual([]);
    const walkIn = await t.call('POST', `/api/v1/shifts/${shift}/attendance`, { body: { personId: bob!.id, status: 'attended', walkIn: true } });
    expect(walkIn.status).toBe(200);
    expect(walkIn.body).toMatchObject({ personId: bob!.id, attendance: 'attended', walkIn: true });
    // The shift is still full with Ann alone: a walk-in is attendance, not a place.
    const late = await signUp(shift, t.coordinatorToken, { personId: cai!.id });
    expect(late.body.status).toBe('waitlisted');
  });

  it('refuses a walk-in marked no-show as invalid', async () => {
    const r = await makeRota(t.call);
    const ann = await makePerson(t.call, 'Ann');
    t.setNow('2026-03-02T00:00:00Z');
    const res = await t.call('POST', `/api/v1/shifts/${r.shiftOn('2026-03-02')}/attendance`, { body: { personId: ann.id, status: 'no_show', walkIn: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
  });
});
