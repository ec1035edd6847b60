import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsAsPersonShift } from '../../src/domain/person-shifts.js';
import { onPostgres } from '../helpers/engine.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makePerson, makeRota } from '../helpers/signup-fixtures.js';

const GROUPINGS = ['person', 'team', 'rota', 'month'] as const;

async function stats(t: TestApp, query: string, opts: { token?: string; headers?: Record<string, string> } = {}) {
  return t.call('GET', `/api/v1/stats/person-shifts?${query}`, opts);
}

describe('person-shift statistics for a term', () => {
  let t: TestApp;
  const ids = { team1: 0, team2: 0, li: 0, wang: 0, zhang: 0, liu: 0, gate: 0, patrol: 0 };

  beforeAll(async () => {
    t = await makeApp('2026-04-01T00:00:00Z');
    const call = t.call.bind(t);
    const team1 = await call('POST', '/api/v1/teams', { body: { name: '1栋' } });
    const team2 = await call('POST', '/api/v1/teams', { body: { name: '2栋' } });
    ids.team1 = team1.body.id;
    ids.team2 = team2.body.id;
    ids.li = (await makePerson(call, '李秀英', { teamIds: [ids.team1] })).id;
    ids.wang = (await makePerson(call, '王建国', { teamIds: [ids.team2] })).id;
    ids.zhang = (await makePerson(call, '=SUM(A1:A9)')).id;
    ids.liu = (await makePerson(call, '刘丽华', { teamIds: [ids.team1, ids.team2] })).id;
    const gate = await makeRota(call, { name: '东门 East gate' });
    const patrol = await makeRota(call, { name: 'Evening patrol', timezone: 'Europe/Berlin', startTime: '19:00' });
    ids.gate = gate.rotaId;
    ids.patrol = patrol.rotaId;
    await call('PATCH', `/api/v1/rotas/${patrol.rotaId}`, { body: { countUnmarked: false } });
    const sign = async (shiftId: string, personId: number) => {
      const res = await call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId } });
      expect(res.status).toBe(201);
    };
    const mark = async (shiftId: string, personId: number, status: 'attended' | 'no_show', walkIn = false) => {
      const res = await call('POST', `/api/v1/shifts/${shiftId}/attendance`, { body: { personId, status, ...(walkIn ? { walkIn } : {}) } });
      expect(res.status).toBe(200);
    };
    // Gate (counts unmarked past shifts): 李 ×2 in March, 王 ×1, 王 no-show ×1, 刘 ×1 on 31 March.
    await sign(gate.shiftOn('2026-03-02'), ids.li);
    await sign(gate.shiftOn('2026-03-03'), ids.li);
    await sign(gate.shiftOn('2026-03-02'), ids.wang);
    await sign(gate.shiftOn('2026-03-05'), ids.wang);
    await mark(gate.shiftOn('2026-03-05'), ids.wang, 'no_show');
    await sign(gate.shiftOn('2026-03-31'), ids.liu);
    // A shift in April that has not happened yet does not count.
    await sign(gate.shiftOn('2026-04-03'), ids.li);
    // Patrol (counts only marked shifts): 刘 unmarked (no), 刘 attended (yes), the formula-named walk-in (yes).
    await sign(patrol.shiftOn('2026-03-10'), ids.liu);
    await sign(patrol.shiftOn('2026-03-11'), ids.liu);
    await mark(patrol.shiftOn('2026-03-11'), ids.liu, 'attended');
    await mark(patrol.shiftOn('2026-03-11'), ids.zhang, 'attended', true);
    // A February shift before the series started does not exist; one in the window but cancelled does not count.
    await sign(gate.shiftOn('2026-03-20'), ids.zhang);
    const mine = await call('GET', `/api/v1/people/${ids.zhang}/signups?from=2026-03-20&to=2026-03-20`);
    await call('DELETE', `/api/v1/signups/${mine.body.signups[0].id}`);
  });
  afterAll(() => t.close());

  it('counts attended and past unmarked shifts per the rota setting, by person', async () => {
    const res = await stats(t, 'groupBy=person&from=2026-03-01&to=2026-04-30');
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.rows.map((r: { key: string; personShifts: number }) => [r.key, r.personShifts]));
    expect(byKey).toEqual({ [ids.li]: 2, [ids.wang]: 1, [ids.liu]: 2, [ids.zhang]: 1 });
    expect(res.body.total).toEqual({ personShifts: 6, people: 4, minutes: 360, hours: 6 });
  });

  it('gives the same total whichever way it is grouped, and counts distinct people on their own', async () => {
    for (const groupBy of GROUPINGS) {
      const res = await stats(t, `groupBy=${groupBy}&from=2026-03-01&to=2026-04-30`);
      expect(res.status).toBe(200);
      const sum = res.body.rows.reduce((n: number, r: { personShifts: number }) => n + r.personShifts, 0);
      expect(sum, groupBy).toBe(6);
      expect(res.body.total, groupBy).toEqual({ personShifts: 6, people: 4, minutes: 360, hours: 6 });
      expect(res.body.rows.reduce((n: number, r: { minutes: number }) => n + r.minutes, 0), groupBy).toBe(360);
    }
  });

  it('groups by home team (the first team joined), with "none" for people without one', async () => {
    const res = await stats(t, 'groupBy=team&from=2026-03-01&to=2026-04-30');
    const rows = Object.fromEntries(res.body.rows.map((r: { key: string; label: string; personShifts: number; people: number }) => [r.key, r]));
    expect(rows[String(ids.team1)]).toMatchObject({ label: '1栋', personShifts: 4, people: 2 });
    expect(rows[String(ids.team2)]).toMatchObject({ label: '2栋', personShifts: 1, people: 1 });
    expect(rows.none).toMatchObject({ personShifts: 1, people: 1 });
    const onlyTeam2 = await stats(t, `groupBy=person&teamId=${ids.team2}&from=2026-03-01&to=2026-04-30`);
    expect(onlyTeam2.body.total).toEqual({ personShifts: 1, people: 1, minutes: 60, hours: 1 });
  });

  it('groups by rota and by month in each shift\'s own zone, and filters by rota', async () => {
    const byRota = await stats(t, 'groupBy=rota&from=2026-03-01&to=2026-04-30');
    expect(byRota.body.rows.map((r: { label: string; personShifts: number }) => [r.label, r.personShifts])).toEqual([
      ['东门 East gate', 4],
      ['Evening patrol', 2],
    ]);
    const byMonth = await stats(t, 'groupBy=month&from=2026-03-01&to=2026-04-30');
    expect(byMonth.body.rows.map((r: { key: string }) => r.key)).toEqual(['2026-03']);
    const gateOnly = await stats(t, `groupBy=month&rotaId=${ids.gate}&from=2026-03-01&to=2026-04-30`);
    expect(gateOnly.body.total).toEqual({ personShifts: 4, people: 3, minutes: 240, hours: 4 });
  });

  it('counts a shift once it has ended when the clock moves on', async () => {
    t.setNow('2026-04-04T00:00:00Z');
    const res = await stats(t, 'groupBy=person&from=2026-03-01&to=2026-04-30');
    expect(res.body.total).toEqual({ personShifts: 7, people: 4, minutes: 420, hours: 7 });
    t.setNow('2026-04-01T00:00:00Z');
  });

  it('exports CSV with a byte order mark, headers in the requester\'s language, and formulas neutralised', async () => {
    const res = await stats(t, 'groupBy=person&from=2026-03-01&to=2026-04-30', { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toContain('attachment; filename="person-shifts-person-2026-03-01-2026-04-30.csv"');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('编号,志愿者,人次,人数,服务时长（小时）');
    expect(lines).toContain(`${ids.zhang},'=SUM(A1:A9),1,1,1`);
    expect(lines[lines.length - 1]).toBe(',合计,6,4,6');
    const en = await stats(t, 'groupBy=team&format=csv&lang=en&from=2026-03-01&to=2026-04-30');
    expect(en.text.slice(1).split('\r\n')[0]).toBe('Key,Team,Person-shifts,People,Hours');
  });

  it('exports an Excel workbook with the same figures', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/stats/person-shifts?groupBy=rota&from=2026-03-01&to=2026-04-30',
      headers: { authorization: `Bearer ${t.coordinatorToken}`, accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const values = sheet.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(values).toContainEqual(['编号', '值守任务', '人次', '人数', '服务时长（小时）']);
    expect(values).toContainEqual([String(ids.gate), '东门 East gate', 4, 3, 4]);
    expect(values[values.length - 1]).toEqual(['', '合计', 6, 4, 6]);
  });

  it('is for coordinators only, and refuses bad windows and unknown filters', async () => {
    const volunteer = await makePerson(t.call.bind(t), 'Volunteer');
    expect((await stats(t, 'groupBy=person', { token: volunteer.token })).status).toBe(403);
    expect((await stats(t, 'groupBy=building')).body.error.code).toBe('VALIDATION');
    expect((await stats(t, 'groupBy=person&from=2026-01-01&to=2027-06-01')).body.error.code).toBe('RANGE_TOO_LONG');
    expect((await stats(t, 'groupBy=person&rotaId=999')).status).toBe(404);
    expect((await stats(t, 'groupBy=person&from=2026-02-30&to=2026-03-01')).status).toBe(400);
  });
});

