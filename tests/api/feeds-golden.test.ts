// Feeds compared byte for byte with golden files: a fresh database, a fixed clock, so every id,
// UID and stamp is the same on every run, whatever the process's TZ. UPDATE_GOLDEN=1 rewrites them
// (then read the diff before keeping it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { parseBoth } from '../helpers/ical.js';

const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));

describe('feeds match their golden files', () => {
  let t: TestApp;
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeApp('2026-03-01T08:00:00Z');
    const ok = async (res: Promise<{ status: number; body: any }>, status = 201) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r.body;
    };
    const zhang = await ok(t.call('POST', '/api/v1/people', { body: { name: 'Zhang Wei', role: 'coordinator', phone: '+86 138 0000 1111', email: 'zhang@example.org' } }));
    const as = zhang.accessToken as string;
    const team = await ok(t.call('POST', '/api/v1/teams', { token: as, body: { name: 'Building 3, east stair' } }));
    const li = await ok(t.call('POST', '/api/v1/people', { token: as, body: { name: 'Li Na', locale: 'en', teamIds: [team.id] } }));
    const wang = await ok(t.call('POST', '/api/v1/people', { token: as, body: { name: '王五', teamIds: [team.id] } }));
    t.setNow('2026-03-01T09:00:00Z');
    const park = await ok(t.call('POST', '/api/v1/rotas', { token: as, body: { name: 'Park clean-up; north lawn', timezone: 'Europe/Berlin', location: 'Volkspark, north gate' } }));
    const parkSeries = await ok(
      t.call('POST', `/api/v1/rotas/${park.id}/series`, {
        token: as,
        body: { rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=3', startDate: '2026-03-21', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 3, label: 'Saturday mornings' },
      }),
    );
    const gate = await ok(t.call('POST', '/api/v1/rotas', { token: as, body: { name: '东门护学岗', timezone: 'Asia/Shanghai', location: '实验学校东门' } }));
    const gateSeries = await ok(
      t.call('POST', `/api/v1/rotas/${gate.id}/series`, {
        token: as,
        body: { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 1, label: '早班' },
      }),
    );
    const at = (seriesId: number, date: string) => `${seriesId}.${date.replace(/-/g, '')}T0715`;
    const signUp = async (when: string, shiftId: string, personId: number) => {
      t.setNow(when);
      return ok(t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token: as, body: { personId } }));
    };
    await signUp('2026-03-01T10:00:00Z', at(gateSeries.id, '2026-03-02'), wang.id);
    await signUp('2026-03-01T10:05:00Z', at(gateSeries.id, '2026-03-02'), li.id);
    await signUp('2026-03-01T10:10:00Z', at(parkSeries.id, '2026-03-21'), li.id);
    await signUp('2026-03-01T10:15:00Z', at(parkSeries.id, '2026-03-28'), li.id);
    await signUp('2026-03-01T10:20:00Z', at(parkSeries.id, '2026-03-28'), wang.id);
    await signUp('2026-03-01T10:25:00Z', at(parkSeries.id, '2026-04-04'), li.id);
    t.setNow('2026-03-01T11:00:00Z');
    await ok(t.call('PATCH', `/api/v1/shifts/${at(parkSeries.id, '2026-04-04')}`, { token: as, body: { cancelled: true, note: 'Storm warning', affectedSignups: 'cancel' } }), 200);
    t.setNow('2026-03-10T00:00:00Z');
    const path = (url: string) => new URL(url).pathname;
    paths['person-en.ics'] = path(li.feedUrl);
    paths['person-zh.ics'] = path(wang.feedUrl);
    paths['team.ics'] = path(team.feedUrl);
    paths['rota.ics'] = path(park.feedUrl);
    paths['open-en.ics'] = `${path(gate.feedUrl).replace(/\.ics$/, '/open.ics')}?lang=en`;
  });
  afterAll(() => t.close());

  for (const file of ['person-en.ics', 'person-zh.ics', 'team.ics', 'rota.ics', 'open-en.ics']) {
    it(`renders ${file} exactly, and both parsers read it alike`, async () => {
      const res = await t.app.inject({ method: 'GET', url: paths[file]! });
      expect(res.statusCode).toBe(200);
      if (process.env.UPDATE_GOLDEN) writeFileSync(`${GOLDEN}${file}`, res.rawPayload);
      expect(res.body).toBe(readFileSync(`${GOLDEN}${file}`, 'utf8'));
      expect(parseBoth(res.body).events.length).toBeGreaterThan(0);
    });
  }
});
