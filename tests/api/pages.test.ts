// Issue 14, item 7: the pages share one <head> (web/head.html), put in by the page routes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('the pages\' shared head', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(() => t.close());
  const head = readFileSync(new URL('../../web/head.html', import.meta.url), 'utf8').trim();
  // The personal page carries the style sheet inside it (its first view on a slow phone).
  const css = readFileSync(new URL('../../web/assets/style.css', import.meta.url), 'utf8').trim();
  const headOf = (path: string) => (path === '/me' ? head.replace('<link rel="stylesheet" href="/assets/style.css">', `<style>\n${css}\n</style>`) : head);

  it.each([
    ['/', 'home.js'],
    ['/me', 'me.js'],
    ['/desk', 'desk.js'],
    ['/checkin', 'checkin.js'],
  ])('serves %s with the shared head lines, then its own title and script', async (path, script) => {
    const res = await t.call('GET', path, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).not.toContain('<!--#head-->');
    // Pages name their files under this version's fingerprinted folder (/assets/v-<hash>/…).
    const unversioned = res.text.replace(/\/assets\/v-[0-9a-f]{12}\/(vendor\/)?/g, (_m, vendor?: string) => (vendor ? '/vendor/' : '/assets/'));
    expect(unversioned).not.toBe(res.text);
    const inHead = unversioned.slice(unversioned.indexOf('<head>'), unversioned.indexOf('</head>'));
    expect(inHead.split(headOf(path))).toHaveLength(2);
    // Only the personal page's one inline script (its first call) may come before the shared lines;
    // the character set is still declared within the first 1,024 bytes, as browsers require.
    expect(inHead).toMatch(path === '/me' ? /^<head>\s*<!--[^>]*-->\s*<script>[^<]*<\/script>\s*<meta charset="utf-8">/ : /^<head>\s*<meta charset="utf-8">/);
    expect(Buffer.byteLength(res.text.slice(0, res.text.indexOf('<meta charset="utf-8">')))).toBeLessThan(1024);
    expect(inHead).toContain('<title>');
    expect(inHead).toContain(`<script type="module" src="/assets/js/${script}"></script>`);
  });
});
