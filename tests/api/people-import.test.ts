import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('importing people in bulk', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp('2026-03-01T02:00:00Z');
  });
  afterEach(() => t.close());

  const names = async () => (await t.call('GET', '/api/v1/people')).body.people.map((p: { name: string }) => p.name);

  it('previews a pasted list without changing anything, then creates everyone with their links and the missing teams', async () => {
    const existing = await t.call('POST', '/api/v1/teams', { body: { name: '3栋' } });
    await t.call('POST', '/api/v1/people', { body: { name: '张丽华' } });
    const text = '王建国, 138 0013 8000, 3栋\n张丽华, 5栋\n李娜';

    const preview = await t.call('POST', '/api/v1/people/import', { body: { text, dryRun: true } });
    expect(preview.status).toBe(200);
    expect(preview.body.newTeams).toEqual(['5栋']);
    expect(preview.body.people.map((p: Record<string, unknown>) => [p.name, p.team, p.teamId, p.newTeam, p.sameNameExists, p.accessUrl])).toEqual([
      ['王建国', '3栋', existing.body.id, false, false, null],
      ['张丽华', '5栋', null, true, true, null],
      ['李娜', null, null, false, false, null],
    ]);
    expect(await names()).toEqual(['Coordinator', '张丽华']);

    const done = await t.call('POST', '/api/v1/people/import', { body: { text } });
    expect(done.status).toBe(201);
    const people = done.body.people as { id: number; accessToken: string; accessUrl: string; teamId: number | null }[];
    expect(people.every((p) => p.accessUrl === `https://rota.example.org/me#${p.accessToken}`)).toBe(true);
    const teams = (await t.call('GET', '/api/v1/teams')).body.teams;
    expect(teams.map((x: { name: string }) => x.name)).toEqual(['3栋', '5栋']);
    expect(people.map((p) => p.teamId)).toEqual([existing.body.id, teams[1].id, null]);
    // Each new link signs its person in.
    const me = await t.call('GET', '/api/v1/me', { token: people[0]!.accessToken });
    expect(me.body).toMatchObject({ id: people[0]!.id, name: '王建国', phone: '138 0013 8000', teamIds: [existing.body.id], role: 'volunteer' });
    expect(await names()).toEqual(['Coordinator', '张丽华', '王建国', '张丽华', '李娜']);
  });

  it('reads a CSV file saved by Excel, byte-order mark and all', async () => {
    const text = '\uFEFFname,phone,email,team,locale\r\nAnna Schmidt,,anna@example.org,Block 3,en\r\n';
    const done = await t.call('POST', '/api/v1/people/import', { body: { text } });
    expect(done.status).toBe(201);
    expect(done.body.format).toBe('csv');
    const me = await t.call('GET', '/api/v1/me', { token: done.body.people[0].accessToken });
    expect(me.body).toMatchObject({ name: 'Anna Schmidt', email: 'anna@example.org', locale: 'en' });
  });

  it('refuses the whole import with row-numbered messages when any row is bad, creating nobody and no team', async () => {
    const res = await t.call('POST', '/api/v1/people/import', { body: { text: '王建国, 3栋\n, 13800138000\n张丽华, 5栋, 6栋' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.problems).toEqual([
      { line: 2, message: 'Row 2: the name is missing.' },
      { line: 3, message: 'Row 3: "6栋" is one value too many (a line is: name, phone, team).' },
    ]);
    expect(await names()).toEqual(['Coordinator']);
    expect((await t.call('GET', '/api/v1/teams')).body.teams).toEqual([]);
  });

  it('is for coordinators only', async () => {
    const volunteer = await t.call('POST', '/api/v1/people', { body: { name: '王建国' } });
    const res = await t.call('POST', '/api/v1/people/import', { token: volunteer.body.accessToken, body: { text: '李娜' } });
    expect(res.status).toBe(403);
    expect(await names()).toEqual(['Coordinator', '王建国']);
  });

  // Issue 13: a street with two communities; A's coordinator imports A's captains.
  describe('in a district', () => {
    const unit: Record<string, number> = {};
    let coordinatorA = '';
    beforeEach(async () => {
      const post = async (url: string, body: object, token = t.coordinatorToken) => {
        const res = await t.call('POST', url, { body, token });
        expect(res.status, `${url}: ${res.text}`).toBe(201);
        return res.body;
      };
      unit.street = (await post('/api/v1/units', { name: '南山街道', kind: 'street' })).id;
      unit.a = (await post('/api/v1/units', { name: '风华社区', kind: 'community', parentId: unit.street })).id;
      unit.b = (await post('/api/v1/units', { name: '高新社区', kind: 'community', parentId: unit.street })).id;
      unit.building = (await post('/api/v1/units', { name: '鼎太风华 3栋', kind: 'building', parentId: unit.a })).id;
      const office = await post('/api/v1/people', { name: '风华 office', unitId: unit.a });
      await post(`/api/v1/units/${unit.a}/roles`, { personId: office.id, role: 'coordinator' });
      coordinatorA = office.accessToken;
      // B already has a team called 3栋: A's import must not put A's captains in it.
      await post('/api/v1/teams', { name: '3栋', unitId: unit.b });
    });
    const homes = async (people: { id: number }[]) => Promise.all(people.map(async (p) => (await t.call('GET', `/api/v1/people/${p.id}`)).body.unitId));

    it('puts everyone in the unit named, with its teams made in that unit', async () => {
      const done = await t.call('POST', '/api/v1/people/import', { token: coordinatorA, body: { text: '王建国, 3栋\n李娜', unitId: unit.building } });
      expect(done.status, done.text).toBe(201);
      expect(done.body.unitId).toBe(unit.building);
      expect(done.body.newTeams).toEqual(['3栋']);
      expect(await homes(done.body.people)).toEqual([unit.building, unit.building]);
      const teams = (await t.call('GET', '/api/v1/teams', { token: coordinatorA })).body.teams;
      expect(teams.map((x: { name: string; unitId: number }) => [x.name, x.unitId])).toEqual([['3栋', unit.building]]);
      expect(done.body.people[0].teamId).toBe(teams[0].id);
    });

    it('puts everyone in the first unit the caller coordinates when no unit is named', async () => {
      const preview = await t.call('POST', '/api/v1/people/import', { token: coordinatorA, body: { text: '王建国', dryRun: true } });
      expect(preview.body.unitId).toBe(unit.a);
      const done = await t.call('POST', '/api/v1/people/import', { token: coordinatorA, body: { text: '王建国' } });
      expect(done.status, done.text).toBe(201);
      expect(await homes(done.body.people)).toEqual([unit.a]);
    });

    it("answers 404 for a sibling community's unit and 403 for the street above, importing nobody", async () => {
      const before = (await t.call('GET', '/api/v1/people')).body.people.length;
      const sibling = await t.call('POST', '/api/v1/people/import', { token: coordinatorA, body: { text: '王建国', unitId: unit.b } });
      expect([sibling.status, sibling.body.error.code]).toEqual([404, 'NOT_FOUND']);
      const above = await t.call('POST', '/api/v1/people/import', { token: coordinatorA, body: { text: '王建国', unitId: unit.street } });
      expect([above.status, above.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await t.call('GET', '/api/v1/people')).body.people.length).toBe(before);
    });
  });
});
