// Issue 14, item 6: the demo community speaks Chinese only and ships last term's history, so the
// report and its chart show the founding story's 192 person-shifts on first look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo.js';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('the demo community', () => {
  let t: TestApp;
  let output: string;
  // Friday 6 March 2026 in Shenzhen: the autumn term ended on 23 January.
  const NOW = '2026-03-06T02:00:00Z';

  beforeAll(async () => {
    t = await makeApp(NOW);
    output = seedDemo(t.db, new Date(NOW));
  });
  afterAll(() => t.close());

  it('names its rota, posts and calendars in Chinese only', async () => {
    const rotas = (await t.call('GET', '/api/v1/rotas')).body.rotas as { id: number; name: string; description: string }[];
    expect(rotas.map((r) => r.name)).toEqual(['平安上学路 护学岗']);
    expect(rotas[0]!.description).not.toMatch(/[A-Za-z]/);
    const series = (await t.call('GET', `/api/v1/rotas/${rotas[0]!.id}/series`)).body.series as { label: string }[];
    expect(series.map((s) => s.label)).toEqual(['校园门口', '小区门口']);
    const calendars = (await t.call('GET', '/api/v1/day-calendars')).body.dayCalendars as { id: string; name: string }[];
    const term = calendars.find((c) => c.id !== 'cn-mainland')!;
    expect(term.name).toBe('学校校历 2026（寒假、暑假）');
  });

  it('has last term on record: 192 attended person-shifts, spread over every month of it, by all 75 captains', async () => {
    expect(output).toContain('Last term (2025-09-01 to 2026-01-23) is on record: 192 attended person-shifts');
    const stats = await t.call('GET', '/api/v1/stats/person-shifts?groupBy=month&from=2025-04-01&to=2026-03-06');
    expect(stats.status).toBe(200);
    // 45 minutes a duty, none checked in: 192 × 45 min.
    expect(stats.body.total).toEqual({ personShifts: 192, people: 75, minutes: 8640, hours: 144 });
    expect(stats.body.rows.map((r: { key: string }) => r.key)).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01']);
    const q = (sql: string) => t.db.$client.prepare(sql).all();
    expect(q("SELECT id FROM signups WHERE attendance IS NOT 'attended' OR status <> 'confirmed'")).toEqual([]);
    expect(q("SELECT id FROM signups WHERE local_date < '2025-09-01' OR local_date > '2026-01-23'")).toEqual([]);
    // Nobody on both posts of one morning, no post over its four places.
    expect(q('SELECT person_id FROM signups GROUP BY person_id, local_date HAVING count(*) > 1')).toEqual([]);
    expect(q('SELECT shift_id FROM signups GROUP BY shift_id HAVING count(*) > 4')).toEqual([]);
  });

  it('keeps history off the future: next week is still all gaps', async () => {
    const gaps = (await t.call('GET', '/api/v1/gaps?from=2026-03-09&to=2026-03-13')).body.gaps as { missing: number }[];
    expect(gaps).toHaveLength(10);
    expect(gaps.every((g) => g.missing === 2)).toBe(true);
  });

  it('is the same history when seeded again in another database', async () => {
    const other = await makeApp(NOW);
    try {
      seedDemo(other.db, new Date(NOW));
      const rows = (db: TestApp) => db.db.$client.prepare('SELECT shift_id, person_id FROM signups ORDER BY id').all();
      expect(rows(other)).toEqual(rows(t));
    } finally {
      await other.close();
    }
  });
});
