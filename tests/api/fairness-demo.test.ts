import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo.js';
import { onPostgres } from '../helpers/engine.js';
import { makeApp, type TestApp } from '../helpers/app.js';

// Issue 6, "Done when": on the demo community a coordinator sees next week's gaps, fills one from
// the ranked list with its reasons, auto-fills the rest of the term with a dry run first, and
// prints the month's sheet — and no hard rule is broken. The steps build on each other.
describe('a coordinator fills the demo community\'s spring term fairly', () => {
  let t: TestApp;
  let rotaId: number;
  let firstGap: { id: string; missing: number };
  // Friday 6 March 2026, 10:00 in Shenzhen.
  const NEXT_WEEK = { from: '2026-03-09', to: '2026-03-15' };
  // The rest of the spring term: up to the start of the summer break.
  const TERM = { from: '2026-03-09', to: '2026-07-10' };

  beforeAll(async () => {
    t = await makeApp('2026-03-06T02:00:00Z');
    seedDemo(t.db, new Date('2026-03-06T02:00:00Z'));
    rotaId = (await t.call('GET', '/api/v1/rotas')).body.rotas[0].id;
    // Some captains have limits and days away, as real ones do.
    const people = (await t.call('GET', '/api/v1/people')).body.people.filter((p: { role: string }) => p.role === 'volunteer');
    for (const p of people.slice(0, 10)) {
      expect((await t.call('PUT', `/api/v1/people/${p.id}/preferences`, { body: { maxPerWeek: 1, maxPerMonth: 2, weekdays: [2, 4] } })).status).toBe(200);
    }
    for (const p of people.slice(10, 20)) {
      expect((await t.call('POST', `/api/v1/people/${p.id}/unavailability`, { body: { from: '2026-04-01', to: '2026-04-30' } })).status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('sees next week\'s gaps, most urgent first', async () => {
    const res = await t.call('GET', `/api/v1/gaps?rotaId=${rotaId}&from=${NEXT_WEEK.from}&to=${NEXT_WEEK.to}`);
    expect(res.status).toBe(200);
    // Two posts every school morning, Monday to Friday, each short of its two captains.
    expect(res.body.gaps).toHaveLength(10);
    firstGap = res.body.gaps[0];
    expect(res.body.gaps[0]).toMatchObject({ start: '2026-03-09T07:15:00+08:00', missing: 2, people: [] });
  });

  it('fills one from the ranked list, whose first entry says why', async () => {
    const ranked = await t.call('GET', `/api/v1/shifts/${firstGap.id}/candidates`);
    expect(ranked.status).toBe(200);
    expect(ranked.body.candidates.length).toBeGreaterThan(60);
    const best = ranked.body.candidates[0];
    expect(best.reasonText).toContain('前后 4 周内有 0 次值班');
    const res = await t.call('POST', `/api/v1/shifts/${firstGap.id}/signups`, { body: { personId: best.personId } });
    expect(res.status).toBe(201);
    const gaps = await t.call('GET', `/api/v1/gaps?rotaId=${rotaId}&from=${NEXT_WEEK.from}&to=${NEXT_WEEK.to}`);
    expect(gaps.body.gaps.find((g: { id: string }) => g.id === firstGap.id).missing).toBe(1);
  });

  it('auto-fills the rest of the term after a dry run, evenly, leaving no gap', async () => {
    const dry = await t.call('POST', `/api/v1/rotas/${rotaId}/autofill`, { body: { ...TERM, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.body.unfilled).toEqual([]);
    expect(dry.body.fairness.after.spread).toBeLessThanOrEqual(2);
    const applied = await t.call('POST', `/api/v1/rotas/${rotaId}/autofill`, { body: { proposalId: dry.body.proposalId } });
    expect(applied.status).toBe(200);
    expect(applied.body.skipped).toEqual([]);
    expect(applied.body.assignments).toHaveLength(dry.body.assignments.length);
    expect((await t.call('GET', `/api/v1/gaps?rotaId=${rotaId}&from=${TERM.from}&to=${TERM.to}`)).body.gaps).toEqual([]);
  });

  it('broke no hard rule: capacity, collisions, days away, limits', () => {
    const q = (sql: string) => t.db.$client.prepare(sql).all();
    const live = "status = 'confirmed'";
    expect(q(`SELECT shift_id FROM signups WHERE ${live} GROUP BY shift_id HAVING count(*) > 4`)).toEqual([]);
    expect(q(`SELECT a.id FROM signups a JOIN signups b ON a.person_id = b.person_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at WHERE a.${live} AND b.${live}`)).toEqual([]);
    expect(q(`SELECT s.id FROM signups s JOIN unavailability u ON u.person_id = s.person_id AND s.local_date BETWEEN u.from_date AND u.to_date WHERE s.${live}`)).toEqual([]);
    // The week a date lies in (from its Monday), and a preference, in each engine's SQL.
    const [limited, week] = onPostgres
      ? ["SELECT id FROM people WHERE (preferences->>'maxPerWeek')::int = 1", "date_trunc('week', local_date::date)"]
      : ["SELECT id FROM people WHERE json_extract(preferences, '$.maxPerWeek') = 1", "date(local_date, '-6 days', 'weekday 1')"];
    expect(q(`SELECT person_id FROM signups WHERE ${live} AND person_id IN (${limited}) GROUP BY person_id, ${week} HAVING count(*) > 1`)).toEqual([]);
    expect(q(`SELECT person_id FROM signups WHERE ${live} AND person_id IN (${limited}) GROUP BY person_id, substr(local_date, 1, 7) HAVING count(*) > 2`)).toEqual([]);
  });

  it('prints the month\'s sheet with every shift staffed', async () => {
    const text = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-03-01&to=2026-03-31&format=text`);
    expect(text.status).toBe(200);
    const lines = text.text.trim().split('\n');
    expect(lines[0]).toBe('平安上学路 护学岗 值班表（2026-03-01 至 2026-03-31）');
    const monday = lines.find((l) => l.startsWith('3月9日 周一 07:15 '))!;
    expect(monday).toMatch(/^3月9日 周一 07:15 校园门口：\S+、\S+；小区门口：\S+、\S+$/);
    // From the 9th on, nothing is missing.
    expect(lines.slice(lines.indexOf(monday)).filter((l) => l.includes('还缺'))).toEqual([]);
    const html = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-03-01&to=2026-03-31`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('<tr data-date="2026-03-31">');
  });
});
