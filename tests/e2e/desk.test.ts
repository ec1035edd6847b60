import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, browserPerFile, PHONE, axeViolations, screenshot, serve } from '../helpers/browser.js';

// Sunday 1 March 2026, 10:00 in Shanghai; the coordinator's browser runs in New York.
const NOW = '2026-03-01T02:00:00Z';
const BROWSER_ZONE = 'America/New_York';

describe('the coordinator desk', () => {
  let t: TestApp;
  let base: string;
  const pages = browserPerFile(() => t.close());

  async function start(): Promise<void> {
    t = await makeApp(NOW);
    base = await serve(t);
  }

  async function desk(opts: { viewport?: { width: number; height: number }; locale?: string; token?: string } = {}) {
    const viewport = opts.viewport ?? DESKTOP;
    const o = await pages.open({ viewport, mobile: viewport === PHONE, locale: opts.locale ?? 'zh-CN', timezoneId: BROWSER_ZONE, now: NOW });
    await o.page.goto(`${base}/desk#${opts.token ?? t.coordinatorToken}`);
    await o.page.locator('#week-h').waitFor();
    return o.page;
  }

  async function schoolGate(): Promise<{ rotaId: number; personId: number }> {
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', location: '实验学校东门' } });
    await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
    });
    const team = await t.call('POST', '/api/v1/teams', { body: { name: '3栋' } });
    const person = await t.call('POST', '/api/v1/people', { body: { name: '王建国', teamIds: [team.body.id] } });
    return { rotaId: rota.body.id, personId: person.body.id };
  }

  it('creates a rota with the recurrence form and shows its first week of shifts, gaps highlighted', async () => {
    await start();
    const page = await desk();
    await page.locator('#rotas .empty').waitFor();
    const form = page.locator('#new-rota-form');
    await form.getByLabel('名称（例如：东门护学岗）').fill('北门夜巡');
    await form.getByLabel('地点（可不填）').fill('小区北门');
    await form.getByLabel('时区').selectOption('Asia/Shanghai');
    for (const day of ['周一', '周三', '周五']) await form.getByLabel(day, { exact: true }).uncheck();
    await form.getByLabel('开始时间').fill('19:00');
    await form.getByLabel('时长（分钟）').fill('60');
    await form.getByLabel('最少几人').fill('1');
    await form.getByLabel('最多几人').fill('2');
    await form.getByLabel('从哪天开始').fill('2026-03-02');
    // The rule in words, not as an RRULE (issue 14).
    expect(await form.locator('.rule .rule-words').textContent()).toBe('周二、周四 19:00，节假日休息，调休上班日照常');
    await form.getByRole('button', { name: '建好值班表' }).click();

    await expect.poll(() => page.locator('#notice').textContent()).toContain('值班表“北门夜巡”已建好。');
    const week = page.locator('#week');
    await expect.poll(() => week.locator('.shift-row').count()).toBe(2);
    const text = await week.textContent();
    expect(text).toContain('3月2日 周一 至 3月8日 周日');
    expect(text).toContain('3月3日 周二');
    expect(text).toContain('3月5日 周四');
    expect(await week.locator('.shift-row .when').allTextContents()).toEqual(['19:00–20:00', '19:00–20:00']);
    expect(await week.locator('.shift-row.gap .tag.gap').allTextContents()).toEqual(['⚠ 缺 1 人', '⚠ 缺 1 人']);
    expect(await page.locator('#rotas .card').textContent()).toContain('周二、周四 19:00，节假日休息，调休上班日照常；60 分钟，1–2 人');

    const rotas = (await t.call('GET', '/api/v1/rotas')).body.rotas;
    const series = (await t.call('GET', `/api/v1/rotas/${rotas[0].id}/series`)).body.series;
    expect(series).toMatchObject([{ rrule: 'FREQ=WEEKLY;BYDAY=TU,TH', startDate: '2026-03-02', startTime: '19:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2, dayCalendarIds: ['cn-mainland'] }]);
    expect(rotas[0]).toMatchObject({ name: '北门夜巡', timezone: 'Asia/Shanghai', location: '小区北门' });
    await screenshot(page, 'desk-desktop-zh-new-rota');

    // The rota's calendar, drawn from its feed, shows the evenings at Shanghai's 19:00.
    const card = page.locator('#rotas .card', { hasText: '北门夜巡' });
    await card.getByRole('button', { name: '显示日历' }).click();
    const day = card.locator('.fc-daygrid-day[data-date="2026-03-03"]');
    await expect.poll(() => day.locator('.fc-event-time').allInnerTexts()).toEqual(['19:00']);
    expect(await card.locator('.fc-daygrid-day[data-date="2026-03-02"] .fc-event').count()).toBe(0);
    expect(await card.locator('.fc-daygrid-day[data-date="2026-03-05"] .fc-event-time').allInnerTexts()).toEqual(['19:00']);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'desk-desktop-zh-rota-calendar');
  });

  it('assigns a person to a shift that is short of people', async () => {
    await start();
    const { personId } = await schoolGate();
    const page = await desk();
    await page.locator('#week .shift-row').first().waitFor();
    await page.getByRole('button', { name: '下一周' }).click();
    await expect.poll(() => page.locator('#week').textContent()).toContain('3月2日 周一 至 3月8日 周日');
    const row = page.locator('#week .shift-row.gap').first();
    const shiftId = await row.getAttribute('data-shift-id');
    await row.getByRole('button', { name: '安排人' }).click();
    await page.getByLabel('人员', { exact: true }).selectOption({ label: '王建国' });
    await page.getByRole('button', { name: '安排', exact: true }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('已安排 王建国');
    await expect.poll(() => page.locator(`#week [data-shift-id="${shiftId}"]`).textContent()).toContain('王建国');
    const signups = (await t.call('GET', `/api/v1/people/${personId}/signups`)).body.signups;
    expect(signups.map((s: { shiftId: string }) => s.shiftId)).toEqual([shiftId]);
  });

  it('adds a person and shows the new personal link once, with a QR code; a new link replaces the old one', async () => {
    await start();
    await schoolGate();
    const page = await desk();
    await page.getByText('新增人员').click();
    const form = page.locator('#new-person-form');
    await form.getByLabel('姓名').fill('张丽华');
    await form.getByLabel('小组（可不填）').selectOption({ label: '3栋' });
    await form.getByRole('button', { name: '新增' }).click();
    const dialog = page.locator('dialog[open]');
    await expect.poll(() => dialog.textContent()).toContain('张丽华 的个人链接');
    const link = await dialog.getByRole('textbox').inputValue();
    expect(link).toMatch(/^https:\/\/rota\.example\.org\/me#[A-Za-z0-9_-]+$/);
    await expect.poll(() => dialog.locator('.qr svg').count()).toBe(1);
    const first = link.split('#')[1]!;
    expect((await t.call('GET', '/api/v1/me', { token: first })).body.name).toBe('张丽华');
    await dialog.getByRole('button', { name: '关闭' }).click();

    await page.locator('#people tr', { hasText: '张丽华' }).getByRole('button', { name: '新链接' }).click();
    await page.getByRole('button', { name: '是的，换新链接' }).click();
    await expect.poll(() => page.locator('dialog[open]').textContent()).toContain('这个链接只显示这一次');
    const second = (await page.locator('dialog[open]').getByRole('textbox').inputValue()).split('#')[1]!;
    expect(second).not.toBe(first);
    expect((await t.call('GET', '/api/v1/me', { token: first })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/me', { token: second })).body.name).toBe('张丽华');
  });

  it('charts person-shifts by month next to a totals table, and downloads them as CSV', async () => {
    await start();
    const { personId } = await schoolGate();
    const { rotaId } = { rotaId: (await t.call('GET', '/api/v1/rotas')).body.rotas[0].id as number };
    // Last term's paper sheet, entered by the coordinator: three past duties.
    const past = (await t.call('GET', `/api/v1/shifts?rotaId=${rotaId}&from=2026-01-05&to=2026-02-03`)).body.shifts as { id: string; localDate: string }[];
    for (const date of ['2026-01-05', '2026-02-02', '2026-02-03']) {
      const shift = past.find((s) => s.localDate === date)!;
      expect((await t.call('POST', `/api/v1/shifts/${shift.id}/signups`, { body: { personId } })).status).toBe(201);
    }
    const page = await desk();
    const table = page.locator('#stats table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/2026-01\s+1\s+1/), expect.stringMatching(/2026-02\s+2\s+1/)]);
    expect(await table.locator('tfoot').innerText()).toMatch(/合计\s+3\s+1/);
    expect(await page.locator('#stats canvas').getAttribute('aria-label')).toContain('人次');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('2026-02');
    await page.locator('#stats').scrollIntoViewIfNeeded();
    await screenshot(page, 'desk-desktop-zh-stats');
  });

  it('sends a volunteer who opens the desk to her own page', async () => {
    await start();
    const volunteer = await t.call('POST', '/api/v1/people', { body: { name: '李秀英' } });
    const o = await pages.open({ viewport: PHONE, mobile: true, locale: 'zh-CN', timezoneId: BROWSER_ZONE, now: NOW });
    await o.page.goto(`${base}/desk#${volunteer.body.accessToken}`);
    await expect.poll(() => o.page.locator('main').textContent()).toContain('这一页只给协调员用。');
    expect(await o.page.getByRole('link', { name: '去我的值班页' }).getAttribute('href')).toBe('/me');
  });

  // One page a test: an axe-core run of the whole desk takes 30–50 s on a busy machine.
  it.each([
    [DESKTOP, 'zh-CN', 'desk-desktop-zh'],
    [PHONE, 'zh-CN', 'desk-phone-zh'],
    [PHONE, 'en-GB', 'desk-phone-en'],
  ] as const)('passes axe-core on a desktop and on a phone, in both languages (%#: %s)', async (viewport, locale, name) => {
    await start();
    await schoolGate();
    const page = await desk({ viewport, locale });
    await page.locator('#week .shift-row').first().waitFor();
    await page.locator('#rotas .card button[aria-expanded]').click();
    await page.locator('#rotas .card .fc-event').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, name);
  });
});
