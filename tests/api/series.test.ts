// Series through the API: define once, edit "this shift only" or "this and all future", end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbState } from '../fixtures/db-state.js';
import { makeApp, type TestApp } from '../helpers/app.js';

const WEEKDAYS = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';

interface WireShift {
  id: string;
  start: string;
  localDate: string;
  status: string;
  max: number;
  moved: boolean;
  people: { id: number }[];
}

describe('series', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 08:00 on Sunday 1 March 2026 in Shanghai.
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(() => t.close());

  async function setup(series: Record<string, unknown> = {}) {
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'East gate', timezone: 'Asia/Shanghai' } })).body;
    const res = await t.call('POST', `/api/v1/rotas/${rota.id}/series`, {
      body: { rrule: WEEKDAYS, startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, ...series },
    });
    expect(res.status).toBe(201);
    return { rotaId: rota.id as number, series: res.body };
  }

  const shifts = async (rotaId: number, from: string, to: string) => {
    const res = await t.call('GET', `/api/v1/shifts?rotaId=${rotaId}&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    return res.body.shifts as WireShift[];
  };

  it('creates a series and reads it back, alone and in its rota\'s list', async () => {
    const { rotaId, series } = await setup({ rrule: 'freq=weekly;byday=mo,tu,we,th,fr;', label: '校门口 School gate', dayCalendarIds: ['cn-mainland'] });
    expect(series).toMatchObject({
      rotaId,
      label: '校门口 School gate',
      timezone: 'Asia/Shanghai',
      rrule: WEEKDAYS,
      startDate: '2026-03-02',
      startTime: '07:15',
      durationMinutes: 45,
      minVolunteers: 2,
      maxVolunteers: 4,
      endDate: null,
      dayCalendarIds: ['cn-mainland'],
      versions: [{ validFrom: '2026-03-02', rrule: WEEKDAYS, startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4 }],
    });
    expect((await t.call('GET', `/api/v1/series/${series.id}`)).body).toEqual(series);
    expect((await t.call('GET', `/api/v1/rotas/${rotaId}/series`)).body.series).toEqual([series]);
  });

  it('warns that an open-ended series following cn-mainland runs into years without holiday data', async () => {
    const { series } = await setup({ dayCalendarIds: ['cn-mainland'] });
    expect(series.warnings).toEqual([expect.objectContaining({ code: 'NO_HOLIDAY_DATA', calendarId: 'cn-mainland', year: 2027 })]);
    const ended = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { endDate: '2026-07-10' } });
    expect(ended.body.series.warnings).toEqual([]);
  });

  it('cancels one shift only, which keeps its id and stays listed as cancelled', async () => {
    const { rotaId } = await setup();
    const before = await shifts(rotaId, '2026-03-02', '2026-03-06');
    const target = before[2]!;
    const res = await t.call('PATCH', `/api/v1/shifts/${target.id}`, { body: { cancelled: true, note: 'Sports day' } });
    expect(res.status).toBe(200);
    expect(res.body.shift).toMatchObject({ id: target.id, status: 'cancelled' });
    const after = await shifts(rotaId, '2026-03-02', '2026-03-06');
    expect(after.map((s) => [s.id, s.status])).toEqual(before.map((s) => [s.id, s.id === target.id ? 'cancelled' : s.status]));
  });

  it('moves one shift to another day and time; it keeps its id and is listed on its new day', async () => {
    const { rotaId, series } = await setup();
    const id = `${series.id}.20260303T0715`;
    const res = await t.call('PATCH', `/api/v1/shifts/${id}`, { body: { start: '2026-03-07T09:30', durationMinutes: 60 } });
    expect(res.status).toBe(200);
    expect(res.body.shift).toMatchObject({ id, start: '2026-03-07T09:30:00+08:00', end: '2026-03-07T10:30:00+08:00', localDate: '2026-03-07', moved: true });
    expect((await shifts(rotaId, '2026-03-03', '2026-03-03')).map((s) => s.id)).toEqual([]);
    expect((await shifts(rotaId, '2026-03-07', '2026-03-07')).map((s) => s.id)).toEqual([id]);
    expect((await t.call('GET', `/api/v1/shifts/${id}`)).body).toMatchObject({ id, start: '2026-03-07T09:30:00+08:00', moved: true });
  });

  it('changes one shift\'s capacity only', async () => {
    const { rotaId, series } = await setup();
    const id = `${series.id}.20260304T0715`;
    const res = await t.call('PATCH', `/api/v1/shifts/${id}`, { body: { maxVolunteers: 8, minVolunteers: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.shift).toMatchObject({ id, min: 3, max: 8 });
    expect((await shifts(rotaId, '2026-03-02', '2026-03-06')).map((s) => s.max)).toEqual([4, 4, 8, 4, 4]);
  });

  it('refuses to edit a shift the series does not have', async () => {
    const { series } = await setup();
    const res = await t.call('PATCH', `/api/v1/shifts/${series.id}.20260307T0715`, { body: { cancelled: true } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('changes "this and all future" shifts in place: same series, earlier shifts untouched', async () => {
    const { rotaId, series } = await setup();
    const before = await shifts(rotaId, '2026-03-02', '2026-03-20');
    const res = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { from: '2026-03-11', startTime: '07:30', maxVolunteers: 6 } });
    expect(res.status).toBe(200);
    expect(res.body.series.id).toBe(series.id);
    expect(res.body.series.versions.map((v: { validFrom: string; startTime: string }) => `${v.validFrom} ${v.startTime}`)).toEqual(['2026-03-02 07:15', '2026-03-11 07:30']);
    const after = await shifts(rotaId, '2026-03-02', '2026-03-20');
    expect(after.filter((s) => s.localDate < '2026-03-11')).toEqual(before.filter((s) => s.localDate < '2026-03-11'));
    expect(after.filter((s) => s.localDate >= '2026-03-11').map((s) => `${s.id} ${s.start} ${s.max}`)).toEqual(
      ['11', '12', '13', '16', '17', '18', '19', '20'].map((d) => `${series.id}.202603${d}T0730 2026-03-${d}T07:30:00+08:00 6`),
    );
  });

  it('applies a change without a date from today in the rota\'s zone', async () => {
    const { rotaId, series } = await setup({ startDate: '2026-02-23' });
    const res = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { startTime: '07:00' } });
    expect(res.status).toBe(200);
    expect(res.body.series.versions.map((v: { validFrom: string }) => v.validFrom)).toEqual(['2026-02-23', '2026-03-01']);
    expect((await shifts(rotaId, '2026-02-27', '2026-03-02')).map((s) => s.start)).toEqual(['2026-02-27T07:15:00+08:00', '2026-03-02T07:00:00+08:00']);
  });

  it('edits a series that has not started yet without being told from when', async () => {
    const { rotaId, series } = await setup({ startDate: '2026-04-01' });
    const label = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { label: 'Next term' } });
    expect(label.status).toBe(200);
    expect(label.body.series.label).toBe('Next term');
    const time = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { startTime: '07:00' } });
    expect(time.status).toBe(200);
    expect(time.body.series.versions).toEqual([expect.objectContaining({ validFrom: '2026-04-01', startTime: '07:00' })]);
    expect((await shifts(rotaId, '2026-04-01', '2026-04-01')).map((s) => s.start)).toEqual(['2026-04-01T07:00:00+08:00']);
  });

  it('ends a series on its end date, inclusive, and refuses an end before its start', async () => {
    const { rotaId, series } = await setup();
    const res = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { endDate: '2026-03-04' } });
    expect(res.status).toBe(200);
    expect(res.body.series.endDate).toBe('2026-03-04');
    expect((await shifts(rotaId, '2026-03-01', '2026-03-31')).map((s) => s.localDate)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    const early = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { endDate: '2026-03-01' } });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 'VALIDATION', field: 'endDate' });
    const reopened = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { endDate: null } });
    expect(reopened.body.series.endDate).toBeNull();
    expect(await shifts(rotaId, '2026-03-01', '2026-03-31')).toHaveLength(22);
  });

  it('refuses to move one shift people signed up for, until told to move them with it', async () => {
    const { series } = await setup();
    const captain = (await t.call('POST', '/api/v1/people', { body: { name: 'Captain' } })).body;
    const id = `${series.id}.20260305T0715`;
    expect((await t.call('POST', `/api/v1/shifts/${id}/signups`, { body: { personId: captain.id } })).status).toBe(201);
    const before = dbState(t.db);
    const refused = await t.call('PATCH', `/api/v1/shifts/${id}`, { body: { start: '2026-03-05T08:00' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SIGNUPS_AFFECTED');
    expect(refused.body.error.signups).toEqual([expect.objectContaining({ personId: captain.id, shiftId: id, change: 'moved', newStart: '2026-03-05T08:00:00+08:00', outcome: 'unresolved' })]);
    expect(dbState(t.db)).toBe(before);
    const moved = await t.call('PATCH', `/api/v1/shifts/${id}`, { body: { start: '2026-03-05T08:00', affectedSignups: 'move' } });
    expect(moved.status).toBe(200);
    expect(moved.body.affectedSignups).toEqual([expect.objectContaining({ personId: captain.id, outcome: 'moved' })]);
    expect(moved.body.shift).toMatchObject({ id, start: '2026-03-05T08:00:00+08:00', people: [{ id: captain.id, name: 'Captain' }] });
  });

  it('refuses a rule change that moves people\'s shifts to a new time, until told to cancel them', async () => {
    const { rotaId, series } = await setup();
    const captain = (await t.call('POST', '/api/v1/people', { body: { name: 'Captain' } })).body;
    const id = `${series.id}.20260305T0715`;
    expect((await t.call('POST', `/api/v1/shifts/${id}/signups`, { body: { personId: captain.id } })).status).toBe(201);
    const before = dbState(t.db);
    // A new time makes new shifts (a shift is its series and original local start).
    const refused = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { from: '2026-03-05', startTime: '08:00' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.signups).toEqual([
      expect.objectContaining({ personId: captain.id, shiftId: id, change: 'moved', start: '2026-03-05T07:15:00+08:00', newShiftId: `${series.id}.20260305T0800`, newStart: '2026-03-05T08:00:00+08:00' }),
    ]);
    expect(dbState(t.db)).toBe(before);
    const cancelled = await t.call('PATCH', `/api/v1/series/${series.id}`, { body: { from: '2026-03-05', startTime: '08:00', affectedSignups: 'cancel' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.affectedSignups).toEqual([expect.objectContaining({ personId: captain.id, outcome: 'cancelled' })]);
    expect((await shifts(rotaId, '2026-03-05', '2026-03-05')).map((s) => [s.id, s.start, s.people])).toEqual([[`${series.id}.20260305T0800`, '2026-03-05T08:00:00+08:00', []]]);
  });

  it('moves people to the new time on their own day when a rule edit changes the time, and cancels those whose day is gone', async () => {
    const { rotaId, series } = await setup();
    const [a, b] = [
      (await t.call('POST', '/api/v1/people', { body: { name: 'Captain A' } })).body,
      (await t.call('POST', '/api/v1/people', { body: { name: 'Captain B' } })).body,
    ];
    expect((await t.call('POST', `/api/v1/shifts/${series.id}.20260305T0715/signups`, { body: { personId: a.id } })).status).toBe(201);
    expect((await t.call('POST', `/api/v1/shifts/${series.id}.20260306T0715/signups`, { body: { personId: b.id } })).status).toBe(201);
    // From 5 March: 07:30, and no longer on Fridays.
    const res = await t.call('PATCH', `/api/v1/series/${series.id}`, {
      body: { from: '2026-03-05', startTime: '07:30', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH', affectedSignups: 'move' },
    });
    expect(res.status).toBe(200);
    expect(res.body.affectedSignups).toEqual([
      expect.objectContaining({ personId: a.id, change: 'moved', newShiftId: `${series.id}.20260305T0730`, outcome: 'moved' }),
      expect.objectContaining({ personId: b.id, change: 'removed', newShiftId: null, outcome: 'cancelled' }),
    ]);
    const week = await shifts(rotaId, '2026-03-05', '2026-03-06');
    expect(week.map((s) => [s.id, s.start, s.people.map((p) => p.id)])).toEqual([[`${series.id}.20260305T0730`, '2026-03-05T07:30:00+08:00', [a.id]]]);
    const mine = await t.call('GET', `/api/v1/people/${a.id}/signups?from=2026-03-05&to=2026-03-05`);
    expect(mine.body.signups).toEqual([expect.objectContaining({ shiftId: `${series.id}.20260305T0730`, start: '2026-03-05T07:30:00+08:00', status: 'confirmed' })]);
  });
});
