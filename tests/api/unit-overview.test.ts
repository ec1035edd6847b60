// A unit's overview (the desk at each level, issue 13): rows that add up, and nothing for those outside.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('GET /api/v1/overview/units/:unitId', () => {
  let t: TestApp;
  afterEach(() => t.close());

  async function made(path: string, body: unknown, token?: string) {
    const res = await t.call('POST', `/api/v1${path}`, { body, ...(token ? { token } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it('answers one row per community, a row for the street\'s own rota, and a total they add up to; a sibling community\'s coordinator gets 404', async () => {
    t = await makeApp('2026-03-01T02:00:00Z');
    const street = await made('/units', { name: '南山街道', kind: 'street' });
    const a = await made('/units', { name: '风华社区', kind: 'community', parentId: street.id });
    const b = await made('/units', { name: '高新社区', kind: 'community', parentId: street.id });
    const coordA = await made('/people', { name: '李协调', unitId: a.id });
    await made(`/units/${a.id}/roles`, { personId: coordA.id, role: 'coordinator' });
    const volunteer = await made('/people', { name: '王建国', unitId: a.id });
    const rota = async (unitId: number, day: 'MO' | 'TU' | 'WE', date: string) => {
      const r = await made('/rotas', { name: `rota ${unitId}`, timezone: 'Asia/Shanghai', unitId });
      await made(`/rotas/${r.id}/series`, { rrule: `FREQ=WEEKLY;BYDAY=${day}`, startDate: '2026-03-02', startTime: '07:15', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2, dayCalendarIds: [] });
      const shift = (await t.call('GET', `/api/v1/shifts?rotaId=${r.id}&from=${date}&to=${date}`)).body.shifts[0];
      await made(`/shifts/${encodeURIComponent(shift.id)}/signups`, { personId: volunteer.id });
    };
    await rota(a.id, 'MO', '2026-03-02');
    await rota(b.id, 'TU', '2026-03-03');
    await rota(street.id, 'WE', '2026-03-04');
    t.setNow('2026-03-10T02:00:00Z');

    const res = await t.call('GET', `/api/v1/overview/units/${street.id}`);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { name: string | null; personShifts: number; people: number }) => [r.name, r.personShifts, r.people])).toEqual([
      ['风华社区', 1, 1],
      ['高新社区', 1, 1],
      [null, 1, 1],
    ]);
    // One person, three person-shifts: the rows add up in person-shifts, not in people.
    expect(res.body.total).toMatchObject({ personShifts: 3, people: 1 });
    expect(res.body.months.at(-1)).toEqual({ month: '2026-03', personShifts: 3, people: 1 });

    expect((await t.call('GET', `/api/v1/overview/units/${a.id}`, { token: coordA.accessToken })).status).toBe(200);
    for (const id of [street.id, b.id]) {
      const refused = await t.call('GET', `/api/v1/overview/units/${id}`, { token: coordA.accessToken });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('NOT_FOUND');
    }
    const bad = await t.call('GET', `/api/v1/overview/units/${street.id}?level=village`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
  });
});
