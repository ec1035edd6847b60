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

  it("counts this month's rows exactly as the statistics' roll-up does: same units, person-shifts and people", async () => {
    t = await makeApp('2026-03-01T02:00:00Z');
    const street = await made('/units', { name: '南山街道', kind: 'street' });
    const a = await made('/units', { name: '风华社区', kind: 'community', parentId: street.id });
    const b = await made('/units', { name: '高新社区', kind: 'community', parentId: street.id });
    const estate = await made('/units', { name: '鼎太风华小区', kind: 'estate', parentId: a.id });
    const [p1, p2, p3] = [await made('/people', { name: '王建国', unitId: a.id }), await made('/people', { name: '陈秀英', unitId: estate.id }), await made('/people', { name: '刘海燕', unitId: b.id })];
    // Three rotas: one of an estate (it counts under its community), one not counting unmarked sign-ups.
    const rota = async (unitId: number, countUnmarked = true) => {
      const r = await made('/rotas', { name: `rota ${unitId}`, timezone: 'Asia/Shanghai', unitId, countUnmarked });
      const s = await made(`/rotas/${r.id}/series`, { rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 3, dayCalendarIds: [] });
      return (date: string) => `${s.id}.${date.replace(/-/g, '')}T0715`;
    };
    const shiftA = await rota(a.id);
    const shiftEstate = await rota(estate.id);
    const shiftB = await rota(b.id, false);
    const signUp = (shiftId: string, personId: number) => made(`/shifts/${shiftId}/signups`, { personId });
    const mark = (shiftId: string, personId: number, status: 'attended' | 'no_show') => t.call('POST', `/api/v1/shifts/${shiftId}/attendance`, { body: { personId, status } });
    for (const date of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      await signUp(shiftA(date), p1.id);
      await signUp(shiftEstate(date), p2.id);
      await signUp(shiftB(date), p3.id);
    }
    await signUp(shiftB('2026-03-05'), p1.id);
    t.setNow('2026-03-06T02:00:00Z');
    expect((await mark(shiftA('2026-03-03'), p1.id, 'no_show')).status).toBe(200);
    expect((await mark(shiftB('2026-03-02'), p3.id, 'attended')).status).toBe(200);
    expect((await mark(shiftB('2026-03-05'), p1.id, 'attended')).status).toBe(200);

    const overview = (await t.call('GET', `/api/v1/overview/units/${street.id}?level=community`)).body;
    const rollup = (await t.call('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=community&unitId=${street.id}&from=2026-03-01&to=2026-03-31`)).body;
    const byUnit = (rows: { key?: string; unitId?: number; personShifts: number; people: number }[]) =>
      Object.fromEntries(rows.filter((r) => r.personShifts > 0).map((r) => [String(r.key ?? r.unitId), [r.personShifts, r.people]]));
    // 风华: 2 of 王建国's (one no-show) and 3 of 陈秀英's in its estate; 高新: only the marked ones (it does not count unmarked), one by 王建国.
    expect(byUnit(rollup.rows)).toEqual({ [a.id]: [5, 2], [b.id]: [2, 2] });
    expect(byUnit(overview.rows)).toEqual(byUnit(rollup.rows));
    expect([overview.total.personShifts, overview.total.people]).toEqual([rollup.total.personShifts, rollup.total.people]);
  });
});
