// Issue 14, item 6: the demo community speaks Chinese only and ships last term's history, so the
// report and its chart show the founding story's 192 person-shifts on first look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoLink } from '../../src/services/demo.js';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('the demo street and its communities', () => {
  let t: TestApp;
  let output: string;
  let links: DemoLink[];
  // Friday 6 March 2026 in Shenzhen: the autumn term ended on 23 January.
  const NOW = '2026-03-06T02:00:00Z';

  beforeAll(async () => {
    t = await makeApp(NOW);
    ({ summary: output, links } = seedDemo(t.db, new Date(NOW)));
  });
  afterAll(() => t.close());

  const tokenOf = (label: string) => links.find((l) => l.label.startsWith(label))!.token;
  const names = async (url: string, key: 'rotas' | 'people', token: string) =>
    ((await t.call('GET', url, { token })).body[key] as { name: string }[]).map((r) => r.name);

  it('is a tree: 南山街道 above three communities, 风华社区 holding 鼎太风华小区 and its 33 buildings, each captain homed in a building', async () => {
    const units = (await t.call('GET', '/api/v1/units')).body.units as { id: number; name: string; kind: string; parentId: number | null }[];
    const street = units.find((u) => u.name === '南山街道')!;
    expect(street).toMatchObject({ kind: 'street', parentId: null });
    // The first coordinator coordinates 风华社区 and sees the street above it, not its neighbours.
    expect(units.filter((u) => u.parentId === street.id).map((u) => u.name)).toEqual(['风华社区']);
    const viewerUnits = (await t.call('GET', '/api/v1/units', { token: tokenOf('南山街道 viewer') })).body.units as typeof units;
    expect(viewerUnits.filter((u) => u.parentId === street.id).map((u) => [u.name, u.kind])).toEqual([
      ['风华社区', 'community'],
      ['高新社区', 'community'],
      ['蔚蓝海岸社区', 'community'],
    ]);
    const fenghua = units.find((u) => u.name === '风华社区')!;
    const estate = units.find((u) => u.parentId === fenghua.id)!;
    expect(estate).toMatchObject({ name: '鼎太风华小区', kind: 'estate' });
    const buildings = units.filter((u) => u.parentId === estate.id);
    expect(buildings).toHaveLength(33);
    expect(buildings.every((b) => b.kind === 'building')).toBe(true);
    const captains = ((await t.call('GET', '/api/v1/people')).body.people as { role: string; unitId: number }[]).filter((p) => p.role === 'volunteer');
    expect(captains).toHaveLength(75);
    const homes = new Set(buildings.map((b) => b.id));
    expect(captains.every((p) => homes.has(p.unitId))).toBe(true);
    expect(new Set(captains.map((p) => p.unitId)).size).toBe(33);
  });

  it('gives each community its own coordinator, who sees only that community\'s rotas and people', async () => {
    expect(await names('/api/v1/rotas', 'rotas', tokenOf('风华社区 coordinator'))).toEqual(['平安上学路 护学岗']);
    expect(await names('/api/v1/rotas', 'rotas', tokenOf('高新社区 coordinator'))).toEqual(['高新社区 夜间巡逻']);
    expect(await names('/api/v1/rotas', 'rotas', tokenOf('蔚蓝海岸社区 coordinator'))).toEqual(['蔚蓝海岸 护学岗']);
    const fenghuaPeople = await names('/api/v1/people', 'people', tokenOf('风华社区 coordinator'));
    expect(fenghuaPeople).toHaveLength(77); // 75 captains, 陈老师 and the first coordinator
    expect(fenghuaPeople).not.toContain('郑海燕');
    expect((await names('/api/v1/people', 'people', tokenOf('高新社区 coordinator'))).sort()).toEqual(
      ['高新社区 网格长 周老师', '郑海燕', '何国强', '林美玲', '罗志明', '宋丽娟', '唐建华'].sort(),
    );
    expect((await names('/api/v1/people', 'people', tokenOf('蔚蓝海岸社区 coordinator'))).sort()).toEqual(
      ['蔚蓝海岸社区 网格长 梁老师', '谢文静', '高建军', '朱秀兰', '马晓东', '胡春梅'].sort(),
    );
    // Another community's rota is not there for them at all.
    const fenghuaRota = (await t.call('GET', '/api/v1/rotas')).body.rotas[0].id as number;
    expect((await t.call('GET', `/api/v1/rotas/${fenghuaRota}`, { token: tokenOf('高新社区 coordinator') })).status).toBe(404);
  });

  it('lets the street office read a roll-up of its three communities that adds up to its total, and change nothing', async () => {
    const viewer = tokenOf('南山街道 viewer');
    const street = ((await t.call('GET', '/api/v1/units', { token: viewer })).body.units as { id: number; name: string }[]).find((u) => u.name === '南山街道')!;
    const rollup = await t.call('GET', `/api/v1/stats/person-shifts?groupBy=unit&level=community&unitId=${street.id}&from=2025-09-01&to=2026-03-06`, { token: viewer });
    expect(rollup.status).toBe(200);
    const rows = rollup.body.rows as { label: string; personShifts: number; people: number }[];
    expect(rows.map((r) => [r.label, r.personShifts])).toEqual(
      expect.arrayContaining([
        ['风华社区', 192],
        ['高新社区', 60],
        ['蔚蓝海岸社区', 48],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(rollup.body.total.personShifts).toBe(rows.reduce((sum, r) => sum + r.personShifts, 0));
    expect(rollup.body.total.people).toBe(75 + 6 + 5);
    const rotaId = (await t.call('GET', '/api/v1/rotas', { token: viewer })).body.rotas[0].id as number;
    expect((await t.call('PATCH', `/api/v1/rotas/${rotaId}`, { token: viewer, body: { name: 'x' } })).status).toBe(403);
  });

  it('lists a labelled personal link for each community coordinator and the street viewer', () => {
    expect(links.map((l) => l.label.split(' (')[0])).toEqual(['风华社区 coordinator', '高新社区 coordinator', '蔚蓝海岸社区 coordinator', '南山街道 viewer']);
  });

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
    expect(q("SELECT id FROM signups WHERE attendance IS NULL OR attendance <> 'attended' OR status <> 'confirmed'")).toEqual([]);
    expect(q("SELECT id FROM signups WHERE local_date < '2025-09-01' OR local_date > '2026-01-23'")).toEqual([]);
    // Nobody on both posts of one morning, no post over its four places.
    expect(q('SELECT person_id FROM signups GROUP BY person_id, local_date HAVING count(*) > 1')).toEqual([]);
    expect(q('SELECT shift_id FROM signups GROUP BY shift_id HAVING count(*) > 4')).toEqual([]);
  });

  it('keeps history off the future: next week is still all gaps', async () => {
    const gaps = (await t.call('GET', '/api/v1/gaps?from=2026-03-09&to=2026-03-13', { token: tokenOf('风华社区 coordinator') })).body.gaps as { missing: number }[];
    expect(gaps).toHaveLength(10);
    expect(gaps.every((g) => g.missing === 2)).toBe(true);
  });

  it('on a database already in use, adds 南山街道 as a new top-level unit, leaving the existing community as it was', async () => {
    const other = await makeApp(NOW);
    try {
      const own = await other.call('POST', '/api/v1/rotas', { body: { name: '本社区 值守', timezone: 'Asia/Shanghai' } });
      expect(own.status).toBe(201);
      const { summary, links: otherLinks } = seedDemo(other.db, new Date(NOW));
      expect(summary).toContain('192 attended person-shifts');
      const units = (await other.call('GET', '/api/v1/units')).body.units as { id: number; name: string; kind: string; parentId: number | null }[];
      expect(units.filter((u) => u.parentId === null).map((u) => [u.name, u.kind])).toEqual([
        ['本社区', 'community'],
        ['南山街道', 'street'],
      ]);
      // The coordinator of every top-level unit coordinates the new street too, so sees all four rotas.
      expect(((await other.call('GET', '/api/v1/rotas')).body.rotas as { name: string }[]).map((r) => r.name).sort()).toEqual(
        ['本社区 值守', '平安上学路 护学岗', '高新社区 夜间巡逻', '蔚蓝海岸 护学岗'].sort(),
      );
      const fenghuaToken = otherLinks.find((l) => l.label.startsWith('风华社区 coordinator'))!.token;
      expect(((await other.call('GET', '/api/v1/rotas', { token: fenghuaToken })).body.rotas as { name: string }[]).map((r) => r.name)).toEqual(['平安上学路 护学岗']);
    } finally {
      await other.close();
    }
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
