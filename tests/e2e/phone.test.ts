// The captain's page on a cheap phone, a slow network and large text (issue 14 items 1–5), in
// real Chromium: the bytes before the next duty shows, the calendar's month entries, a 24 or 32 px
// default font (Chromium's own setting, through CDP's Page.setFontSizes) and 200% zoom at 320 and
// 360 px, the locked duty that names whom to call, the open-duty count and the phone-family steps.
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { PHONE, axeViolations, browserPerFile, screenshot, serve } from '../helpers/browser.js';

// Sunday 1 March 2026, 10:00 in Shanghai; the phone is in New York.
const NOW = '2026-03-01T02:00:00Z';
const PHONE_ZONE = 'America/New_York';
/**
 * What a phone downloads before it shows the next duty: issue 14 allows 60 KB; the page needs
 * about 36 KB here (the style sheet inside the page, five modules, one call), so this holds it to 45.
 */
const BUDGET_BYTES = 45 * 1024;

interface Community {
  t: TestApp;
  base: string;
  captainToken: string;
  shifts: { id: string; localDate: string }[];
}

/** A school-gate rota in Shanghai whose contact is 陈主任, and a captain on Monday's duty. */
async function community(): Promise<Community> {
  const t = await makeApp(NOW);
  const base = await serve(t);
  const contact = await t.call('POST', '/api/v1/people', { body: { name: '陈主任', role: 'coordinator', phone: '138 0013 8000' } });
  const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', location: '实验学校东门', contactPersonId: contact.body.id } });
  await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
    body: { label: '校园门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
  });
  const captain = await t.call('POST', '/api/v1/people', { body: { name: '李秀英' } });
  const shifts = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.body.id}&from=2026-03-02&to=2026-03-13`)).body.shifts as { id: string; localDate: string }[];
  for (const shift of shifts.slice(0, 2)) {
    expect((await t.call('POST', `/api/v1/shifts/${shift.id}/signups`, { body: { personId: captain.body.id } })).status).toBe(201);
  }
  return { t, base, captainToken: captain.body.accessToken, shifts };
}

/** What sticks out sideways: the page's overflow, and any card or dialog wider than its box. */
async function sideways(page: Page): Promise<{ page: number; boxes: string[] }> {
  return page.evaluate(`(() => {
    const root = document.documentElement;
    const boxes = [];
    for (const el of document.querySelectorAll('.card, dialog[open], #subscribe, .fc')) {
      if (el.scrollWidth > el.clientWidth + 1) boxes.push(el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
    }
    return { page: root.scrollWidth - root.clientWidth, boxes };
  })()`);
}

describe('the captain\'s page on a phone', () => {
  let c: Community;
  const pages = browserPerFile(() => c.t.close());

  async function phone(opts: { viewport?: { width: number; height: number }; locale?: string; now?: string; fontSize?: number; userAgent?: string } = {}): Promise<{ page: Page; cdp: CDPSession }> {
    const o = await pages.open({ viewport: opts.viewport ?? PHONE, mobile: true, locale: opts.locale ?? 'zh-CN', timezoneId: PHONE_ZONE, now: opts.now ?? NOW });
    const cdp = await o.context.newCDPSession(o.page);
    // Chromium's own default font size, as set in the browser's settings.
    if (opts.fontSize) await cdp.send('Page.setFontSizes', { fontSizes: { standard: opts.fontSize } });
    if (opts.userAgent) await cdp.send('Emulation.setUserAgentOverride', { userAgent: opts.userAgent });
    return { page: o.page, cdp };
  }

  it('shows the next duty within 45 KB, compressed, before any calendar library is fetched', async () => {
    c = await community();
    const { page, cdp } = await phone();
    await cdp.send('Network.enable');
    const urls = new Map<string, string>();
    const bytes = new Map<string, number>();
    const encodings = new Map<string, string>();
    const requested: string[] = [];
    cdp.on('Network.requestWillBeSent', (e) => {
      urls.set(e.requestId, new URL(e.request.url).pathname);
      requested.push(new URL(e.request.url).pathname);
    });
    cdp.on('Network.responseReceived', (e) => encodings.set(new URL(e.response.url).pathname, String(e.response.headers['content-encoding'] ?? '')));
    // Bytes on the wire (headers and compressed body) of each request.
    cdp.on('Network.loadingFinished', (e) => {
      const path = urls.get(e.requestId);
      if (path) bytes.set(path, (bytes.get(path) ?? 0) + e.encodedDataLength);
    });
    // The requests made by the moment the next duty appears in the page.
    let before: string[] = [];
    await page.exposeBinding('nextShown', () => {
      before = [...requested];
    });
    await page.addInitScript(`new MutationObserver((_, observer) => {
      if (!document.querySelector('#next .card')) return;
      observer.disconnect();
      window.nextShown();
    }).observe(document, { childList: true, subtree: true });`);
    await page.goto(`${c.base}/me#${c.captainToken}`);
    await page.locator('#next .card').waitFor();
    await page.locator('#my-calendar .fc-list-event').first().waitFor();
    const total = before.reduce((sum, path) => sum + (bytes.get(path) ?? Number.NaN), 0);

    expect(before).toContain('/me');
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(before.filter((p) => p.includes('/vendor/') || p.endsWith('/calendar.js'))).toEqual([]);
    // One API call draws it all.
    expect(before.filter((p) => p.startsWith('/api/'))).toEqual(['/api/v1/me/overview']);
    // The page (with its style sheet inside) and the scripts came brotli-compressed, the scripts from
    // their fingerprinted paths; no style sheet was asked for.
    expect(encodings.get('/me')).toBe('br');
    expect(before.filter((p) => p.endsWith('.css'))).toEqual([]);
    const assets = before.filter((p) => p.startsWith('/assets/'));
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const path of assets) {
      expect(path).toMatch(/^\/assets\/v-[0-9a-f]{12}\//);
      if (!path.endsWith('.svg')) expect(encodings.get(path), path).toBe('br');
    }
    // The calendar followed, with its libraries.
    expect([...bytes.keys()].some((p) => p.endsWith('/vendor/fullcalendar.js'))).toBe(true);
  });

  it('opens the calendar as a list on a phone, and the month view writes each duty on one line, in both languages', async () => {
    c = await community();
    for (const [locale, button] of [
      ['zh-CN', '月'],
      ['en-GB', 'Month'],
    ] as const) {
      const { page } = await phone({ locale });
      await page.goto(`${c.base}/me#${c.captainToken}`);
      const calendar = page.locator('#my-calendar');
      await calendar.locator('.fc-list-event').first().waitFor();
      await calendar.getByRole('button', { name: button, exact: true }).tap();
      const entries = calendar.locator('.fc-daygrid-event');
      await expect.poll(() => entries.count()).toBe(2);
      expect(await calendar.locator('.fc-short').first().getAttribute('title')).toBe('东门护学岗 · 校园门口');
      for (const entry of await entries.all()) {
        expect(await entry.locator('.fc-short').textContent()).toBe('07:15 校园门口');
        const box = (await entry.boundingBox())!;
        const lineHeight = await entry.locator('.fc-short').evaluate((el) => {
          // Runs in the page; this project's TypeScript has no DOM types.
          const css = (globalThis as unknown as { getComputedStyle(e: unknown): { lineHeight: string; fontSize: string } }).getComputedStyle(el);
          return parseFloat(css.lineHeight) || parseFloat(css.fontSize) * 1.5;
        });
        expect(box.height).toBeLessThan(lineHeight * 1.8);
      }
      // A day cell stays about as tall as it is wide, not a column of characters.
      const cell = (await calendar.locator('.fc-daygrid-day').first().boundingBox())!;
      expect(cell.height).toBeLessThan(200);
      expect(await sideways(page)).toEqual({ page: 0, boxes: [] });
      await screenshot(page, `me-month-${locale}`);
    }
  });

  // 200% zoom lays a 360 px phone out in 180 CSS pixels, each drawn with two device pixels.
  for (const [what, viewport, fontSize] of [
    ['320 px with a 24 px font', { width: 320, height: 568 }, 24],
    ['320 px with a 32 px font', { width: 320, height: 568 }, 32],
    ['360 px with a 24 px font', { width: 360, height: 640 }, 24],
    ['360 px with a 32 px font', { width: 360, height: 640 }, 32],
    ['360 px at 200% zoom', { width: 180, height: 320 }, 0],
  ] as const) {
    it(`at ${what}: nothing scrolls sideways, and the sign-up question opens with its date in view above Yes and No`, async () => {
      c = await community();
      const { page } = await phone({ viewport, fontSize });
      await page.goto(`${c.base}/me#${c.captainToken}`);
      await page.locator('#my-calendar .fc-list-event').first().waitFor();
      if (fontSize) expect(await page.evaluate('parseFloat(getComputedStyle(document.body).fontSize)')).toBe(fontSize * 1.25);
      expect(await sideways(page)).toEqual({ page: 0, boxes: [] });

      const open = page.locator(`#open [data-shift-id="${c.shifts[2]!.id}"] button`);
      await open.scrollIntoViewIfNeeded();
      await open.tap();
      const dialog = page.locator('dialog[open]');
      await dialog.waitFor();
      const inView = async (selector: string) => {
        const box = (await dialog.locator(selector).first().boundingBox())!;
        return `${selector} ${box.y >= 0 && box.y + box.height <= viewport.height ? 'in view' : `at ${Math.round(box.y)}–${Math.round(box.y + box.height)}`}`;
      };
      expect(await inView('h2')).toBe('h2 in view');
      expect(await dialog.locator('.dialog-body .when').textContent()).toContain('3月4日 周三');
      expect(await inView('.dialog-body .when')).toBe('.dialog-body .when in view');
      const [yes, no] = await Promise.all([dialog.getByRole('button', { name: '是的，我报名' }).boundingBox(), dialog.getByRole('button', { name: '不用了' }).boundingBox()]);
      expect(yes!.y + yes!.height).toBeLessThanOrEqual(no!.y);
      expect(await sideways(page)).toEqual({ page: 0, boxes: [] });
      await screenshot(page, `me-dialog-${viewport.width}-${fontSize || 'zoom'}`);
      // "No" is what it says: a tap there changes nothing.
      await dialog.getByRole('button', { name: '不用了' }).tap();
      await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
      expect((await c.t.call('GET', `/api/v1/shifts/${c.shifts[2]!.id}`)).body.confirmed).toBe(0);
    });
  }

  it('inside the lock window says plainly that changes go through the rota\'s contact, with a number to tap, in both languages', async () => {
    c = await community();
    // 23:00 on Sunday in Shanghai: Monday's 07:15 duty is inside the 12-hour lock, Tuesday's is not.
    const late = '2026-03-01T15:00:00Z';
    c.t.setNow(late);
    const { page } = await phone({ now: late, fontSize: 32, viewport: { width: 320, height: 568 } });
    await page.goto(`${c.base}/me#${c.captainToken}`);
    const next = page.locator('#next .card');
    await expect.poll(() => next.textContent()).toContain('3月2日 周一');
    expect(await next.locator('.locked').textContent()).toContain('离开始不到 12 小时，这里已经不能取消或换班了。如需变更，请直接联系陈主任。');
    const call = next.getByRole('link', { name: '打电话给陈主任：138 0013 8000' });
    expect(await call.getAttribute('href')).toBe('tel:13800138000');
    expect(await next.getByRole('button').count()).toBe(0);
    // Tuesday's duty is outside the lock: its buttons stay.
    const tuesday = page.locator('#mine .card');
    expect(await tuesday.getByRole('button', { name: '取消报名' }).count()).toBe(1);
    expect(await tuesday.locator('.locked').count()).toBe(0);
    expect(await sideways(page)).toEqual({ page: 0, boxes: [] });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'me-locked-zh');

    await page.getByRole('button', { name: 'Switch to English' }).tap();
    await expect.poll(() => next.locator('.locked').innerText()).toMatch(/^This duty starts in less than 12 hours, so it can no longer be cancelled or swapped here\.\s+For any change, contact 陈主任 directly\./);
    expect(await next.getByRole('link', { name: 'Call 陈主任: 138 0013 8000' }).getAttribute('href')).toBe('tel:13800138000');
  });

  it('says near the top how many duties she could take, and that line jumps to them', async () => {
    c = await community();
    const { page } = await phone();
    await page.goto(`${c.base}/me#${c.captainToken}`);
    // Ten school days from 2 March, two of them hers, and more beyond: all within the next 30 days.
    const overview = (await c.t.call('GET', '/api/v1/me/overview', { token: c.captainToken })).body;
    const n = overview.openShiftIds.length;
    expect(n).toBeGreaterThan(8);
    const jump = page.getByRole('link', { name: `可以报名：${n} 个班 ↓` });
    const box = (await jump.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(PHONE.height);
    expect(box.height).toBeGreaterThanOrEqual(48);
    await jump.tap();
    await expect.poll(async () => (await page.locator('#open h2').boundingBox())!.y).toBeLessThan(PHONE.height / 2);
    const firstSignUp = (await page.locator('#open .card button').first().boundingBox())!;
    expect(firstSignUp.y).toBeGreaterThanOrEqual(0);
    expect(firstSignUp.y + firstSignUp.height).toBeLessThanOrEqual(PHONE.height);
  });

  it('explains subscribing per phone family, opening the one in her hand, with the link to copy and the QR code', async () => {
    c = await community();
    for (const [userAgent, family, summary] of [
      ['Mozilla/5.0 (Linux; Android 12; NOH-AN00 Build/HUAWEINOH-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 Mobile Safari/537.36 HuaweiBrowser/12.0', 'huawei', '华为 / 荣耀'],
      ['Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1; wv) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230405 MicroMessenger/8.0.35.2360(0x2800235B) WeChat/arm64 Weixin', 'wechat', '在微信里打开的'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'iphone', 'iPhone（苹果手机）'],
    ] as const) {
      const { page } = await phone({ userAgent });
      await page.goto(`${c.base}/me#${c.captainToken}`);
      const section = page.locator('#subscribe');
      await section.locator('.qr svg').waitFor();
      expect(await section.locator('details summary').allInnerTexts()).toEqual(['iPhone（苹果手机）', '华为 / 荣耀', '小米 / 红米', 'OPPO / 一加 / realme', 'vivo / iQOO', '三星', '在微信里打开的']);
      expect(await section.locator('details[open] summary').allInnerTexts()).toEqual([summary]);
      expect(await section.locator(`details[data-family="${family}"] li`).count()).toBeGreaterThanOrEqual(2);
      const me = (await c.t.call('GET', '/api/v1/me', { token: c.captainToken })).body;
      expect(await section.getByRole('textbox').inputValue()).toBe(me.feedUrl);
      if (family === 'huawei') {
        expect(await section.locator('details[open]').textContent()).toContain('下载一次日历文件');
        await section.locator('details').evaluateAll((all) => all.forEach((d) => ((d as { open: boolean }).open = true)));
        expect(await axeViolations(page)).toEqual([]);
        await section.scrollIntoViewIfNeeded();
        await screenshot(page, 'me-subscribe-families');
      }
    }
    const { page } = await phone({ locale: 'en-GB' });
    await page.goto(`${c.base}/me#${c.captainToken}`);
    await page.locator('#subscribe').waitFor();
    expect(await page.locator('#subscribe details summary').allInnerTexts()).toEqual(['iPhone', 'Huawei / Honor', 'Xiaomi / Redmi', 'OPPO / OnePlus / realme', 'vivo / iQOO', 'Samsung', 'Opened inside WeChat']);
    expect(await page.locator('#subscribe details[open]').count()).toBe(0);
  });
});
