// Notices end to end against real receivers on loopback: a node:http server standing in for the
// group robots and webhooks, and an SMTP server (smtp-server). The worker's tick is called
// directly, with the app's clock moved between ticks.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connection.js';
import { leaseDue } from '../../src/db/notices.js';
import { buildApp } from '../../src/http/app.js';
import { seedDemo } from '../../src/services/demo.js';
import { deliveryWorker } from '../../src/services/delivery.js';
import { ensureCoordinator } from '../../src/services/people.js';
import { makeApp, type TestApp } from '../helpers/app.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A robot on loopback: records every POST; answers 500 to the first `failFirst` (or to all with `failAlways`). */
async function robot(opts: { failFirst?: number; failAlways?: boolean; answer?: object } = {}) {
  const all: Received[] = [];
  let failures = opts.failFirst ?? 0;
  const state = { failAlways: opts.failAlways ?? false };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const fail = state.failAlways || failures-- > 0;
      all.push({ url: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fail ? { errcode: -1 } : (opts.answer ?? { errcode: 0, errmsg: 'ok' })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=robot-secret-key-0001abcd`,
    all,
    state,
    /** Requests answered 200. */
    delivered: () => all.filter((_, i) => i >= (opts.failFirst ?? 0)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An app whose channels may call loopback receivers (ROTA_ALLOW_LOOPBACK_TARGETS=1). */
async function setup(nowIso = '2026-03-02T02:00:00Z'): Promise<TestApp> {
  const t = await makeApp(nowIso, { allowLoopbackTargets: true });
  cleanups.push(() => t.close());
  return t;
}

function workerFor(t: TestApp, owner?: string) {
  const worker = deliveryWorker({ db: t.db, config: t.app.config, log: t.app.log, ...(owner ? { owner } : {}) });
  cleanups.push(() => worker.stop());
  return worker;
}

/**
 * A Shanghai rota with weekday posts at 07:15 (max 4), labelled as given. The minimum is 0 unless
 * given, so no shortage calls join the notices a test counts.
 */
async function schoolRota(t: TestApp, posts: string[], name = '护学岗', minVolunteers = 0) {
  const rota = await t.call('POST', '/api/v1/rotas', { body: { name, timezone: 'Asia/Shanghai' } });
  expect(rota.status).toBe(201);
  const seriesIds: number[] = [];
  for (const label of posts) {
    const s = await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label, rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers, maxVolunteers: 4 },
    });
    expect(s.status).toBe(201);
    seriesIds.push(s.body.id);
  }
  return { rotaId: rota.body.id as number, shift: (post: number, date: string) => `${seriesIds[post]}.${date.replace(/-/g, '')}T0715` };
}

async function person(t: TestApp, name: string, extra: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/v1/people', { body: { name, ...extra } });
  expect(res.status).toBe(201);
  return { id: res.body.id as number, token: res.body.accessToken as string };
}

async function signUp(t: TestApp, shiftId: string, personId: number): Promise<number> {
  const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function notices(t: TestApp, query = ''): Promise<any[]> {
  const res = await t.call('GET', `/api/v1/notices${query}`);
  expect(res.status).toBe(200);
  return res.body.notices;
}

async function pointAt(t: TestApp, rotaId: number, body: Record<string, unknown>) {
  const res = await t.call('PUT', `/api/v1/rotas/${rotaId}/channel`, { body });
  expect(res.status).toBe(200);
  return res.body;
}

describe('change notices', () => {
  it('moving a shift tells each person on it once, in their own language, through the group robot', async () => {
    const t = await setup();
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口']);
    await pointAt(t, rotaId, { kind: 'wecom', url: r.url });
    const zhang = await person(t, '张三', { locale: 'zh-CN' });
    const ann = await person(t, 'Ann', { locale: 'en' });
    await signUp(t, shift(0, '2026-03-03'), zhang.id);
    await signUp(t, shift(0, '2026-03-03'), ann.id);
    expect(await notices(t)).toEqual([]);

    const moved = await t.call('PATCH', `/api/v1/shifts/${shift(0, '2026-03-03')}`, { body: { start: '2026-03-03T08:00', affectedSignups: 'move' } });
    expect(moved.status).toBe(200);
    const list = await notices(t);
    expect(list).toHaveLength(2);
    const byPerson = new Map(list.map((n) => [n.personId, n]));
    expect(byPerson.get(zhang.id)).toMatchObject({ kind: 'signup-moved', channel: 'group', locale: 'zh-CN', status: 'pending', text: '【护学岗】张三，您 3月3日 周二 07:15 校园门口 的值班改到了 3月3日 周二 08:00。' });
    expect(byPerson.get(ann.id)).toMatchObject({ kind: 'signup-moved', locale: 'en', text: '[护学岗] Ann, your duty on Tue 3 Mar 07:15 校园门口 moved to Tue 3 Mar 08:00.' });

    expect(await workerFor(t).runOnce()).toMatchObject({ sent: 2, failed: 0 });
    expect(r.all).toHaveLength(2);
    for (const got of r.all) {
      const key = got.headers['idempotency-key'] as string;
      expect(list.map((n) => n.key)).toContain(key);
      expect(got.body.msgtype).toBe('markdown');
      expect(got.body.markdown.content).toContain(key);
      expect(got.body.markdown.content).toContain('https://rota.example.org/me');
      for (const token of [zhang.token, ann.token, t.coordinatorToken]) expect(got.raw).not.toContain(token);
    }
    expect((await notices(t, '?status=sent')).map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  it('cancelling by a coordinator, trades, covers and a place open within 48 hours produce exactly their notices', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口']);
    await pointAt(t, rotaId, { kind: 'webhook', url: r.url });
    const [a, b, c] = [await person(t, '甲'), await person(t, '乙'), await person(t, '丙')];

    // Self-service changes tell nobody.
    const own = await signUp(t, shift(0, '2026-03-10'), a.id);
    expect((await t.call('DELETE', `/api/v1/signups/${own}`, { token: a.token })).status).toBe(200);
    expect(await notices(t)).toEqual([]);

    // A coordinator taking someone off tells them.
    const taken = await signUp(t, shift(0, '2026-03-10'), b.id);
    expect((await t.call('DELETE', `/api/v1/signups/${taken}`)).status).toBe(200);
    expect((await notices(t)).map((n) => [n.kind, n.personId])).toEqual([['signup-cancelled', b.id]]);

    // A trade tells both people.
    const mine = await signUp(t, shift(0, '2026-03-11'), a.id);
    const theirs = await signUp(t, shift(0, '2026-03-12'), b.id);
    const trade = await t.call('POST', `/api/v1/signups/${mine}/trade`, { token: a.token, body: { withSignupId: theirs } });
    expect(trade.status).toBe(201);
    expect((await t.call('POST', `/api/v1/trades/${trade.body.id}/accept`, { token: b.token })).status).toBe(200);
    const trades = (await notices(t)).filter((n) => n.kind === 'trade-accepted');
    expect(trades.map((n) => n.personId).sort()).toEqual([a.id, b.id].sort());
    expect(trades.find((n) => n.personId === a.id).text).toContain('3月12日 周四 07:15');

    // An offer far ahead stays quiet; one within 48 hours is called out in the group, and its claim tells the owner.
    const far = await signUp(t, shift(0, '2026-03-13'), c.id);
    expect((await t.call('POST', `/api/v1/signups/${far}/offer`, { token: c.token })).status).toBe(201);
    const soon = await signUp(t, shift(0, '2026-03-03'), c.id);
    const offer = await t.call('POST', `/api/v1/signups/${soon}/offer`, { token: c.token });
    expect(offer.status).toBe(201);
    const open = (await notices(t)).filter((n) => n.kind === 'offer-open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ personId: null, channel: 'group', text: '【护学岗】3月3日 周二 07:15 校园门口 有 1 个岗位需要人接替（丙 让出），请在个人页面认领。' });
    expect((await t.call('POST', `/api/v1/offers/${offer.body.id}/claim`, { token: a.token, body: {} })).status).toBe(200);
    const covers = (await notices(t)).filter((n) => n.kind.startsWith('cover-'));
    expect(covers.map((n) => [n.kind, n.personId])).toEqual([['cover-claimed', c.id]]);
    expect(covers[0].text).toBe('【护学岗】丙，甲 接替了您 3月3日 周二 07:15 校园门口 的值班。');

    // Every notice has its own key; all of them go out once.
    const all = await notices(t);
    expect(new Set(all.map((n) => n.key)).size).toBe(all.length);
    expect(await workerFor(t).runOnce()).toMatchObject({ sent: all.length, failed: 0 });
    expect(r.all.map((x) => x.body.key).sort()).toEqual(all.map((n) => n.key).sort());
  });

  it('a rota without a channel and a person without email collect no notices', async () => {
    const t = await setup();
    const { shift } = await schoolRota(t, ['校园门口']);
    const a = await person(t, '甲');
    const id = await signUp(t, shift(0, '2026-03-10'), a.id);
    expect((await t.call('DELETE', `/api/v1/signups/${id}`)).status).toBe(200);
    expect(await notices(t)).toEqual([]);
  });
});

describe('waitlist promotions', () => {
  it('the person moved up from the waitlist hears of it, once, whoever freed the place', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '护学岗', timezone: 'Asia/Shanghai', waitlist: true } });
    const s = await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label: '校园门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 0, maxVolunteers: 1 },
    });
    await pointAt(t, rota.body.id, { kind: 'webhook', url: r.url });
    const shiftId = `${s.body.id}.20260310T0715`;
    const [a, b, ann] = [await person(t, '甲'), await person(t, '乙'), await person(t, 'Ann', { locale: 'en' })];
    const first = await signUp(t, shiftId, a.id);
    const second = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token: b.token, body: {} });
    const third = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token: ann.token, body: {} });
    expect([second.body.status, third.body.status]).toEqual(['waitlisted', 'waitlisted']);
    expect(await notices(t)).toEqual([]);

    // 甲 leaves on their own: only 乙, moved up, is told.
    expect((await t.call('DELETE', `/api/v1/signups/${first}`, { token: a.token })).status).toBe(200);
    expect((await notices(t)).map((n) => [n.kind, n.personId, n.text])).toEqual([
      ['waitlist-promoted', b.id, '【护学岗】乙，有人退出，您已从候补转为正式：3月10日 周二 07:15 校园门口 值班。'],
    ]);

    // A coordinator takes 乙 off: 乙 hears of the cancellation, Ann (in English) of her promotion.
    expect((await t.call('DELETE', `/api/v1/signups/${second.body.id}`)).status).toBe(200);
    const latest = (await notices(t)).slice(0, 2).map((n) => [n.kind, n.personId, n.locale, n.text]);
    expect(latest).toEqual([
      ['waitlist-promoted', ann.id, 'en', '[护学岗] Ann, a place opened up: you are now on duty Tue 10 Mar 07:15 校园门口.'],
      ['signup-cancelled', b.id, 'zh-CN', '【护学岗】乙，您 3月10日 周二 07:15 校园门口 的值班已取消。'],
    ]);
    expect(await workerFor(t).runOnce()).toMatchObject({ generated: 0, sent: 3, failed: 0 });
    expect(r.all.filter((x) => x.body.kind === 'waitlist-promoted').map((x) => x.body.personId)).toEqual([b.id, ann.id]);
  });
});

describe('shortage calls', () => {
  it('a shift below its minimum within 48 hours is called out in the group once a day, cancelled and later shifts not', async () => {
    // Monday 10:00 in Shanghai.
    const t = await setup('2026-03-02T02:00:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口', '小区门口'], '护学岗', 2);
    await pointAt(t, rotaId, { kind: 'wecom', url: r.url });
    await signUp(t, shift(0, '2026-03-03'), (await person(t, '张三')).id);
    expect((await t.call('PATCH', `/api/v1/shifts/${shift(1, '2026-03-03')}`, { body: { cancelled: true } })).status).toBe(200);
    for (const name of ['李四', '王五']) await signUp(t, shift(0, '2026-03-04'), (await person(t, name)).id);
    const worker = workerFor(t);

    expect(await worker.runOnce()).toMatchObject({ generated: 2, sent: 2, failed: 0 });
    const calls = (await notices(t)).filter((n) => n.kind === 'shift-short');
    expect(calls.map((n) => [n.key, n.personId, n.channel, n.locale, n.text]).reverse()).toEqual([
      [`short:${shift(0, '2026-03-03')}:2026-03-02`, null, 'group', 'zh-CN', '【护学岗】明天（3月3日 周二）07:15 校园门口还缺 1 人，请在个人页面报名。'],
      [`short:${shift(1, '2026-03-04')}:2026-03-02`, null, 'group', 'zh-CN', '【护学岗】后天（3月4日 周三）07:15 小区门口还缺 2 人，请在个人页面报名。'],
    ]);
    expect(r.all.map((x) => x.headers['idempotency-key']).sort()).toEqual(calls.map((n) => n.key).sort());

    // Later the same day: nothing new, even once the first is filled and another falls short.
    t.setNow('2026-03-02T09:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ generated: 0, sent: 0 });

    // The next morning (Tuesday 08:30): Wednesday's short post again, and Thursday's two now within 48 hours.
    t.setNow('2026-03-03T00:30:00Z');
    expect(await worker.runOnce()).toMatchObject({ generated: 3, sent: 3 });
    expect((await notices(t)).slice(0, 3).map((n) => n.text).sort()).toEqual([
      '【护学岗】后天（3月5日 周四）07:15 小区门口还缺 2 人，请在个人页面报名。',
      '【护学岗】后天（3月5日 周四）07:15 校园门口还缺 2 人，请在个人页面报名。',
      '【护学岗】明天（3月4日 周三）07:15 小区门口还缺 2 人，请在个人页面报名。',
    ]);
  });

  it('a shortage found in quiet hours goes out when they end, in the rota\'s language, and says "today"', async () => {
    // Monday 23:00 in Shanghai: inside the default quiet hours (22:00–07:00).
    const t = await setup('2026-03-02T15:00:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['School gate'], 'Safe route', 1);
    await pointAt(t, rotaId, { kind: 'webhook', url: r.url, locale: 'en' });
    await signUp(t, shift(0, '2026-03-04'), (await person(t, 'Ann')).id);
    const worker = workerFor(t);

    expect(await worker.runOnce()).toMatchObject({ generated: 1, sent: 0 });
    const [n] = await notices(t);
    expect(n).toMatchObject({ kind: 'shift-short', nextAttemptAt: '2026-03-03T07:00:00+08:00', text: '[Safe route] Today (Tue 3 Mar) 07:15 School gate: 1 more needed; sign up on your page.' });
    t.setNow('2026-03-02T23:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ generated: 0, sent: 1 });
    expect(r.all[0]!.body).toMatchObject({ key: n.key, kind: 'shift-short', personId: null, text: `${n.text}\nOpen: https://rota.example.org/me` });
  });

  it('quiet hours lasting past the start of the shift drop its shortage call', async () => {
    // Tuesday 06:00 in Shanghai, with quiet hours until 08:00: the 07:15 shift starts inside them.
    const t = await setup('2026-03-02T22:00:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId } = await schoolRota(t, ['校园门口'], '护学岗', 1);
    await pointAt(t, rotaId, { kind: 'webhook', url: r.url, quietHours: { from: '22:00', to: '08:00' } });
    await workerFor(t).runOnce();
    expect((await notices(t)).map((n) => n.key)).not.toContain(expect.stringContaining('T0715:2026-03-03'));
  });
});

