// Day calendars through the API: the read-only cn-mainland preset, a community's own calendars,
// and a school's term calendar imported from an .ics file.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateRange } from '../../src/domain/time.js';
import { dbState } from '../fixtures/db-state.js';
import { makeApp, type TestApp } from '../helpers/app.js';

const SCHOOL_TERM = readFileSync(new URL('../fixtures/school-term-2026.ics', import.meta.url), 'utf8');
const ics = { 'content-type': 'text/calendar; charset=utf-8' };

describe('day calendars', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-01-10T00:00:00Z');
  });
  afterAll(() => t.close());

  const calendar = async (name = '学校校历 School term') => {
    const res = await t.call('POST', '/api/v1/day-calendars', { body: { name } });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const days = async (id: string) => ((await t.call('GET', `/api/v1/day-calendars/${id}`)).body.days as { date: string; kind: string; label: string | null }[]).map((d) => `${d.date} ${d.kind} ${d.label ?? ''}`.trim());

  it('creates an empty calendar of the community\'s own', async () => {
    const res = await t.call('POST', '/api/v1/day-calendars', { body: { name: '  Typhoon days ' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Typhoon days', readOnly: false, years: null, sources: null, dayCount: 0, days: [] });
    expect(res.body.id).toMatch(/^cal-[0-9a-f]{12}$/);
  });

  it('adds closed and open days, replaces a day given again, and removes a day', async () => {
    const c = await calendar();
    const added = await t.call('POST', `/api/v1/day-calendars/${c.id}/days`, {
      body: { days: [{ date: '2026-04-20', kind: 'closed', label: '春游 Spring outing' }, { date: '2026-04-18', kind: 'open' }, { date: '2026-04-21', kind: 'closed', label: null }] },
    });
    expect(added.status).toBe(201);
    expect(added.body.affectedSignups).toEqual([]);
    expect(added.body.dayCalendar.dayCount).toBe(3);
    expect(await days(c.id)).toEqual(['2026-04-18 open', '2026-04-20 closed 春游 Spring outing', '2026-04-21 closed']);
    await t.call('POST', `/api/v1/day-calendars/${c.id}/days`, { body: { days: [{ date: '2026-04-18', kind: 'closed', label: 'Not after all' }] } });
    const removed = await t.call('DELETE', `/api/v1/day-calendars/${c.id}/days/2026-04-20`);
    expect(removed.status).toBe(200);
    expect(await days(c.id)).toEqual(['2026-04-18 closed Not after all', '2026-04-21 closed']);
    expect((await t.call('DELETE', `/api/v1/day-calendars/${c.id}/days/2026-05-01`)).status).toBe(200);
    expect(await days(c.id)).toHaveLength(2);
  });

  it('lists the built-in cn-mainland calendar, with its years and sources, beside the community\'s own', async () => {
    const c = await calendar('Listed');
    const res = await t.call('GET', '/api/v1/day-calendars');
    expect(res.status).toBe(200);
    const preset = res.body.dayCalendars.find((x: { id: string }) => x.id === 'cn-mainland');
    expect(preset).toMatchObject({ readOnly: true, years: [2025, 2026] });
    expect(Object.keys(preset.sources)).toEqual(['2025', '2026']);
    expect(preset.dayCount).toBeGreaterThan(60);
    expect(res.body.dayCalendars.find((x: { id: string }) => x.id === c.id)).toMatchObject({ name: 'Listed', readOnly: false, dayCount: 0 });
    const days2026 = (await t.call('GET', '/api/v1/day-calendars/cn-mainland')).body.days.filter((d: { date: string }) => d.date.startsWith('2026-02'));
    expect(days2026).toContainEqual({ date: '2026-02-14', kind: 'open', label: '春节调休 Spring Festival make-up day' });
    expect(days2026).toContainEqual({ date: '2026-02-17', kind: 'closed', label: '春节 Spring Festival' });
  });

  it('keeps cn-mainland read-only', async () => {
    const before = dbState(t.db);
    for (const res of [
      await t.call('POST', '/api/v1/day-calendars/cn-mainland/days', { body: { days: [{ date: '2026-06-01', kind: 'closed' }] } }),
      await t.call('DELETE', '/api/v1/day-calendars/cn-mainland/days/2026-02-17'),
      await t.call('POST', '/api/v1/day-calendars/cn-mainland/import', { body: SCHOOL_TERM, headers: ics }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('READ_ONLY');
      expect(res.body.error.message).toMatch(/built-in calendar/);
    }
    expect(dbState(t.db)).toBe(before);
    expect((await t.call('GET', '/api/v1/day-calendars/cn-mainland')).body.days).toContainEqual({ date: '2026-02-17', kind: 'closed', label: '春节 Spring Festival' });
  });

  it('imports a school\'s term calendar: all-day events close their days (DTEND exclusive), timed events are skipped', async () => {
    const c = await calendar();
    const res = await t.call('POST', `/api/v1/day-calendars/${c.id}/import`, { body: SCHOOL_TERM, headers: ics });
    expect(res.status).toBe(201);
    const expected = [
      ...dateRange('2026-01-24', '2026-03-01').map((d) => `${d} closed 寒假 Winter break`),
      '2026-04-17 closed 教师培训日 Teachers\' training day',
      '2026-05-20 closed 校庆 School anniversary',
      ...dateRange('2026-07-11', '2026-08-31').map((d) => `${d} closed 暑假 Summer break`),
      '2026-11-05 closed 运动会 Sports days',
      '2026-11-06 closed 运动会 Sports days',
      '2027-05-20 closed 校庆 School anniversary',
    ];
    expect(expected).toHaveLength(37 + 1 + 1 + 52 + 2 + 1);
    expect(res.body.imported).toBe(expected.length);
    expect(res.body.skipped).toEqual(['家长会 Parents\' meeting', 'Fire drill']);
    expect(res.body.dayCalendar.dayCount).toBe(expected.length);
    expect(await days(c.id)).toEqual(expected);
  });

  it('reads an .ics file with bare LF line ends too', async () => {
    const c = await calendar();
    const res = await t.call('POST', `/api/v1/day-calendars/${c.id}/import`, { body: SCHOOL_TERM.replace(/\r\n/g, '\n'), headers: { 'content-type': 'text/calendar' } });
    expect(res.status).toBe(201);
    expect(res.body.imported).toBe(94);
  });

  it('takes the imported days out of the shifts of every series that follows the calendar', async () => {
    const c = await calendar();
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Gate', timezone: 'Asia/Shanghai' } })).body;
    await t.call('POST', `/api/v1/rotas/${rota.id}/series`, {
      body: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-12', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland', c.id] },
    });
    const list = async () => ((await t.call('GET', `/api/v1/shifts?rotaId=${rota.id}&from=2026-01-19&to=2026-03-03`)).body.shifts as { localDate: string }[]).map((s) => s.localDate);
    // Before: school days through the Spring Festival, with the make-up Saturdays 14 and 28 February.
    expect(await list()).toContain('2026-02-14');
    expect((await t.call('POST', `/api/v1/day-calendars/${c.id}/import`, { body: SCHOOL_TERM, headers: ics })).status).toBe(201);
    expect(await list()).toEqual(['2026-01-19', '2026-01-20', '2026-01-21', '2026-01-22', '2026-01-23', '2026-03-02', '2026-03-03']);
  });

  it('refuses a closed day that would take away a shift with sign-ups, until told to cancel them', async () => {
    const c = await calendar();
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'Gate', timezone: 'Asia/Shanghai' } })).body;
    const series = (
      await t.call('POST', `/api/v1/rotas/${rota.id}/series`, {
        body: { rrule: 'FREQ=DAILY', startDate: '2026-03-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2, dayCalendarIds: [c.id] },
      })
    ).body;
    const captain = (await t.call('POST', '/api/v1/people', { body: { name: 'Captain' } })).body;
    const shiftId = `${series.id}.20260310T0715`;
    expect((await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId: captain.id } })).status).toBe(201);
    const before = dbState(t.db);
    const typhoon = { days: [{ date: '2026-03-10', kind: 'closed', label: '台风 Typhoon' }] };
    const refused = await t.call('POST', `/api/v1/day-calendars/${c.id}/days`, { body: typhoon });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'SIGNUPS_AFFECTED', signups: [expect.objectContaining({ shiftId, personId: captain.id, change: 'removed' })] });
    expect(dbState(t.db)).toBe(before);
    const done = await t.call('POST', `/api/v1/day-calendars/${c.id}/days`, { body: { ...typhoon, affectedSignups: 'cancel' } });
    expect(done.status).toBe(201);
    expect(done.body.affectedSignups).toEqual([expect.objectContaining({ shiftId, outcome: 'cancelled' })]);
  });

  it.each([
    ['text that is not iCalendar', 'hello, this is not a calendar'],
    ['an empty file', ''],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Li Xiuying\r\nEND:VCARD\r\n'],
    ['a calendar cut off in the middle', SCHOOL_TERM.slice(0, 600)],
  ])('refuses %s with 400 and imports nothing', async (_what, body) => {
    const c = await calendar();
    const before = dbState(t.db);
    const res = await t.call('POST', `/api/v1/day-calendars/${c.id}/import`, { body, headers: ics });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.message).toMatch(/iCalendar|\.ics/);
    expect(dbState(t.db)).toBe(before);
  });

  it('lets only coordinators change calendars', async () => {
    const c = await calendar();
    const volunteer = (await t.call('POST', '/api/v1/people', { body: { name: 'V' } })).body.accessToken;
    const before = dbState(t.db);
    expect((await t.call('POST', '/api/v1/day-calendars', { token: volunteer, body: { name: 'Mine' } })).status).toBe(403);
    expect((await t.call('POST', `/api/v1/day-calendars/${c.id}/days`, { token: volunteer, body: { days: [{ date: '2026-04-01', kind: 'closed' }] } })).status).toBe(403);
    expect((await t.call('POST', `/api/v1/day-calendars/${c.id}/import`, { token: volunteer, body: SCHOOL_TERM, headers: ics })).status).toBe(403);
    expect(dbState(t.db)).toBe(before);
    expect((await t.call('GET', '/api/v1/day-calendars', { token: volunteer })).status).toBe(200);
  });
});
