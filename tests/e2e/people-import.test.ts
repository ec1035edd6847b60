// Bulk import on the desk: a pasted list previewed then imported, a CSV file chosen from disk, and
// the printable sheet of personal QR links (new links at print time).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, launchBrowser, openPage, screenshot, serve, type OpenPage } from '../helpers/browser.js';

const NOW = '2026-03-01T02:00:00Z';

describe('importing people on the desk', () => {
  let browser: Browser;
  let t: TestApp;
  let o: OpenPage;
  let imported: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await makeApp(NOW);
    const base = await serve(t);
    o = await openPage(browser, { viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    await o.page.goto(`${base}/desk#${t.coordinatorToken}`);
    await o.page.locator('#import-form').waitFor();
  });
  afterAll(async () => {
    await o.context.close();
    await browser.close();
    await t.close();
  });

  const names = async () => (await t.call('GET', '/api/v1/people')).body.people.map((p: { name: string }) => p.name);

  it('shows bad rows by line and imports nobody, then previews and imports a fixed list with its links and QR cards', async () => {
    const page = o.page;
    const section = page.locator('#import');
    await section.getByLabel('名单').fill('王建国, 138 0013 8000, 3栋\n, 13900139000\n张丽华, 3栋');
    await section.getByRole('button', { name: '先看看' }).click();
    await expect.poll(() => section.locator('.problems').textContent()).toBe('Row 2: the name is missing.');
    expect(await names()).toEqual(['Coordinator']);

    await section.getByLabel('名单').fill('王建国, 138 0013 8000, 3栋\n张丽华, 3栋\n李娜');
    await section.getByRole('button', { name: '先看看' }).click();
    await expect.poll(() => section.locator('h3').textContent()).toBe('将导入 3 个人');
    expect(await section.textContent()).toContain('会新建这些楼栋：3栋');
    expect(await names()).toEqual(['Coordinator']);
    await section.getByRole('button', { name: '导入这 3 个人' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('已导入 3 个人');
    expect(await names()).toEqual(['Coordinator', '王建国', '张丽华', '李娜']);
    // The people table shows them with their building.
    await expect.poll(() => page.locator('#people tbody tr').count()).toBe(4);
    const links = await section.locator('input.link-input').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
    expect(links).toHaveLength(3);
    imported = links;
    const me = await t.call('GET', '/api/v1/me', { token: links[0]!.split('#')[1]! });
    expect(me.body.name).toBe('王建国');
    await screenshot(page, 'desk-import-done-desktop');

    const popup = page.waitForEvent('popup');
    await section.getByRole('button', { name: '打印这些人的二维码卡片' }).click();
    const sheet = await popup;
    await sheet.waitForURL(/^blob:/);
    await sheet.locator('.card svg').nth(2).waitFor();
    expect(await sheet.locator('.card h2').allTextContents()).toEqual(['王建国', '张丽华', '李娜']);
    expect(await sheet.locator('.card .link').allTextContents()).toEqual(links);
    await sheet.close();
  });

  it('reads a CSV file saved by Excel with its byte-order mark', async () => {
    const section = o.page.locator('#import');
    await section.getByLabel('或者选 CSV 文件').setInputFiles({
      name: 'captains.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFF姓名,电话,楼栋\r\n陈秀英,13800138001,5栋\r\n', 'utf8'),
    });
    await expect.poll(() => section.getByLabel('名单').inputValue()).toContain('陈秀英');
    await section.getByRole('button', { name: '先看看' }).click();
    await section.getByRole('button', { name: '导入这 1 个人' }).click();
    await expect.poll(() => o.page.locator('#notice').textContent()).toContain('已导入 1 个人');
    const person = (await t.call('GET', '/api/v1/people')).body.people.find((p: { name: string }) => p.name === '陈秀英');
    expect(person.phone).toBe('13800138001');
  });

  it('prints a building\'s QR cards with new links, after saying the old links stop working', async () => {
    const page = o.page;
    const teams = (await t.call('GET', '/api/v1/teams')).body.teams;
    const building = teams.find((x: { name: string }) => x.name === '3栋');
    const section = page.locator('#qr-cards');
    await section.getByLabel('打印哪些人').selectOption(String(building.id));
    await section.getByRole('button', { name: '换新链接并打印二维码卡片（旧链接会失效）' }).click();
    const dialog = page.locator('dialog[open]');
    expect(await dialog.textContent()).toContain('他们以前的链接马上失效');
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: '是的，换新链接并打印' }).click();
    const sheet = await popup;
    await sheet.waitForURL(/^blob:/);
    await sheet.locator('.card svg').nth(1).waitFor();
    expect(await sheet.locator('.card h2').allTextContents()).toEqual(['王建国', '张丽华']);
    expect(await sheet.locator('.card .team').allTextContents()).toEqual(['3栋', '3栋']);
    const fresh = await sheet.locator('.card .link').allTextContents();
    expect((await t.call('GET', '/api/v1/me', { token: fresh[0]!.split('#')[1]! })).body.name).toBe('王建国');
    expect((await t.call('GET', '/api/v1/me', { token: imported[0]!.split('#')[1]! })).status).toBe(401);
    // 李娜 has no building: her imported link still works.
    expect((await t.call('GET', '/api/v1/me', { token: imported[2]!.split('#')[1]! })).body.name).toBe('李娜');
    await screenshot(sheet, 'desk-qr-cards-print');
    await sheet.close();
    expect(o.problems).toEqual([]);
  });
});
