// Teams through the API: create with members, list, change members, archive; a person's home team
// is the first team they joined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('teams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  const person = async (name: string, teamIds?: number[]) => (await t.call('POST', '/api/v1/people', { body: { name, ...(teamIds ? { teamIds } : {}) } })).body as { id: number; accessToken: string };
  const team = async (name: string, memberIds?: number[]) => {
    const res = await t.call('POST', '/api/v1/teams', { body: { name, ...(memberIds ? { memberIds } : {}) } });
    expect(res.status).toBe(201);
    return res.body as { id: number; name: string; memberIds: number[]; feedUrl: string };
  };
  const homeOf = async (id: number) => (await t.call('GET', `/api/v1/people/${id}`)).body.homeTeamId as number | null;

  it('creates a team with its members and a calendar link', async () => {
    const a = await person('A');
    const b = await person('B');
    const created = await team('鼎太风华 1栋', [b.id, a.id, a.id]);
    expect(created).toMatchObject({ name: '鼎太风华 1栋', memberIds: [a.id, b.id], archived: false });
    expect(created.feedUrl).toMatch(/^https:\/\/rota\.example\.org\/feeds\/teams\/[A-Za-z0-9_-]{32,}\.ics$/);
    expect((await t.call('GET', `/api/v1/people/${a.id}`)).body.teamIds).toEqual([created.id]);
  });

  it('lists teams for coordinators, without the archived unless asked', async () => {
    const kept = await team('Kept');
    const gone = await team('Gone');
    const archived = await t.call('DELETE', `/api/v1/teams/${gone.id}`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ id: gone.id, archived: true });
    const ids = (await t.call('GET', '/api/v1/teams')).body.teams.map((x: { id: number }) => x.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(gone.id);
    expect((await t.call('GET', '/api/v1/teams?includeArchived=true')).body.teams.map((x: { id: number }) => x.id)).toContain(gone.id);
  });

  it('adds and removes members, and renames the team', async () => {
    const a = await person('A');
    const b = await person('B');
    const c = await person('C');
    const x = await team('X', [a.id, b.id]);
    const res = await t.call('PATCH', `/api/v1/teams/${x.id}`, { body: { name: 'X renamed', addMemberIds: [c.id], removeMemberIds: [a.id] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'X renamed', memberIds: [b.id, c.id] });
    expect((await t.call('GET', `/api/v1/people?teamId=${x.id}`)).body.people.map((p: { id: number }) => p.id)).toEqual([b.id, c.id]);
  });

  it('makes the first team a person joins their home team, and the next one when they leave it', async () => {
    const p = await person('Mover');
    const first = await team('First', [p.id]);
    const second = await team('Second');
    await t.call('PATCH', `/api/v1/teams/${second.id}`, { body: { addMemberIds: [p.id] } });
    expect(await homeOf(p.id)).toBe(first.id);
    await t.call('PATCH', `/api/v1/teams/${first.id}`, { body: { removeMemberIds: [p.id] } });
    expect(await homeOf(p.id)).toBe(second.id);
    await t.call('PATCH', `/api/v1/teams/${second.id}`, { body: { removeMemberIds: [p.id] } });
    expect(await homeOf(p.id)).toBeNull();
  });

  it('takes the first of a new person\'s teams as their home team', async () => {
    const north = await team('North');
    const south = await team('South');
    const p = await person('Two teams', [south.id, north.id]);
    expect(await homeOf(p.id)).toBe(south.id);
    expect((await t.call('GET', `/api/v1/people/${p.id}`)).body.teamIds).toEqual([south.id, north.id]);
  });

  it('shows a team to its members, but only coordinators see others or change teams', async () => {
    const member = await person('Member');
    const outsider = await person('Outsider');
    const x = await team('Members only', [member.id]);
    expect((await t.call('GET', `/api/v1/teams/${x.id}`, { token: member.accessToken })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/teams/${x.id}`, { token: outsider.accessToken })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/teams', { token: member.accessToken })).status).toBe(403);
    const rename = await t.call('PATCH', `/api/v1/teams/${x.id}`, { token: member.accessToken, body: { name: 'Mine now' } });
    expect(rename.status).toBe(403);
    expect((await t.call('GET', `/api/v1/teams/${x.id}`)).body.name).toBe('Members only');
  });

  it('refuses members who do not exist, and changes nothing', async () => {
    const x = await team('Careful');
    const res = await t.call('PATCH', `/api/v1/teams/${x.id}`, { body: { name: 'Changed', addMemberIds: [99_999] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'addMemberIds' });
    expect((await t.call('GET', `/api/v1/teams/${x.id}`)).body).toMatchObject({ name: 'Careful', memberIds: [] });
  });
});
