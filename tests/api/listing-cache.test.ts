// A rota's listing is kept per data revision: every change that a listing shows must show in the
// very next listing, whether it came through this app, another connection or another process.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { makeApp, type TestApp } from '../helpers/app.js';
import { testDatabase } from '../helpers/engine.js';
import { makePerson, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, tempDatabase, type RealServer } from '../helpers/server.js';

interface Listed {
  id: string;
  start: string;
  status: string;
  max: number;
  people: { id: number; name: string }[];
  waitlist: { id: number; name: string }[];
}

const WEEK = 'from=2026-03-09&to=2026-03-15';

describe('a kept listing shows each change at once', () => {
  let t: TestApp;
  let rota: RotaSetup;
  let ann: PersonSetup;
  let ben: PersonSetup;
  const list = async (query = `rotaId=${rota.rotaId}&${WEEK}`) => {
    const res = await t.call('GET', `/api/v1/shifts?${query}`);
    expect(res.status).toBe(200);
    return res.body.shifts as Listed[];
  };
  const shift = async (id: string) => (await list()).find((s) => s.id === id);

  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
    ann = await makePerson(t.call, 'Ann');
    ben = await makePerson(t.call, 'Ben');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    rota = await makeRota(t.call, { name: `Gate ${Math.random()}`, waitlist: true, maxVolunteers: 1 });
    // Listed three times, so that the answers below come after a kept listing and its kept bytes
    // (made on a kept listing's second use).
    const first = await list();
    expect(await list()).toEqual(first);
    expect(await list()).toEqual(first);
  });

  it('answers a kept listing with the same bytes and type on its first use, its second (when its bytes are made) and after', async () => {
    const query = `/api/v1/shifts?rotaId=${rota.rotaId}&from=2026-03-16&to=2026-03-22`;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await t.call('GET', query));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(a.text).toBe(answers[0]!.text);
    }
    expect((answers[0]!.body.shifts as Listed[]).length).toBe(7);
  });

  it('a sign-up, a second one waitlisted, and a cancellation that promotes the waiting one', async () => {
    const id = rota.shiftOn('2026-03-10');
    const first = await t.call('POST', `/api/v1/shifts/${id}/signups`, { token: ann.token, body: {} });
    expect(first.status).toBe(201);
    expect(await shift(id)).toMatchObject({ status: 'full', people: [{ id: ann.id, name: 'Ann' }], waitlist: [] });
    expect((await t.call('POST', `/api/v1/shifts/${id}/signups`, { token: ben.token, body: {} })).status).toBe(201);
    expect(await shift(id)).toMatchObject({ people: [{ id: ann.id }], waitlist: [{ id: ben.id, name: 'Ben' }] });
    expect((await t.call('DELETE', `/api/v1/signups/${first.body.id}`, { token: ann.token })).status).toBe(200);
    expect(await shift(id)).toMatchObject({ status: 'full', people: [{ id: ben.id }], waitlist: [] });
  });

  it('a shift cancelled or given more places on its own', async () => {
    const id = rota.shiftOn('2026-03-11');
    expect((await t.call('PATCH', `/api/v1/shifts/${id}`, { body: { maxVolunteers: 3 } })).status).toBe(200);
    expect(await shift(id)).toMatchObject({ max: 3 });
    expect((await t.call('PATCH', `/api/v1/shifts/${id}`, { body: { cancelled: true } })).status).toBe(200);
    expect(await shift(id)).toMatchObject({ status: 'cancelled' });
  });

  it('a series edit: a new start time from a date on', async () => {
    const res = await t.call('PATCH', `/api/v1/series/${rota.seriesId}`, { body: { from: '2026-03-12', startTime: '08:30' } });
    expect(res.status).toBe(200);
    const starts = (await list()).map((s) => s.start);
    expect(starts).toContain('2026-03-11T07:15:00+08:00');
    expect(starts).toContain('2026-03-12T08:30:00+08:00');
    expect(starts).not.toContain('2026-03-12T07:15:00+08:00');
  });

  it('a second series added to the rota', async () => {
    const res = await t.call('POST', `/api/v1/rotas/${rota.rotaId}/series`, {
      body: { rrule: 'FREQ=WEEKLY;BYDAY=SA', startDate: '2026-03-02', startTime: '18:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2 },
    });
    expect(res.status).toBe(201);
    expect((await list()).filter((s) => s.start === '2026-03-14T18:00:00+08:00')).toHaveLength(1);
  });

  it('a day closed in a calendar the series follows, and opened again', async () => {
    const calendar = (await t.call('POST', '/api/v1/day-calendars', { body: { name: `Term ${Math.random()}` } })).body;
    expect((await t.call('PATCH', `/api/v1/series/${rota.seriesId}`, { body: { dayCalendarIds: [calendar.id] } })).status).toBe(200);
    const id = rota.shiftOn('2026-03-13');
    expect(await shift(id)).toBeDefined();
    expect((await t.call('POST', `/api/v1/day-calendars/${calendar.id}/days`, { body: { days: [{ date: '2026-03-13', kind: 'closed' }] } })).status).toBe(201);
    expect(await shift(id)).toBeUndefined();
    expect((await t.call('DELETE', `/api/v1/day-calendars/${calendar.id}/days/2026-03-13`)).status).toBe(200);
    expect(await shift(id)).toBeDefined();
  });

  it('a person renamed', async () => {
    const id = rota.shiftOn('2026-03-14');
    const cy = await makePerson(t.call, 'Cy');
    expect((await t.call('POST', `/api/v1/shifts/${id}/signups`, { token: cy.token, body: {} })).status).toBe(201);
    expect((await shift(id))?.people).toEqual([{ id: cy.id, name: 'Cy' }]);
    expect((await t.call('PATCH', `/api/v1/people/${cy.id}`, { body: { name: 'Cyrus' } })).status).toBe(200);
    expect((await shift(id))?.people).toEqual([{ id: cy.id, name: 'Cyrus' }]);
  });

  it('the default window moves on with the rota\'s own date', async () => {
    const query = `rotaId=${rota.rotaId}`;
    expect((await list(query))[0]!.start).toBe('2026-03-02T07:15:00+08:00');
    t.setNow('2026-03-02T16:30:00Z'); // 00:30 on 3 March in Shanghai
    expect((await list(query))[0]!.start).toBe('2026-03-03T07:15:00+08:00');
    t.setNow('2026-03-01T00:00:00Z');
  });

  it('a listing of every rota shows a sign-up in one of them', async () => {
    const id = rota.shiftOn('2026-03-15');
    const everyRota = `${WEEK}`;
    expect((await list(everyRota)).find((s) => s.id === id)?.people).toEqual([]);
    expect((await t.call('POST', `/api/v1/shifts/${id}/signups`, { token: ben.token, body: {} })).status).toBe(201);
    expect((await list(everyRota)).find((s) => s.id === id)?.people).toEqual([{ id: ben.id, name: 'Ben' }]);
  });

  it('a rota that does not exist is 404, kept listings or not', async () => {
    expect((await t.call('GET', `/api/v1/shifts?rotaId=99999&${WEEK}`)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('two server processes on one database (a file, or PostgreSQL under npm run test:pg)', () => {
  let folder: ReturnType<typeof tempDatabase>;
  let database: { location: string; drop(): Promise<void> };
  let one: RealServer;
  let two: RealServer;

  beforeAll(async () => {
    folder = tempDatabase();
    database = await testDatabase(dirname(folder.file));
    one = await startServer(database.location);
    two = await startServer(database.location);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await database?.drop();
    folder?.remove();
  });

  it('each shows in its next listing what the other wrote', async () => {
    // The servers use the real clock: the shifts lie in 2027.
    const rota = await makeRota(one.call, { startDate: '2027-01-04', maxVolunteers: 2 });
    const person = await makePerson(one.call, 'Dee');
    const id = rota.shiftOn('2027-01-05');
    const week = `/api/v1/shifts?rotaId=${rota.rotaId}&from=2027-01-04&to=2027-01-10`;
    const peopleOn = async (server: RealServer) => ((await server.call('GET', week)).body.shifts as Listed[]).find((s) => s.id === id)!.people;
    expect(await peopleOn(one)).toEqual([]);
    expect(await peopleOn(two)).toEqual([]);
    const signup = await two.call('POST', `/api/v1/shifts/${id}/signups`, { token: person.token, body: {} });
    expect(signup.status).toBe(201);
    expect(await peopleOn(one)).toEqual([{ id: person.id, name: 'Dee' }]);
    expect((await one.call('PATCH', `/api/v1/people/${person.id}`, { body: { name: 'Deirdre' } })).status).toBe(200);
    expect(await peopleOn(two)).toEqual([{ id: person.id, name: 'Deirdre' }]);
    expect((await one.call('DELETE', `/api/v1/signups/${signup.body.id}`, { token: person.token })).status).toBe(200);
    expect(await peopleOn(two)).toEqual([]);
  }, 60_000);
});
