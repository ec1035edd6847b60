// Issue 13: who reads an audit entry is decided by the unit that owns what it is about, not by
// where the person who made it lives. A street's coordinator works on a community's rota: the
// community's coordinator reads that entry. A community's volunteer signs up on the street's own
// rota: that entry is the street's, not the community's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('the audit log in a street with two communities', () => {
  let t: TestApp;
  const unit: Record<string, number> = {};
  const token: Record<string, string> = {};
  let rotaOfA = 0;
  let signupOnStreet = 0;

  async function post(url: string, body: object, as = t.coordinatorToken): Promise<any> {
    const res = await t.call('POST', url, { body, token: as });
    expect(res.status, `${url}: ${res.text}`).toBe(201);
    return res.body;
  }
  const entries = async (who: string) => {
    const res = await t.call('GET', '/api/v1/audit?limit=500', { token: token[who]! });
    expect(res.status, res.text).toBe(200);
    return res.body.entries as { action: string; entity: string; entityId: string }[];
  };
  const has = (list: { entity: string; entityId: string }[], entity: string, id: number) => list.some((e) => e.entity === entity && e.entityId === String(id));

  beforeAll(async () => {
    t = await makeApp('2026-03-01T02:00:00Z');
    unit.street = (await post('/api/v1/units', { name: '南山街道', kind: 'street' })).id;
    unit.a = (await post('/api/v1/units', { name: '风华社区', kind: 'community', parentId: unit.street })).id;
    unit.b = (await post('/api/v1/units', { name: '高新社区', kind: 'community', parentId: unit.street })).id;
    for (const [who, home, role] of [['street', unit.street, 'coordinator'], ['a', unit.a, 'coordinator'], ['b', unit.b, 'coordinator'], ['office', unit.street, 'viewer']] as const) {
      const person = await post('/api/v1/people', { name: `Office ${who}`, unitId: home });
      await post(`/api/v1/units/${home}/roles`, { personId: person.id, role });
      token[who] = person.accessToken;
    }
    const captain = await post('/api/v1/people', { name: '王建国', unitId: unit.a }, token.a);
    token.captain = captain.accessToken;

    // The street's coordinator (whose home is the street) makes a rota for 风华社区.
    rotaOfA = (await post('/api/v1/rotas', { name: '东门护学岗', timezone: 'Asia/Shanghai', unitId: unit.a }, token.street)).id;
    // 风华's captain signs up on the street's own rota (their home's ancestor, open to them).
    const streetRota = await post('/api/v1/rotas', { name: '街道巡逻', timezone: 'Asia/Shanghai', unitId: unit.street }, token.street);
    const series = await post(`/api/v1/rotas/${streetRota.id}/series`, { rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '19:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 3, dayCalendarIds: [] }, token.street);
    signupOnStreet = (await post(`/api/v1/shifts/${series.id}.20260303T1900/signups`, {}, token.captain)).id;
  });
  afterAll(() => t.close());

  it("shows the community's coordinator what the street's coordinator did to the community's rota", async () => {
    expect(has(await entries('a'), 'rota', rotaOfA)).toBe(true);
    expect(has(await entries('b'), 'rota', rotaOfA)).toBe(false);
  });

  it("keeps a community volunteer's sign-up on the street's rota out of the community's log, and in the street's", async () => {
    expect(has(await entries('a'), 'signup', signupOnStreet)).toBe(false);
    expect(has(await entries('street'), 'signup', signupOnStreet)).toBe(true);
    expect(has(await entries('office'), 'signup', signupOnStreet)).toBe(true);
  });

  it("never shows a community's coordinator an entry about the other community or the street", async () => {
    const seen = await entries('a');
    const owners = await Promise.all(
      seen.map(async (e) => {
        const path = { rota: 'rotas', person: 'people', team: 'teams', unit: 'units', signup: 'signups' }[e.entity];
        return path ? (await t.call('GET', `/api/v1/${path}/${e.entityId}`, { token: token.a! })).status : 200;
      }),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(owners.every((status) => status === 200)).toBe(true);
  });
});
