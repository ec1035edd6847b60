// Shift listing through the API: the school year, fill counts, windows, warnings; plus health,
// /me and the API documentation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schoolDays } from '../fixtures/cn-school-days.js';
import { makeApp, type TestApp } from '../helpers/app.js';

interface WireShift {
  id: string;
  rotaId: number;
  seriesId: number;
  start: string;
  end: string;
  localDate: string;
  min: number;
  max: number;
  confirmed: number;
  waitlisted: number;
  people: { id: number; name: string }[];
  waitlist: { id: number; name: string }[];
  status: string;
  origin: string;
}

describe('listing shifts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  async function rotaWith(series: Record<string, unknown>, rota: Record<string, unknown> = {}) {
    const r = (await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', ...rota } })).body;
    const s = await t.call('POST', `/api/v1/rotas/${r.id}/series`, {
      body: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, ...series },
    });
    expect(s.status).toBe(201);
    return { rotaId: r.id as number, seriesId: s.body.id as number };
  }
  const list = async (query: string, token?: string) => {
    const res = await t.call('GET', `/api/v1/shifts?${query}`, token ? { token } : {});
    expect(res.status).toBe(200);
    return res.body as { shifts: WireShift[]; warnings: { code: string; calendarId: string; year: number; message: string }[] };
  };

  it('lists every 2026 school day at 07:15 Shanghai time, none on holidays, one on each make-up day', async () => {
    const { rotaId, seriesId } = await rotaWith({ dayCalendarIds: ['cn-mainland'] });
    const { shifts, warnings } = await list(`rotaId=${rotaId}&from=2026-01-01&to=2026-12-31`);
    const expected = schoolDays(2026);
    expect(shifts.map((s) => s.localDate)).toEqual(expected.days);
    expect(shifts.every((s) => s.start === `${s.localDate}T07:15:00+08:00` && s.end === `${s.localDate}T08:00:00+08:00`)).toBe(true);
    expect(shifts.filter((s) => expected.closed.has(s.localDate))).toEqual([]);
    for (const date of expected.makeUp) expect(shifts.filter((s) => s.localDate === date).map((s) => s.origin)).toEqual(['open-day']);
    expect(shifts[0]).toMatchObject({ id: `${seriesId}.20260104T0715`, origin: 'open-day', rotaId, seriesId, min: 2, max: 4, confirmed: 0, waitlisted: 0, people: [], status: 'gap' });
    expect(warnings).toEqual([]);
  });

  it('warns when the window reaches a year the holiday calendar has no data for', async () => {
    const { rotaId } = await rotaWith({ dayCalendarIds: ['cn-mainland'] });
    const { shifts, warnings } = await list(`rotaId=${rotaId}&from=2026-12-28&to=2027-01-08`);
    expect(warnings).toEqual([{ code: 'NO_HOLIDAY_DATA', calendarId: 'cn-mainland', year: 2027, message: expect.stringContaining('2027') }]);
    // Without data, 1 January 2027 is an ordinary Friday.
    expect(shifts.map((s) => s.localDate)).toContain('2027-01-01');
  });

  it('counts confirmed and waitlisted people on each shift and says whether it is short, ok or full', async () => {
    const { rotaId, seriesId } = await rotaWith({ minVolunteers: 1, maxVolunteers: 2 });
    const people = [];
    for (const name of ['甲', '乙', '丙']) people.push((await t.call('POST', '/api/v1/people', { body: { name } })).body);
    const full = `${seriesId}.20260303T0715`;
    const ok = `${seriesId}.20260304T0715`;
    for (const p of people) expect((await t.call('POST', `/api/v1/shifts/${full}/signups`, { body: { personId: p.id } })).status).toBe(201);
    await t.call('POST', `/api/v1/shifts/${ok}/signups`, { body: { personId: people[0].id } });
    const shifts = (await list(`rotaId=${rotaId}&from=2026-03-02&to=2026-03-04`)).shifts;
    expect(shifts.map((s) => [s.id, s.confirmed, s.waitlisted, s.status])).toEqual([
      [`${seriesId}.20260302T0715`, 0, 0, 'gap'],
      [full, 2, 1, 'full'],
      [ok, 1, 0, 'ok'],
    ]);
    expect(shifts[1]!.people).toEqual([{ id: people[0].id, name: '甲' }, { id: people[1].id, name: '乙' }]);
    expect(shifts[1]!.waitlist).toEqual([{ id: people[2].id, name: '丙' }]);
    expect((await t.call('GET', `/api/v1/shifts/${full}`)).body).toMatchObject({ id: full, confirmed: 2, waitlisted: 1, status: 'full' });
  });

  it('lists the next two weeks from today in the rota\'s zone when no window is given', async () => {
    const { rotaId } = await rotaWith({ rrule: 'FREQ=DAILY', startTime: '23:30' });
    t.setNow('2026-03-09T16:30:00Z'); // 00:30 on 10 March in Shanghai
    try {
      const dates = (await list(`rotaId=${rotaId}`)).shifts.map((s) => s.localDate);
      expect(dates[0]).toBe('2026-03-10');
      expect(dates.at(-1)).toBe('2026-03-23');
      expect(dates).toHaveLength(14);
    } finally {
      t.setNow('2026-03-01T00:00:00Z');
    }
  });

  it('lists the shifts of every rota, each in its own zone, to everyone signed in', async () => {
    const shanghai = await rotaWith({ rrule: 'FREQ=DAILY' });
    const berlin = await rotaWith({ rrule: 'FREQ=DAILY', startTime: '18:00' }, { name: 'Abendrunde', timezone: 'Europe/Berlin' });
    const volunteer = (await t.call('POST', '/api/v1/people', { body: { name: 'V' } })).body.accessToken;
    const { shifts } = await list('from=2026-03-28&to=2026-03-29', volunteer);
    const mine = shifts.filter((s) => s.rotaId === shanghai.rotaId || s.rotaId === berlin.rotaId).map((s) => s.start);
    expect(mine).toEqual(['2026-03-28T07:15:00+08:00', '2026-03-28T18:00:00+01:00', '2026-03-29T07:15:00+08:00', '2026-03-29T18:00:00+02:00']);
  });

  it('lists a 366-day window and refuses a 367-day one', async () => {
    const { rotaId } = await rotaWith({});
    expect((await list(`rotaId=${rotaId}&from=2026-01-01&to=2027-01-01`)).shifts.length).toBe(262);
    const res = await t.call('GET', `/api/v1/shifts?rotaId=${rotaId}&from=2026-01-01&to=2027-01-02`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'RANGE_TOO_LONG', message: expect.stringContaining('366 days') });
  });

  it('answers one shift by id, and 404 for a shift that does not exist', async () => {
    const { seriesId } = await rotaWith({});
    expect((await t.call('GET', `/api/v1/shifts/${seriesId}.20260302T0715`)).body).toMatchObject({ start: '2026-03-02T07:15:00+08:00', localDate: '2026-03-02' });
    for (const id of [`${seriesId}.20260301T0715`, `${seriesId}.20260302T0716`, '99999.20260302T0715', 'not-a-shift']) {
      const res = await t.call('GET', `/api/v1/shifts/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('the service itself', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  it('answers the health check without a token', async () => {
    const res = await t.call('GET', '/api/v1/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('describes its API as OpenAPI at /docs/json, with every foundation route and bearer sign-in', async () => {
    const res = await t.call('GET', '/docs/json', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/api/v1/health',
      '/api/v1/me',
      '/api/v1/people',
      '/api/v1/people/{id}',
      '/api/v1/people/{id}/tokens',
      '/api/v1/teams',
      '/api/v1/teams/{id}',
      '/api/v1/rotas',
      '/api/v1/rotas/{id}',
      '/api/v1/rotas/{rotaId}/series',
      '/api/v1/series/{id}',
      '/api/v1/day-calendars',
      '/api/v1/day-calendars/{id}',
      '/api/v1/day-calendars/{id}/days',
      '/api/v1/day-calendars/{id}/days/{date}',
      '/api/v1/day-calendars/{id}/import',
      '/api/v1/shifts',
      '/api/v1/shifts/{shiftId}',
    ]) {
      expect(paths).toContain(path);
    }
    const shifts = res.body.paths['/api/v1/shifts'].get;
    expect(Object.keys(shifts.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
  });

  it('serves a readable reference page at /docs', async () => {
    let res = await t.call('GET', '/docs', { token: null });
    if (res.status >= 300 && res.status < 400) res = await t.call('GET', new URL(String(res.headers.location), 'http://x/docs/').pathname, { token: null });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(res.text).toMatch(/swagger/i);
  });
});
