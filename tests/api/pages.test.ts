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
    ['/me', 'me.js'],
    ['/desk', 'desk.js'],
  ])('serves %s with the shared head lines, then its own title and script', async (path, script) => {
    const res = await t.call('GET', path, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).not.toContain('<!--#head-->');
    const inHead = res.text.slice(res.text.indexOf('<head>'), res.text.indexOf('</head>'));
    expect(inHead.split(head)).toHaveLength(2);
    expect(inHead).toMatch(/^<head>\s*<meta charset="utf-8">/);
    expect(inHead).toContain('<title>');
    expect(inHead).toContain(`<script type="module" src="/assets/js/${script}"></script>`);
  });
});
