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

  it.each([
    ['/', 'home.js'],
    ['/me', 'me-start.js'],
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
    expect(inHead.split(head)).toHaveLength(2);
    expect(inHead).toMatch(/^<head>\s*<meta charset="utf-8">/);
    expect(inHead).toContain('<title>');
    expect(inHead).toContain(`<script type="module" src="/assets/js/${script}"></script>`);
  });
});
