import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connection.js';
import { buildApp } from '../../src/http/app.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { instantsByVobject, parseBoth, parseWithIcalJs } from '../helpers/ical.js';

const NOW = '2026-03-10T00:00:00Z';

interface RotaSpec {
  name?: string;
  timezone?: string;
  location?: string;
  rrule?: string;
  startDate?: string;
  startTime?: string;
  durationMinutes?: number;
  min?: number;
  max?: number;
  label?: string;
}

describe('feeds in the hour that happens twice', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp(NOW);
  });
  afterAll(() => t.close());

  /** A rota in `timezone` with one shift on `date` at `time`, lasting `minutes`. */
  async function rota(timezone: string, date: string, time: string, minutes: number) {
    const r = await t.call('POST', '/api/v1/rotas', { body: { name: `Night watch ${timezone}`, timezone } });
    expect(r.status).toBe(201);
    const s = await t.call('POST', `/api/v1/rotas/${r.body.id}/series`, {
      body: { rrule: 'FREQ=DAILY;COUNT=1', startDate: date, startTime: time, durationMinutes: minutes, minVolunteers: 1, maxVolunteers: 2 },
    });
    expect(s.status).toBe(201);
    return { id: r.body.id as number, path: new URL(r.body.feedUrl).pathname };
  }

  it('writes times in the hour that happens twice so that every parser reads the instants the API gives', async () => {
    // 02:30 in Berlin on 25 October and 01:30 in New York on 1 November 2026 happen twice: the API
    // means the first (RFC 5545 §3.3.5); an hour's duty then ends at the second. The overnight
    // duties end at the first and at the second 02:30 in Berlin.
    const cases = [
      await rota('Europe/Berlin', '2026-10-25', '02:30', 60),
      await rota('America/New_York', '2026-11-01', '01:30', 60),
      await rota('Europe/Berlin', '2026-10-24', '22:00', 270),
      await rota('Europe/Berlin', '2026-10-24', '22:00', 330),
    ];
    const iso = (text: string) => new Date(text).toISOString().replace('.000Z', 'Z');
    const read: string[][] = [];
    for (const r of cases) {
      const api = await t.call('GET', `/api/v1/shifts?rotaId=${r.id}&from=2026-10-24&to=2026-11-01`);
      expect(api.status).toBe(200);
      expect(api.body.shifts).toHaveLength(1);
      const [shift] = api.body.shifts;
      const expected = { start: iso(shift.start), end: iso(shift.end) };
      const text = (await t.app.inject({ method: 'GET', url: r.path })).body;
      const vevent = text.slice(text.indexOf('BEGIN:VEVENT'));
      const [viaBoth] = parseBoth(text).events;
      const [viaVobject] = instantsByVobject(text);
      expect({ start: viaBoth!.start.utc, end: viaBoth!.end.utc }).toEqual(expected);
      expect({ start: viaVobject!.start, end: viaVobject!.end }).toEqual(expected);
      read.push([shift.start, shift.end, vevent.match(/^DTSTART.*$/m)![0].trim(), vevent.match(/^DTEND.*$/m)![0].trim()]);
    }
    expect(read).toEqual([
      ['2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00', 'DTSTART:20261025T003000Z', 'DTEND:20261025T013000Z'],
      ['2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00', 'DTSTART:20261101T053000Z', 'DTEND:20261101T063000Z'],
      ['2026-10-24T22:00:00+02:00', '2026-10-25T02:30:00+02:00', 'DTSTART;TZID=Europe/Berlin:20261024T220000', 'DTEND:20261025T003000Z'],
      ['2026-10-24T22:00:00+02:00', '2026-10-25T02:30:00+01:00', 'DTSTART;TZID=Europe/Berlin:20261024T220000', 'DTEND:20261025T013000Z'],
    ]);
  });
});

