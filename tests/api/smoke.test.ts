import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('the school-gate rota', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(() => t.close());

  it('lists every 2026 school day at 07:15 Shanghai time, none on holidays, one on each make-up day', async () => {
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai' } });
    expect(rota.status).toBe(201);
    const series = await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
    });
    expect(series.status).toBe(201);
    const res = await t.call('GET', `/api/v1/shifts?rotaId=${rota.body.id}&from=2026-01-01&to=2026-12-31`);
    expect(res.status).toBe(200);
    expect(res.body.shifts.length).toBe(248);
    expect(res.body.shifts.every((s: { start: string }) => s.start.endsWith('T07:15:00+08:00'))).toBe(true);
  });
});
