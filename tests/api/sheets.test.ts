import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, serve } from '../helpers/browser.js';
import { makePerson, type PersonSetup } from '../helpers/signup-fixtures.js';

// The clock stands at Sunday 2026-03-01 08:00 in Shanghai.
let t: TestApp;
beforeEach(async () => {
  t = await makeApp('2026-03-01T00:00:00Z');
});
afterEach(() => t.close());

interface Scene {
  rotaId: number;
  school: (date: string) => string;
  community: (date: string) => string;
  zhang: PersonSetup;
}

/** 平安上学路 with two posts at 07:15 on school days; 张三 and 李四 at the school gate on 2 March, 王五 at the community gate. */
async function scene(): Promise<Scene> {
  const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '平安上学路', timezone: 'Asia/Shanghai', location: '鼎太风华小区' } });
  const post = async (label: string) => {
    const res = await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label, rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 3 },
    });
    expect(res.status).toBe(201);
    return (date: string) => `${res.body.id}.${date.replace(/-/g, '')}T0715`;
  };
  const school = await post('校园门口');
  const community = await post('小区门口');
  const zhang = await makePerson(t.call, '张三');
  const li = await makePerson(t.call, '李四');
  const wang = await makePerson(t.call, '王五');
  for (const [shift, person] of [
    [school('2026-03-02'), zhang],
    [school('2026-03-02'), li],
    [community('2026-03-02'), wang],
  ] as const) {
    expect((await t.call('POST', `/api/v1/shifts/${shift}/signups`, { body: { personId: person.id } })).status).toBe(201);
  }
  return { rotaId: rota.body.id, school, community, zhang };
}

describe('the duty sheet as text for a chat group', () => {
  it('lists each date and time with every post\'s names and what is missing, in Chinese', async () => {
    const { rotaId } = await scene();
    const res = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-03-02&to=2026-03-03&format=text&lang=zh-CN`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(
      [
        '平安上学路 值班表（2026-03-02 至 2026-03-03）',
        '3月2日 周一 07:15 校园门口：张三、李四；小区门口：王五（还缺 1 人）',
        '3月3日 周二 07:15 校园门口：还缺 2 人；小区门口：还缺 2 人',
        '',
      ].join('\n'),
    );
  });

  it('and in English', async () => {
    const { rotaId } = await scene();
    const res = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-03-02&to=2026-03-02&format=text&lang=en`);
    expect(res.text.split('\n')[1]).toBe('Mon 2 Mar 07:15 校园门口: 张三, 李四; 小区门口: 王五 (1 more needed)');
  });

  it('covers the current week, Monday to Sunday, when no dates are given, and says when there is nothing', async () => {
    const { rotaId } = await scene();
    t.setNow('2026-03-04T02:00:00Z');
    const week = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?format=text`);
    expect(week.text.split('\n')[0]).toBe('平安上学路 值班表（2026-03-02 至 2026-03-08）');
    expect(week.text.trim().split('\n')).toHaveLength(6);
    const empty = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-03-07&to=2026-03-08&format=text`);
    expect(empty.text).toBe('平安上学路 值班表（2026-03-07 至 2026-03-08）\n这段时间没有班次。\n');
  });

  it('is for people signed in, and refuses unknown rotas and over-long periods', async () => {
    const { rotaId, zhang } = await scene();
    expect((await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?format=text`, { token: zhang.token })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?format=text`, { token: null })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/rotas/999/sheet?format=text')).status).toBe(404);
    expect((await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-01-01&to=2027-06-01`)).body.error.code).toBe('RANGE_TOO_LONG');
  });
});

describe('the duty sheet as a workbook', () => {
  it('has a row per date, a column per post, and the names in the right cells', async () => {
    const { rotaId } = await scene();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rotas/${rotaId}/sheet?from=2026-03-02&to=2026-03-03&format=xlsx&lang=zh-CN`, headers: { authorization: `Bearer ${t.coordinatorToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="duty-sheet-${rotaId}-2026-03-02-2026-03-03.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('值班表')!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(2)).toEqual(['日期', '时间', '校园门口', '小区门口']);
    expect(row(3)).toEqual(['3月2日 周一', '07:15', '张三、李四', '王五（还缺 1 人）']);
    expect(row(4)).toEqual(['3月3日 周二', '07:15', '还缺 2 人', '还缺 2 人']);
  });
});

describe('the printable duty sheet in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('opens from the desk with the bearer token in a new window and shows each name under its post', async () => {
    const { rotaId } = await scene();
    // A name is data, never markup.
    const odd = await makePerson(t.call, '<b>赵六</b>');
    const base = await serve(t);
    await t.call('POST', `/api/v1/shifts/${(await t.call('GET', `/api/v1/shifts?rotaId=${rotaId}&from=2026-03-03&to=2026-03-03`)).body.shifts[1].id}/signups`, { body: { personId: odd.id } });
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/api/v1/health`);
    // What the desk does: fetch with the token, then show the page from a blob: URL (no token in any URL).
    const [sheet] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate(
        async ({ url, token }) => {
          const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
          // Runs in the page; the project's TypeScript has no DOM library, hence the cast.
          (globalThis as unknown as { open(url: string): void }).open(URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' })));
        },
        { url: `${base}/api/v1/rotas/${rotaId}/sheet?from=2026-03-02&to=2026-03-06`, token: t.coordinatorToken },
      ),
    ]);
    await sheet!.waitForLoadState();
    expect(await sheet!.title()).toBe('平安上学路 值班表（2026-03-02 至 2026-03-06）');
    const headers = await sheet!.locator('thead th').allTextContents();
    expect(headers).toEqual(['日期', '时间', '校园门口', '小区门口']);
    const cell = (date: string, post: string) => sheet!.locator(`tr[data-date="${date}"] td`).nth(headers.indexOf(post) - 1);
    expect(await sheet!.locator('tbody tr').count()).toBe(5);
    expect(await sheet!.locator('tr[data-date="2026-03-02"] th').textContent()).toBe('3月2日 周一');
    expect(await cell('2026-03-02', '校园门口').textContent()).toBe('张三、李四');
    expect(await cell('2026-03-02', '小区门口').textContent()).toBe('王五（还缺 1 人）');
    expect(await cell('2026-03-03', '小区门口').textContent()).toBe('<b>赵六</b>（还缺 1 人）');
    expect(await sheet!.locator('b').count()).toBe(0);
    expect(await cell('2026-03-06', '校园门口').textContent()).toBe('还缺 2 人');
    // It prints: Chromium lays it out as a PDF.
    await sheet!.emulateMedia({ media: 'print' });
    expect(await cell('2026-03-02', '校园门口').isVisible()).toBe(true);
    const pdf = await sheet!.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await context.close();
  });

  it('is served with a policy that lets it load nothing and run nothing', async () => {
    const { rotaId } = await scene();
    const res = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet`);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.text).not.toContain('<script');
  });
});
