// Bad input on every foundation route: a 4xx with `{ error: { code, message } }`, never a 500,
// and nothing changed in the database (every row of every table compared before and after).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbState } from '../fixtures/db-state.js';
import { makeApp, type TestApp } from '../helpers/app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('bad input', () => {
  let t: TestApp;
  let ids: { person: number; team: number; rota: number; series: number; calendar: string; shift: string };
  const series = { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4 };

  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
    const person = (await t.call('POST', '/api/v1/people', { body: { name: 'Someone' } })).body;
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Team' } })).body;
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Gate', timezone: 'Asia/Shanghai' } })).body;
    const s = (await t.call('POST', `/api/v1/rotas/${rota.id}/series`, { body: series })).body;
    const calendar = (await t.call('POST', '/api/v1/day-calendars', { body: { name: 'Own' } })).body;
    ids = { person: person.id, team: team.id, rota: rota.id, series: s.id, calendar: calendar.id, shift: `${s.id}.20260303T0715` };
  });
  afterAll(() => t.close());

  /** Sends the request and checks the refusal: status, code, a message, and an unchanged database. */
  async function refused(method: Method, url: string, body: unknown, status: number, code: string, field?: string) {
    const before = dbState(t.db);
    const res = await t.call(method, url, body === undefined ? {} : { body });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message.length).toBeGreaterThan(10);
    if (field) expect(res.body.error.field).toBe(field);
    expect(dbState(t.db)).toBe(before);
    return res.body.error as { code: string; message: string; field?: string };
  }

  const long = (n: number) => '长'.repeat(n);

  describe('in a series', () => {
    it.each([
      ['an invalid RRULE', { rrule: 'EVERY SCHOOL DAY' }, 'VALIDATION', 'rrule'],
      ['an unknown RRULE part', { rrule: 'FREQ=WEEKLY;BYDAYS=MO' }, 'VALIDATION', 'rrule'],
      ['BYMINUTE', { rrule: 'FREQ=DAILY;BYMINUTE=0,30' }, 'VALIDATION', 'rrule'],
      ['a DTSTART inside the rule', { rrule: 'FREQ=DAILY;DTSTART=20260302T071500' }, 'VALIDATION', 'rrule'],
      ['an impossible rule (30 February)', { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 'VALIDATION', 'rrule'],
      ['a rule finer than hourly', { rrule: 'FREQ=MINUTELY;INTERVAL=15' }, 'RULE_TOO_FINE', 'rrule'],
      ['an impossible date', { startDate: '2026-02-30' }, 'VALIDATION', 'startDate'],
      ['a date in another format', { startDate: '02/03/2026' }, 'VALIDATION', 'startDate'],
      ['24:00', { startTime: '24:00' }, 'VALIDATION', 'startTime'],
      ['07:60', { startTime: '07:60' }, 'VALIDATION', 'startTime'],
      ['a minimum above the maximum', { minVolunteers: 5, maxVolunteers: 4 }, 'VALIDATION', 'minVolunteers'],
      ['a zero duration', { durationMinutes: 0 }, 'VALIDATION', 'durationMinutes'],
      ['a negative duration', { durationMinutes: -45 }, 'VALIDATION', 'durationMinutes'],
      ['a maximum of zero', { minVolunteers: 0, maxVolunteers: 0 }, 'VALIDATION', 'maxVolunteers'],
      ['a fractional capacity', { maxVolunteers: 2.5 }, 'VALIDATION', 'maxVolunteers'],
      ['a day calendar that does not exist', { dayCalendarIds: ['cal-000000000000'] }, 'VALIDATION', 'dayCalendarIds'],
      ['an end before the start', { endDate: '2026-03-01' }, 'VALIDATION', 'endDate'],
      ['an over-long label', { label: long(201) }, 'VALIDATION', 'label'],
      ['an unknown field', { colour: 'red' }, 'VALIDATION', undefined],
      ['a missing field', { startTime: undefined }, 'VALIDATION', 'startTime'],
      ['a number where text belongs', { rrule: 7 }, 'VALIDATION', 'rrule'],
    ])('refuses %s', async (_what, change, code, field) => {
      await refused('POST', `/api/v1/rotas/${ids.rota}/series`, { ...series, ...change }, 400, code, field);
    });

    it('explains what is wrong with a rule', async () => {
      expect((await refused('POST', `/api/v1/rotas/${ids.rota}/series`, { ...series, rrule: 'FREQ=DAILY;BYMINUTE=5' }, 400, 'VALIDATION')).message).toMatch(/BYMINUTE.*startTime/);
      expect((await refused('POST', `/api/v1/rotas/${ids.rota}/series`, { ...series, rrule: 'FREQ=MINUTELY' }, 400, 'RULE_TOO_FINE')).message).toMatch(/finer than hourly/);
    });

    it.each([
      ['an invalid RRULE', { rrule: 'FREQ=SOMETIMES' }, 'VALIDATION', 'rrule'],
      ['24:00', { startTime: '24:00' }, 'VALIDATION', 'startTime'],
      ['an impossible from date', { from: '2026-02-30', startTime: '08:00' }, 'VALIDATION', 'from'],
      ['a from date before the series starts', { from: '2026-03-01', startTime: '08:00' }, 'VALIDATION', 'from'],
      ['a minimum above the maximum', { minVolunteers: 9 }, 'VALIDATION', 'minVolunteers'],
      ['a negative duration', { durationMinutes: -1 }, 'VALIDATION', 'durationMinutes'],
      ['a start date (which cannot change)', { startDate: '2026-04-01' }, 'VALIDATION', undefined],
    ])('refuses an edit with %s', async (_what, body, code, field) => {
      await refused('PATCH', `/api/v1/series/${ids.series}`, body, 400, code, field);
    });

    it.each([
      ['an impossible new start', { start: '2026-02-30T07:15' }, 'start'],
      ['a new start at 24:00', { start: '2026-03-03T24:00' }, 'start'],
      ['a new start without a time', { start: '2026-03-03' }, 'start'],
      ['a minimum above the maximum', { minVolunteers: 5 }, 'minVolunteers'],
      ['a zero duration', { durationMinutes: 0 }, 'durationMinutes'],
      ['an over-long note', { note: long(2001) }, 'note'],
    ])('refuses a single-shift edit with %s', async (_what, body, field) => {
      await refused('PATCH', `/api/v1/shifts/${ids.shift}`, body, 400, 'VALIDATION', field);
    });
  });

  describe('in names and text', () => {
    it.each([
      ['POST', '/api/v1/people', { name: '' }],
      ['POST', '/api/v1/people', { name: '   ' }],
      ['POST', '/api/v1/people', { name: long(201) }],
      ['POST', '/api/v1/people', { name: 'Ok', email: 'not an email' }],
      ['POST', '/api/v1/people', { name: 'Ok', locale: 'fr' }],
      ['POST', '/api/v1/people', { name: 'Ok', role: 'admin' }],
      ['POST', '/api/v1/people', { name: 'Ok', teamIds: [99_999] }],
      ['PATCH', '/api/v1/people/:person', { name: ' \t ' }],
      ['POST', '/api/v1/teams', { name: '' }],
      ['POST', '/api/v1/teams', { name: long(201) }],
      ['POST', '/api/v1/teams', { name: 'Ok', memberIds: [99_999] }],
      ['PATCH', '/api/v1/teams/:team', { name: '  ' }],
      ['POST', '/api/v1/rotas', { name: '', timezone: 'Asia/Shanghai' }],
      ['POST', '/api/v1/rotas', { name: '\u3000', timezone: 'Asia/Shanghai' }],
      ['POST', '/api/v1/rotas', { name: long(201), timezone: 'Asia/Shanghai' }],
      ['POST', '/api/v1/rotas', { name: 'Ok', timezone: 'Asia/Shanghai', description: long(2001) }],
      ['POST', '/api/v1/rotas', { name: 'Ok', timezone: 'Asia/Shanghai', location: long(2001) }],
      ['POST', '/api/v1/rotas', { name: 'Ok', timezone: 'Asia/Shanghai', cancelClosesHoursBefore: -1 }],
      ['PATCH', '/api/v1/rotas/:rota', { name: '' }],
      ['PATCH', '/api/v1/rotas/:rota', { description: long(2001) }],
      ['POST', '/api/v1/day-calendars', { name: '' }],
      ['POST', '/api/v1/day-calendars', { name: long(201) }],
      ['POST', '/api/v1/day-calendars/:calendar/days', { days: [{ date: '2026-04-01', kind: 'closed', label: long(201) }] }],
    ] as [Method, string, object][])('%s %s refuses %j', async (method, url, body) => {
      await refused(method, url.replace(':person', String(ids.person)).replace(':team', String(ids.team)).replace(':rota', String(ids.rota)).replace(':calendar', ids.calendar), body, 400, 'VALIDATION');
    });

    it('accepts exactly 200 characters of name and 2,000 of text', async () => {
      const res = await t.call('POST', '/api/v1/rotas', { body: { name: long(200), timezone: 'Asia/Shanghai', description: long(2000) } });
      expect(res.status).toBe(201);
    });
  });

  describe('in time zones, dates and windows', () => {
    it.each(['Mars/Olympus_Mons', '+08:00', 'GMT+8 ', 'Asia/Shanghai; DROP TABLE rotas', ''])('refuses the time zone %j', async (timezone) => {
      await refused('POST', '/api/v1/rotas', { name: 'Gate', timezone }, 400, 'VALIDATION', 'timezone');
    });

    it.each([
      ['to before from', 'rotaId=:rota&from=2026-03-10&to=2026-03-01', 'VALIDATION'],
      ['an impossible date', 'rotaId=:rota&from=2026-02-30&to=2026-03-01', 'VALIDATION'],
      ['a month 13', 'rotaId=:rota&from=2026-13-01&to=2026-13-02', 'VALIDATION'],
      ['a date in another format', 'rotaId=:rota&from=1.3.2026&to=2026-03-02', 'VALIDATION'],
      ['a window of 367 days', 'rotaId=:rota&from=2026-01-01&to=2027-01-02', 'RANGE_TOO_LONG'],
      ['a window of ten years', 'rotaId=:rota&from=2020-01-01&to=2029-12-31', 'RANGE_TOO_LONG'],
      ['an unknown parameter', 'rotaId=:rota&from=2026-03-01&to=2026-03-02&limit=5', 'VALIDATION'],
      ['a rota id that is not a number', 'rotaId=gate&from=2026-03-01&to=2026-03-02', 'VALIDATION'],
    ])('refuses a shift listing with %s', async (_what, query, code) => {
      await refused('GET', `/api/v1/shifts?${query.replace(':rota', String(ids.rota))}`, undefined, 400, code);
    });

    it.each([
      [{ days: [{ date: '2026-02-30', kind: 'closed' }] }],
      [{ days: [{ date: '2026-04-01', kind: 'holiday' }] }],
      [{ days: [] }],
      [{ days: [{ date: '2026-04-01', kind: 'closed' }, { date: '2026-04-01', kind: 'open' }] }],
    ])('refuses calendar days %j', async (body) => {
      await refused('POST', `/api/v1/day-calendars/${ids.calendar}/days`, body, 400, 'VALIDATION');
    });
  });

  describe('with ids that do not exist', () => {
    it.each([
      ['GET', '/api/v1/people/99999', undefined],
      ['PATCH', '/api/v1/people/99999', { name: 'Ghost' }],
      ['DELETE', '/api/v1/people/99999', undefined],
      ['POST', '/api/v1/people/99999/tokens', { kind: 'access' }],
      ['GET', '/api/v1/teams/99999', undefined],
      ['PATCH', '/api/v1/teams/99999', { name: 'Ghost' }],
      ['DELETE', '/api/v1/teams/99999', undefined],
      ['GET', '/api/v1/rotas/99999', undefined],
      ['PATCH', '/api/v1/rotas/99999', { name: 'Ghost' }],
      ['DELETE', '/api/v1/rotas/99999', undefined],
      ['GET', '/api/v1/rotas/99999/series', undefined],
      ['POST', '/api/v1/rotas/99999/series', { rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2 }],
      ['GET', '/api/v1/series/99999', undefined],
      ['PATCH', '/api/v1/series/99999', { startTime: '08:00' }],
      ['GET', '/api/v1/day-calendars/cal-000000000000', undefined],
      ['POST', '/api/v1/day-calendars/cal-000000000000/days', { days: [{ date: '2026-04-01', kind: 'closed' }] }],
      ['DELETE', '/api/v1/day-calendars/cal-000000000000/days/2026-04-01', undefined],
      ['GET', '/api/v1/shifts?rotaId=99999&from=2026-03-01&to=2026-03-07', undefined],
      ['GET', '/api/v1/shifts/99999.20260303T0715', undefined],
      ['PATCH', '/api/v1/shifts/99999.20260303T0715', { cancelled: true }],
      ['PATCH', '/api/v1/shifts/not-a-shift', { cancelled: true }],
      ['GET', '/api/v1/no-such-route', undefined],
    ] as [Method, string, object | undefined][])('%s %s answers 404', async (method, url, body) => {
      await refused(method, url, body, 404, 'NOT_FOUND');
    });

    it('answers 404 for a real series on a day it has no shift', async () => {
      await refused('PATCH', `/api/v1/shifts/${ids.series}.20260307T0715`, { cancelled: true }, 404, 'NOT_FOUND');
    });

    it.each(['/api/v1/people/abc', '/api/v1/people/0', '/api/v1/rotas/-1', '/api/v1/series/1.5', '/api/v1/teams/99999999999999999999'])('refuses the malformed id in %s with 400', async (url) => {
      await refused('GET', url, undefined, 400, 'VALIDATION');
    });
  });

  describe('in the body itself', () => {
    const send = async (url: string, payload: string, contentType: string) => {
      const before = dbState(t.db);
      const res = await t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${t.coordinatorToken}`, 'content-type': contentType } });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
      expect(dbState(t.db)).toBe(before);
      return res;
    };

    it('refuses malformed JSON with 400 VALIDATION', async () => {
      for (const payload of ['{"name": "Gate", "timezone": "Asia/Shanghai"', "{name: 'Gate'}", '{"name":"Gate","timezone":"Asia/Shanghai",}', 'null', '"Gate"', '[]', '']) {
        const res = await send('/api/v1/rotas', payload, 'application/json');
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION');
      }
    });

    it('refuses a body that is not JSON with 415', async () => {
      const res = await send('/api/v1/rotas', 'name=Gate&timezone=Asia/Shanghai', 'application/x-www-form-urlencoded');
      expect(res.statusCode).toBe(415);
    });

    it('refuses unknown fields instead of ignoring them', async () => {
      for (const [url, body] of [
        ['/api/v1/people', { name: 'Ok', isAdmin: true }],
        ['/api/v1/teams', { name: 'Ok', members: [1] }],
        ['/api/v1/rotas', { name: 'Ok', timezone: 'Asia/Shanghai', tz: 'UTC' }],
        ['/api/v1/day-calendars', { name: 'Ok', days: [] }],
        [`/api/v1/people/${ids.person}/tokens`, { kind: 'access', expires: '2027-01-01' }],
      ] as const) {
        const res = await send(url, JSON.stringify(body), 'application/json');
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION');
      }
    });
  });
});
