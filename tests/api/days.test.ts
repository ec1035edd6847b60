import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

// Sunday 1 March 2026, 10:00 in Shanghai.
const NOW = '2026-03-01T02:00:00Z';

describe('cancelling a whole day', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(NOW);
  });
  afterEach(() => t.close());

  async function rota(name: string, startTime: string) {
    const r = await t.call('POST', '/api/v1/rotas', { body: { name, timezone: 'Asia/Shanghai' } });
    const s = await t.call('POST', `/api/v1/rotas/${r.body.id}/series`, {
      body: { rrule: 'FREQ=DAILY', startDate: '2026-03-01', startTime, durationMinutes: 60, minVolunteers: 1, maxVolunteers: 1 },
    });
    return { id: r.body.id as number, feed: new URL(r.body.feedUrl).pathname, shift: (date: string) => `${s.body.id}.${date.replaceAll('-', '')}T${startTime.replace(':', '')}` };
  }

  async function person(name: string) {
    const p = await t.call('POST', '/api/v1/people', { body: { name } });
    return { id: p.body.id as number, feed: new URL(p.body.feedUrl).pathname };
  }

  async function signUp(shiftId: string, personId: number): Promise<number> {
    const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const feed = async (path: string) => (await t.app.inject({ method: 'GET', url: path })).body;

  it('cancels every rota\'s shifts on that date in one go, lists the people on them, keeps their sign-ups recorded, and feeds say CANCELLED', async () => {
    const gate = await rota('东门护学岗', '07:15');
    const patrol = await rota('北门夜巡', '19:00');
    const wang = await person('王建国');
    const li = await person('李娜');
    const onGate = await signUp(gate.shift('2026-03-03'), wang.id);
    const onPatrol = await signUp(patrol.shift('2026-03-03'), li.id);
    const nextDay = await signUp(gate.shift('2026-03-04'), li.id);

    const res = await t.call('POST', '/api/v1/days/2026-03-03/cancel', { body: { note: '台风红色预警' } });
    expect(res.status).toBe(200);
    expect(res.body.shifts.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [gate.shift('2026-03-03'), 'cancelled'],
      [patrol.shift('2026-03-03'), 'cancelled'],
    ]);
    expect(res.body.affectedSignups.map((a: Record<string, unknown>) => [a.signupId, a.personName, a.shiftId, a.start, a.outcome])).toEqual([
      [onGate, '王建国', gate.shift('2026-03-03'), '2026-03-03T07:15:00+08:00', 'cancelled'],
      [onPatrol, '李娜', patrol.shift('2026-03-03'), '2026-03-03T19:00:00+08:00', 'cancelled'],
    ]);

    // The sign-ups stay on record, cancelled with their shift; the next day is untouched.
    expect((await t.call('GET', `/api/v1/signups/${onGate}`)).body).toMatchObject({ status: 'cancelled', shiftId: gate.shift('2026-03-03') });
    expect((await t.call('GET', `/api/v1/signups/${nextDay}`)).body.status).toBe('confirmed');
    const shifts = (await t.call('GET', '/api/v1/shifts?from=2026-03-03&to=2026-03-04')).body.shifts;
    expect(shifts.map((s: { localDate: string; status: string }) => [s.localDate, s.status])).toEqual([
      ['2026-03-03', 'cancelled'],
      ['2026-03-03', 'cancelled'],
      ['2026-03-04', 'full'],
      ['2026-03-04', 'gap'],
    ]);
    const signUpAgain = await t.call('POST', `/api/v1/shifts/${gate.shift('2026-03-03')}/signups`, { body: { personId: wang.id } });
    expect(signUpAgain.body.error.code).toBe('SHIFT_CANCELLED');

    const rotaFeed = await feed(gate.feed);
    const cancelledEvent = rotaFeed.split('BEGIN:VEVENT').find((e) => e.includes('DTSTART;TZID=Asia/Shanghai:20260303T071500'))!;
    expect(cancelledEvent).toContain('STATUS:CANCELLED');
    const personFeed = await feed(wang.feed);
    const hers = personFeed.split('BEGIN:VEVENT').find((e) => e.includes('20260303T071500'))!;
    expect(hers).toContain('STATUS:CANCELLED');
  });

  it('cancels one rota\'s day only when asked, and leaves shifts already over as they were', async () => {
    const gate = await rota('东门护学岗', '07:15');
    const patrol = await rota('北门夜巡', '19:00');
    t.setNow('2026-03-03T02:00:00Z'); // 10:00 in Shanghai: this morning's gate shift is over.
    const res = await t.call('POST', '/api/v1/days/2026-03-03/cancel', { body: {} });
    expect(res.body.shifts.map((s: { id: string }) => s.id)).toEqual([patrol.shift('2026-03-03')]);

    const again = await t.call('POST', '/api/v1/days/2026-03-04/cancel', { body: { rotaId: gate.id } });
    expect(again.body.shifts.map((s: { id: string }) => s.id)).toEqual([gate.shift('2026-03-04')]);
    expect((await t.call('GET', `/api/v1/shifts/${patrol.shift('2026-03-04')}`)).body.status).toBe('gap');
    expect((await t.call('GET', `/api/v1/shifts/${gate.shift('2026-03-03')}`)).body.status).toBe('gap');
  });

  it('refuses a day that is over, a day without shifts, a bad date, and volunteers, changing nothing', async () => {
    const gate = await rota('东门护学岗', '07:15');
    const volunteer = await t.call('POST', '/api/v1/people', { body: { name: '王建国' } });
    const refusals: [string, unknown, string | null, number, string][] = [
      ['/api/v1/days/2026-03-01/cancel', {}, null, 409, 'PAST'],
      ['/api/v1/days/2026-02-27/cancel', {}, null, 404, 'NOT_FOUND'],
      ['/api/v1/days/2026-3-2/cancel', {}, null, 400, 'VALIDATION'],
      ['/api/v1/days/2026-02-30/cancel', {}, null, 400, 'VALIDATION'],
      ['/api/v1/days/2026-03-02/cancel', { rotaId: 999 }, null, 404, 'NOT_FOUND'],
      ['/api/v1/days/2026-03-02/cancel', {}, volunteer.body.accessToken, 403, 'FORBIDDEN'],
    ];
    for (const [url, body, token, status, code] of refusals) {
      const res = await t.call('POST', url, { body, ...(token ? { token } : {}) });
      expect([url, res.status, res.body.error.code]).toEqual([url, status, code]);
    }
    expect((await t.call('GET', `/api/v1/shifts/${gate.shift('2026-03-02')}`)).body.status).toBe('gap');
  });
});
