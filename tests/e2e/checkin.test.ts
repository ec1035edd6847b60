// Check-in at the post in real Chromium at phone size: a captain who opened her personal link once
// scans the poster's link and checks in with one tap (counted in person-shifts and hours); a phone
// that never opened a link, a scan outside the window, a replaced poster and a wrong leader code
// are each refused with their reason; a walk-in is recorded and flagged; the poster prints as one
// page of A4 and of A5.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, PHONE, axeViolations, browserPerFile, screenshot, serve } from '../helpers/browser.js';
import { makePerson, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';

// 07:00 on Tuesday 3 March 2026 in Shanghai: the 07:15–08:15 duty's window opened at 06:45.
const NOW = '2026-03-02T23:00:00Z';
const SHIFT = '2026-03-03';

interface Post {
  t: TestApp;
  base: string;
  rota: RotaSetup;
  code: string;
  li: PersonSetup;
  wang: PersonSetup;
  zhang: PersonSetup;
}

async function post(): Promise<Post> {
  const t = await makeApp(NOW);
  const base = await serve(t);
  const call = t.call.bind(t);
  const rota = await makeRota(call, { name: '东门护学岗' });
  await call('PATCH', `/api/v1/rotas/${rota.rotaId}`, { body: { location: '实验学校东门' } });
  const li = await makePerson(call, '李秀英');
  const wang = await makePerson(call, '王建国');
  const zhang = await makePerson(call, '张伟');
  for (const p of [li, wang]) expect((await call('POST', `/api/v1/shifts/${rota.shiftOn(SHIFT)}/signups`, { body: { personId: p.id } })).status).toBe(201);
  const code = (await call('GET', `/api/v1/series/${rota.seriesId}/checkin`)).body.code as string;
  return { t, base, rota, code, li, wang, zhang };
}

describe('checking in at the post from a phone', () => {
  let p: Post;
  const pages = browserPerFile(() => p.t.close());

  async function phone(token?: string): Promise<Page> {
    const o = await pages.open({ viewport: PHONE, mobile: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    if (token) {
      // She opened her personal link from the chat once, some day before.
      await o.page.goto(`${p.base}/me#${token}`);
      await expect.poll(() => o.page.evaluate('localStorage.getItem("rota.token")')).toBe(token);
    }
    return o.page;
  }

  it('recognises a captain who opened her link once: one tap checks her in, and she is counted with her hours', async () => {
    p = await post();
    const page = await phone(p.li.token);
    await page.goto(`${p.base}/checkin#${p.code}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('东门护学岗');
    expect(await page.locator('main').textContent()).toContain('地点：实验学校东门');
    expect(await page.locator('main .when').textContent()).toBe('3月3日 周二 07:15–08:15');
    // The code left the address bar.
    expect(new URL(page.url()).hash).toBe('');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'checkin-phone-zh');

    await page.getByRole('button', { name: '签到', exact: true }).tap();
    await expect.poll(() => page.locator('main').textContent()).toContain('签到成功！谢谢您，李秀英。签到时间 07:00。');
    await screenshot(page, 'checkin-phone-zh-done');

    // Counted at once (attended), with the shift's length until she checks out.
    const stats = () => p.t.call('GET', '/api/v1/stats/person-shifts?groupBy=person&from=2026-03-01&to=2026-03-31');
    expect((await stats()).body.total).toEqual({ personShifts: 1, people: 1, minutes: 60, hours: 1 });
    p.t.setNow('2026-03-03T00:05:00Z');
    await page.getByRole('button', { name: '签退（值班结束）' }).tap();
    await expect.poll(() => page.locator('main').textContent()).toContain('已签退（08:05）');
    expect((await stats()).body.total).toEqual({ personShifts: 1, people: 1, minutes: 65, hours: 1.08 });

    // Scanning again later is not an error.
    await page.goto('about:blank');
    await page.goto(`${p.base}/checkin#${p.code}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('您已经签到了（07:00）');
  });

  it('tells a phone that never opened a personal link what to do, in plain words', async () => {
    p = await post();
    const page = await phone();
    await page.goto(`${p.base}/checkin#${p.code}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('请先打开您的个人链接');
    expect(await page.locator('main').textContent()).toContain('请先在微信群里找到协调员发给您的个人链接，点开一次');
    await page.getByRole('button', { name: 'Switch to English' }).tap();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Please open your personal link first');
  });

  it('refuses outside the window with when it opens, and refuses a replaced poster', async () => {
    p = await post();
    p.t.setNow('2026-03-02T20:00:00Z');
    const page = await phone(p.li.token);
    await page.goto(`${p.base}/checkin#${p.code}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('还没到签到时间。3月3日 周二 06:45 开始可以签到（开始前 30 分钟）。');
    expect(await page.getByRole('button', { name: '签到', exact: true }).count()).toBe(0);

    // The page was drawn inside the window; the tap comes after the shift ended.
    p.t.setNow(NOW);
    await page.goto(`${p.base}/checkin#${p.code}`);
    const button = page.getByRole('button', { name: '签到', exact: true });
    await button.waitFor();
    p.t.setNow('2026-03-03T00:30:00Z');
    await button.tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('这个班次的签到已经结束了。');
    await expect.poll(() => page.locator('main').textContent()).toContain('还没到签到时间。3月4日 周三 06:45 开始可以签到');

    p.t.setNow(NOW);
    expect((await p.t.call('POST', `/api/v1/series/${p.rota.seriesId}/checkin`)).status).toBe(200);
    await page.goto(`${p.base}/checkin#${p.code}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('这个二维码已经失效');
    const signups = (await p.t.call('GET', `/api/v1/people/${p.li.id}/signups?from=${SHIFT}&to=${SHIFT}`)).body.signups;
    expect(signups[0].attendance).toBeNull();
  });

  it('asks for the leader\'s rotating code where required: a wrong one is refused, the one on the leader\'s phone works', async () => {
    p = await post();
    await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { requireLeaderCode: true, leaderIds: [p.wang.id] } });
    const leader = await phone(p.wang.token);
    await leader.goto(`${p.base}/checkin#${p.code}`);
    const shown = leader.locator('.leader-code');
    await expect.poll(() => shown.textContent()).toMatch(/^\d{6}$/);
    const code = (await shown.textContent())!;

    const page = await phone(p.li.token);
    await page.goto(`${p.base}/checkin#${p.code}`);
    expect(await page.locator('.leader-code').count()).toBe(0);
    await page.getByLabel('值班负责人手机上的 6 位数字').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: '签到', exact: true }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('数字不对');
    await page.getByLabel('值班负责人手机上的 6 位数字').fill(code);
    await page.getByRole('button', { name: '签到', exact: true }).tap();
    await expect.poll(() => page.locator('main').textContent()).toContain('签到成功！');
  });

  it('records a walk-in where the rota takes them, flagged for the coordinator, and refuses one where it does not', async () => {
    p = await post();
    const page = await phone(p.zhang.token);
    await page.goto(`${p.base}/checkin#${p.code}`);
    await page.getByRole('button', { name: '签到', exact: true }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('您不在这个班次的名单上，这个岗位不接受临时到岗。请在您的个人页面报名');

    await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { walkIns: true } });
    await page.getByRole('button', { name: '签到', exact: true }).tap();
    await expect.poll(() => page.locator('main').textContent()).toContain('已记为临时到岗');
    const desk = await p.t.call('GET', '/api/v1/checkins/today');
    const zhang = desk.body.shifts[0].people.find((x: { personId: number }) => x.personId === p.zhang.id);
    expect(zhang).toMatchObject({ walkIn: true, flags: ['walk-in'], attendance: 'attended' });
  });

  it('shows the coordinator who is in, who is not (with a number to tap), the flags, and undoes a check-in on the record', async () => {
    p = await post();
    await p.t.call('PATCH', `/api/v1/people/${p.wang.id}`, { body: { phone: '138 0013 8000' } });
    await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { walkIns: true, latitude: 31.2304, longitude: 121.4737, radiusMetres: 100 } });
    expect((await p.t.call('POST', '/api/v1/checkins', { token: p.li.token, body: { code: p.code, location: { latitude: 31.2404, longitude: 121.4737 } } })).body.flags).toEqual(['far']);
    expect((await p.t.call('POST', '/api/v1/checkins', { token: p.zhang.token, body: { code: p.code, location: { latitude: 31.2304, longitude: 121.4737 } } })).body.flags).toEqual(['walk-in']);

    const o = await pages.open({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    const page = o.page;
    await page.goto(`${p.base}/desk#${p.t.coordinatorToken}`);
    const section = page.locator('#checkin-desk');
    await expect.poll(() => section.locator('[data-shift-id]').count()).toBe(1);
    const card = section.locator(`[data-shift-id="${p.rota.shiftOn(SHIFT)}"]`);
    expect(await card.locator('h3').textContent()).toBe('东门护学岗 07:15–08:15');
    expect(await card.textContent()).toContain('已签到 2 人，名单上 2 人');
    const li = card.locator('.checkin-person', { hasText: '李秀英' });
    expect(await li.textContent()).toContain('07:00 签到');
    expect(await li.locator('.flag').textContent()).toBe('离岗位 1112 米');
    expect(await card.locator('.checkin-person', { hasText: '张伟' }).locator('.flag').textContent()).toBe('临时到岗');
    expect(await card.getByRole('link', { name: '打电话 138 0013 8000' }).getAttribute('href')).toBe('tel:13800138000');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'checkin-desk-zh');

    await li.getByRole('button', { name: '撤销签到' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: '撤销签到' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('已撤销 李秀英 的签到。');
    await expect.poll(() => card.locator('.checkin-person', { hasText: '李秀英' }).textContent()).toBe('李秀英 没有留电话');
    const audit = await p.t.call('GET', '/api/v1/audit?entity=signup');
    expect(JSON.stringify(audit.body)).toContain('checkin.correct');
  });

  it('prints the poster as one page of A4 and one of A5, with the QR code, the place, the time and the link', async () => {
    p = await post();
    const o = await pages.open({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    await o.context.setExtraHTTPHeaders({ authorization: `Bearer ${p.t.coordinatorToken}` });
    const dir = mkdtempSync(join(tmpdir(), 'rota-poster-'));
    try {
      // ISO 216 in points; Chromium rounds the page to whole CSS pixels, so within a point.
      for (const [size, width, height] of [
        ['a4', 595.28, 841.89],
        ['a5', 419.53, 595.28],
      ] as const) {
        await o.page.goto(`${p.base}/api/v1/series/${p.rota.seriesId}/poster?size=${size}`);
        expect(await o.page.locator('.qr svg').count()).toBe(1);
        const file = join(dir, `poster-${size}.pdf`);
        writeFileSync(file, await o.page.pdf({ preferCSSPageSize: true, printBackground: true }));
        const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
        expect(info, size).toMatch(/Pages:\s+1\n/);
        const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
        expect(Math.abs(Number(w) - width), size).toBeLessThan(1);
        expect(Math.abs(Number(h) - height), size).toBeLessThan(1);
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        expect(text, size).toContain('扫码签到');
        expect(text, size).toContain('实验学校东门');
        expect(text, size).toContain('每天07:15–08:15');
        expect(text, size).toContain(`rota.example.org/checkin#${p.code}`);
      }
      await screenshot(o.page, 'checkin-poster-a5');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
