// What a request no longer reads each time, and must still never get wrong: who a token signs in,
// a person's reach (their units), a rota's schedule across its sign-ups and the rotas a personal
// feed shows are kept per connection until the data they come from changes — in this connection or
// another one on the same file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { buildApp, type App } from '../../src/http/app.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makeRota } from '../helpers/signup-fixtures.js';

const NOW = '2026-05-04T00:00:00Z';

/** A second app on the same database file, with its own connection (as a second process has). */
async function secondApp(file: string): Promise<{ app: App; db: Db; get(url: string, token: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; text: string }> }> {
  const db = openDb(file);
  const app = await buildApp({ config: loadConfig({ dbPath: file, publicUrl: 'https://rota.example.org', now: () => new Date(NOW) }, {}), db, logger: false });
  return {
    app,
    db,
    async get(url, token, headers = {}) {
      const res = await app.inject({ method: 'GET', url, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      return { status: res.statusCode, headers: res.headers, text: res.body };
    },
  };
}

describe('kept reach and feed versions follow every change', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof secondApp>>;

  beforeAll(async () => {
    t = await makeApp(NOW);
    other = await secondApp(t.file);
  });
  afterAll(async () => {
    await other.app.close();
    other.db.$client.close();
    await t.close();
  });

  async function created(url: string, body: object, token = t.coordinatorToken): Promise<any> {
    const res = await t.call('POST', url, { token, body });
    expect(res.status, `${url}: ${res.text}`).toBe(201);
    return res.body;
  }

  it('a coordinator reaches a unit added below theirs at once, and loses a unit with the role', async () => {
    const street = (await created('/api/v1/units', { name: '南山街道', kind: 'street' })).id;
    const office = await created('/api/v1/people', { name: '街道 协调员', unitId: street });
    await created(`/api/v1/units/${street}/roles`, { personId: office.id, role: 'coordinator' });
    // Both connections work out (and keep) the office's reach: the street alone.
    expect((await t.call('GET', '/api/v1/units', { token: office.accessToken })).body.units.map((u: { id: number }) => u.id)).toEqual([street]);
    expect(JSON.parse((await other.get('/api/v1/units', office.accessToken)).text).units.map((u: { id: number }) => u.id)).toEqual([street]);

    const community = (await created('/api/v1/units', { name: '风华社区', kind: 'community', parentId: street }, office.accessToken)).id;
    // The other connection sees the new unit in the office's reach on its next request.
    expect((await other.get(`/api/v1/units?parentId=${street}`, office.accessToken)).text).toContain('风华社区');
    expect((await other.get(`/api/v1/overview/units/${community}`, office.accessToken)).status).toBe(200);

    expect((await t.call('DELETE', `/api/v1/units/${street}/roles/${office.id}`)).status).toBe(200);
    const after = await other.get(`/api/v1/overview/units/${community}`, office.accessToken);
    expect(after.status).toBe(404);
    expect(JSON.parse(after.text).error.code).toBe('NOT_FOUND');
  });

  it('two captains of one building reach the same units, and a role given to one widens only theirs', async () => {
    const community = (await created('/api/v1/units', { name: '高新社区', kind: 'community' })).id;
    const home = (await created('/api/v1/units', { name: '1栋', kind: 'building', parentId: community })).id;
    const next = (await created('/api/v1/units', { name: '2栋', kind: 'building', parentId: community })).id;
    const li = await created('/api/v1/people', { name: '李秀英', unitId: home });
    const wang = await created('/api/v1/people', { name: '王建华', unitId: home });
    const unitsOf = async (token: string) => JSON.parse((await other.get('/api/v1/units', token)).text).units.map((u: { id: number }) => u.id).sort();
    expect(await unitsOf(li.accessToken)).toEqual([community, home].sort());
    expect(await unitsOf(wang.accessToken)).toEqual([community, home].sort());

    await created(`/api/v1/units/${next}/roles`, { personId: li.id, role: 'coordinator' });
    expect(await unitsOf(li.accessToken)).toEqual([community, home, next].sort());
    expect(await unitsOf(wang.accessToken)).toEqual([community, home].sort());
    expect((await other.get(`/api/v1/overview/units/${next}`, wang.accessToken)).status).toBe(404);

    expect((await t.call('DELETE', `/api/v1/units/${next}/roles/${li.id}`)).status).toBe(200);
    expect(await unitsOf(li.accessToken)).toEqual([community, home].sort());
  });

  it('a person moved to another unit is out of the old unit coordinator\'s reach at once, on another connection', async () => {
    const east = (await created('/api/v1/units', { name: '东区街道', kind: 'street' })).id;
    const west = (await created('/api/v1/units', { name: '西区街道', kind: 'street' })).id;
    const office = await created('/api/v1/people', { name: '东区 协调员', unitId: east });
    await created(`/api/v1/units/${east}/roles`, { personId: office.id, role: 'coordinator' });
    const captain = await created('/api/v1/people', { name: '张建国', unitId: east });
    // The other connection finds (and keeps) the captain's unit for the office's request.
    expect((await other.get(`/api/v1/people/${captain.id}`, office.accessToken)).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/people/${captain.id}`, { body: { unitId: west } })).status).toBe(200);
    const moved = await other.get(`/api/v1/people/${captain.id}`, office.accessToken);
    expect(moved.status).toBe(404);
    expect(JSON.parse(moved.text).error.code).toBe('NOT_FOUND');
  });

  it('a replaced personal link stops signing in at once, and a renamed person signs in renamed, on another connection', async () => {
    const bee = await created('/api/v1/people', { name: '李秀英' });
    // The other connection signs her in (and keeps who the token is).
    expect(JSON.parse((await other.get('/api/v1/me', bee.accessToken)).text).name).toBe('李秀英');
    expect((await t.call('PATCH', `/api/v1/people/${bee.id}`, { body: { name: '李秀英 (1栋)' } })).status).toBe(200);
    expect(JSON.parse((await other.get('/api/v1/me', bee.accessToken)).text).name).toBe('李秀英 (1栋)');
    const replaced = await created(`/api/v1/people/${bee.id}/tokens`, { kind: 'access' });
    const old = await other.get('/api/v1/me', bee.accessToken);
    expect(old.status).toBe(401);
    expect(JSON.parse(old.text).error.code).toBe('UNAUTHENTICATED');
    expect((await other.get('/api/v1/me', replaced.token)).status).toBe(200);
  });

  it('a sign-up keeps its rota\'s schedule for the next one, and the next one still sees the shift changed on another connection', async () => {
    const gate = await makeRota(t.call, { name: '北门 护学岗', startDate: '2026-05-04', maxVolunteers: 3 });
    const shift = gate.shiftOn('2026-05-08');
    const [ann, bo, cy] = [await created('/api/v1/people', { name: '周敏' }), await created('/api/v1/people', { name: '吴刚' }), await created('/api/v1/people', { name: '郑洁' })];
    expect((await created(`/api/v1/shifts/${shift}/signups`, {}, ann.accessToken)).status).toBe('confirmed');
    expect((await created(`/api/v1/shifts/${shift}/signups`, {}, bo.accessToken)).status).toBe('confirmed');
    // The other connection lowers the shift to the two places it has filled.
    const edited = await other.app.inject({ method: 'PATCH', url: `/api/v1/shifts/${shift}`, headers: { authorization: `Bearer ${t.coordinatorToken}` }, payload: { maxVolunteers: 2 } });
    expect(edited.statusCode, edited.body).toBe(200);
    const third = await t.call('POST', `/api/v1/shifts/${shift}/signups`, { token: cy.accessToken, body: {} });
    expect(third.status, third.text).toBe(201);
    expect(third.body.status).toBe('waitlisted');
  });

  it('a personal feed shows a sign-up in a rota the person was not on before, and both connections give it the same version', async () => {
    const gate = await makeRota(t.call, { name: '东门 护学岗', startDate: '2026-05-04' });
    const patrol = await makeRota(t.call, { name: '夜间巡逻', startDate: '2026-05-04', startTime: '19:00' });
    const ann = await created('/api/v1/people', { name: '王芳' });
    await created(`/api/v1/shifts/${gate.shiftOn('2026-05-06')}/signups`, {}, ann.accessToken);
    const feed = new URL(ann.feedUrl).pathname;

    const first = await t.call('GET', feed, { token: null });
    expect(first.status).toBe(200);
    expect(first.text).not.toContain('夜间巡逻');
    const etag = String(first.headers.etag);
    expect((await other.get(feed, '')).headers.etag).toBe(etag);
    expect((await other.get(feed, '', { 'if-none-match': etag })).status).toBe(304);

    await created(`/api/v1/shifts/${patrol.shiftOn('2026-05-07')}/signups`, {}, ann.accessToken);
    const second = await other.get(feed, '', { 'if-none-match': etag });
    expect(second.status).toBe(200);
    expect(second.text).toContain('夜间巡逻');
    expect(second.headers.etag).not.toBe(etag);
    const again = await t.call('GET', feed, { token: null, headers: { 'if-none-match': String(second.headers.etag) } });
    expect(again.status).toBe(304);
  });
});
