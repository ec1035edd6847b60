// Issue 14, item 4, end to end in real Chromium: the coordinator names a rota's contact on the desk
// (when creating the rota, and later on its card), and a captain whose duty can no longer be
// changed on her page sees that person's name and a number to tap.
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, PHONE, axeViolations, browserPerFile, screenshot, serve } from '../helpers/browser.js';

// Sunday 1 March 2026, 10:00 in Shanghai.
const NOW = '2026-03-01T02:00:00Z';
// 23:00 that Sunday in Shanghai: Monday's 07:15 duty is inside its 12-hour lock.
const LATE = '2026-03-01T15:00:00Z';
const ZONE = 'Asia/Shanghai';

interface Rota {
  id: number;
  name: string;
  contactPersonId: number | null;
}

describe('a rota\'s contact, from the desk to the captain\'s locked duty', () => {
  let t: TestApp;
  let base: string;
  const pages = browserPerFile(() => t.close());

  async function setUp(): Promise<number> {
    t = await makeApp(NOW);
    base = await serve(t);
    const chen = await t.call('POST', '/api/v1/people', { body: { name: '陈主任', role: 'coordinator', phone: '138 0013 8000' } });
    // A coordinator without a phone number cannot be called: the desk does not offer her.
    await t.call('POST', '/api/v1/people', { body: { name: '王老师', role: 'coordinator' } });
    return chen.body.id;
  }

  const rotaNamed = async (name: string): Promise<Rota> => ((await t.call('GET', '/api/v1/rotas')).body.rotas as Rota[]).find((r) => r.name === name)!;

  async function desk() {
    const o = await pages.open({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: ZONE, now: NOW });
    await o.page.goto(`${base}/desk#${t.coordinatorToken}`);
    await o.page.locator('#rotas-h').waitFor();
    return o.page;
  }

  it('is chosen in the new-rota form, and the captain\'s locked duty then names that person with a number to tap', async () => {
    const chen = await setUp();
    const page = await desk();
    // No rota yet: the form is open.
    const form = page.locator('#new-rota-form');
    await form.getByLabel('名称（例如：东门护学岗）').fill('东门护学岗');
    const contact = form.getByLabel('联系人（开始前不能再改时，志愿者打电话给这位协调员）');
    expect(await contact.locator('option').allTextContents()).toEqual(['暂不指定', '陈主任, 138 0013 8000']);
    await contact.selectOption({ label: '陈主任, 138 0013 8000' });
    await form.getByLabel('从哪天开始').fill('2026-03-02');
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: '建好值班表' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('值班表“东门护学岗”已建好。');

    const rota = await rotaNamed('东门护学岗');
    expect(rota.contactPersonId).toBe(chen);
    const card = page.locator(`#rotas [data-rota-id="${rota.id}"]`);
    await expect.poll(() => card.locator('.contact').textContent()).toBe('联系人：陈主任，138 0013 8000');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'desk-rota-contact');

    // The captain on Monday's duty opens her page late on Sunday evening.
    const captain = await t.call('POST', '/api/v1/people', { body: { name: '李秀英' } });
    const monday = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.id}&from=2026-03-02&to=2026-03-02`)).body.shifts[0] as { id: string };
    expect((await t.call('POST', `/api/v1/shifts/${monday.id}/signups`, { body: { personId: captain.body.id } })).status).toBe(201);
    t.setNow(LATE);
    const phone = await pages.open({ viewport: PHONE, mobile: true, locale: 'zh-CN', timezoneId: ZONE, now: LATE });
    await phone.page.goto(`${base}/me#${captain.body.accessToken}`);
    const next = phone.page.locator('#next .card');
    await expect.poll(() => next.locator('.locked').textContent()).toContain('如需变更，请直接联系陈主任。');
    expect(await next.getByRole('link', { name: '打电话给陈主任：138 0013 8000' }).getAttribute('href')).toBe('tel:13800138000');
    expect(await next.getByRole('button').count()).toBe(0);
    expect(await axeViolations(phone.page)).toEqual([]);
  });

  it('is named or changed later on the rota\'s card, and taken off again', async () => {
    const chen = await setUp();
    await t.call('POST', '/api/v1/rotas', { body: { name: '小区门口', timezone: ZONE } });
    const rota = await rotaNamed('小区门口');
    const page = await desk();
    const card = page.locator(`#rotas [data-rota-id="${rota.id}"]`);
    expect(await card.locator('.warning').first().textContent()).toBe('还没有联系人：临近开始时，志愿者的页面不知道该让他们打给谁。');

    await card.getByText('更改联系人').click();
    const contact = card.getByLabel('联系人（开始前不能再改时，志愿者打电话给这位协调员）');
    expect(await contact.locator('option').allTextContents()).not.toContain(expect.stringContaining('王老师'));
    await contact.selectOption({ label: '陈主任, 138 0013 8000' });
    expect(await axeViolations(page)).toEqual([]);
    await card.getByRole('button', { name: '保存联系人' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('“小区门口”的联系人已保存。');
    expect((await rotaNamed('小区门口')).contactPersonId).toBe(chen);
    await expect.poll(() => card.locator('.contact').textContent()).toBe('联系人：陈主任，138 0013 8000');

    await card.getByText('更改联系人').click();
    await card.getByLabel('联系人（开始前不能再改时，志愿者打电话给这位协调员）').selectOption({ label: '暂不指定' });
    await card.getByRole('button', { name: '保存联系人' }).click();
    await expect.poll(async () => (await rotaNamed('小区门口')).contactPersonId).toBeNull();
    await expect.poll(() => card.locator('.contact').count()).toBe(0);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => card.locator('.warning').first().textContent()).toBe('No contact yet: close to a duty, volunteers\' pages cannot tell them whom to call.');
    expect(await card.getByText('Change the contact').count()).toBe(1);
  });
});
