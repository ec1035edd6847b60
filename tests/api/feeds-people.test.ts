import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { parseBoth, type ParsedCalendar, type ParsedEvent } from '../helpers/ical.js';

const NOW = '2026-03-10T00:00:00Z';

describe('personal and team feeds', () => {
  let t: TestApp;
  let coordinatorToken: string;
  beforeAll(async () => {
    t = await makeApp(NOW);
    const zhang = await t.call('POST', '/api/v1/people', { body: { name: '张老师', role: 'coordinator', phone: '13800001111', email: 'zhang@example.org' } });
    expect(zhang.status).toBe(201);
    coordinatorToken = zhang.body.accessToken;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ token });

  async function rota(o: { name: string; timezone: string; rrule: string; startDate: string; max?: number; location?: string }) {
    const r = await t.call('POST', '/api/v1/rotas', { ...as(coordinatorToken), body: { name: o.name, timezone: o.timezone, ...(o.location ? { location: o.location } : {}) } });
    expect(r.status).toBe(201);
    const s = await t.call('POST', `/api/v1/rotas/${r.body.id}/series`, {
      ...as(coordinatorToken),
      body: { rrule: o.rrule, startDate: o.startDate, startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: o.max ?? 3 },
    });
    expect(s.status).toBe(201);
    return { id: r.body.id as number, seriesId: s.body.id as number, shift: (date: string) => `${s.body.id}.${date.replace(/-/g, '')}T0715` };
  }

  async function person(name: string, extra: Record<string, unknown> = {}) {
    const p = await t.call('POST', '/api/v1/people', { body: { name, ...extra } });
    expect(p.status).toBe(201);
    return { id: p.body.id as number, token: p.body.accessToken as string, path: new URL(p.body.feedUrl).pathname, webcalUrl: p.body.webcalUrl as string };
  }

  /** Signs oneself up, as a volunteer does from their page. */
  async function join(token: string, shiftId: string): Promise<{ id: number; status: string }> {
    const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token, body: {} });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function leave(token: string, signupId: number) {
    expect((await t.call('DELETE', `/api/v1/signups/${signupId}`, { token })).status).toBe(200);
  }

  async function cancelShift(shiftId: string) {
    const res = await t.call('PATCH', `/api/v1/shifts/${shiftId}`, { ...as(coordinatorToken), body: { cancelled: true, affectedSignups: 'cancel' } });
    expect(res.status).toBe(200);
  }

  async function feed(path: string, etag?: string) {
    const res = await t.app.inject({ method: 'GET', url: path, headers: etag ? { 'if-none-match': etag } : {} });
    return { status: res.statusCode, etag: res.headers.etag as string, text: res.body };
  }

  async function events(path: string): Promise<ParsedEvent[]> {
    const res = await feed(path);
    expect(res.status).toBe(200);
    return parseBoth(res.text).events;
  }

  it('fetched twice with a sign-up and a cancellation in between, parses identically in both parsers apart from that change, shows local times right in Shanghai and Berlin, and answers 304 when nothing changed', async () => {
    const gate = await rota({ name: '东门护学岗', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=10', startDate: '2026-03-11', location: '实验学校东门' });
    const park = await rota({ name: 'Park clean-up', timezone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4', startDate: '2026-03-28' });
    const li = await person('李娜');
    for (const id of [gate.shift('2026-03-12'), gate.shift('2026-03-13'), park.shift('2026-03-28'), park.shift('2026-03-29')]) await join(li.token, id);

    const first = await feed(li.path);
    expect(first.status).toBe(200);
    expect((await feed(li.path, first.etag)).status).toBe(304);
    const before = parseBoth(first.text);

    t.setNow('2026-03-10T01:00:00Z');
    await join(li.token, gate.shift('2026-03-14'));
    t.setNow('2026-03-10T02:00:00Z');
    await cancelShift(park.shift('2026-03-29'));
    t.setNow(NOW);

    const second = await feed(li.path, first.etag);
    expect(second.status).toBe(200);
    expect(second.etag).not.toBe(first.etag);
    const after = parseBoth(second.text);
    expect((await feed(li.path, second.etag)).status).toBe(304);

    const uid = (shiftId: string) => `${shiftId}-person-${li.id}@rota.example.org`;
    const added = uid(gate.shift('2026-03-14'));
    const cancelled = uid(park.shift('2026-03-29'));
    const without = (cal: ParsedCalendar, ...uids: string[]) => ({ ...cal, events: cal.events.filter((e) => !uids.includes(e.uid)) });
    expect(without(after, added, cancelled)).toEqual(without(before, cancelled));
    expect(after.events.map((e) => e.uid)).toEqual([uid(gate.shift('2026-03-12')), uid(gate.shift('2026-03-13')), added, uid(park.shift('2026-03-28')), cancelled]);

    const was = before.events.find((e) => e.uid === cancelled)!;
    const now = after.events.find((e) => e.uid === cancelled)!;
    expect(was.status).toBe('CONFIRMED');
    expect({ status: now.status, summary: now.summary, dtstamp: now.dtstamp }).toEqual({ status: 'CANCELLED', summary: '已取消：Park clean-up', dtstamp: '2026-03-10T02:00:00Z' });
    expect(now.sequence).toBeGreaterThan(was.sequence);
    expect([now.start, now.end]).toEqual([was.start, was.end]);

    const byUid = new Map(after.events.map((e) => [e.uid, e]));
    expect(byUid.get(added)!.start).toEqual({ utc: '2026-03-13T23:15:00Z', tzid: 'Asia/Shanghai', local: '2026-03-14T07:15:00' });
    expect(byUid.get(added)!.status).toBe('CONFIRMED');
    expect(byUid.get(uid(gate.shift('2026-03-12')))!.start).toEqual({ utc: '2026-03-11T23:15:00Z', tzid: 'Asia/Shanghai', local: '2026-03-12T07:15:00' });
    // Berlin moves to summer time in the night to 29 March: 07:15 stays 07:15 on the wall clock.
    expect(byUid.get(uid(park.shift('2026-03-28')))!.start).toEqual({ utc: '2026-03-28T06:15:00Z', tzid: 'Europe/Berlin', local: '2026-03-28T07:15:00' });
    expect(now.start).toEqual({ utc: '2026-03-29T05:15:00Z', tzid: 'Europe/Berlin', local: '2026-03-29T07:15:00' });
    expect(after.timezones).toEqual(['Asia/Shanghai', 'Europe/Berlin']);
    expect(after.name).toBe('李娜的值班');
  });

  it('names the rota, the place, the co-volunteers and the coordinator\'s contact, in the person\'s language', async () => {
    const gate = await rota({ name: 'East gate', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=3', startDate: '2026-03-11', location: 'Experimental School, east gate' });
    const li = await person('Li Na', { locale: 'en' });
    const wang = await person('Wang Wu');
    await join(wang.token, gate.shift('2026-03-11'));
    await join(li.token, gate.shift('2026-03-11'));
    const [e] = await events(li.path);
    expect(e!.summary).toBe('East gate');
    expect(e!.location).toBe('Experimental School, east gate');
    expect(e!.description.split('\n')).toEqual([
      'Rota: East gate',
      'Your place: confirmed',
      'With: Wang Wu',
      'Filled: 2/3 (at least 1)',
      'Place: Experimental School, east gate',
      'Coordinator: 张老师 · 13800001111 · zhang@example.org',
    ]);
    expect(e!.transp).toBeNull();
    const [zh] = await events(wang.path);
    expect(zh!.description).toContain('同班：Li Na');
    expect(zh!.description).toContain('协调人：张老师 · 13800001111 · zhang@example.org');
  });

  it('shows a waitlisted shift as TENTATIVE, and as CONFIRMED once a place frees', async () => {
    const gate = await rota({ name: 'East gate', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=2', startDate: '2026-03-11', max: 1 });
    const [a, b] = [await person('First'), await person('Second')];
    const taken = await join(a.token, gate.shift('2026-03-11'));
    expect((await join(b.token, gate.shift('2026-03-11'))).status).toBe('waitlisted');
    const [waiting] = await events(b.path);
    expect({ status: waiting!.status, summary: waiting!.summary, transp: waiting!.transp }).toEqual({ status: 'TENTATIVE', summary: 'East gate（候补）', transp: 'TRANSPARENT' });
    expect(waiting!.description).toContain('你的状态：候补中');
    t.setNow('2026-03-10T03:00:00Z');
    await leave(a.token, taken.id);
    t.setNow(NOW);
    const [confirmed] = await events(b.path);
    expect({ status: confirmed!.status, summary: confirmed!.summary, transp: confirmed!.transp }).toEqual({ status: 'CONFIRMED', summary: 'East gate', transp: null });
    expect(confirmed!.uid).toBe(waiting!.uid);
    expect(confirmed!.sequence).toBeGreaterThan(waiting!.sequence);
  });

  it('drops a shift the volunteer left, even if the coordinator cancels it afterwards', async () => {
    const gate = await rota({ name: 'East gate', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=3', startDate: '2026-03-11' });
    const li = await person('Li Na');
    const kept = await join(li.token, gate.shift('2026-03-11'));
    const left = await join(li.token, gate.shift('2026-03-12'));
    expect(kept.status).toBe('confirmed');
    await leave(li.token, left.id);
    expect((await events(li.path)).map((e) => e.start.local)).toEqual(['2026-03-11T07:15:00']);
    await cancelShift(gate.shift('2026-03-12'));
    expect((await events(li.path)).map((e) => e.start.local)).toEqual(['2026-03-11T07:15:00']);
  });

  it('drops a shift the volunteer gave away through a cover offer, or that a coordinator took them off', async () => {
    const gate = await rota({ name: 'East gate', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=3', startDate: '2026-03-11' });
    const [li, wang] = [await person('Li Na'), await person('Wang Wu')];
    const given = await join(li.token, gate.shift('2026-03-11'));
    const removed = await join(li.token, gate.shift('2026-03-12'));
    await join(li.token, gate.shift('2026-03-13'));
    const offer = await t.call('POST', `/api/v1/signups/${given.id}/offer`, { token: li.token });
    expect(offer.status).toBe(201);
    expect((await t.call('POST', `/api/v1/offers/${offer.body.id}/claim`, { token: wang.token, body: {} })).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/signups/${removed.id}`, as(coordinatorToken))).status).toBe(200);
    expect((await events(li.path)).map((e) => [e.start.local, e.status])).toEqual([['2026-03-13T07:15:00', 'CONFIRMED']]);
    expect((await events(wang.path)).map((e) => [e.start.local, e.status])).toEqual([['2026-03-11T07:15:00', 'CONFIRMED']]);
  });

  it('keeps a shift the coordinator cancelled as CANCELLED until 14 days after its date, then drops it', async () => {
    const gate = await rota({ name: 'East gate', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=2', startDate: '2026-03-11' });
    const li = await person('Li Na', { locale: 'en' });
    await join(li.token, gate.shift('2026-03-12'));
    await cancelShift(gate.shift('2026-03-12'));
    const [e] = await events(li.path);
    expect({ status: e!.status, summary: e!.summary, local: e!.start.local }).toEqual({ status: 'CANCELLED', summary: 'Cancelled: East gate', local: '2026-03-12T07:15:00' });
    expect(e!.description).toContain('Your place: the coordinator cancelled this shift');
    t.setNow('2026-03-26T15:59:00Z');
    expect((await events(li.path)).map((x) => x.status)).toEqual(['CANCELLED']);
    t.setNow('2026-03-26T16:00:00Z');
    const later = await events(li.path);
    t.setNow(NOW);
    expect(later).toEqual([]);
  });

  it('shows a shift that a series edit removed as CANCELLED, at the time it had', async () => {
    const gate = await rota({ name: 'East gate', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=5', startDate: '2026-03-11' });
    const li = await person('Li Na');
    await join(li.token, gate.shift('2026-03-11'));
    await join(li.token, gate.shift('2026-03-14'));
    const ended = await t.call('PATCH', `/api/v1/series/${gate.seriesId}`, { ...as(coordinatorToken), body: { endDate: '2026-03-12', affectedSignups: 'cancel' } });
    expect(ended.status).toBe(200);
    expect((await events(li.path)).map((e) => [e.start.local, e.status])).toEqual([
      ['2026-03-11T07:15:00', 'CONFIRMED'],
      ['2026-03-14T07:15:00', 'CANCELLED'],
    ]);
  });

  it('shows a team the shifts its members are on, naming them, and nobody else\'s', async () => {
    const gate = await rota({ name: '东门护学岗', timezone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;COUNT=4', startDate: '2026-03-11', max: 1 });
    const team = await t.call('POST', '/api/v1/teams', { body: { name: '3号楼' } });
    const [a, b, outsider] = [await person('李娜', { teamIds: [team.body.id] }), await person('王五', { teamIds: [team.body.id] }), await person('赵六')];
    await join(a.token, gate.shift('2026-03-11'));
    await join(outsider.token, gate.shift('2026-03-12'));
    expect((await join(b.token, gate.shift('2026-03-12'))).status).toBe('waitlisted');
    await join(outsider.token, gate.shift('2026-03-13'));
    const path = new URL(team.body.feedUrl).pathname;
    const res = await feed(path);
    expect(res.status).toBe(200);
    const cal = parseBoth(res.text);
    expect(cal.name).toBe('3号楼的值班');
    expect(cal.events.map((e) => [e.start.local, e.summary, e.status])).toEqual([
      ['2026-03-11T07:15:00', '东门护学岗：李娜', 'CONFIRMED'],
      ['2026-03-12T07:15:00', '东门护学岗：王五（候补）', 'TENTATIVE'],
    ]);
    expect(cal.events[1]!.description).toContain('已报名：赵六');
    expect(cal.events[1]!.description).toContain('候补：王五');
    expect(cal.events[0]!.uid).toBe(`${gate.shift('2026-03-11')}-team-${team.body.id}@rota.example.org`);
    expect(parseBoth((await feed(`${path}?lang=en`)).text).name).toBe('Shifts of 3号楼');
  });

  it('answers 404 for a replaced personal or team link and for an archived person', async () => {
    const li = await person('Li Na');
    expect((await feed(li.path)).status).toBe(200);
    expect(li.webcalUrl).toBe(`webcal://rota.example.org${li.path}`);
    const rotated = await t.call('POST', `/api/v1/people/${li.id}/tokens`, { token: li.token, body: { kind: 'feed' } });
    expect(rotated.status).toBe(201);
    expect((await feed(li.path)).status).toBe(404);
    const fresh = new URL(rotated.body.feedUrl).pathname;
    expect((await feed(fresh)).status).toBe(200);
    expect(rotated.body.webcalUrl).toBe(`webcal://rota.example.org${fresh}`);
    expect((await t.call('DELETE', `/api/v1/people/${li.id}`)).status).toBe(200);
    expect((await feed(fresh)).status).toBe(404);

    const team = await t.call('POST', '/api/v1/teams', { body: { name: 'Building 5' } });
    const teamPath = new URL(team.body.feedUrl).pathname;
    expect((await feed(teamPath)).status).toBe(200);
    expect((await t.call('POST', `/api/v1/teams/${team.body.id}/feed-token`)).status).toBe(201);
    expect((await feed(teamPath)).status).toBe(404);
  });
});
