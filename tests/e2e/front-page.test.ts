import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { PHONE, browserPerFile, serve } from '../helpers/browser.js';

const NOW = '2026-03-01T02:00:00Z';

describe('the front page and what the page is served with', () => {
  let t: TestApp;
  const pages = browserPerFile(() => t.close());

  it('tells a newcomer without a link to open the one from the group chat', async () => {
    t = await makeApp(NOW);
    const base = await serve(t);
    const o = await pages.open({ viewport: PHONE, mobile: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    await o.page.goto(`${base}/me`);
    await expect.poll(() => o.page.locator('main').textContent()).toContain('请用您的个人链接打开');
  });

  it('remembers a coordinator\'s link: the front page then leads to her own page and to the desk', async () => {
    t = await makeApp(NOW);
    const base = await serve(t);
    const o = await pages.open({ viewport: PHONE, mobile: true, locale: 'en-US', timezoneId: 'Asia/Shanghai', now: NOW });
    await o.page.goto(`${base}/desk#${t.coordinatorToken}`);
    await o.page.locator('#week-h').waitFor();
    await o.page.goto(`${base}/`);
    await expect.poll(() => o.page.locator('#where').textContent()).toContain('Hello, Coordinator');
    expect(await o.page.getByRole('link', { name: 'My duties' }).getAttribute('href')).toBe('/me');
    expect(await o.page.getByRole('link', { name: 'Coordinator desk' }).getAttribute('href')).toBe('/desk');
  });

  it('tells someone whose link was replaced, in plain words, to ask for a new one', async () => {
    t = await makeApp(NOW);
    const base = await serve(t);
    const person = await t.call('POST', '/api/v1/people', { body: { name: '李秀英' } });
    await t.call('POST', `/api/v1/people/${person.body.id}/tokens`, { body: { kind: 'access' } });
    const o = await pages.open({ viewport: PHONE, mobile: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', now: NOW });
    await o.page.goto(`${base}/me#${person.body.accessToken}`);
    await expect.poll(() => o.page.locator('main').textContent()).toContain('这个链接已经失效（可能换了新链接）。请向协调员要一个新链接。');
  });

  it('serves the page with a policy that runs only its own scripts, and only the listed files of node_modules', async () => {
    t = await makeApp(NOW);
    const page = await t.call('GET', '/me', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await t.call('GET', '/vendor/fullcalendar.js', { token: null })).text).toContain('FullCalendar');
    expect((await t.call('GET', '/vendor/ical.js', { token: null })).text).toContain('ICAL');
    expect((await t.call('GET', '/vendor/package.json', { token: null })).status).toBe(404);
    expect((await t.call('GET', '/vendor/..%2Fpackage.json', { token: null })).status).toBe(404);
  });

  it('makes QR codes only of the service\'s own links, and only for someone signed in', async () => {
    t = await makeApp(NOW);
    const own = await t.call('POST', '/api/v1/qr', { body: { text: 'webcal://rota.example.org/feeds/people/abc.ics' } });
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toContain('image/svg+xml');
    expect(own.text).toMatch(/^<svg /);
    expect((await t.call('POST', '/api/v1/qr', { body: { text: 'https://evil.example.com/' } })).body.error.code).toBe('VALIDATION');
    expect((await t.call('POST', '/api/v1/qr', { token: null, body: { text: 'https://rota.example.org/me' } })).status).toBe(401);
  });
});
