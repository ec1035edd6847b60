// Issue 14, item 6: the desk's first ten minutes on an empty install, in real Chromium. A new
// coordinator follows the checklist: a first rota (its rule in words, common time zones first),
// then three people and their links, all without a reload; every section follows at once with the
// new rota chosen; refusals read in the page's language; a local-only link is called out.
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, PHONE, axeViolations, browserPerFile, screenshot, serve } from '../helpers/browser.js';

// Sunday 1 March 2026, 10:00 in Shanghai; the coordinator's browser runs in New York.
const NOW = '2026-03-01T02:00:00Z';
const BROWSER_ZONE = 'America/New_York';

describe('the desk on an empty install', () => {
  let t: TestApp;
  let base: string;
  const pages = browserPerFile(() => t.close());

  async function start(publicUrl?: string): Promise<void> {
    t = await makeApp(NOW, publicUrl ? { publicUrl } : {});
    base = await serve(t);
  }

  async function desk(opts: { viewport?: { width: number; height: number }; locale?: string } = {}) {
    const viewport = opts.viewport ?? DESKTOP;
    const o = await pages.open({ viewport, mobile: viewport === PHONE, locale: opts.locale ?? 'zh-CN', timezoneId: BROWSER_ZONE, now: NOW });
    await o.page.goto(`${base}/desk#${t.coordinatorToken}`);
    await o.page.locator('#week-h').waitFor();
    await o.page.locator('#start .checklist li').first().waitFor();
    return o.page;
  }

  it('publishes a first rota and three people\'s links without a reload, every section following', async () => {
    await start();
    const page = await desk();
    // A mark on the window: a reload would wipe it.
    await page.evaluate('window.sameDocument = true');

    const checklist = page.locator('#start .checklist');
    expect(await checklist.locator('li').allInnerTexts()).toEqual([
      expect.stringContaining('建一个值班表'),
      expect.stringContaining('添加人员'),
      expect.stringContaining('个人链接发给他们'),
      expect.stringContaining('打印二维码卡片'),
    ]);
    expect(await checklist.locator('li.done').count()).toBe(0);
    expect(await page.locator('#local-links').isHidden()).toBe(true);

    // Step one from the checklist: its link opens the rota form.
    await checklist.getByRole('link', { name: /建一个值班表/ }).click();
    const form = page.locator('#new-rota-form');
    await form.getByLabel('名称（例如：东门护学岗）').fill('东门护学岗');
    const zones = await form.getByLabel('时区').locator('option').allTextContents();
    expect(zones.slice(0, 3)).toEqual(['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Macau']);
    expect(zones.length).toBeGreaterThan(300);
    expect(await form.getByLabel('时区').inputValue()).toBe('Asia/Shanghai');
    expect(await form.locator('.rule .rule-words').textContent()).toBe('周一至周五 07:15，节假日休息，调休上班日照常');
    await form.getByLabel('从哪天开始').fill('2026-03-02');
    await form.getByRole('button', { name: '建好值班表' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('值班表“东门护学岗”已建好。');

    const rotaId = String((await t.call('GET', '/api/v1/rotas')).body.rotas[0].id);
    // Every section knows the new rota at once, and has it chosen.
    await expect.poll(() => page.locator('#week .shift-row').count()).toBe(5);
    expect(await page.locator('#rota-filter').inputValue()).toBe(rotaId);
    for (const select of ['#gaps-rota', '#autofill select[name="rota"]', '#sheet select[name="rota"]', '#day-rota', '#notices select#channel-rota']) {
      expect(await page.locator(select).inputValue(), select).toBe(rotaId);
    }
    await expect.poll(() => page.locator('#gaps .shift-row').count()).toBe(5);
    expect(await page.locator('#rotas .card').textContent()).toContain('周一至周五 07:15，节假日休息，调休上班日照常；45 分钟，2–4 人');
    await expect.poll(() => checklist.locator('li.done').count()).toBe(1);

    // "试排" answers in Chinese: a dry run for the new rota, not an English refusal.
    const autofill = page.locator('#autofill');
    await autofill.getByRole('button', { name: '到本月底' }).click();
    await autofill.getByRole('button', { name: '试排（先不保存）' }).click();
    await expect.poll(() => autofill.locator('h3').first().textContent()).toMatch(/^试排结果：\d+ 个安排$/);
    expect(await page.locator('#notice').textContent()).not.toMatch(/Invalid|integer/);

    // Step two and three: three people, each link shown with its QR code as they are added.
    const links: string[] = [];
    for (const name of ['王建国', '张丽华', '李秀英']) {
      if ((await page.locator('#add-person').getAttribute('open')) === null) await page.locator('#add-person summary').click();
      const personForm = page.locator('#new-person-form');
      await personForm.getByLabel('姓名').fill(name);
      await personForm.getByRole('button', { name: '新增' }).click();
      const dialog = page.locator('dialog[open]');
      await expect.poll(() => dialog.textContent()).toContain(`${name} 的个人链接`);
      await expect.poll(() => dialog.locator('.qr svg').count()).toBe(1);
      expect(await dialog.locator('.local-links').count()).toBe(0);
      links.push(await dialog.getByRole('textbox').inputValue());
      await dialog.getByRole('button', { name: '关闭' }).click();
    }
    for (const [i, link] of links.entries()) {
      expect(link).toMatch(/^https:\/\/rota\.example\.org\/me#[A-Za-z0-9_-]+$/);
      expect((await t.call('GET', '/api/v1/me', { token: link.split('#')[1]! })).body.name).toBe(['王建国', '张丽华', '李秀英'][i]);
    }
    // Everyone shows everywhere a person is chosen, with no reload.
    expect(await page.locator('#people tbody tr').count()).toBe(4);
    await page.locator('#week .shift-row').first().getByRole('button', { name: '安排人' }).click();
    expect(await page.locator('#assign-person option').allTextContents()).toEqual(expect.arrayContaining(['王建国', '张丽华', '李秀英']));
    await page.locator('dialog[open]').getByRole('button', { name: '不用了' }).click();
    expect(await checklist.locator('li.done').evaluateAll((items) => items.map((li) => li.getAttribute('data-step')))).toEqual(['rota', 'people', 'links']);
    expect(await page.evaluate('window.sameDocument')).toBe(true);

    // In English, the same desk in other words: the checklist still ticking, the rule in English.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('#rotas .card').textContent()).toContain('Monday to Friday 07:15, off on public holidays, on duty on make-up working days; 45 minutes, 2–4 people');
    expect(await checklist.locator('li').first().innerText()).toContain('Create a rota');
    expect(await checklist.locator('li.done').count()).toBe(3);
    expect(await form.getByLabel('Time zone').locator('optgroup').evaluateAll((groups) => groups.map((g) => (g as unknown as { label: string }).label))).toEqual(['Common time zones', 'Other time zones (A–Z)']);
    await page.locator('#start').scrollIntoViewIfNeeded();
    await screenshot(page, 'desk-first-run-zh');
  });

  it('says "create a rota first" in the page\'s language when there is none, and names a refused field in it', async () => {
    await start();
    const page = await desk({ viewport: PHONE });
    await page.locator('#autofill').getByRole('button', { name: '试排（先不保存）' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('请先建一个值班表');
    await page.locator('#sheet').getByRole('button', { name: '打印这个月的值班表' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('请先建一个值班表');

    // A refusal from the API's own checks: "to" before "from".
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '北门夜巡', timezone: 'Asia/Shanghai' } });
    await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, { body: { rrule: 'FREQ=WEEKLY;BYDAY=TU', startDate: '2026-03-01', startTime: '19:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2 } });
    for (const [locale, words] of [
      ['zh-CN', '请检查“到”这一项。'],
      ['en-GB', 'Please check "To".'],
    ] as const) {
      const p = await desk({ viewport: PHONE, locale });
      const autofill = p.locator('#autofill');
      await autofill.locator('input[name="from"]').fill('2026-03-20');
      await autofill.locator('input[name="to"]').fill('2026-03-10');
      await autofill.locator('button[type="submit"]').click();
      await expect.poll(() => p.locator('#notice').textContent()).toContain(words);
      expect(await p.locator('#notice').textContent()).not.toContain('Invalid');
    }
  });

  it('gives the rule in words in English too, and in the pure formatter for other rules', async () => {
    await start();
    const page = await desk({ locale: 'en-GB' });
    const form = page.locator('#new-rota-form');
    expect(await form.locator('.rule .rule-words').textContent()).toBe('Monday to Friday 07:15, off on public holidays, on duty on make-up working days');
    await form.getByLabel('Sat', { exact: true }).check();
    await form.getByLabel('Mon', { exact: true }).uncheck();
    await form.getByLabel('Wed', { exact: true }).uncheck();
    await form.getByLabel('Start time').fill('19:30');
    expect(await form.locator('.rule .rule-words').textContent()).toBe('Tuesday, Thursday to Saturday 19:30, off on public holidays, on duty on make-up working days');
    // The browser's own zone is offered among the common ones, and a Chinese page's default is Shanghai.
    const zones = await form.getByLabel('Time zone').locator('optgroup').first().locator('option').allTextContents();
    expect(zones).toContain('America/New_York');

    // A string, so that the test runner does not rewrite the page's own dynamic import.
    const words = await page.evaluate(`(async () => {
      const { ruleWords } = await import('/assets/js/rule-words.js');
      const names = (id) => (id === 'term' ? '学校校历' : id);
      return [
        ruleWords({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startTime: '07:15', dayCalendarIds: ['cn-mainland'] }, { lang: 'zh-CN' }),
        ruleWords({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU', startTime: '09:00', dayCalendarIds: [] }, { lang: 'zh-CN' }),
        ruleWords({ rrule: 'FREQ=DAILY', startTime: '20:00', dayCalendarIds: ['cn-mainland', 'term'] }, { lang: 'zh-CN', calendarName: names }),
        ruleWords({ rrule: 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE', startTime: '08:00', dayCalendarIds: [] }, { lang: 'en' }),
        ruleWords({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', startTime: '10:00', dayCalendarIds: [] }, { lang: 'en' }),
      ];
    })()`);
    expect(words).toEqual([
      '周一至周五 07:15，节假日休息，调休上班日照常',
      '隔周周六、周日 09:00',
      '每天 20:00，节假日休息，调休上班日照常，按“学校校历”休息和补班',
      'Monday, Wednesday, every 3 weeks 08:00',
      'FREQ=MONTHLY;BYMONTHDAY=1 10:00',
    ]);
  });

  it('warns plainly when personal links would point at this computer (ROTA_PUBLIC_URL unset)', async () => {
    await start('http://127.0.0.1:3000');
    for (const [locale, words] of [
      ['zh-CN', '个人链接现在指向 127.0.0.1:3000，也就是这台电脑本身，别人的手机打不开'],
      ['en-GB', 'personal links now point at 127.0.0.1:3000, this computer itself'],
    ] as const) {
      const page = await desk({ viewport: PHONE, locale });
      const warning = page.locator('#local-links');
      expect(await warning.isVisible()).toBe(true);
      expect(await warning.textContent()).toContain(words);
      expect(await warning.textContent()).toContain('ROTA_PUBLIC_URL');
    }
    const page = await desk({ viewport: PHONE });
    await page.locator('#add-person summary').click();
    await page.locator('#new-person-form').getByLabel('姓名').fill('王建国');
    await page.locator('#new-person-form').getByRole('button', { name: '新增' }).click();
    const dialog = page.locator('dialog[open]');
    await expect.poll(() => dialog.textContent()).toContain('王建国 的个人链接');
    expect(await dialog.locator('.local-links').textContent()).toContain('别人的手机打不开');
    expect(await dialog.getByRole('textbox').inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:3000\/me#/);
  });

  it('fits a 320 px phone with a 32 px default font: the checklist, the rule\'s words and the warning wrap, nothing scrolls sideways', async () => {
    await start('http://127.0.0.1:3000');
    const page = await desk({ viewport: { width: 320, height: 720 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 32 } });
    await page.locator('#new-rota summary').scrollIntoViewIfNeeded();
    // In-page code as a string: the tests are type-checked without the DOM's types.
    const fitting = await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const selectors = ['#local-links', '#start .checklist', '#new-rota-form .rule', '#autofill', '#gaps', '#rotas', '#people', '#stats'];
      return Object.fromEntries(selectors.map((s) => {
        const box = document.querySelector(s).getBoundingClientRect();
        return [s, box.left >= 0 && box.right <= width];
      }));
    })()`);
    expect(fitting).toEqual(Object.fromEntries(['#local-links', '#start .checklist', '#new-rota-form .rule', '#autofill', '#gaps', '#rotas', '#people', '#stats'].map((s) => [s, true])));
    // Wide tables scroll inside their own box; nothing else may stick out.
    const wide = await page.evaluate(`[...document.querySelectorAll('body *')]
      .filter((el) => !el.parentElement?.closest('.table-wrap') && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((el) => el.tagName + '#' + el.id + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))
      .slice(0, 8)`);
    expect(wide).toEqual([]);
    expect(await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')).toEqual([320, 320]);
    await screenshot(page, 'desk-first-run-320-32px');
  });

  // One language a test: an axe-core run of the whole desk takes a while on a busy machine.
  it.each(['zh-CN', 'en-GB'])('passes axe-core with the checklist and the warning showing, on a phone (%s)', async (locale) => {
    await start('http://localhost:3000');
    const page = await desk({ viewport: PHONE, locale });
    expect(await page.locator('#start .start-box').isVisible()).toBe(true);
    expect(await page.locator('#local-links').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `desk-first-run-phone-${locale}`);
  });
});