describe('delivery', () => {
  it('a receiver that fails twice then succeeds gets the message once, and it is marked sent', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const r = await robot({ failFirst: 2 });
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口']);
    await pointAt(t, rotaId, { kind: 'wecom', url: r.url });
    const a = await person(t, '甲');
    const id = await signUp(t, shift(0, '2026-03-10'), a.id);
    await t.call('DELETE', `/api/v1/signups/${id}`);
    const worker = workerFor(t);

    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 1 });
    let [n] = await notices(t);
    expect(n).toMatchObject({ status: 'pending', attempts: 1, lastError: 'the receiver answered HTTP 500' });
    // Not due before 30 s have passed: nothing is tried.
    t.setNow('2026-03-02T02:00:29Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    t.setNow('2026-03-02T02:00:30Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 1 });
    // Then a minute.
    t.setNow('2026-03-02T02:01:29Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    t.setNow('2026-03-02T02:01:30Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 1, failed: 0 });
    [n] = await notices(t);
    expect(n).toMatchObject({ status: 'sent', attempts: 3, sentAt: '2026-03-02T10:01:00+08:00', lastError: null });
    expect(r.delivered()).toHaveLength(1);
    expect(new Set(r.all.map((x) => x.headers['idempotency-key']))).toEqual(new Set([n.key]));
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    expect(r.all).toHaveLength(3);
  });

  it('gives up after the limit, shows the notice as failed, and a coordinator retry sends it', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const r = await robot({ failAlways: true });
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口']);
    await pointAt(t, rotaId, { kind: 'dingtalk', url: r.url.replace('key=', 'access_token='), secret: 'SECdingtalk-secret-0001' });
    const a = await person(t, '甲');
    await t.call('DELETE', `/api/v1/signups/${await signUp(t, shift(0, '2026-03-10'), a.id)}`);
    const worker = workerFor(t);
    for (let hour = 0; hour < 6; hour++) {
      t.setNow(`2026-03-02T0${2 + hour}:00:00Z`);
      expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    }
    const [failed] = await notices(t, '?status=failed');
    expect(failed).toMatchObject({ attempts: 6, status: 'failed' });
    t.setNow('2026-03-02T09:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 0 });

    expect((await t.call('POST', `/api/v1/notices/${failed.id}/retry`, { token: (await person(t, 'v')).token })).status).toBe(403);
    const retried = await t.call('POST', `/api/v1/notices/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await t.call('POST', `/api/v1/notices/${failed.id}/retry`)).body.error.code).toBe('CONFLICT');
    r.state.failAlways = false;
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    const last = r.all.at(-1)!;
    // DingTalk: markdown, signed with timestamp and sign in the query.
    expect(last.body.msgtype).toBe('markdown');
    const q = new URL(last.url, 'http://x').searchParams;
    expect(q.get('sign')).toBe(createHmac('sha256', 'SECdingtalk-secret-0001').update(`${q.get('timestamp')}\nSECdingtalk-secret-0001`).digest('base64'));
    expect(q.get('timestamp')).toBe(String(new Date('2026-03-02T09:00:00Z').getTime()));
  });

  it('a worker that dies between sending and marking leaves at most a duplicate with the same key, never a loss', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口']);
    await pointAt(t, rotaId, { kind: 'webhook', url: r.url });
    const a = await person(t, '甲');
    await t.call('DELETE', `/api/v1/signups/${await signUp(t, shift(0, '2026-03-10'), a.id)}`);

    // A second process on the same file leases the row, sends it, and is killed before marking it.
    const other = openDb(t.file);
    const now = new Date('2026-03-02T02:00:00Z').getTime();
    const [leased] = leaseDue(other, 'killed-process', now, now + 120_000, 10);
    expect(leased).toBeDefined();
    await fetch(r.url, { method: 'POST', headers: { 'idempotency-key': leased!.key }, body: JSON.stringify({ key: leased!.key }) });
    other.$client.close();

    // While its lease runs, nobody else sends the row.
    const worker = workerFor(t, 'survivor');
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    t.setNow('2026-03-02T02:02:01Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect(r.all.map((x) => x.headers['idempotency-key'])).toEqual([leased!.key, leased!.key]);
    expect(r.all[1]!.body.key).toBe(leased!.key);
    const [n] = await notices(t);
    expect(n).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a failed delivery keeps a status and a reason of our own, never the receiver\'s text or address', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const inner = await robot({ failAlways: true });
    cleanups.push(inner.close);
    const talkative = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: 40001, errmsg: 'INTERNAL: db01.corp password=hunter2' })));
    });
    await new Promise<void>((resolve) => talkative.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => talkative.close(() => resolve())));
    const page = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Jenkins admin console</h1>'));
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => page.close(() => resolve())));
    const urls = [`http://127.0.0.1:${(talkative.address() as AddressInfo).port}/send?key=abcd`, `http://127.0.0.1:${(page.address() as AddressInfo).port}/`, 'http://127.0.0.1:9/closed'];
    const a = await person(t, '甲');
    const errors: string[] = [];
    for (const [i, url] of urls.entries()) {
      const { rotaId, shift } = await schoolRota(t, ['校园门口'], `rota ${i}`);
      await pointAt(t, rotaId, { kind: i === 0 ? 'wecom' : 'webhook', url });
      await t.call('DELETE', `/api/v1/signups/${await signUp(t, shift(0, '2026-03-10'), a.id)}`);
      expect(await workerFor(t).runOnce()).toMatchObject({ sent: 0, failed: 1 });
      errors.push((await notices(t, `?rotaId=${rotaId}`))[0].lastError);
    }
    expect(errors).toEqual([
      'the robot refused the message: errcode 40001',
      'the receiver answered HTTP 500',
      'the receiver could not be reached (no connection, or its certificate was not valid)',
    ]);
  });

  it('a public address is accepted as it is typed; loopback only while ROTA_ALLOW_LOOPBACK_TARGETS is on, other inside addresses never', async () => {
    const deployed = await makeApp('2026-03-02T02:00:00Z');
    cleanups.push(() => deployed.close());
    const testing = await setup('2026-03-02T02:00:00Z');
    const put = async (t: TestApp, url: string) => {
      const { rotaId } = await schoolRota(t, ['校园门口']);
      return t.call('PUT', `/api/v1/rotas/${rotaId}/channel`, { body: { kind: 'webhook', url } });
    };
    expect((await put(deployed, 'https://93.184.215.14/hook?key=abcd')).status).toBe(200);
    expect((await put(deployed, 'https://[2606:4700::6810:84e5]/hook')).status).toBe(200);
    expect((await put(deployed, 'http://127.0.0.1:8080/hook')).body.error).toMatchObject({ code: 'VALIDATION', field: 'url' });
    expect((await put(testing, 'http://127.0.0.1:8080/hook')).status).toBe(200);
    expect((await put(testing, 'http://[::1]:8080/hook')).status).toBe(200);
    expect((await put(testing, 'http://localhost:8080/hook')).status).toBe(200);
    for (const inside of ['http://10.0.0.1/hook', 'http://169.254.169.254/latest', 'http://[fe80::1]/hook', 'http://[fc00::1]/hook', 'http://user@example.org/hook']) {
      const res = await put(testing, inside);
      expect(res.status, inside).toBe(400);
      expect(res.body.error, inside).toMatchObject({ code: 'VALIDATION', field: 'url' });
    }
  });

  it('two workers leasing at once on two connections never hold the same notice', async () => {
    const t = await setup('2026-03-02T02:00:00Z');
    const { rotaId, shift } = await schoolRota(t, ['校园门口']);
    await pointAt(t, rotaId, { kind: 'webhook', url: 'http://127.0.0.1:9/hook' });
    const people = [];
    for (let i = 0; i < 10; i++) people.push(await person(t, `p${i}`));
    for (const [i, p] of people.entries()) await t.call('DELETE', `/api/v1/signups/${await signUp(t, shift(0, `2026-03-${String(9 + (i % 5)).padStart(2, '0')}`), p.id)}`);
    const one = openDb(t.file);
    const two = openDb(t.file);
    const now = new Date('2026-03-02T02:00:00Z').getTime();
    const first = leaseDue(one, 'one', now, now + 60_000, 6);
    const second = leaseDue(two, 'two', now, now + 60_000, 6);
    one.$client.close();
    two.$client.close();
    expect(first.length + second.length).toBe(10);
    expect(new Set([...first, ...second].map((n) => n.id)).size).toBe(10);
  });
});

