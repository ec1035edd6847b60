// Caps that keep one request cheap: a year of gaps, shifts, a duty sheet or an auto-fill on a rota
// with two hourly series is refused with RANGE_TOO_LONG (shorter windows still work), and a rota's
// series are bounded in number and in shifts per day. A school term of daily shifts for two posts
// stays well inside every limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbState } from '../fixtures/db-state.js';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('caps on shifts per request and per rota', () => {
  let t: TestApp;
  let hourly: number;
  let term: number;

  const series = (rotaId: number, rrule: string, startTime = '07:15') =>
    t.call('POST', `/api/v1/rotas/${rotaId}/series`, { body: { rrule, startDate: '2026-03-02', startTime, durationMinutes: 30, minVolunteers: 1, maxVolunteers: 2 } });

  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
    hourly = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Night watch', timezone: 'Asia/Shanghai' } })).body.id;
    expect((await series(hourly, 'FREQ=HOURLY', '00:00')).status).toBe(201);
    expect((await series(hourly, 'FREQ=HOURLY', '00:30')).status).toBe(201);
    term = (await t.call('POST', '/api/v1/rotas', { body: { name: 'School gate', timezone: 'Asia/Shanghai' } })).body.id;
    expect((await series(term, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '07:15')).status).toBe(201);
    expect((await series(term, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '16:30')).status).toBe(201);
  });
  afterAll(async () => t.close());

  it.each([
    ['GET', (id: number) => `/api/v1/shifts?rotaId=${id}&from=2026-03-02&to=2027-03-01`, 5000],
    ['GET', (id: number) => `/api/v1/gaps?rotaId=${id}&from=2026-03-02&to=2027-03-01`, 5000],
    ['GET', (id: number) => `/api/v1/rotas/${id}/sheet?from=2026-03-02&to=2027-03-01&format=xlsx`, 3000],
    ['POST', (id: number) => `/api/v1/rotas/${id}/autofill`, 800],
  ] as const)('refuses %s %s for a year of two hourly series with RANGE_TOO_LONG', async (method, url, limit) => {
    const before = dbState(t.db);
    const res = await t.call(method, url(hourly), method === 'POST' ? { body: { from: '2026-03-02', to: '2027-03-01', dryRun: true } } : {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'RANGE_TOO_LONG', field: 'to', limit });
    expect(res.body.error.message).toMatch(new RegExp(`More than ${limit} shifts fall between 2026-03-02 and 2027-03-01; ask for fewer days`));
    expect(dbState(t.db)).toBe(before);
  });

  it('lists a month of the two hourly series, and refuses a year across all rotas with a hint to name one', async () => {
    const month = await t.call('GET', `/api/v1/shifts?rotaId=${hourly}&from=2026-03-02&to=2026-03-31`);
    expect(month.status).toBe(200);
    expect(month.body.shifts).toHaveLength(30 * 48);
    const all = await t.call('GET', '/api/v1/shifts?from=2026-03-02&to=2027-03-01');
    expect(all.status).toBe(400);
    expect(all.body.error.message).toMatch(/fewer days or one rota \(rotaId\)/);
  });

  it('keeps a school term of daily shifts for two posts working: shifts, gaps, sheet and auto-fill dry run', async () => {
    const window = 'from=2026-03-02&to=2026-07-10';
    const shifts = await t.call('GET', `/api/v1/shifts?rotaId=${term}&${window}`);
    expect(shifts.status).toBe(200);
    expect(shifts.body.shifts).toHaveLength(2 * 95);
    expect((await t.call('GET', `/api/v1/gaps?rotaId=${term}&${window}`)).body.gaps).toHaveLength(2 * 95);
    expect((await t.call('GET', `/api/v1/rotas/${term}/sheet?${window}&format=xlsx`)).status).toBe(200);
    await t.call('POST', '/api/v1/people', { body: { name: 'Captain Li' } });
    const plan = await t.call('POST', `/api/v1/rotas/${term}/autofill`, { body: { from: '2026-03-02', to: '2026-07-10', dryRun: true } });
    expect(plan.status).toBe(200);
    expect(plan.body.applied).toBe(false);
  });

  it('bounds a rota: at most 96 shifts a day across its series, and at most 50 series', async () => {
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Patrols', timezone: 'Asia/Shanghai' } })).body.id;
    for (let i = 0; i < 4; i++) expect((await series(rota, 'FREQ=HOURLY', `00:${String(i * 10).padStart(2, '0')}`)).status).toBe(201);
    const before = dbState(t.db);
    const fifth = await series(rota, 'FREQ=HOURLY', '00:45');
    expect(fifth.status).toBe(400);
    expect(fifth.body.error).toMatchObject({ code: 'VALIDATION', field: 'rrule', limit: 96 });
    expect(fifth.body.error.message).toMatch(/up to 120 shifts a day; a rota holds at most 96 a day/);
    expect(dbState(t.db)).toBe(before);
    const many = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Many posts', timezone: 'Asia/Shanghai' } })).body.id;
    for (let i = 0; i < 50; i++) expect((await series(many, 'FREQ=WEEKLY;BYDAY=SA')).status).toBe(201);
    const fiftyFirst = await series(many, 'FREQ=WEEKLY;BYDAY=SU');
    expect(fiftyFirst.status).toBe(400);
    expect(fiftyFirst.body.error).toMatchObject({ code: 'VALIDATION', limit: 50 });
    expect(fiftyFirst.body.error.message).toMatch(/at most 50 series/);
  });
});
