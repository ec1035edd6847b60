// Issue 8 on the desk: a notice that failed to reach the group robot shows in the outbox with its
// reason, and the coordinator's retry sends it to the (local) robot; the rota's robot address is
// set there and shown only masked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryWorker, type DeliveryWorker } from '../../src/services/delivery.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, launchBrowser, openPage, screenshot, serve, type OpenPage } from '../helpers/browser.js';

// Monday 2 March 2026, 10:00 in Shanghai.
const NOW = '2026-03-02T02:00:00Z';
const ROBOT_KEY = 'robot-key-never-shown-7c3a';

describe('the desk\'s notices outbox', () => {
  let browser: Browser;
  let t: TestApp;
  let base: string;
  let o: OpenPage;
  let robot: Server;
  let robotUrl: string;
  let worker: DeliveryWorker;
  const received: { key: string; text: string }[] = [];
  const robotState = { fail: true };
  let rotaId: number;

  beforeAll(async () => {
    robot = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (!robotState.fail) received.push(JSON.parse(raw));
        res.writeHead(robotState.fail ? 502 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
    robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/hook?key=${ROBOT_KEY}`;

    t = await makeApp(NOW, { allowLoopbackTargets: true });
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '护学岗', timezone: 'Asia/Shanghai' } });
    rotaId = rota.body.id;
    const series = await t.call('POST', `/api/v1/rotas/${rotaId}/series`, {
      body: { label: '校园门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 0, maxVolunteers: 2 },
    });
    expect((await t.call('PUT', `/api/v1/rotas/${rotaId}/channel`, { body: { kind: 'webhook', url: robotUrl } })).status).toBe(200);
    const person = await t.call('POST', '/api/v1/people', { body: { name: '张三' } });
    const signup = await t.call('POST', `/api/v1/shifts/${series.body.id}.20260310T0715/signups`, { body: { personId: person.body.id } });
    expect((await t.call('DELETE', `/api/v1/signups/${signup.body.id}`)).status).toBe(200);
    // The robot refuses every try until the worker gives up.
    worker = deliveryWorker({ db: t.db, config: t.app.config, log: t.app.log });
    for (let hour = 2; hour < 8; hour++) {
      t.setNow(`2026-03-02T0${hour}:00:00Z`);
      await worker.runOnce();
    }
    t.setNow('2026-03-02T08:00:00Z');
    expect((await t.call('GET', '/api/v1/notices?status=failed')).body.notices).toHaveLength(1);

    browser = await launchBrowser();
    base = await serve(t);
    o = await openPage(browser, { viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'America/New_York', now: '2026-03-02T08:00:00Z' });
    await o.page.goto(`${base}/desk#${t.coordinatorToken}`);
    await o.page.locator('#notices tr[data-notice-id]').first().waitFor();
  });
  afterAll(async () => {
    await worker?.stop();
    await o?.context.close();
    await browser?.close();
    await t?.close();
    await new Promise<void>((resolve) => robot.close(() => resolve()));
  });

  it('shows the failed notice with its reason, and a retry sends it to the robot', async () => {
    const page = o.page;
    const section = page.locator('#notices');
    await section.getByLabel('显示').selectOption('failed');
    const row = section.locator('tr[data-status="failed"]');
    await expect.poll(() => row.count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain('张三');
    expect(text).toContain('【护学岗】张三，您 3月10日 周二 07:15 校园门口 的值班已取消。');
    expect(text).toContain('发送失败');
    expect(text).toContain('the receiver answered HTTP 502');
    await screenshot(page, 'desk-notices-failed');

    robotState.fail = false;
    await row.getByRole('button', { name: '重新发送' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('已重新排队');
    expect((await t.call('GET', '/api/v1/notices?status=pending')).body.notices).toHaveLength(1);
    expect(await worker.runOnce()).toMatchObject({ sent: 1, failed: 0 });
    expect(received.map((r) => r.text)).toEqual(['【护学岗】张三，您 3月10日 周二 07:15 校园门口 的值班已取消。\n查看：https://rota.example.org/me']);

    await section.getByLabel('显示').selectOption('sent');
    await expect.poll(() => section.locator('tr[data-status="sent"]').count()).toBe(1);
    expect(await section.locator('tr[data-status="sent"]').textContent()).toContain('已发送');
    expect(o.problems).toEqual([]);
  });

  it('sets the rota\'s robot and shows its address masked, never whole', async () => {
    const page = o.page;
    const form = page.locator('#channel-form');
    await expect.poll(() => form.locator('.channel-now').textContent()).toContain('Webhook（JSON）');
    expect(await form.locator('.channel-now').textContent()).toContain('key=****7c3a');
    await form.getByLabel('发到').selectOption('wecom');
    await form.getByLabel('机器人地址（Webhook）').fill(robotUrl.replace('/hook', '/cgi-bin/webhook/send'));
    await form.getByLabel('每天几点发明天的值班（可不填）').fill('19:00');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('已保存');
    expect(await form.locator('.channel-now').textContent()).toContain('企业微信群机器人');
    expect(await page.content()).not.toContain(ROBOT_KEY);
    expect((await t.call('GET', `/api/v1/rotas/${rotaId}/channel`)).body).toMatchObject({ kind: 'wecom', rosterAt: '19:00' });
    expect(o.problems).toEqual([]);
  });
});