describe('scheduled notices', () => {
  it('the daily roster post lists tomorrow by post, with its gap, in Chinese at 19:00 Shanghai time, once, signed', async () => {
    const t = await setup('2026-03-02T10:59:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(t, ['校园门口', '小区门口'], '护学岗', 2);
    await pointAt(t, rotaId, { kind: 'webhook', url: r.url, secret: 'webhook-signing-secret-01', rosterAt: '19:00' });
    const posts = () => r.all.filter((x) => x.body.kind === 'roster');
    for (const name of ['张三', '李四']) await signUp(t, shift(0, '2026-03-03'), (await person(t, name)).id);
    await signUp(t, shift(1, '2026-03-03'), (await person(t, '王五')).id);
    // Someone on another day is not in tomorrow's post.
    await signUp(t, shift(0, '2026-03-04'), (await person(t, '赵六')).id);
    const worker = workerFor(t);

    // Before 19:00 only the three short shifts within 48 hours are called out (see "shortage calls").
    expect(await worker.runOnce()).toMatchObject({ generated: 3, sent: 3 });
    expect(posts()).toHaveLength(0);
    t.setNow('2026-03-02T11:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ generated: 1, sent: 1 });
    expect(posts()).toHaveLength(1);
    const got = posts()[0]!;
    expect(got.body.text).toBe(
      ['【护学岗】明天的值班：', '3月3日 周二 07:15 校园门口：张三、李四；小区门口：王五（还缺 1 人）', '查看：https://rota.example.org/me'].join('\n'),
    );
    expect(got.body.key).toBe(`roster:${rotaId}:2026-03-03`);
    expect(got.headers['idempotency-key']).toBe(`roster:${rotaId}:2026-03-03`);
    expect(got.headers['x-rota-signature']).toBe(`sha256=${createHmac('sha256', 'webhook-signing-secret-01').update(got.raw).digest('hex')}`);
    expect(got.body.timestamp).toBe(Number(got.headers['x-rota-timestamp']));

    // 23:00: no second post (the morning's shortage calls are written, held by quiet hours).
    t.setNow('2026-03-02T15:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 0 });
    expect(posts()).toHaveLength(1);
  });

  it('an English group in Berlin gets its post at 19:00 Berlin time, in English', async () => {
    const t = await setup('2026-03-02T17:59:00Z');
    const r = await robot();
    cleanups.push(r.close);
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: 'Park patrol', timezone: 'Europe/Berlin' } });
    const s = await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label: 'North gate', rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: '18:30', durationMinutes: 60, minVolunteers: 2, maxVolunteers: 3 },
    });
    await pointAt(t, rota.body.id, { kind: 'wecom', url: r.url, locale: 'en', rosterAt: '19:00' });
    await signUp(t, `${s.body.id}.20260303T1830`, (await person(t, 'Ann', { locale: 'en' })).id);
    const worker = workerFor(t);
    // Before 19:00: only the calls for the two short shifts within 48 hours.
    expect(await worker.runOnce()).toMatchObject({ generated: 2 });
    t.setNow('2026-03-02T18:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ generated: 1, sent: 1 });
    expect(r.all.at(-1)!.body.markdown.content).toContain("[Park patrol] Tomorrow's duties:\nTue 3 Mar 18:30 North gate: Ann (1 more needed)\nOpen: https://rota.example.org/me");
  });

  it('a reminder by email waits for the end of quiet hours and arrives once, with its key', async () => {
    const mails: { to: string; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (c) => (raw += c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((x) => x.address).join(','), raw });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const port = (smtp.server.address() as AddressInfo).port;

    const dir = await setup('2026-03-02T14:30:00Z');
    // The same database, but an app whose configuration has an SMTP server.
    const config = loadConfig({ dbPath: dir.file, publicUrl: 'https://rota.example.org', smtpUrl: `smtp://127.0.0.1:${port}`, now: () => dir.app.config.now() }, {});
    const { rotaId, shift } = await schoolRota(dir, ['校园门口']);
    await pointAt(dir, rotaId, { kind: 'none', remindHoursBefore: 10, quietHours: { from: '22:00', to: '07:00' } });
    const zhang = await person(dir, '张三', { email: 'zhang@example.org' });
    expect((await dir.call('PUT', `/api/v1/people/${zhang.id}/notice-channel`, { token: zhang.token, body: { channel: 'email' } })).body).toEqual({ channel: 'email' });
    const nomail = await person(dir, '李四');
    expect((await dir.call('PUT', `/api/v1/people/${nomail.id}/notice-channel`, { token: nomail.token, body: { channel: 'email' } })).status).toBe(400);
    await signUp(dir, shift(0, '2026-03-03'), zhang.id);
    await signUp(dir, shift(0, '2026-03-03'), nomail.id);

    const worker = deliveryWorker({ db: dir.db, config, log: dir.app.log });
    cleanups.push(() => worker.stop());
    // 22:30 in Shanghai: the reminder (due since 21:15) is written, to go at 07:00.
    expect(await worker.runOnce()).toMatchObject({ generated: 1, sent: 0 });
    const [n] = await notices(dir);
    expect(n).toMatchObject({ kind: 'reminder', channel: 'email', personId: zhang.id, nextAttemptAt: '2026-03-03T07:00:00+08:00', text: '【护学岗】张三，提醒您：3月3日 周二 07:15 校园门口 值班。' });
    dir.setNow('2026-03-02T22:59:00Z');
    expect(await worker.runOnce()).toMatchObject({ generated: 0, sent: 0 });
    dir.setNow('2026-03-02T23:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('zhang@example.org');
    expect(mails[0]!.raw).toContain(`Idempotency-Key: ${n.key}`);
    expect(await worker.runOnce()).toMatchObject({ generated: 0, sent: 0 });
  });
});

