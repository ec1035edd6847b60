// Issue 13 as people would meet it: a street with two communities, each with its own coordinator,
// rota and captains; each coordinator sees and manages only their own, and the street's viewer
// gets one report whose rows (one per community) add up to its total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makeRota, type RotaSetup } from '../helpers/signup-fixtures.js';

describe('a street with two communities', () => {
  let t: TestApp;
  const unit: Record<string, number> = {};
  const token: Record<string, string> = {};
  const rota: Record<string, RotaSetup> = {};
  const people = { captainA: 0, captainB: 0, both: 0 };
  const as = (who: string): TestApp['call'] => (method, url, opts = {}) => t.call(method, url, { ...opts, token: token[who]! });

  async function ok(who: string, url: string, body: object): Promise<any> {
    const res = await as(who)('POST', url, { body });
    expect(res.status, `${url}: ${res.text}`).toBe(201);
    return res.body;
  }

  /** The person's sign-up on the rota's shift of that date, marked attended by the rota's coordinator. */
  async function served(who: string, community: 'a' | 'b', date: string, personId: number) {
    const shiftId = rota[community]!.shiftOn(date);
    await ok(community, `/api/v1/shifts/${shiftId}/signups`, { personId });
    const marked = await as(community)('POST', `/api/v1/shifts/${shiftId}/attendance`, { body: { personId, status: 'attended' } });
    expect(marked.status, `${who}: ${marked.text}`).toBe(200);
  }

  beforeAll(async () => {
    t = await makeApp('2026-05-01T00:00:00Z');
    token.root = t.coordinatorToken;
    unit.street = (await ok('root', '/api/v1/units', { name: '南山街道', kind: 'street' })).id;
    unit.a = (await ok('root', '/api/v1/units', { name: '风华社区', kind: 'community', parentId: unit.street })).id;
    unit.b = (await ok('root', '/api/v1/units', { name: '高新社区', kind: 'community', parentId: unit.street })).id;
    unit.building = (await ok('root', '/api/v1/units', { name: '鼎太风华 1栋', kind: 'building', parentId: unit.a })).id;
    for (const [who, home, role] of [['a', unit.a, 'coordinator'], ['b', unit.b, 'coordinator'], ['street', unit.street, 'viewer']] as const) {
      const person = await ok('root', '/api/v1/people', { name: `Office ${who}`, unitId: home });
      await ok('root', `/api/v1/units/${home}/roles`, { personId: person.id, role });
      token[who] = person.accessToken;
    }
    rota.a = await makeRota(as('a'), { name: '平安上学路 护学岗' });
    rota.b = await makeRota(as('b'), { name: '高新 巡逻' });
    // Captains: one in A's building, one in B, and one who lives in A and also helps in B.
    people.captainA = (await ok('a', '/api/v1/people', { name: '李秀英', unitId: unit.building })).id;
    people.captainB = (await ok('b', '/api/v1/people', { name: '王建国' })).id;
    people.both = (await ok('a', '/api/v1/people', { name: '张丽华' })).id;
    await served('captainA', 'a', '2026-03-02', people.captainA);
    await served('captainA', 'a', '2026-04-02', people.captainA);
    await served('both', 'a', '2026-03-03', people.both);
    await served('captainB', 'b', '2026-03-02', people.captainB);
    // B's coordinator cannot reach A's people (404); the root coordinator, who reaches both, records that duty.
    const shiftId = rota.b.shiftOn('2026-03-04');
    expect((await as('b')('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId: people.both } })).status).toBe(404);
    expect((await as('root')('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId: people.both } })).status).toBe(201);
    expect((await as('root')('POST', `/api/v1/shifts/${shiftId}/attendance`, { body: { personId: people.both, status: 'attended' } })).status).toBe(200);
    // Some thirty calls on a loaded machine: longer than a hook's default.
  }, 60_000);
  afterAll(() => t.close());

  it('shows each coordinator only their own community\'s rotas and people', async () => {
    const names = async (who: string, url: string, key: string) => ((await as(who)('GET', url)).body[key] as { name: string }[]).map((x) => x.name).sort();
    expect(await names('a', '/api/v1/rotas', 'rotas')).toEqual(['平安上学路 护学岗']);
    expect(await names('b', '/api/v1/rotas', 'rotas')).toEqual(['高新 巡逻']);
    expect(await names('a', '/api/v1/people', 'people')).toEqual(['Office a', '张丽华', '李秀英']);
    expect(await names('b', '/api/v1/people', 'people')).toEqual(['Office b', '王建国']);
    expect((await as('a')('GET', `/api/v1/rotas/${rota.b!.rotaId}`)).status).toBe(404);
    expect((await as('b')('PATCH', `/api/v1/people/${people.captainA}`, { body: { phone: '13800000000' } })).status).toBe(404);
    // A's coordinator manages the building below A.
    expect((await as('a')('PATCH', `/api/v1/units/${unit.building}`, { body: { name: '鼎太风华 1 栋' } })).status).toBe(200);
    const units = (await as('a')('GET', '/api/v1/units')).body;
    expect(units.roles).toEqual([{ unitId: unit.a, role: 'coordinator' }]);
    expect(units.units.map((u: { id: number }) => u.id).sort()).toEqual([unit.street, unit.a, unit.building].sort());
  });

  it('gives the street\'s viewer one row per community whose person-shifts add up to the total, counting a person in both once', async () => {
    const res = await as('street')('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=community&unitId=${unit.street}&from=2026-03-01&to=2026-04-30`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.rows.map((r: any) => [r.label, r.personShifts, r.people])).toEqual([
      ['风华社区', 3, 2],
      ['高新社区', 2, 2],
    ]);
    expect(res.body.total).toMatchObject({ personShifts: 5, people: 3 });
    expect(res.body.rows.reduce((n: number, r: { personShifts: number }) => n + r.personShifts, 0)).toBe(res.body.total.personShifts);
    const csv = await as('street')('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=community&unitId=${unit.street}&from=2026-03-01&to=2026-04-30&format=csv&lang=zh-CN`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('单位');
    expect(csv.text).toContain('风华社区,3,2');
    expect(csv.text).toContain('合计,5,3');
  });

  it('counts only the rotas of the unit named in unitId, whatever the grouping, in JSON and CSV', async () => {
    const byMonth = async (unitId: number, format = '') =>
      as('street')('GET', `/api/v1/stats/person-shifts?groupBy=month&unitId=${unitId}&from=2026-03-01&to=2026-04-30${format}`);
    const rows = (res: { body: { rows: { key: string; personShifts: number; people: number }[] } }) => res.body.rows.map((r) => [r.key, r.personShifts, r.people]);
    expect(rows(await byMonth(unit.a!))).toEqual([['2026-03', 2, 2], ['2026-04', 1, 1]]);
    expect(rows(await byMonth(unit.b!))).toEqual([['2026-03', 2, 2]]);
    expect(rows(await byMonth(unit.street!))).toEqual([['2026-03', 4, 3], ['2026-04', 1, 1]]);
    expect((await byMonth(unit.b!, '&format=csv')).text).toContain('2026-03,2,2');
    // A unit outside the caller's reach is not there; one they see but do not read is not theirs to count.
    expect((await as('b')('GET', `/api/v1/stats/person-shifts?groupBy=rota&unitId=${unit.a}`)).status).toBe(404);
    expect((await as('a')('GET', `/api/v1/stats/person-shifts?groupBy=rota&unitId=${unit.street}`)).status).toBe(403);
  });

  it('lets a community coordinator roll up their own buildings, and nothing of the neighbour', async () => {
    const mine = await as('a')('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=building&unitId=${unit.a}&from=2026-03-01&to=2026-04-30`);
    expect(mine.status, mine.text).toBe(200);
    // Rotas belong to the community, not a building: no building row, and nothing counted.
    expect(mine.body.rows).toEqual([]);
    expect((await as('b')('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=building&unitId=${unit.a}`)).status).toBe(404);
    expect((await as('a')('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=community&unitId=${unit.street}`)).status).toBe(403);
    const missing = await as('street')('GET', '/api/v1/stats/person-shifts?groupBy=unit');
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION');
  });

  it('answers 404 for a unit that does not exist, wherever a request names one, and stores nothing', async () => {
    const calendarsBefore = (await as('root')('GET', '/api/v1/day-calendars')).body;
    for (const [url, body] of [
      ['/api/v1/day-calendars', { name: '校历', unitId: 9999 }],
      ['/api/v1/rotas', { name: '巡逻', timezone: 'Asia/Shanghai', unitId: 9999 }],
      ['/api/v1/people', { name: '王芳', unitId: 9999 }],
      ['/api/v1/units', { name: '1栋', kind: 'building', parentId: 9999 }],
    ] as const) {
      const res = await as('root')('POST', url, { body });
      expect(res.status, `${url}: ${res.text}`).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'No unit has id 9999.' });
    }
    expect((await as('root')('GET', '/api/v1/day-calendars')).body).toEqual(calendarsBefore);
  });
});
