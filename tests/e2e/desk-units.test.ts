import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, PHONE, axeViolations, browserPerFile, screenshot, serve } from '../helpers/browser.js';

// Wednesday 4 March 2026, 10:00 in Shanghai: this week runs Monday 2 to Sunday 8 March.
const NOW = '2026-03-04T02:00:00Z';
const BEFORE = '2026-03-01T02:00:00Z';

interface Street {
  a: { unitId: number; rotaId: number };
  b: { unitId: number; rotaId: number };
  tokens: { coordA: string; coordBoth: string; viewer: string };
}

/**
 * 南山街道 with two sibling communities, each with its own rota, people and coordinator; one person
 * coordinating both; the street office a viewer. Signed up (while the shifts were still to come):
 * 风华社区's school gate Mon 2 (two people) and Tue 3 (one); 高新社区's evening patrol Tue 3 (its own
 * person, and one of 风华's, who is one person at the street).
 */
async function street(t: TestApp): Promise<Street> {
  t.setNow(BEFORE);
  const made = async (path: string, body: unknown) => {
    const res = await t.call('POST', `/api/v1${path}`, { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  // The first coordinator makes the street as a new top-level unit (and so coordinates it), then its communities.
  const streetUnit = await made('/units', { name: '南山街道', kind: 'street' });
  const a = await made('/units', { name: '风华社区', kind: 'community', parentId: streetUnit.id });
  const b = await made('/units', { name: '高新社区', kind: 'community', parentId: streetUnit.id });
  const person = (name: string, unitId: number) => made('/people', { name, unitId });
  const role = (unitId: number, personId: number, r: 'coordinator' | 'viewer') => made(`/units/${unitId}/roles`, { personId, role: r });
  const coordA = await person('李协调', a.id);
  await role(a.id, coordA.id, 'coordinator');
  const coordB = await person('赵协调', b.id);
  await role(b.id, coordB.id, 'coordinator');
  const both = await person('孙两边', streetUnit.id);
  await role(a.id, both.id, 'coordinator');
  await role(b.id, both.id, 'coordinator');
  const viewer = await person('街道办', streetUnit.id);
  await role(streetUnit.id, viewer.id, 'viewer');
  const a1 = (await person('王建国', a.id)).id;
  const a2 = (await person('陈秀英', a.id)).id;
  const b1 = (await person('刘海燕', b.id)).id;

  const rota = async (name: string, unitId: number, rule: { rrule: string; startTime: string; minVolunteers: number; maxVolunteers: number }) => {
    const r = await made('/rotas', { name, timezone: 'Asia/Shanghai', location: name.slice(0, 2), unitId });
    await made(`/rotas/${r.id}/series`, { ...rule, startDate: '2026-03-02', durationMinutes: 45, dayCalendarIds: [] });
    return r.id as number;
  };
  const gate = await rota('东门护学岗', a.id, { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startTime: '07:15', minVolunteers: 2, maxVolunteers: 4 });
  const patrol = await rota('夜间巡逻', b.id, { rrule: 'FREQ=WEEKLY;BYDAY=TU,TH', startTime: '19:00', minVolunteers: 1, maxVolunteers: 2 });
  const signUp = async (rotaId: number, date: string, personId: number) => {
    const shifts = (await t.call('GET', `/api/v1/shifts?rotaId=${rotaId}&from=${date}&to=${date}`)).body.shifts;
    await made(`/shifts/${encodeURIComponent(shifts[0].id)}/signups`, { personId });
  };
  await signUp(gate, '2026-03-02', a1);
  await signUp(gate, '2026-03-02', a2);
  await signUp(gate, '2026-03-03', a1);
  await signUp(patrol, '2026-03-03', b1);
  await signUp(patrol, '2026-03-03', a1);
  t.setNow(NOW);
  return {
    a: { unitId: a.id, rotaId: gate },
    b: { unitId: b.id, rotaId: patrol },
    tokens: { coordA: coordA.accessToken, coordBoth: both.accessToken, viewer: viewer.accessToken },
  };
}

const cells = (page: Page, row: string) => page.locator(`#overview-table ${row}`).first().locator('td').allTextContents();
/** The statistics section's total row: person-shifts and people, as the page shows them. */
const statsTotal = (page: Page) => page.locator('#stats table tfoot td').allTextContents();

describe('the desk at each level of a district', () => {
  let t: TestApp;
  let base: string;
  const pages = browserPerFile(() => t.close());

  async function start(): Promise<Street> {
    t = await makeApp(BEFORE);
    const s = await street(t);
    base = await serve(t);
    return s;
  }

  async function desk(token: string, opts: { viewport?: { width: number; height: number }; locale?: string; ready?: string } = {}) {
    const viewport = opts.viewport ?? DESKTOP;
    const o = await pages.open({ viewport, mobile: viewport === PHONE, locale: opts.locale ?? 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    await o.page.goto(`${base}/desk#${token}`);
    await o.page.locator(opts.ready ?? '#week-h').waitFor();
    return o.page;
  }

  const rotaNames = (page: Page) => page.locator('#rotas .card h3').allTextContents();
  const peopleNames = (page: Page) => page.locator('#people tr[data-person-id] td:first-child').allTextContents();

  it("shows a community's coordinator only their community's rotas, people, week and gaps", async () => {
    const s = await start();
    const page = await desk(s.tokens.coordA);
    expect(await page.locator('#unit-pick').textContent()).toBe('当前单位：风华社区（社区，协调员）');
    // One unit: nothing to choose, and no overview (a community has no communities below it).
    expect(await page.locator('#unit-select').count()).toBe(0);
    expect(await page.locator('#overview').count()).toBe(0);
    await expect.poll(() => rotaNames(page)).toEqual(['东门护学岗']);
    await expect.poll(() => peopleNames(page).then((n) => n.sort())).toEqual(['李协调', '王建国', '陈秀英'].sort());
    await expect.poll(() => page.locator('#week .shift-row').count()).toBe(5);
    expect(await page.locator('#week').textContent()).not.toContain('夜间巡逻');
    await expect.poll(() => page.locator('#gaps .card').count()).toBeGreaterThan(0);
    expect(await page.locator('#gaps').textContent()).not.toContain('夜间巡逻');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'desk-units-community-zh');
  });

  it('lets a coordinator of two communities switch between them, make a rota in the chosen one, and keep the choice over a reload', async () => {
    const s = await start();
    const page = await desk(s.tokens.coordBoth, { locale: 'en' });
    const select = page.getByLabel('Unit', { exact: true });
    expect(await select.locator('option').allTextContents()).toEqual(['风华社区 (community, coordinator)', '高新社区 (community, coordinator)']);
    await expect.poll(() => rotaNames(page)).toEqual(['东门护学岗']);
    await expect.poll(() => peopleNames(page).then((n) => n.sort())).toEqual(['王建国', '陈秀英', '李协调'].sort());

    // 风华's statistics: its school gate's 3 person-shifts by 2 people, not the 5 by 3 of both communities.
    await expect.poll(() => statsTotal(page)).toEqual(['3', '2']);

    await select.selectOption({ label: '高新社区 (community, coordinator)' });
    await expect.poll(() => rotaNames(page)).toEqual(['夜间巡逻']);
    await expect.poll(() => peopleNames(page).then((n) => n.sort())).toEqual(['刘海燕', '赵协调'].sort());
    await expect.poll(() => page.locator('#week .shift-row').count()).toBe(2);
    expect(await page.locator('#week').textContent()).not.toContain('东门护学岗');
    // The statistics follow the chosen community, and so does the CSV.
    await expect.poll(() => statsTotal(page)).toEqual(['2', '2']);
    expect(await page.locator('#stats caption').textContent()).toMatch(/^高新社区 · /);
    const [csvRequest, download] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/v1/stats/person-shifts') && (r.headers().accept ?? '').includes('text/csv')),
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(new URL(csvRequest.url()).searchParams.get('unitId')).toBe(String(s.b.unitId));
    expect(readFileSync((await download.path())!, 'utf8')).toMatch(/\r\n,Total,2,2,/);
    expect(await axeViolations(page)).toEqual([]);

    // People imported now live in the chosen community.
    await page.locator('#import-text').fill('周新来, 13900000001');
    await page.locator('#import-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#import .import-into').textContent()).toBe('Into: 高新社区');
    await page.getByRole('button', { name: 'Import these 1 people' }).click();
    await expect.poll(() => peopleNames(page).then((n) => n.sort())).toEqual(['刘海燕', '赵协调', '周新来'].sort());
    const imported = (await t.call('GET', '/api/v1/people')).body.people.find((p: { name: string }) => p.name === '周新来');
    expect(imported.unitId).toBe(s.b.unitId);

    // A rota made now belongs to the chosen community.
    await page.locator('#new-rota summary').click();
    await page.locator('#new-rota-form [name="name"]').fill('Evening watch');
    await page.locator('#new-rota-form button[type="submit"]').click();
    await expect.poll(() => rotaNames(page)).toEqual(['夜间巡逻', 'Evening watch']);
    const made = (await t.call('GET', '/api/v1/rotas')).body.rotas.find((r: { name: string }) => r.name === 'Evening watch');
    expect(made.unitId).toBe(s.b.unitId);

    await page.reload();
    await page.locator('#week-h').waitFor();
    expect(await page.getByLabel('Unit', { exact: true }).inputValue()).toBe(String(s.b.unitId));
    await expect.poll(() => rotaNames(page)).toEqual(['夜间巡逻', 'Evening watch']);
    await screenshot(page, 'desk-units-two-communities-en');
  });

  it("gives the street's viewer an overview whose rows add up, a chart by month, and a read-only drill-down into a community's gaps", async () => {
    const s = await start();
    const page = await desk(s.tokens.viewer, { ready: '#overview-table tfoot' });
    expect(await page.locator('#unit-pick').textContent()).toBe('当前单位：南山街道（街道，只读）');
    expect(await page.locator('#overview .what').textContent()).toBe('2026年3月；缺人班次为本周（3月2日 周一 至 3月8日 周日）');
    expect(await page.locator('#overview-table thead th').allTextContents()).toEqual(['社区', '本月人次', '本月人数', '本月满员率', '本周缺人班次']);
    // 风华: 3 person-shifts by 2 people; 3 of 44 places (22 weekdays × 2); Thu 5 and Fri 6 still short.
    expect(await cells(page, `tr[data-unit-id="${s.a.unitId}"]`)).toEqual(['3', '2', '7%', '2']);
    // 高新: 2 person-shifts by 2 people; 1 of 9 places (the shift on Tue 3 needs one); Thu 5 still short.
    expect(await cells(page, `tr[data-unit-id="${s.b.unitId}"]`)).toEqual(['2', '2', '11%', '1']);
    // Person-shifts and gaps add up; 王建国 served in both, so the street counts 3 people, not 4.
    expect(await cells(page, 'tfoot tr')).toEqual(['5', '3', '8%', '3']);
    const rows = await page.locator('#overview-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    expect(rows.reduce((n, r) => n + r[0]!, 0)).toBe(5);
    expect(rows.reduce((n, r) => n + r[3]!, 0)).toBe(3);
    expect(await page.locator('#overview canvas').getAttribute('aria-label')).toMatch(/^南山街道每月人次：2025年4月 0，.*2026年2月 0，2026年3月 5$/);

    await page.getByRole('button', { name: '查看 风华社区' }).click();
    const drill = page.locator('#overview-drill');
    await expect.poll(() => drill.locator('h3').textContent()).toBe('风华社区：值班表和本周缺人');
    expect(await drill.locator('[data-rota-id] h4').allTextContents()).toEqual(['东门护学岗']);
    expect(await drill.locator('.card.gap .when').allTextContents()).toEqual(['3月5日 周四 07:15–08:00', '3月6日 周五 07:15–08:00']);
    expect(await drill.locator('.card.gap .tag').allTextContents()).toEqual(['⚠ 缺 2 人', '⚠ 缺 2 人']);
    // The street's statistics: both communities, 王建国 once (5 person-shifts by 3 people).
    await expect.poll(() => statsTotal(page)).toEqual(['5', '3']);
    // Reading only: the community names, "hide", and the statistics' show and downloads; nothing that makes or changes anything.
    const buttons = await page.locator('main button, main summary').allTextContents();
    expect(buttons.sort()).toEqual(['收起', '风华社区', '高新社区', '查看', '下载 CSV', '下载 Excel'].sort());
    for (const id of ['#rotas', '#people', '#week', '#gaps', '#new-rota', '#import']) expect(await page.locator(id).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'desk-units-street-viewer-zh');
  });

  it("reads the street's overview in English on a phone", async () => {
    const s = await start();
    const page = await desk(s.tokens.viewer, { viewport: PHONE, locale: 'en', ready: '#overview-table tfoot' });
    expect(await page.locator('#overview-h').textContent()).toBe('Communities at a glance');
    expect(await page.locator('#overview-table thead th').allTextContents()).toEqual(['Community', 'Person-shifts this month', 'People this month', 'Places filled this month', 'Gaps this week']);
    expect(await cells(page, 'tfoot tr')).toEqual(['5', '3', '8%', '3']);
    await page.getByRole('button', { name: 'Show 高新社区' }).click();
    const drill = page.locator('#overview-drill');
    await expect.poll(() => drill.locator('h3').textContent()).toBe("高新社区: rotas and this week's gaps");
    expect(await drill.locator('.card.gap .when').allTextContents()).toEqual(['Thu 5 Mar 19:00–19:45']);
    expect(await drill.locator('.card.gap .tag').allTextContents()).toEqual(['⚠ 1 missing']);
    // Nothing wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'desk-units-street-viewer-en-phone');
  });
});