describe('names cannot speak for the robot', () => {
  const PHISH = '[紧急通知：点此领取补贴](http://phish.example/login) <@all> <font color="warning">系统</font>';

  /** No live link, no mention and no markup but the robot's own grey key line. */
  function expectInert(posted: string, ownFonts: number) {
    for (const live of ['](', 'http://phish', 'phish.example', '<@', '@all', '@所有人', '<font color="warning"', '[紧急通知']) expect(posted).not.toContain(live);
    expect(posted.match(/<font/g) ?? []).toHaveLength(ownFonts);
    // The name is still there to read, in full-width brackets.
    expect(posted).toContain('［紧急通知：点此领取补贴］');
  }

  it('a volunteer named like a phishing link is posted by WeChat Work and DingTalk robots as plain words', async () => {
    const t = await setup('2026-03-02T10:00:00Z');
    const wecom = await robot();
    const dingtalk = await robot();
    cleanups.push(wecom.close, dingtalk.close);
    const first = await schoolRota(t, ['校园门口']);
    const second = await schoolRota(t, ['小区门口'], '@所有人 <@all> 护学岗');
    await pointAt(t, first.rotaId, { kind: 'wecom', url: wecom.url, rosterAt: '19:00' });
    await pointAt(t, second.rotaId, { kind: 'dingtalk', url: dingtalk.url.replace('key=', 'access_token=') });
    const phisher = await person(t, PHISH);
    const other = await person(t, '乙');
    await signUp(t, first.shift(0, '2026-03-03'), phisher.id);
    // A coordinator takes the phisher off a shift of each rota: each robot posts a change notice naming them.
    await t.call('DELETE', `/api/v1/signups/${await signUp(t, first.shift(0, '2026-03-10'), phisher.id)}`);
    await t.call('DELETE', `/api/v1/signups/${await signUp(t, second.shift(0, '2026-03-10'), phisher.id)}`);
    // A place the phisher offers goes to the other rota's group under their name.
    await signUp(t, second.shift(0, '2026-03-03'), other.id);
    const offered = await signUp(t, second.shift(0, '2026-03-04'), phisher.id);
    expect((await t.call('POST', `/api/v1/signups/${offered}/offer`, { token: phisher.token })).status).toBe(201);

    t.setNow('2026-03-02T11:00:00Z');
    expect(await workerFor(t).runOnce()).toMatchObject({ failed: 0 });
    const wecomPosts = wecom.all.map((x) => x.body.markdown.content as string);
    const dingtalkPosts = dingtalk.all.map((x) => `${x.body.markdown.title}\n${x.body.markdown.text}`);
    // The change notice and tomorrow's roster (which names the phisher) in the first group.
    expect(wecomPosts.filter((c) => c.includes('值班已取消'))).toHaveLength(1);
    expect(wecomPosts.filter((c) => c.includes('明天的值班'))).toHaveLength(1);
    expect(dingtalkPosts.filter((c) => c.includes('值班已取消'))).toHaveLength(1);
    expect(dingtalkPosts.filter((c) => c.includes('需要人接替'))).toHaveLength(1);
    for (const posted of wecomPosts) expectInert(posted, 1);
    for (const posted of dingtalkPosts) {
      expectInert(posted, 1);
      expect(posted).toContain('＠所有人 ＜＠all＞ 护学岗');
    }
    // The outbox shows coordinators the same plain words.
    for (const n of await notices(t)) if (n.text.includes('紧急通知')) expectInert(n.text, 0);
  });
});