describe('rota and open-shift feeds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp(NOW);
  });
  afterAll(() => t.close());

  async function rota(spec: RotaSpec = {}) {
    const r = await t.call('POST', '/api/v1/rotas', {
      body: { name: spec.name ?? 'East gate', timezone: spec.timezone ?? 'Asia/Shanghai', ...(spec.location ? { location: spec.location } : {}) },
    });
    expect(r.status).toBe(201);
    const s = await t.call('POST', `/api/v1/rotas/${r.body.id}/series`, {
      body: {
        rrule: spec.rrule ?? 'FREQ=DAILY;COUNT=5',
        startDate: spec.startDate ?? '2026-03-11',
        startTime: spec.startTime ?? '07:15',
        durationMinutes: spec.durationMinutes ?? 45,
        minVolunteers: spec.min ?? 2,
        maxVolunteers: spec.max ?? 4,
        ...(spec.label ? { label: spec.label } : {}),
      },
    });
    expect(s.status).toBe(201);
    const path = new URL(r.body.feedUrl).pathname;
    return { id: r.body.id as number, seriesId: s.body.id as number, feedUrl: r.body.feedUrl as string, webcalUrl: r.body.webcalUrl as string, path, openPath: path.replace(/\.ics$/, '/open.ics') };
  }

  async function person(name: string) {
    const p = await t.call('POST', '/api/v1/people', { body: { name } });
    expect(p.status).toBe(201);
    return { id: p.body.id as number, token: p.body.accessToken as string, feedUrl: p.body.feedUrl as string };
  }

  async function signUp(shiftId: string, personId: number) {
    const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId } });
    expect(res.status).toBe(201);
    return res.body as { id: number; status: string };
  }

  const shift = (seriesId: number, local: string) => `${seriesId}.${local.replace(/[-:]/g, '')}`;

  async function feed(path: string, headers: Record<string, string> = {}) {
    const res = await t.app.inject({ method: 'GET', url: path, headers });
    return { status: res.statusCode, headers: res.headers, text: res.body, raw: res.rawPayload };
  }

  it('serves a rota feed as inline text/calendar with a strong ETag and no-cache', async () => {
    const r = await rota();
    const res = await feed(r.path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('inline; filename="rota.ics"');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(r.webcalUrl).toBe(r.feedUrl.replace(/^https:/, 'webcal:'));
    // RFC 5545: a published calendar, and every line, the last too, ends with CRLF.
    expect(res.text).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(res.text.endsWith('\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(res.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // The README's one-time download link is ?download=1; `true` works too.
    for (const yes of ['1', 'true']) {
      const download = await feed(`${r.path}?download=${yes}`);
      expect(download.status).toBe(200);
      expect(download.headers['content-disposition']).toBe('attachment; filename="rota.ics"');
      expect(download.text).toBe(res.text);
    }
    expect((await feed(`${r.path}?download=0`)).headers['content-disposition']).toBe('inline; filename="rota.ics"');
    expect((await feed(`${r.path}?download=yes`)).status).toBe(400);
  });

  it('shows every shift of a rota with its fill, its names and its place, at 07:15 Shanghai time', async () => {
    const r = await rota({ name: '东门护学岗', location: '实验学校东门', label: '早班' });
    const [a, b] = [await person('李娜'), await person('王五')];
    await signUp(shift(r.seriesId, '2026-03-12T07:15'), a.id);
    await signUp(shift(r.seriesId, '2026-03-12T07:15'), b.id);
    const cal = parseBoth((await feed(r.path)).text);
    expect(cal.name).toBe('东门护学岗');
    expect(cal.timezones).toEqual(['Asia/Shanghai']);
    expect(cal.events.map((e) => e.start.local)).toEqual(['2026-03-11T07:15:00', '2026-03-12T07:15:00', '2026-03-13T07:15:00', '2026-03-14T07:15:00', '2026-03-15T07:15:00']);
    const full = cal.events[1]!;
    expect(full.uid).toBe(`${shift(r.seriesId, '2026-03-12T07:15')}@rota.example.org`);
    expect(full.summary).toBe('东门护学岗 · 早班 2/4');
    expect(full.description).toContain('已报名：李娜、王五');
    expect(full.location).toBe('实验学校东门');
    expect(full.start).toEqual({ utc: '2026-03-11T23:15:00Z', tzid: 'Asia/Shanghai', local: '2026-03-12T07:15:00' });
    expect(full.end).toEqual({ utc: '2026-03-12T00:00:00Z', tzid: 'Asia/Shanghai', local: '2026-03-12T08:00:00' });
    expect(full.transp).toBe('TRANSPARENT');
    expect(cal.events[0]!.summary).toBe('东门护学岗 · 早班 0/4');
  });

  it('keeps 07:15 in Berlin across the spring and autumn changes, and moves a 02:30 in the gap to 03:30', async () => {
    const morning = await rota({ timezone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4', startDate: '2026-03-28' });
    const autumn = await rota({ timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=2', startDate: '2026-10-24' });
    const night = await rota({ timezone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=3', startDate: '2026-03-28', startTime: '02:30', durationMinutes: 60 });
    const starts = async (path: string) => parseBoth((await feed(path)).text).events.map((e) => [e.start.local, e.start.utc, e.end.utc]);
    expect(await starts(morning.path)).toEqual([
      ['2026-03-28T07:15:00', '2026-03-28T06:15:00Z', '2026-03-28T07:00:00Z'],
      ['2026-03-29T07:15:00', '2026-03-29T05:15:00Z', '2026-03-29T06:00:00Z'],
      ['2026-04-04T07:15:00', '2026-04-04T05:15:00Z', '2026-04-04T06:00:00Z'],
      ['2026-04-05T07:15:00', '2026-04-05T05:15:00Z', '2026-04-05T06:00:00Z'],
    ]);
    expect(await starts(autumn.path)).toEqual([
      ['2026-10-24T07:15:00', '2026-10-24T05:15:00Z', '2026-10-24T06:00:00Z'],
      ['2026-10-25T07:15:00', '2026-10-25T06:15:00Z', '2026-10-25T07:00:00Z'],
    ]);
    // The duty still happens on the night the clocks go forward: an hour later by the wall clock.
    expect(await starts(night.path)).toEqual([
      ['2026-03-28T02:30:00', '2026-03-28T01:30:00Z', '2026-03-28T02:30:00Z'],
      ['2026-03-29T03:30:00', '2026-03-29T01:30:00Z', '2026-03-29T02:30:00Z'],
      ['2026-03-30T02:30:00', '2026-03-30T00:30:00Z', '2026-03-30T01:30:00Z'],
    ]);
  });

  it('writes a zone known under another name with the TZID of its VTIMEZONE', async () => {
    const r = await rota({ timezone: 'Asia/Chongqing' });
    const cal = parseBoth((await feed(r.path)).text);
    expect(cal.timezones).toEqual(['Asia/Shanghai']);
    expect(cal.events[0]!.start).toEqual({ utc: '2026-03-10T23:15:00Z', tzid: 'Asia/Shanghai', local: '2026-03-11T07:15:00' });
  });

  it('writes a UTC rota in UTC, without a VTIMEZONE', async () => {
    const r = await rota({ timezone: 'UTC' });
    const cal = parseBoth((await feed(r.path)).text);
    expect(cal.timezones).toEqual([]);
    expect(cal.events[0]!.start).toEqual({ utc: '2026-03-11T07:15:00Z', tzid: null, local: '2026-03-11T07:15:00' });
  });

  // Names are one line (a line break in a name is refused); line breaks in free text are covered
  // by the feed-injection test in hardening.test.ts.
  it('brings a title with commas, semicolons, a backslash, Chinese and an emoji through both parsers unchanged', async () => {
    const name = '东门, 南门; 护学岗\\早班 第二行 🚸 实验学校东门外的人行横道，家长志愿者请提前十分钟到岗';
    const label = 'Mornings, Mon–Fri; 早班 “雨天改在门厅”';
    const r = await rota({ name, label, location: '路口; 东侧, 近公交站' });
    const res = await feed(r.path);
    const cal = parseBoth(res.text);
    expect(cal.name).toBe('东门, 南门; 护学岗\\早班 第二行 🚸 实验学校东门外的人行横道，家长志愿者请提前十分钟到岗');
    expect(cal.events[0]!.summary).toBe(`${name} · ${label} 0/4`);
    expect(cal.events[0]!.location).toBe('路口; 东侧, 近公交站');
    expect(res.text).toContain('SUMMARY:东门\\, 南门\\; 护学岗\\\\早班 第二行');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', async () => {
    const r = await rota({ name: '东'.repeat(30) + 'x'.repeat(7) + '门'.repeat(40) + '🚸'.repeat(20), label: '早'.repeat(200) });
    const res = await feed(r.path);
    const lines = splitLines(res.raw);
    expect(lines.length).toBeGreaterThan(10);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow();
    }
    expect(lines.some((l) => l.length > 70 && l[0] === 0x20)).toBe(true);
    const cal = parseBoth(res.text);
    expect(cal.events[0]!.summary).toBe(`${'东'.repeat(30)}${'x'.repeat(7)}${'门'.repeat(40)}${'🚸'.repeat(20)} · ${'早'.repeat(200)} 0/4`);
  });

  it('puts calendar properties before any component, and a VTIMEZONE for every TZID used', async () => {
    const r = await rota({ timezone: 'Europe/Berlin' });
    const text = (await feed(r.path)).text;
    const firstComponent = text.indexOf('BEGIN:', 'BEGIN:VCALENDAR'.length);
    for (const prop of ['X-WR-CALNAME:', 'REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H', 'CALSCALE:GREGORIAN']) {
      expect(text.indexOf(prop)).toBeGreaterThan(0);
      expect(text.indexOf(prop)).toBeLessThan(firstComponent);
    }
    const used = new Set([...text.matchAll(/;TZID=([^:;]+)[:;]/g)].map((m) => m[1]));
    const defined = new Set([...text.matchAll(/^TZID:(.+)\r$/gm)].map((m) => m[1]));
    expect([...used]).toEqual(['Europe/Berlin']);
    expect(defined).toEqual(used);
    // DTSTAMP and LAST-MODIFIED are UTC (RFC 5545 §3.8.7.2), so no calendar-level zone strips the Z.
    expect([...text.matchAll(/^DTSTAMP:(.*)\r$/gm)].every((m) => /^\d{8}T\d{6}Z$/.test(m[1]!))).toBe(true);
  });

  it('covers 60 days back to a year ahead, split over two expansion windows', async () => {
    const r = await rota({ rrule: 'FREQ=DAILY', startDate: '2025-09-01' });
    const cal = parseWithIcalJs((await feed(r.path)).text);
    expect(cal.events.length).toBe(60 + 1 + 365);
    expect(cal.events[0]!.start.local).toBe('2026-01-09T07:15:00');
    expect(cal.events.at(-1)!.start.local).toBe('2027-03-10T07:15:00');
    expect(new Set(cal.events.map((e) => e.uid)).size).toBe(cal.events.length);
  });

  it('keeps UIDs and stamps across refreshes, and raises SEQUENCE and DTSTAMP when a shift moves', async () => {
    const r = await rota({ label: '早班' });
    const before = parseBoth((await feed(r.path)).text);
    expect(parseBoth((await feed(r.path)).text)).toEqual(before);
    t.setNow('2026-03-10T02:00:00Z');
    const moved = await t.call('PATCH', `/api/v1/shifts/${shift(r.seriesId, '2026-03-13T07:15')}`, { body: { start: '2026-03-13T07:45' } });
    expect(moved.status).toBe(200);
    const after = parseBoth((await feed(r.path)).text);
    t.setNow(NOW);
    expect(after.events.map((e) => e.uid)).toEqual(before.events.map((e) => e.uid));
    const [was, now] = [before.events[2]!, after.events[2]!];
    expect(now.start.local).toBe('2026-03-13T07:45:00');
    expect(now.sequence).toBeGreaterThan(was.sequence);
    expect(now.dtstamp).toBe('2026-03-10T02:00:00Z');
    expect(now.lastModified).toBe('2026-03-10T02:00:00Z');
    expect(after.events.filter((_, i) => i !== 2)).toEqual(before.events.filter((_, i) => i !== 2));
  });

  it('shows a cancelled shift as CANCELLED in the rota feed until 14 days after its date', async () => {
    const r = await rota({ startDate: '2026-03-01', rrule: 'FREQ=DAILY;COUNT=3' });
    t.setNow('2026-02-20T00:00:00Z');
    expect((await t.call('PATCH', `/api/v1/shifts/${shift(r.seriesId, '2026-03-02T07:15')}`, { body: { cancelled: true } })).status).toBe(200);
    t.setNow('2026-03-16T12:00:00Z');
    const shown = parseBoth((await feed(r.path)).text).events;
    expect(shown.map((e) => [e.start.local, e.status, e.summary])).toEqual([
      ['2026-03-01T07:15:00', 'CONFIRMED', 'East gate 0/4'],
      ['2026-03-02T07:15:00', 'CANCELLED', '已取消：East gate'],
      ['2026-03-03T07:15:00', 'CONFIRMED', 'East gate 0/4'],
    ]);
    t.setNow('2026-03-16T16:00:00Z');
    const later = parseBoth((await feed(r.path)).text).events;
    t.setNow(NOW);
    expect(later.map((e) => e.start.local)).toEqual(['2026-03-01T07:15:00', '2026-03-03T07:15:00']);
  });

  it('lists in the open-shifts feed only shifts from today on that are below their minimum', async () => {
    const r = await rota({ rrule: 'FREQ=DAILY;COUNT=5', startDate: '2026-03-09', min: 1, max: 2, label: 'Mornings' });
    const p = await person('Li Na');
    await signUp(shift(r.seriesId, '2026-03-11T07:15'), p.id);
    expect((await t.call('PATCH', `/api/v1/shifts/${shift(r.seriesId, '2026-03-12T07:15')}`, { body: { cancelled: true } })).status).toBe(200);
    const res = await feed(`${r.openPath}?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('inline; filename="open-shifts.ics"');
    const cal = parseBoth(res.text);
    expect(cal.name).toBe('East gate: open shifts');
    expect(cal.events.map((e) => [e.start.local, e.summary])).toEqual([
      ['2026-03-10T07:15:00', 'East gate · Mornings 0/2 · needs 1'],
      ['2026-03-13T07:15:00', 'East gate · Mornings 0/2 · needs 1'],
    ]);
    expect(cal.events[0]!.uid).toBe(`${shift(r.seriesId, '2026-03-10T07:15')}-open@rota.example.org`);
    expect(cal.events[0]!.description).toContain('Filled: 0/2 (at least 1)');
  });

  it('answers 304 to If-None-Match while nothing changed, and 200 with a new ETag after a change', async () => {
    const r = await rota();
    const first = await feed(r.path);
    const etag = first.headers.etag as string;
    const again = await feed(r.path, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await feed(r.path, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    const p = await person('Wang Wu');
    await signUp(shift(r.seriesId, '2026-03-11T07:15'), p.id);
    const changed = await feed(r.path, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.text).toContain('Wang Wu');
  });

  it('changes the ETag when the local date rolls, even when no data changed', async () => {
    const r = await rota();
    const etag = (await feed(r.path)).headers.etag as string;
    t.setNow('2026-03-10T15:59:00Z');
    expect((await feed(r.path, { 'if-none-match': etag })).status).toBe(304);
    t.setNow('2026-03-10T16:00:00Z');
    const next = await feed(r.path, { 'if-none-match': etag });
    t.setNow(NOW);
    expect(next.status).toBe(200);
  });

  it('sends gzip when asked, with its own ETag, and plain text otherwise', async () => {
    const r = await rota();
    const plain = await feed(r.path);
    const zipped = await feed(r.path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.raw).toString('utf8')).toBe(plain.text);
    expect(zipped.raw.length).toBeLessThan(plain.raw.length);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((await feed(r.path, { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag as string })).status).toBe(304);
    expect((await feed(r.path, { 'accept-encoding': 'gzip;q=0, *' })).headers['content-encoding']).toBeUndefined();
    expect((await feed(r.path, { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
  });

  it('serves a feed the same, plain and gzipped, after the texts of many others came and went', async () => {
    // 24 rotas of daily duties for over a year: ~200 KB of text each, more than the texts kept.
    const rotas = [];
    for (let i = 0; i < 24; i++) rotas.push(await rota({ name: `Busy gate ${i}`, rrule: 'FREQ=DAILY;COUNT=430', startDate: '2026-01-09' }));
    const first = await feed(rotas[0]!.path);
    expect(first.text.split('BEGIN:VEVENT').length - 1).toBe(426);
    for (const r of rotas.slice(1)) expect((await feed(r.path)).status).toBe(200);
    const again = await feed(rotas[0]!.path);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.text).toBe(first.text);
    const zipped = await feed(rotas[0]!.path, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(zipped.raw).toString('utf8')).toBe(first.text);
  });

  it('answers HEAD with the headers only', async () => {
    const r = await rota();
    const res = await t.app.inject({ method: 'HEAD', url: r.path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.body).toBe('');
  });

  it('answers 404 to a made-up token, a replaced token and a path that is not a feed', async () => {
    const r = await rota();
    for (const path of ['/feeds/rotas/made-up-token-0000000000000000.ics', '/feeds/people/nobody.ics', '/feeds/teams/x.ics', `${r.path.replace('.ics', '')}`, '/feeds/rotas/a%20b.ics']) {
      const res = await feed(path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.text).error.code).toBe('NOT_FOUND');
    }
    const rotated = await t.call('POST', `/api/v1/rotas/${r.id}/feed-token`);
    expect(rotated.status).toBe(201);
    expect((await feed(r.path)).status).toBe(404);
    expect((await feed(r.openPath)).status).toBe(404);
    expect((await feed(new URL(rotated.body.feedUrl).pathname)).status).toBe(200);
  });

  it('answers 404 for an archived rota', async () => {
    const r = await rota();
    expect((await t.call('DELETE', `/api/v1/rotas/${r.id}`)).status).toBe(200);
    expect((await feed(r.path)).status).toBe(404);
  });

  it('does not accept a feed token on the API', async () => {
    const r = await rota();
    const token = r.path.split('/').pop()!.replace('.ics', '');
    expect((await t.call('GET', '/api/v1/me', { token })).status).toBe(401);
  });
});

describe('feeds served by two processes on one database', () => {
  it('answer 304 to each other\'s ETags and see each other\'s changes', async () => {
    const a = await makeApp(NOW);
    const config = loadConfig({ dbPath: a.file, publicUrl: 'https://rota.example.org', now: () => new Date(NOW) }, {});
    const db = openDb(a.file);
    const b = await buildApp({ config, db, logger: false });
    try {
      const r = await a.call('POST', '/api/v1/rotas', { body: { name: 'East gate', timezone: 'Asia/Shanghai' } });
      const s = await a.call('POST', `/api/v1/rotas/${r.body.id}/series`, { body: { rrule: 'FREQ=DAILY;COUNT=2', startDate: '2026-03-11', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2 } });
      const path = new URL(r.body.feedUrl).pathname;
      const fromA = await a.app.inject({ method: 'GET', url: path });
      // Twice: the second poll is answered from the version kept by the first, which had no text to keep.
      for (let i = 0; i < 2; i++) expect((await b.inject({ method: 'GET', url: path, headers: { 'if-none-match': fromA.headers.etag as string } })).statusCode).toBe(304);
      const fromB = await b.inject({ method: 'GET', url: path });
      expect(fromB.body).toBe(fromA.body);
      const p = await a.call('POST', '/api/v1/people', { body: { name: 'Li Na' } });
      expect((await a.call('POST', `/api/v1/shifts/${s.body.id}.20260311T0715/signups`, { body: { personId: p.body.id } })).status).toBe(201);
      const afterB = await b.inject({ method: 'GET', url: path, headers: { 'if-none-match': fromB.headers.etag as string } });
      expect(afterB.statusCode).toBe(200);
      expect(afterB.body).toContain('Li Na');
    } finally {
      await b.close();
      db.$client.close();
      await a.close();
    }
  });
});

describe('the request log', () => {
  it('never contains a feed token', async () => {
    const t = await makeApp(NOW);
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ dbPath: t.file, publicUrl: 'https://rota.example.org', now: () => new Date(NOW) }, {});
    const db = openDb(t.file);
    const app = await buildApp({ config, db, logger: { level: 'info', stream } });
    try {
      const team = await t.call('POST', '/api/v1/teams', { body: { name: 'Building 3' } });
      const person = await t.call('POST', '/api/v1/people', { body: { name: 'Li Na', teamIds: [team.body.id] } });
      const rota = await t.call('POST', '/api/v1/rotas', { body: { name: 'East gate', timezone: 'Asia/Shanghai' } });
      const paths = [person.body.feedUrl, team.body.feedUrl, rota.body.feedUrl].map((u: string) => new URL(u).pathname);
      const urls = [...paths, paths[2]!.replace('.ics', '/open.ics'), `${paths[0]}?lang=en`, `${paths[2]}?download=1`, '/feeds/people/unknown-token-1234567890.ics'];
      for (const url of urls) await app.inject({ method: 'GET', url });
      await app.inject({ method: 'GET', url: paths[2]!, headers: { 'if-none-match': '"x"', 'accept-encoding': 'gzip' } });
      const log = chunks.join('');
      expect(log).toContain('/feeds/rotas/[token]/open.ics');
      expect(log).toContain('/feeds/people/[token]');
      const tokens = paths.map((p) => p.split('/').pop()!.replace('.ics', '')).concat('unknown-token-1234567890');
      for (const token of tokens) expect(log).not.toContain(token);
    } finally {
      await app.close();
      db.$client.close();
      await t.close();
    }
  });
});

/** Physical lines of an iCalendar byte stream (split at CRLF), as bytes. */
function splitLines(raw: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw[i] === 0x0d && raw[i + 1] === 0x0a) {
      lines.push(raw.subarray(start, i));
      start = i + 2;
    }
  }
  lines.push(raw.subarray(start));
  return lines.filter((l) => l.length > 0);
}