describe('person-shift totals on random data', () => {
  it('add up the same under every grouping and match the counting rule sign-up by sign-up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            person: fc.integer({ min: 0, max: 4 }),
            rota: fc.integer({ min: 0, max: 1 }),
            day: fc.integer({ min: 0, max: 45 }),
            mark: fc.constantFrom('none', 'attended', 'no_show', 'cancel'),
          }),
          { maxLength: 25 },
        ),
        async (actions) => {
          const t = await makeApp('2026-04-10T00:00:00Z');
          try {
            const call = t.call.bind(t);
            const team = await call('POST', '/api/v1/teams', { body: { name: 'A' } });
            const people = [];
            for (let i = 0; i < 5; i++) people.push(await makePerson(call, `P${i}`, i % 2 ? { teamIds: [team.body.id] } : {}));
            const rotas = [await makeRota(call, { name: 'R0' }), await makeRota(call, { name: 'R1', timezone: 'America/New_York' })];
            await call('PATCH', `/api/v1/rotas/${rotas[1]!.rotaId}`, { body: { countUnmarked: false } });
            const expected: { personId: number; counts: boolean; minutes: number }[] = [];
            for (const a of actions) {
              const date = new Date(Date.UTC(2026, 2, 2 + a.day)).toISOString().slice(0, 10);
              const shiftId = rotas[a.rota]!.shiftOn(date);
              const personId = people[a.person]!.id;
              const res = await call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId } });
              if (res.status !== 201 || res.body.status !== 'confirmed') continue;
              let attendance: 'attended' | 'no_show' | null = null;
              let status: 'confirmed' | 'cancelled' = 'confirmed';
              if (a.mark === 'cancel') {
                expect((await call('DELETE', `/api/v1/signups/${res.body.id}`)).status).toBe(200);
                status = 'cancelled';
              } else if (a.mark !== 'none') {
                const marked = await call('POST', `/api/v1/shifts/${shiftId}/attendance`, { body: { personId, status: a.mark } });
                if (marked.status === 200) attendance = a.mark;
              }
              const endAt = Date.parse(res.body.end);
              const minutes = (endAt - Date.parse(res.body.start)) / 60_000;
              expected.push({ personId, minutes, counts: countsAsPersonShift({ personId, status, attendance, endAt }, a.rota === 0, Date.parse('2026-04-10T00:00:00Z')) });
            }
            const counted = expected.filter((e) => e.counts);
            const minutes = counted.reduce((n, e) => n + e.minutes, 0);
            const want = { personShifts: counted.length, people: new Set(counted.map((e) => e.personId)).size, minutes, hours: Math.round((minutes / 60) * 100) / 100 };
            for (const groupBy of GROUPINGS) {
              const res = await call('GET', `/api/v1/stats/person-shifts?groupBy=${groupBy}&from=2026-03-01&to=2026-04-30`);
              expect(res.body.total).toEqual(want);
              expect(res.body.rows.reduce((n: number, r: { personShifts: number }) => n + r.personShifts, 0)).toBe(want.personShifts);
              expect(res.body.rows.reduce((n: number, r: { minutes: number }) => n + r.minutes, 0)).toBe(want.minutes);
            }
          } finally {
            await t.close();
          }
        },
      ),
      { numRuns: 5, seed: 20261127 },
    );
  });
});

