// Signing in: bearer access tokens only. Missing, unknown, malformed, replaced and archived tokens
// and feed tokens get 401; a volunteer acting as a coordinator gets 403; neither changes anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbState } from '../fixtures/db-state.js';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('signing in', () => {
  let t: TestApp;
  let rotaId: number;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
    rotaId = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Gate', timezone: 'Asia/Shanghai' } })).body.id;
  });
  afterAll(() => t.close());

  const raw = (url: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET', payload?: object) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it.each([
    ['no Authorization header', {}],
    ['an unknown token', { authorization: 'Bearer this-token-was-never-issued-0001' }],
    ['a Basic header', { authorization: 'Basic Y29vcmRpbmF0b3I6c2VjcmV0' }],
    ['Bearer without a token', { authorization: 'Bearer' }],
    ['a token too short to be one', { authorization: 'Bearer abc' }],
    ['two tokens', { authorization: 'Bearer coordinator-token-for-tests-000001 coordinator-token-for-tests-000001' }],
    ['the token without "Bearer"', { authorization: 'coordinator-token-for-tests-000001' }],
  ])('answers 401 UNAUTHENTICATED to %s, and changes nothing', async (_what, headers) => {
    const before = dbState(t.db);
    for (const res of [
      await raw('/api/v1/me', headers),
      await raw('/api/v1/shifts', headers),
      await raw('/api/v1/rotas', headers, 'POST', { name: 'Sneaky', timezone: 'Asia/Shanghai' }),
      await raw(`/api/v1/rotas/${rotaId}/series`, headers, 'POST', { rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2 }),
    ]) {
      expect(res.statusCode).toBe(401);
      const body = res.json();
      expect(body.error.code).toBe('UNAUTHENTICATED');
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    expect(dbState(t.db)).toBe(before);
  });

  it('accepts "bearer" in any case', async () => {
    expect((await raw('/api/v1/me', { authorization: 'bearer coordinator-token-for-tests-000001' })).statusCode).toBe(200);
  });

  it('refuses a replaced token and an archived person\'s token', async () => {
    const p = (await t.call('POST', '/api/v1/people', { body: { name: 'Replaced' } })).body;
    const q = (await t.call('POST', '/api/v1/people', { body: { name: 'Archived' } })).body;
    await t.call('POST', `/api/v1/people/${p.id}/tokens`, { body: { kind: 'access' } });
    await t.call('DELETE', `/api/v1/people/${q.id}`);
    for (const token of [p.accessToken, q.accessToken]) {
      const res = await t.call('GET', '/api/v1/rotas', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses every kind of feed token on the API', async () => {
    const person = (await t.call('POST', '/api/v1/people', { body: { name: 'Subscriber' } })).body;
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Team' } })).body;
    const rota = (await t.call('GET', `/api/v1/rotas/${rotaId}`)).body;
    for (const feedUrl of [person.feedUrl, team.feedUrl, rota.feedUrl] as string[]) {
      const token = feedUrl.split('/').at(-1)!.replace(/\.ics$/, '');
      const res = await t.call('GET', '/api/v1/shifts', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('keeps the health check and the API documentation open', async () => {
    expect((await t.call('GET', '/api/v1/health', { token: null })).status).toBe(200);
    expect((await t.call('GET', '/docs/json', { token: null })).status).toBe(200);
  });
});

describe('a volunteer acting as a coordinator', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  it('is refused with 403 FORBIDDEN on every coordinator action, and changes nothing', async () => {
    const other = (await t.call('POST', '/api/v1/people', { body: { name: 'Other' } })).body;
    const volunteer = (await t.call('POST', '/api/v1/people', { body: { name: 'Volunteer' } })).body;
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Team' } })).body;
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Gate', timezone: 'Asia/Shanghai' } })).body;
    const series = (
      await t.call('POST', `/api/v1/rotas/${rota.id}/series`, { body: { rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2 } })
    ).body;
    const calendar = (await t.call('POST', '/api/v1/day-calendars', { body: { name: 'Own' } })).body;
    const seriesBody = { rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2 };
    const attempts: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown][] = [
      ['GET', '/api/v1/people', undefined],
      ['POST', '/api/v1/people', { name: 'New coordinator', role: 'coordinator' }],
      ['GET', `/api/v1/people/${other.id}`, undefined],
      ['PATCH', `/api/v1/people/${other.id}`, { name: 'Renamed' }],
      ['PATCH', `/api/v1/people/${volunteer.id}`, { role: 'coordinator' }],
      ['PATCH', `/api/v1/people/${volunteer.id}`, { teamIds: [team.id] }],
      ['DELETE', `/api/v1/people/${other.id}`, undefined],
      ['POST', `/api/v1/people/${other.id}/tokens`, { kind: 'access' }],
      ['GET', '/api/v1/teams', undefined],
      ['POST', '/api/v1/teams', { name: 'Mine' }],
      ['PATCH', `/api/v1/teams/${team.id}`, { addMemberIds: [volunteer.id] }],
      ['DELETE', `/api/v1/teams/${team.id}`, undefined],
      ['POST', '/api/v1/rotas', { name: 'Mine', timezone: 'Asia/Shanghai' }],
      ['PATCH', `/api/v1/rotas/${rota.id}`, { name: 'Mine' }],
      ['DELETE', `/api/v1/rotas/${rota.id}`, undefined],
      ['POST', `/api/v1/rotas/${rota.id}/series`, seriesBody],
      ['PATCH', `/api/v1/series/${series.id}`, { startTime: '08:00' }],
      ['PATCH', `/api/v1/shifts/${series.id}.20260303T0715`, { cancelled: true }],
      ['POST', '/api/v1/day-calendars', { name: 'Mine' }],
      ['POST', `/api/v1/day-calendars/${calendar.id}/days`, { days: [{ date: '2026-03-03', kind: 'closed' }] }],
      ['DELETE', `/api/v1/day-calendars/${calendar.id}/days/2026-03-03`, undefined],
    ];
    const before = dbState(t.db);
    for (const [method, url, body] of attempts) {
      const res = await t.call(method, url, { token: volunteer.accessToken, ...(body === undefined ? {} : { body }) });
      expect({ method, url, status: res.status, code: res.body?.error?.code }).toEqual({ method, url, status: 403, code: 'FORBIDDEN' });
      expect(typeof res.body.error.message).toBe('string');
    }
    expect(dbState(t.db)).toBe(before);
  });
});
