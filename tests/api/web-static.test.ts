// The page's files: compressed (brotli, gzip), fingerprinted assets cached for a year, pages and
// unversioned paths revalidated by ETag (issue 11 item 6, issue 14 item 1).
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('the page\'s files', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('serves pages with no-cache and an ETag, naming their assets under one version', async () => {
    for (const url of ['/', '/desk']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(res.body).not.toMatch(/["']\/(assets|vendor)\/(?!v-)/);
      expect(res.body).toMatch(/"\/assets\/v-[0-9a-f]{12}\/style\.css"/);
    }
  });

  it('serves the personal page with its style sheet inside it, so its first view needs no request for it', async () => {
    const res = await get('/me');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.body).not.toMatch(/["']\/(assets|vendor)\/(?!v-)/);
    expect(res.body).not.toContain('style.css');
    const css = (await get('/assets/style.css')).body.trim();
    expect(res.body).toContain(`<style>\n${css}\n</style>`);
  });

  it('answers a fingerprinted asset compressed, cached for a year, and the same text in every encoding', async () => {
    const page = (await get('/me')).body;
    // The page loads its main module from this version's folder.
    const script = /src="(\/assets\/v-[0-9a-f]{12}\/js\/me\.js)"/.exec(page)![1]!;
    const plain = await get(script);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const br = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await get(script, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    // "br;q=0" refuses brotli.
    expect((await get(script, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    // The same file at its plain path is revalidated, not kept.
    const unversioned = await get('/assets/js/me.js');
    expect(unversioned.headers['cache-control']).toBe('no-cache');
    expect(unversioned.body).toBe(plain.body);
  });

  it('answers 304 to a matching ETag and the whole file to a stale one', async () => {
    const first = await get('/assets/style.css', { 'accept-encoding': 'br' });
    const etag = first.headers.etag as string;
    const again = await get('/assets/style.css', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect((await get('/assets/style.css', { 'if-none-match': etag })).statusCode).toBe(200);
    expect((await get('/me', { 'if-none-match': (await get('/me')).headers.etag as string })).statusCode).toBe(304);
  });

  it('serves the calendar libraries under the version for a year, and at their old paths for a day', async () => {
    const page = (await get('/me')).body;
    const version = /\/assets\/(v-[0-9a-f]{12})\//.exec(page)![1]!;
    const versioned = await get(`/assets/${version}/vendor/fullcalendar.js`, { 'accept-encoding': 'br' });
    expect(versioned.statusCode).toBe(200);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const old = await get('/vendor/fullcalendar.js');
    expect(old.headers['cache-control']).toBe('public, max-age=86400');
    expect(brotliDecompressSync(versioned.rawPayload).toString()).toBe(old.body);
  });

  it('gives today\'s file, revalidated, to a page of an earlier version, and 404 in our shape to an unknown one', async () => {
    const stale = await get('/assets/v-000000000000/js/me.js');
    expect(stale.statusCode).toBe(200);
    expect(stale.headers['cache-control']).toBe('no-cache');
    for (const url of ['/assets/js/nothing.js', '/assets/v-000000000000/../../package.json', '/vendor/nothing.js', '/assets/']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('NOT_FOUND');
    }
  });
});
