// Rotas through the API: create with defaults, list, read, edit, archive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('rotas', () => {
  let t: TestApp;
  let volunteer: string;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
    volunteer = (await t.call('POST', '/api/v1/people', { body: { name: 'Volunteer' } })).body.accessToken;
  });
  afterAll(() => t.close());

  const rota = async (body: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', ...body } });
    expect(res.status).toBe(201);
    return res.body as { id: number };
  };

  it('creates a rota with the documented defaults and a calendar link', async () => {
    const res = await t.call('POST', '/api/v1/rotas', { body: { name: 'East gate, mornings', timezone: 'Asia/Shanghai', location: '  School east gate ' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'East gate, mornings',
      timezone: 'Asia/Shanghai',
      location: 'School east gate',
      description: null,
      waitlist: true,
      countUnmarked: true,
      cancelClosesHoursBefore: 12,
      requireApproval: false,
      teamIds: [],
      archived: false,
    });
    expect(res.body.feedUrl).toMatch(/^https:\/\/rota\.example\.org\/feeds\/rotas\/[A-Za-z0-9_-]{32,}\.ics$/);
  });

  it('keeps the settings it is given', async () => {
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Parents' } })).body;
    const res = await t.call('POST', '/api/v1/rotas', {
      body: { name: 'Patrol', timezone: 'Europe/Berlin', description: 'Evening walk', waitlist: false, countUnmarked: false, cancelClosesHoursBefore: 48, teamIds: [team.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ timezone: 'Europe/Berlin', description: 'Evening walk', waitlist: false, countUnmarked: false, cancelClosesHoursBefore: 48, teamIds: [team.id] });
  });

  it('stores a time zone written in the wrong case in its own spelling', async () => {
    for (const [given, stored] of [
      ['asia/shanghai', 'Asia/Shanghai'],
      ['EUROPE/BERLIN', 'Europe/Berlin'],
      ['utc', 'UTC'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
    ]) {
      const res = await t.call('POST', '/api/v1/rotas', { body: { name: 'Zone', timezone: given } });
      expect(res.status).toBe(201);
      expect(res.body.timezone).toBe(stored);
    }
  });

  it('lists and reads rotas for everyone signed in', async () => {
    const r = await rota({ name: 'Readable' });
    const list = await t.call('GET', '/api/v1/rotas', { token: volunteer });
    expect(list.status).toBe(200);
    expect(list.body.rotas.map((x: { id: number }) => x.id)).toContain(r.id);
    const one = await t.call('GET', `/api/v1/rotas/${r.id}`, { token: volunteer });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: r.id, name: 'Readable' });
  });

  it('edits a rota\'s name, place and settings, but not its time zone', async () => {
    const r = await rota();
    const res = await t.call('PATCH', `/api/v1/rotas/${r.id}`, { body: { name: 'West gate', location: null, waitlist: false, cancelClosesHoursBefore: 0 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: r.id, name: 'West gate', location: null, waitlist: false, cancelClosesHoursBefore: 0, timezone: 'Asia/Shanghai' });
    const zone = await t.call('PATCH', `/api/v1/rotas/${r.id}`, { body: { timezone: 'Europe/Berlin' } });
    expect(zone.status).toBe(400);
    expect(zone.body.error.code).toBe('VALIDATION');
    expect((await t.call('GET', `/api/v1/rotas/${r.id}`)).body.timezone).toBe('Asia/Shanghai');
  });

  it('archives a rota: it leaves the list and its shifts leave the default listing', async () => {
    const r = await rota({ name: 'Short-lived' });
    await t.call('POST', `/api/v1/rotas/${r.id}/series`, { body: { rrule: 'FREQ=DAILY', startDate: '2026-03-01', startTime: '08:00', durationMinutes: 30, minVolunteers: 1, maxVolunteers: 2 } });
    const res = await t.call('DELETE', `/api/v1/rotas/${r.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: r.id, archived: true });
    expect((await t.call('GET', '/api/v1/rotas')).body.rotas.map((x: { id: number }) => x.id)).not.toContain(r.id);
    expect((await t.call('GET', '/api/v1/rotas?includeArchived=true')).body.rotas.map((x: { id: number }) => x.id)).toContain(r.id);
    const shifts = (await t.call('GET', '/api/v1/shifts?from=2026-03-01&to=2026-03-07')).body.shifts;
    expect(shifts.filter((s: { rotaId: number }) => s.rotaId === r.id)).toEqual([]);
  });

  it('lets only coordinators create, edit or archive rotas', async () => {
    const r = await rota({ name: 'Guarded' });
    for (const [method, url, body] of [
      ['POST', '/api/v1/rotas', { name: 'Mine', timezone: 'Asia/Shanghai' }],
      ['PATCH', `/api/v1/rotas/${r.id}`, { name: 'Mine' }],
      ['DELETE', `/api/v1/rotas/${r.id}`, undefined],
    ] as const) {
      const res = await t.call(method, url, { token: volunteer, ...(body ? { body } : {}) });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.call('GET', `/api/v1/rotas/${r.id}`)).body).toMatchObject({ name: 'Guarded', archived: false });
    expect((await t.call('GET', '/api/v1/rotas')).body.rotas.map((x: { name: string }) => x.name)).not.toContain('Mine');
  });
});
