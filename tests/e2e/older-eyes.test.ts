import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { PHONE, browserPerFile, screenshot, serve } from '../helpers/browser.js';

const NOW = '2026-03-01T02:00:00Z';

/** What a page shows that is too small to read or to hit, and whether it scrolls sideways. */
async function tooSmall(page: Page): Promise<{ text: string[]; targets: string[]; scrollsSideways: boolean }> {
  // A string, so this file needs no DOM types: it runs in the page.
  return page.evaluate(`(() => {
    const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
    const describe = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
    const text = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !visible(el)) continue;
      if (parseFloat(getComputedStyle(el).fontSize) < 18) text.push(describe(el) + ' ' + getComputedStyle(el).fontSize);
    }
    const targets = [];
    for (const el of document.querySelectorAll('button, a.button, select, input:not([type=checkbox]), label.check, summary, .desk-nav a')) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.height < 48 || r.width < 48) targets.push(describe(el) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
    return { text, targets, scrollsSideways: document.documentElement.scrollWidth > document.documentElement.clientWidth };
  })()`);
}

describe('the page for older eyes and hands', () => {
  let t: TestApp;
  let base: string;
  let captainToken: string;
  const pages = browserPerFile(() => t.close());

  async function community(): Promise<void> {
    t = await makeApp(NOW);
    base = await serve(t);
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '平安上学路 护学岗 Safe school route', timezone: 'Asia/Shanghai', location: '深圳市南山区南山街道风华社区 鼎太风华小区' } });
    await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label: '校园门口 School gate', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
    });
    const captain = await t.call('POST', '/api/v1/people', { body: { name: '李秀英' } });
    captainToken = captain.body.accessToken;
    const first = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.body.id}&from=2026-03-02&to=2026-03-02`)).body.shifts[0];
    await t.call('POST', `/api/v1/shifts/${first.id}/signups`, { body: { personId: captain.body.id } });
  }

  // 200% zoom: a 390 px phone shows 195 CSS pixels; WCAG's reflow check is 320 px wide.
  for (const [what, viewport] of [
    ['on a phone', PHONE],
    ['at 200% zoom', { width: 320, height: 568 }],
  ] as const) {
    for (const [path, ready] of [
      ['/me', '#my-calendar .fc-list-event'],
      ['/desk', '#week .shift-row'],
    ] as const) {
      it(`${path} ${what}: text is at least 18 px, every target at least 48 px, and nothing scrolls sideways`, async () => {
        await community();
        const o = await pages.open({ viewport, mobile: true, locale: 'zh-CN', timezoneId: 'America/New_York', now: NOW });
        await o.page.goto(`${base}${path}#${path === '/me' ? captainToken : t.coordinatorToken}`);
        await o.page.locator(ready).first().waitFor();
        expect(await tooSmall(o.page)).toEqual({ text: [], targets: [], scrollsSideways: false });
        if (viewport !== PHONE) await screenshot(o.page, `${path.slice(1)}-zoom-200`);
      });
    }
  }
});