describe('person-shift totals with person ids far apart', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('counts each person once in the total, whether their id is small, past the first thousands or past 2^24', async () => {
    t = await makeApp('2026-04-01T00:00:00Z');
    const call = t.call.bind(t);
    const gate = await makeRota(call, { name: 'Gate', maxVolunteers: 5 });
    const people: number[] = [];
    for (const next of [null, 40_000, 2 ** 24 + 7]) {
      if (next !== null) {
        const numbering = onPostgres ? "SELECT setval(pg_get_serial_sequence('people', 'id'), ?)" : "UPDATE sqlite_sequence SET seq = ? WHERE name = 'people'";
        t.db.$client.prepare(numbering).run(next);
      }
      people.push((await makePerson(call, `P${people.length}`)).id);
    }
    expect(people.slice(1)).toEqual([40_001, 2 ** 24 + 8]);
    for (const day of ['2026-03-02', '2026-03-03']) {
      for (const personId of people) expect((await call('POST', `/api/v1/shifts/${gate.shiftOn(day)}/signups`, { body: { personId } })).status).toBe(201);
    }
    for (const groupBy of GROUPINGS) {
      const res = await stats(t, `groupBy=${groupBy}&from=2026-03-01&to=2026-03-31`);
      expect(res.status).toBe(200);
      expect(res.body.total, groupBy).toMatchObject({ personShifts: 6, people: 3 });
    }
  });
});
