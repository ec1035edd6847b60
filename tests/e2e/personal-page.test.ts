import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, browserPerFile, PHONE, axeViolations, screenshot, serve } from '../helpers/browser.js';

// Sunday 1 March 2026, 10:00 in Shanghai — and still Saturday evening for a phone in New York,
// so a time shown in the phone's zone instead of the rota's would be visibly wrong.
const NOW = '2026-03-01T02:00:00Z';
const PHONE_ZONE = 'America/New_York';

interface Community {
  t: TestApp;
  base: string;
  rotaId: number;
  captain: { id: number; token: string };
  neighbour: { id: number };
  shifts: { id: string; localDate: string }[];
}

/** A school-gate rota in Shanghai, a captain and her neighbour, both on Monday's shift. */
async function community(): Promise<Community> {
  const t = await makeApp(NOW);
  const base = await serve(t);
  const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', location: '实验学校东门' } });
  await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
    body: { label: '校园门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
  });
  const team = await t.call('POST', '/api/v1/teams', { body: { name: '3栋' } });
  const captain = await t.call('POST', '/api/v1/people', { body: { name: '李秀英', teamIds: [team.body.id] } });
  const neighbour = await t.call('POST', '/api/v1/people', { body: { name: '王建国', teamIds: [team.body.id] } });
  const shifts = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.body.id}&from=2026-03-02&to=2026-03-13`)).body.shifts as { id: string; localDate: string }[];
  for (const personId of [captain.body.id, neighbour.body.id]) {
    expect((await t.call('POST', `/api/v1/shifts/${shifts[0]!.id}/signups`, { body: { personId } })).status).toBe(201);
  }
  return { t, base, rotaId: rota.body.id, captain: { id: captain.body.id, token: captain.body.accessToken }, neighbour: { id: neighbour.body.id }, shifts };
}

describe('a captain on her phone', () => {
  let c: Community;
  const pages = browserPerFile(() => c.t.close());

  /** A fresh browser context (no stored link or language) on a phone, or on a desk-sized screen. */
  async function phone(opts: { locale?: string; now?: string; viewport?: { width: number; height: number } } = {}) {
    const viewport = opts.viewport ?? PHONE;
    const o = await pages.open({ viewport, mobile: viewport === PHONE, locale: opts.locale ?? 'zh-CN', timezoneId: PHONE_ZONE, now: opts.now ?? NOW });
    return o.page;
  }

  it('opens her link in Chinese, sees her next duty first in Shanghai time, and signs up for an open shift in two taps', async () => {
    c = await community();
    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);

    const next = page.locator('#next .card');
    await expect.poll(() => next.textContent()).toContain('3月2日 周一');
    const nextText = await next.textContent();
    expect(nextText).toContain('07:15–08:00');
    expect(nextText).toContain('明天');
    expect(nextText).toContain('东门护学岗 · 校园门口');
    expect(nextText).toContain('实验学校东门');
    expect(nextText).toContain('同班：王建国');
    // First thing on the screen: the first section, entirely inside the phone's first screen.
    expect(await page.locator('main h2').first().textContent()).toBe('我的下一次值班');
    const box = await next.boundingBox();
    expect(box!.y + box!.height).toBeLessThan(PHONE.height);
    // The token left the address bar and stays in this browser for next time.
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate('localStorage.getItem("rota.token")')).toBe(c.captain.token);
    await screenshot(page, 'me-phone-zh');

    let taps = 0;
    const tap = async (target: Locator) => {
      taps++;
      await target.tap();
    };
    const tuesday = c.shifts[1]!;
    await tap(page.locator(`#open [data-shift-id="${tuesday.id}"] button`, { hasText: '报名' }));
    await expect.poll(() => page.locator('dialog[open]').textContent()).toContain('3月3日 周二 07:15–08:00');
    await tap(page.getByRole('button', { name: '是的，我报名' }));
    await expect.poll(() => page.locator('#notice').textContent()).toContain('报名成功：3月3日 周二 07:15–08:00');
    expect(taps).toBeLessThanOrEqual(3);
    expect(await page.locator('#notice').getAttribute('class')).toContain('notice-ok');
    await expect.poll(() => page.locator('#mine').textContent()).toContain('3月3日 周二');

    const mine = await c.t.call('GET', `/api/v1/people/${c.captain.id}/signups`, { token: c.captain.token });
    expect(mine.body.signups.map((s: { shiftId: string }) => s.shiftId)).toContain(tuesday.id);

    // The calendar, drawn from her own feed, now holds the new duty at Shanghai's 07:15.
    const calendar = page.locator('#my-calendar');
    await expect.poll(() => calendar.locator('.fc-list-event').count()).toBe(2);
    expect(await calendar.locator('.fc-list-day').allInnerTexts()).toEqual([expect.stringContaining('2026年3月2日'), expect.stringContaining('2026年3月3日')]);
    expect(await calendar.locator('.fc-list-event-time').allInnerTexts()).toEqual(['07:15 - 08:00', '07:15 - 08:00']);
    expect(await calendar.locator('.fc-list-event-title').allInnerTexts()).toEqual(['东门护学岗 · 校园门口', '东门护学岗 · 校园门口']);
    await calendar.scrollIntoViewIfNeeded();
    await screenshot(page, 'me-phone-zh-calendar');
  });

  it('reads a sign-up that already went through as "you are on it", not as an error', async () => {
    c = await community();
    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);
    const wednesday = c.shifts[2]!;
    const button = page.locator(`#open [data-shift-id="${wednesday.id}"] button`);
    await button.waitFor();
    // The first tap's request arrived; the page on the phone has not heard back yet.
    expect((await c.t.call('POST', `/api/v1/shifts/${wednesday.id}/signups`, { token: c.captain.token, body: {} })).status).toBe(201);
    await button.tap();
    await page.getByRole('button', { name: '是的，我报名' }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('您已经在这个班次上了：3月4日 周三 07:15–08:00');
    expect(await page.locator('#notice').getAttribute('class')).toContain('notice-ok');
  });

  it('says in plain words why a cancellation is refused close to the start, and then whom to ask instead of buttons', async () => {
    c = await community();
    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);
    const cancel = page.locator('#next .card button', { hasText: '取消报名' });
    await cancel.waitFor();
    // The page stayed open into the evening: at 23:00 in Shanghai Monday's 07:15 duty is inside the 12-hour lock.
    const late = '2026-03-01T15:00:00Z';
    c.t.setNow(late);
    await page.context().clock.setFixedTime(new Date(late));
    await cancel.tap();
    await page.getByRole('button', { name: '是的，取消' }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('离开始时间太近了');
    expect(await page.locator('#notice').getAttribute('class')).toContain('notice-error');
    await expect.poll(() => page.locator('#next .card').textContent()).toContain('3月2日 周一');
    // Redrawn, the card has no buttons left that would fail, and says who decides now.
    await expect.poll(() => page.locator('#next .card .locked').textContent()).toContain('如需变更，请直接联系协调员。');
    expect(await page.locator('#next .card').getByRole('button').count()).toBe(0);
  });

  it('asks for cover in two taps, and a neighbour takes the duty from her own page in two taps', async () => {
    c = await community();
    const helper = await c.t.call('POST', '/api/v1/people', { body: { name: '张丽华' } });
    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);
    await page.locator('#next .card button', { hasText: '找人替班' }).tap();
    await page.getByRole('button', { name: '是的，找人替' }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('已发出替班请求：3月2日 周一 07:15–08:00');

    const other = await phone();
    await other.goto(`${c.base}/me#${helper.body.accessToken}`);
    const card = other.locator('#cover .card');
    await expect.poll(() => card.textContent()).toContain('李秀英 请人替班');
    expect(await card.textContent()).toContain('3月2日 周一');
    await card.getByRole('button', { name: '我来替' }).tap();
    await other.getByRole('button', { name: '是的，我来替' }).tap();
    await expect.poll(() => other.locator('#notice').textContent()).toContain('谢谢！这个班次现在是您的了：3月2日 周一 07:15–08:00');
    await expect.poll(() => other.locator('#next .card').textContent()).toContain('同班：王建国');

    const theirs = (await c.t.call('GET', `/api/v1/people/${helper.body.id}/signups`)).body.signups;
    expect(theirs.map((s: { shiftId: string; status: string }) => [s.shiftId, s.status])).toEqual([[c.shifts[0]!.id, 'confirmed']]);
    const hers = (await c.t.call('GET', `/api/v1/people/${c.captain.id}/signups`)).body.signups;
    expect(hers.map((s: { shiftId: string }) => s.shiftId)).not.toContain(c.shifts[0]!.id);
  });

  it('accepts a swap another captain proposed, in two taps, and her next duty moves with it', async () => {
    c = await community();
    const other = await c.t.call('POST', '/api/v1/people', { body: { name: '赵志强' } });
    const his = await c.t.call('POST', `/api/v1/shifts/${c.shifts[1]!.id}/signups`, { body: { personId: other.body.id } });
    const hers = (await c.t.call('GET', `/api/v1/people/${c.captain.id}/signups`)).body.signups[0];
    const proposed = await c.t.call('POST', `/api/v1/signups/${his.body.id}/trade`, { token: other.body.accessToken, body: { withSignupId: hers.id } });
    expect(proposed.status).toBe(201);

    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);
    const card = page.locator('#trades .card');
    await expect.poll(() => card.textContent()).toContain('赵志强 想用 3月3日 周二 07:15–08:00');
    await card.getByRole('button', { name: '同意换班' }).tap();
    await page.getByRole('button', { name: '是的，同意' }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('换班成功：您现在去 3月3日 周二 07:15–08:00');
    await expect.poll(() => page.locator('#next .card').textContent()).toContain('3月3日 周二');
    expect(await page.locator('#trades').count()).toBe(0);
    const now = (await c.t.call('GET', `/api/v1/people/${c.captain.id}/signups`)).body.signups;
    expect(now.map((s: { shiftId: string }) => s.shiftId)).toEqual([c.shifts[1]!.id]);
  });

  it('switches to English, keeps the choice and her link, and shows dates in the English style', async () => {
    c = await community();
    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);
    await page.locator('#next .card').waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).tap();
    await expect.poll(() => page.locator('#next h2').textContent()).toBe('My next duty');
    expect(await page.locator('#next .card').textContent()).toContain('Mon 2 Mar');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await expect.poll(() => page.locator('#next .card').textContent()).toContain('Tomorrow');
    expect(await page.locator('#next h2').textContent()).toBe('My next duty');
    expect(await page.locator('#lang').textContent()).toBe('中文');
    await screenshot(page, 'me-phone-en');
  });

  it('has a subscribe section with the webcal link, the https link to copy, a QR code and a one-time download', async () => {
    c = await community();
    const page = await phone();
    await page.goto(`${c.base}/me#${c.captain.token}`);
    const me = (await c.t.call('GET', '/api/v1/me', { token: c.captain.token })).body;
    const section = page.locator('#subscribe');
    await section.waitFor();
    expect(await section.getByRole('link', { name: '订阅到我的日历' }).getAttribute('href')).toBe(me.webcalUrl);
    expect(await section.getByRole('textbox').inputValue()).toBe(me.feedUrl);
    await expect.poll(() => section.locator('.qr svg').count()).toBe(1);
    const download = section.getByRole('link', { name: /下载一次日历文件/ });
    expect(await download.getAttribute('href')).toBe(`${new URL(me.feedUrl).pathname}?download=true`);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'me-phone-subscribe');
  });

  it('passes axe-core on the phone and on a desktop, in both languages', async () => {
    c = await community();
    for (const [viewport, locale] of [
      [PHONE, 'zh-CN'],
      [DESKTOP, 'en-GB'],
    ] as const) {
      const page = await phone({ viewport, locale });
      await page.goto(`${c.base}/me#${c.captain.token}`);
      await page.locator('#next .card').waitFor();
      await page.locator('#my-calendar .fc-list-event').first().waitFor();
      await page.locator('#subscribe .qr svg').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      if (viewport === DESKTOP) await screenshot(page, 'me-desktop-en');
    }
  });
});