describe('secrets', () => {
  it('robot URLs and secrets never appear in logs, audit entries or API answers', async () => {
    let log = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    const base = await setup('2026-03-02T02:00:00Z');
    const config = loadConfig({ dbPath: base.file, publicUrl: 'https://rota.example.org', allowLoopbackTargets: true, now: () => base.app.config.now() }, {});
    const db = openDb(base.file);
    ensureCoordinator(db, null, config.now());
    const app = await buildApp({ config, db, logger: { level: 'debug', stream: sink } });
    cleanups.push(async () => {
      await app.close();
      db.$client.close();
    });
    const call = async (method: 'GET' | 'PUT' | 'DELETE', url: string, body?: object) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${base.coordinatorToken}` }, ...(body ? { payload: body } : {}) });
      return { status: res.statusCode, text: res.body, body: res.json() };
    };
    const r = await robot({ failAlways: true });
    cleanups.push(r.close);
    const { rotaId, shift } = await schoolRota(base, ['校园门口']);
    const secret = 'sign-secret-never-shown-9f8e';
    const put = await call('PUT', `/api/v1/rotas/${rotaId}/channel`, { kind: 'dingtalk', url: r.url.replace('key=', 'access_token='), secret });
    expect(put.status).toBe(200);
    expect(put.body.url).toBe(`http://127.0.0.1:${new URL(r.url).port}/…?access_token=****abcd`);
    expect(put.body.secretSet).toBe(true);
    const got = await call('GET', `/api/v1/rotas/${rotaId}/channel`);
    const refused = await call('PUT', `/api/v1/rotas/${rotaId}/channel`, { kind: 'wecom', url: 'file:///etc/passwd?key=robot-secret-key-0001abcd' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION', field: 'url' });

    const a = await person(base, '甲');
    await base.call('DELETE', `/api/v1/signups/${await signUp(base, shift(0, '2026-03-10'), a.id)}`);
    const worker = deliveryWorker({ db, config, log: app.log });
    cleanups.push(() => worker.stop());
    expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    // A robot that cannot be reached at all: the connection error names no secret either.
    await call('PUT', `/api/v1/rotas/${rotaId}/channel`, { kind: 'wecom', url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=robot-secret-key-0001abcd' });
    base.setNow('2026-03-02T03:00:00Z');
    expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    const list = await call('GET', '/api/v1/notices');
    const audit = await call('GET', '/api/v1/audit?entity=rota');

    expect(log).toContain('a notice could not be delivered');
    for (const text of [log, put.text, got.text, refused.text, list.text, audit.text]) {
      expect(text).not.toContain('robot-secret-key-0001');
      expect(text).not.toContain(secret);
    }
  });
});

describe('the demo community', () => {
  it('a coordinator points the school-gate rota at a group robot: the evening post names tomorrow\'s captains and gaps, and a moved captain hears of it', async () => {
    const t = await setup('2026-03-02T10:00:00Z');
    seedDemo(t.db, new Date('2026-03-02T10:00:00Z'));
    const r = await robot();
    cleanups.push(r.close);
    const rota = (await t.call('GET', '/api/v1/rotas')).body.rotas.find((x: { name: string }) => x.name.startsWith('平安上学路'));
    await pointAt(t, rota.id, { kind: 'wecom', url: r.url, rosterAt: '19:00' });
    const shifts = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.id}&from=2026-03-03&to=2026-03-03`)).body.shifts;
    expect(shifts).toHaveLength(2);
    const captains = (await t.call('GET', '/api/v1/people')).body.people.filter((p: { role: string }) => p.role === 'volunteer');
    const [c1, c2, c3] = captains;
    await signUp(t, shifts[0].id, c1.id);
    await signUp(t, shifts[0].id, c2.id);
    await signUp(t, shifts[1].id, c3.id);

    t.setNow('2026-03-02T11:00:00Z');
    const worker = workerFor(t);
    // The roster post, and a call for each of the three short shifts within 48 hours.
    expect(await worker.runOnce()).toMatchObject({ generated: 4, sent: 4 });
    const post = r.all.map((x) => x.body.markdown.content as string).find((c) => c.includes('明天的值班'))!;
    expect(post).toContain(`3月3日 周二 07:15 校园门口：${c1.name}、${c2.name}；小区门口：${c3.name}（还缺 1 人）`);

    const moved = await t.call('PATCH', `/api/v1/shifts/${shifts[1].id}`, { body: { start: '2026-03-03T07:30', affectedSignups: 'move' } });
    expect(moved.status).toBe(200);
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect(r.all.at(-1)!.body.markdown.content).toContain(`【平安上学路 护学岗】${c3.name}，您 3月3日 周二 07:15 小区门口 的值班改到了 3月3日 周二 07:30。`);
  });
});

describe('the worker interval', () => {
  it('is 15 seconds unless ROTA_NOTICE_INTERVAL says otherwise, and a nonsense value is refused at start-up', () => {
    expect(loadConfig({}, {}).noticeIntervalSeconds).toBe(15);
    expect(loadConfig({}, { ROTA_NOTICE_INTERVAL: '60' }).noticeIntervalSeconds).toBe(60);
    expect(() => loadConfig({}, { ROTA_NOTICE_INTERVAL: '0' })).toThrow(/ROTA_NOTICE_INTERVAL must be 1–3600 seconds/);
    expect(() => loadConfig({}, { ROTA_NOTICE_INTERVAL: 'often' })).toThrow(/ROTA_NOTICE_INTERVAL must be a whole number/);
  });
});
