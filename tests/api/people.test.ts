// People through the API: create with a personal link, list, read, edit, archive, replace links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('people', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  async function person(body: Record<string, unknown> = {}) {
    const res = await t.call('POST', '/api/v1/people', { body: { name: '李秀英', ...body } });
    expect(res.status).toBe(201);
    return res.body as { id: number; name: string; accessToken: string; accessUrl: string; feedUrl: string; webcalUrl: string; role: string };
  }

  it('creates a person with a personal link that keeps the token in the fragment', async () => {
    const res = await t.call('POST', '/api/v1/people', { body: { name: '  王建国 ', phone: '13800000000', email: 'wang@example.org', locale: 'en' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '王建国', phone: '13800000000', email: 'wang@example.org', locale: 'en', role: 'volunteer', teamIds: [], homeTeamId: null, archived: false });
    expect(res.body.accessToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(res.body.accessUrl).toBe(`https://rota.example.org/me#${res.body.accessToken}`);
    expect(res.body.feedUrl).toMatch(/^https:\/\/rota\.example\.org\/feeds\/people\/[A-Za-z0-9_-]{32,}\.ics$/);
    expect(res.body.webcalUrl).toBe(res.body.feedUrl.replace('https:', 'webcal:'));
    const me = await t.call('GET', '/api/v1/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: res.body.id, name: '王建国' });
    expect(me.body.accessToken).toBeUndefined();
  });

  it('stores only a hash of the access token', async () => {
    const p = await person();
    const row = t.db.$client.prepare('SELECT access_token_hash FROM people WHERE id = ?').get(p.id) as { access_token_hash: string };
    expect(row.access_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(t.db.$client.prepare('SELECT * FROM people').all())).not.toContain(p.accessToken);
  });

  it('answers /me with the coordinator the database started with', async () => {
    const me = await t.call('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'coordinator', archived: false });
  });

  it('lists people for a coordinator, without the archived unless asked', async () => {
    const kept = await person({ name: 'Kept' });
    const gone = await person({ name: 'Gone' });
    expect((await t.call('DELETE', `/api/v1/people/${gone.id}`)).status).toBe(200);
    const list = await t.call('GET', '/api/v1/people');
    expect(list.status).toBe(200);
    const ids = list.body.people.map((p: { id: number }) => p.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(gone.id);
    const all = await t.call('GET', '/api/v1/people?includeArchived=true');
    expect(all.body.people.find((p: { id: number }) => p.id === gone.id)).toMatchObject({ archived: true });
    expect(all.body.people.every((p: Record<string, unknown>) => p.accessToken === undefined)).toBe(true);
  });

  it('lets a person read and edit their own name, phone, email and language, but not their role or teams', async () => {
    const p = await person({ name: 'Self' });
    expect((await t.call('GET', `/api/v1/people/${p.id}`, { token: p.accessToken })).body).toMatchObject({ id: p.id, name: 'Self' });
    const edited = await t.call('PATCH', `/api/v1/people/${p.id}`, { token: p.accessToken, body: { name: 'Self Edited', phone: null, email: 'self@example.org', locale: 'en' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Self Edited', phone: null, email: 'self@example.org', locale: 'en', role: 'volunteer' });
    const promote = await t.call('PATCH', `/api/v1/people/${p.id}`, { token: p.accessToken, body: { role: 'coordinator' } });
    expect(promote.status).toBe(403);
    expect(promote.body.error.code).toBe('FORBIDDEN');
    expect((await t.call('GET', `/api/v1/people/${p.id}`)).body.role).toBe('volunteer');
  });

  it('keeps a volunteer from reading or editing someone else', async () => {
    const a = await person({ name: 'A' });
    const b = await person({ name: 'B' });
    expect((await t.call('GET', `/api/v1/people/${b.id}`, { token: a.accessToken })).status).toBe(403);
    expect((await t.call('PATCH', `/api/v1/people/${b.id}`, { token: a.accessToken, body: { name: 'Hacked' } })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/people', { token: a.accessToken })).status).toBe(403);
    expect((await t.call('GET', `/api/v1/people/${b.id}`)).body.name).toBe('B');
  });

  it('lets a coordinator make someone a coordinator and put them in teams', async () => {
    const team = await t.call('POST', '/api/v1/teams', { body: { name: '3栋' } });
    const p = await person();
    const res = await t.call('PATCH', `/api/v1/people/${p.id}`, { body: { role: 'coordinator', teamIds: [team.body.id] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'coordinator', teamIds: [team.body.id], homeTeamId: team.body.id });
    expect((await t.call('GET', '/api/v1/people', { token: p.accessToken })).status).toBe(200);
  });

  it('refuses a home team that is not one of the person\'s teams, 0 included, and keeps the one they have', async () => {
    const team = await t.call('POST', '/api/v1/teams', { body: { name: '5栋' } });
    const p = await person();
    expect((await t.call('PATCH', `/api/v1/people/${p.id}`, { body: { teamIds: [team.body.id] } })).status).toBe(200);
    for (const homeTeamId of [0, 999_999]) {
      const res = await t.call('PATCH', `/api/v1/people/${p.id}`, { body: { homeTeamId } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'homeTeamId' });
    }
    expect((await t.call('GET', `/api/v1/people/${p.id}`)).body.homeTeamId).toBe(team.body.id);
    const cleared = await t.call('PATCH', `/api/v1/people/${p.id}`, { body: { homeTeamId: null } });
    expect(cleared.body.homeTeamId).toBeNull();
  });

  it('archives a person: their link stops working at once', async () => {
    const p = await person();
    const res = await t.call('DELETE', `/api/v1/people/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, archived: true });
    const me = await t.call('GET', '/api/v1/me', { token: p.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses to archive or demote the last coordinator', async () => {
    const fresh = await makeApp('2026-03-01T00:00:00Z');
    try {
      const me = (await fresh.call('GET', '/api/v1/me')).body;
      const archive = await fresh.call('DELETE', `/api/v1/people/${me.id}`);
      expect(archive.status).toBe(409);
      expect(archive.body.error.code).toBe('CONFLICT');
      const demote = await fresh.call('PATCH', `/api/v1/people/${me.id}`, { body: { role: 'volunteer' } });
      expect(demote.status).toBe(409);
      expect((await fresh.call('GET', '/api/v1/me')).body).toMatchObject({ role: 'coordinator', archived: false });
    } finally {
      await fresh.close();
    }
  });
});

describe('replacing a personal or calendar link', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  async function volunteer(name: string) {
    return (await t.call('POST', '/api/v1/people', { body: { name } })).body as { id: number; accessToken: string; feedUrl: string };
  }

  it('gives a new access token; the old one is refused at once with 401', async () => {
    const p = await volunteer('Lost phone');
    const res = await t.call('POST', `/api/v1/people/${p.id}/tokens`, { body: { kind: 'access' } });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('access');
    expect(res.body.token).not.toBe(p.accessToken);
    expect(res.body.accessUrl).toBe(`https://rota.example.org/me#${res.body.token}`);
    const old = await t.call('GET', '/api/v1/me', { token: p.accessToken });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('UNAUTHENTICATED');
    expect((await t.call('GET', '/api/v1/me', { token: res.body.token })).body.id).toBe(p.id);
  });

  it('lets a person replace their own link, but not someone else\'s', async () => {
    const a = await volunteer('A');
    const b = await volunteer('B');
    expect((await t.call('POST', `/api/v1/people/${b.id}/tokens`, { token: a.accessToken, body: { kind: 'access' } })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/me', { token: b.accessToken })).status).toBe(200);
    const own = await t.call('POST', `/api/v1/people/${a.id}/tokens`, { token: a.accessToken, body: { kind: 'access' } });
    expect(own.status).toBe(201);
    expect((await t.call('GET', '/api/v1/me', { token: a.accessToken })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/me', { token: own.body.token })).status).toBe(200);
  });

  it('gives a new calendar link and leaves the access token working', async () => {
    const p = await volunteer('Calendar');
    const res = await t.call('POST', `/api/v1/people/${p.id}/tokens`, { body: { kind: 'feed' } });
    expect(res.status).toBe(201);
    expect(res.body.feedUrl).toBe(`https://rota.example.org/feeds/people/${res.body.token}.ics`);
    expect(res.body.feedUrl).not.toBe(p.feedUrl);
    expect(res.body.webcalUrl).toBe(res.body.feedUrl.replace('https:', 'webcal:'));
    expect((await t.call('GET', `/api/v1/people/${p.id}`)).body.feedUrl).toBe(res.body.feedUrl);
    expect((await t.call('GET', '/api/v1/me', { token: p.accessToken })).status).toBe(200);
  });

  it('never lets a feed token open the API', async () => {
    const p = await volunteer('Feed only');
    const feedToken = p.feedUrl.split('/').at(-1)!.replace('.ics', '');
    const res = await t.call('GET', '/api/v1/me', { token: feedToken });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});
