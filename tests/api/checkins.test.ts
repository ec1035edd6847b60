// Check-in at the post (issue 15) through the real app on a real SQLite file: the window's edges,
// a second scan, a replaced code, the rotating leader code, walk-ins, distance flags, check-out,
// hours in statistics, corrections, the desk's view, rate limits and the poster.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makePerson, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';

// The 07:15–08:15 Shanghai shift of Tuesday 3 March 2026 is 23:15Z–00:15Z; its window opens at 22:45Z.
const OPENS = '2026-03-02T22:45:00.000Z';
const END = '2026-03-03T00:15:00.000Z';
const SHIFT_DATE = '2026-03-03';

interface Post {
  t: TestApp;
  rota: RotaSetup;
  code: string;
  li: PersonSetup;
  wang: PersonSetup;
  stranger: PersonSetup;
}

async function post(): Promise<Post> {
  const t = await makeApp('2026-03-01T00:00:00Z');
  const call = t.call.bind(t);
  const rota = await makeRota(call, { name: '东门护学岗' });
  const li = await makePerson(call, '李秀英');
  const wang = await makePerson(call, '王建国');
  const stranger = await makePerson(call, '张伟');
  for (const p of [li, wang]) expect((await call('POST', `/api/v1/shifts/${rota.shiftOn(SHIFT_DATE)}/signups`, { body: { personId: p.id } })).status).toBe(201);
  const code = (await call('GET', `/api/v1/series/${rota.seriesId}/checkin`)).body.code as string;
  return { t, rota, code, li, wang, stranger };
}

function rowsOf(t: TestApp, personId: number): unknown[] {
  return t.db.$client.prepare('SELECT * FROM signups WHERE person_id = ? ORDER BY id').all(personId);
}

describe('checking in at the post', () => {
  // Each test makes its own post (inside the test, so a slow machine's set-up counts against the test's time, not a hook's).
  let p: Post;
  afterEach(() => p.t.close());

  const checkIn = (token: string, body: Record<string, unknown> = {}) => p.t.call('POST', '/api/v1/checkins', { token, body: { code: p.code, ...body } });

  it('gives coordinators the code and the link the QR opens (the code in its fragment), and only them', async () => {
    p = await post();
    const res = await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/checkin`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: p.code, url: `https://rota.example.org/checkin#${p.code}` });
    expect(p.code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/checkin`, { token: p.li.token })).status).toBe(403);
    expect((await p.t.call('GET', '/api/v1/series/999/checkin')).status).toBe(404);
  });

  it('opens 30 minutes before the start and says when, counts the person, and answers a second scan with the same sign-up', async () => {
    p = await post();
    p.t.setNow(new Date(Date.parse(OPENS) - 1).toISOString());
    const early = await checkIn(p.li.token);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CHECKIN_WINDOW');
    expect(early.body.error.message).toContain('2026-03-03 06:45');
    expect(early.body.error.opensAt).toBe('2026-03-03T06:45:00+08:00');

    p.t.setNow(OPENS);
    const first = await checkIn(p.li.token);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ shiftId: p.rota.shiftOn(SHIFT_DATE), personId: p.li.id, attendance: 'attended', walkIn: false, checkedInAt: '2026-03-03T06:45:00+08:00', flags: [] });

    p.t.setNow('2026-03-02T23:20:00Z');
    const again = await checkIn(p.li.token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('closes when the shift ends, and then names the next window', async () => {
    p = await post();
    p.t.setNow(new Date(Date.parse(END) - 1).toISOString());
    expect((await checkIn(p.li.token)).status).toBe(201);
    p.t.setNow(END);
    const late = await checkIn(p.wang.token);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CHECKIN_WINDOW');
    expect(late.body.error.message).toContain('2026-03-04 06:45');
    expect(rowsOf(p.t, p.wang.id)).toMatchObject([{ attendance: null, checked_in_at: null }]);
  });

  it('refuses a replaced code, and takes the new one', async () => {
    p = await post();
    p.t.setNow(OPENS);
    const replaced = await p.t.call('POST', `/api/v1/series/${p.rota.seriesId}/checkin`);
    expect(replaced.status).toBe(200);
    expect(replaced.body.code).not.toBe(p.code);
    const old = await checkIn(p.li.token);
    expect(old.status).toBe(404);
    expect(old.body.error.code).toBe('CHECKIN_CODE');
    expect(old.body.error.message).toContain('replaced');
    expect((await p.t.call('POST', '/api/v1/checkins', { token: p.li.token, body: { code: replaced.body.code } })).status).toBe(201);
    const audit = p.t.db.$client.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'checkin.code.replace'").get() as { n: number };
    expect(audit.n).toBe(1);
  });

  it('asks for the rotating leader code where the rota requires it, accepts the previous one, and refuses a wrong or stale one', async () => {
    p = await post();
    const settings = await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { requireLeaderCode: true, leaderIds: [p.wang.id] } });
    expect(settings.body).toMatchObject({ requireLeaderCode: true, leaderIds: [p.wang.id], windowMinutesBefore: 30, walkIns: false });
    p.t.setNow('2026-03-02T23:00:10Z');
    // A leader named by the rota sees the code; another volunteer does not.
    const shown = await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/leader-code`, { token: p.wang.token });
    expect(shown.status).toBe(200);
    expect(shown.body.code).toMatch(/^\d{6}$/);
    expect(shown.body.stepSeconds).toBe(30);
    expect((await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/leader-code`, { token: p.li.token })).status).toBe(403);

    const missing = await checkIn(p.li.token);
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('LEADER_CODE');
    const wrongCode = String((Number(shown.body.code) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await checkIn(p.li.token, { leaderCode: wrongCode });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('LEADER_CODE');
    expect(rowsOf(p.t, p.li.id)).toMatchObject([{ checked_in_at: null, attendance: null }]);

    // Read just before the code changed, typed just after: still accepted.
    p.t.setNow('2026-03-02T23:00:35Z');
    expect((await checkIn(p.li.token, { leaderCode: shown.body.code })).status).toBe(201);
    // A minute later that code is stale.
    p.t.setNow('2026-03-02T23:01:10Z');
    const stale = await checkIn(p.wang.token, { leaderCode: shown.body.code });
    expect(stale.body.error.code).toBe('LEADER_CODE');
    const fresh = await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/leader-code`);
    expect((await checkIn(p.wang.token, { leaderCode: fresh.body.code })).status).toBe(201);
  });

  it('refuses someone not signed up with what to do, and records a flagged walk-in where the rota takes them', async () => {
    p = await post();
    p.t.setNow('2026-03-02T23:30:00Z');
    const refused = await checkIn(p.stranger.token);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NOT_SIGNED_UP');
    expect(refused.body.error.message).toContain('personal page');
    expect(rowsOf(p.t, p.stranger.id)).toEqual([]);

    await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { walkIns: true } });
    const walkIn = await checkIn(p.stranger.token);
    expect(walkIn.status).toBe(201);
    expect(walkIn.body).toMatchObject({ personId: p.stranger.id, walkIn: true, attendance: 'attended', status: 'confirmed', flags: ['walk-in'] });
    // Attendance, not a place: the shift's two places are still the two signed up, so the next one waits.
    const late = await p.t.call('POST', `/api/v1/shifts/${p.rota.shiftOn(SHIFT_DATE)}/signups`, { body: { personId: (await makePerson(p.t.call.bind(p.t), '刘')).id } });
    expect(late.body.status).toBe('waitlisted');
  });

  it('stores only the distance from the post, flags a far phone, and never touches another person\'s sign-up', async () => {
    p = await post();
    await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { latitude: 31.2304, longitude: 121.4737, radiusMetres: 100 } });
    const wangBefore = rowsOf(p.t, p.wang.id);
    p.t.setNow('2026-03-02T23:00:00Z');
    // About 1.5 km north-east of the post.
    const far = await checkIn(p.li.token, { location: { latitude: 31.2404, longitude: 121.4837, accuracy: 20 } });
    expect(far.status).toBe(201);
    expect(far.body.flags).toEqual(['far']);
    expect(far.body.distanceMetres).toBeGreaterThan(1400);
    expect(far.body.distanceMetres).toBeLessThan(1500);
    const stored = JSON.stringify([rowsOf(p.t, p.li.id), p.t.db.$client.prepare('SELECT detail FROM audit_log').all()]);
    expect(stored).not.toContain('31.2404');
    expect(stored).not.toContain('121.4837');
    expect(rowsOf(p.t, p.wang.id)).toEqual(wangBefore);
    // A phone that gives no position at a post that has one is flagged too; one close by is not.
    const none = await checkIn(p.wang.token);
    expect(none.body.flags).toEqual(['no-location']);
  });

  it('checks out, and statistics count service hours from check-in to check-out, else the shift\'s length, adding up', async () => {
    p = await post();
    p.t.setNow(OPENS);
    const li = await checkIn(p.li.token);
    p.t.setNow('2026-03-02T23:55:00Z');
    expect((await p.t.call('POST', `/api/v1/checkins/${li.body.signupId}/out`, { token: p.wang.token })).status).toBe(403);
    const out = await p.t.call('POST', `/api/v1/checkins/${li.body.signupId}/out`, { token: p.li.token });
    expect(out.status).toBe(200);
    expect(out.body.checkedOutAt).toBe('2026-03-03T07:55:00+08:00');
    p.t.setNow('2026-03-03T00:00:00Z');
    expect((await p.t.call('POST', `/api/v1/checkins/${li.body.signupId}/out`, { token: p.li.token })).body.checkedOutAt).toBe('2026-03-03T07:55:00+08:00');
    // Checking out without a check-in is refused.
    const wangSignup = (await p.t.call('GET', `/api/v1/people/${p.wang.id}/signups?from=${SHIFT_DATE}&to=${SHIFT_DATE}`)).body.signups[0];
    expect((await p.t.call('POST', `/api/v1/checkins/${wangSignup.id}/out`, { token: p.wang.token })).body.error.code).toBe('CONFLICT');

    // After the shift: 李 served 06:45–07:55 (70 minutes), 王 (unmarked, counted) the shift's 60.
    p.t.setNow('2026-03-05T00:00:00Z');
    for (const groupBy of ['person', 'team', 'rota', 'month']) {
      const res = await p.t.call('GET', `/api/v1/stats/person-shifts?groupBy=${groupBy}&from=2026-03-01&to=2026-03-31`);
      expect(res.body.total, groupBy).toEqual({ personShifts: 2, people: 2, minutes: 130, hours: 2.17 });
      expect(res.body.rows.reduce((n: number, r: { minutes: number }) => n + r.minutes, 0), groupBy).toBe(130);
    }
    const byPerson = await p.t.call('GET', '/api/v1/stats/person-shifts?groupBy=person&from=2026-03-01&to=2026-03-31');
    expect(Object.fromEntries(byPerson.body.rows.map((r: { key: string; minutes: number; hours: number }) => [r.key, [r.minutes, r.hours]]))).toEqual({
      [p.li.id]: [70, 1.17],
      [p.wang.id]: [60, 1],
    });
    const csv = await p.t.call('GET', '/api/v1/stats/person-shifts?groupBy=rota&from=2026-03-01&to=2026-03-31&format=csv&lang=en');
    expect(csv.text.slice(1).trim().split('\r\n').at(-1)).toBe(',Total,2,2,2.17');
  });

  it('shows the desk today\'s shift with who checked in and who has not (with a phone), and audits corrections', async () => {
    p = await post();
    await p.t.call('PATCH', `/api/v1/people/${p.wang.id}`, { body: { phone: '13800138000' } });
    p.t.setNow('2026-03-02T23:00:00Z');
    const li = await checkIn(p.li.token);
    const desk = await p.t.call('GET', '/api/v1/checkins/today');
    expect(desk.status).toBe(200);
    expect(desk.body.shifts).toHaveLength(1);
    const shift = desk.body.shifts[0];
    expect(shift).toMatchObject({ shiftId: p.rota.shiftOn(SHIFT_DATE), rotaName: '东门护学岗', start: '2026-03-03T07:15:00+08:00' });
    expect(shift.people.map((x: { personName: string; checkedInAt: string | null; phone: string | null }) => [x.personName, x.checkedInAt !== null, x.phone])).toEqual([
      ['李秀英', true, null],
      ['王建国', false, '13800138000'],
    ]);
    expect((await p.t.call('GET', '/api/v1/checkins/today', { token: p.li.token })).status).toBe(403);

    // A correction: the check-in was a mistake.
    expect((await p.t.call('PATCH', `/api/v1/checkins/${li.body.signupId}`, { token: p.li.token, body: { checkedInAt: null } })).status).toBe(403);
    const undone = await p.t.call('PATCH', `/api/v1/checkins/${li.body.signupId}`, { body: { checkedInAt: null } });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ checkedInAt: null, checkedOutAt: null, attendance: null, status: 'confirmed' });
    const entry = p.t.db.$client.prepare("SELECT actor_id, detail FROM audit_log WHERE action = 'checkin.correct'").get() as { actor_id: number; detail: string };
    expect(JSON.parse(entry.detail)).toMatchObject({ before: { checkedInAt: Date.parse('2026-03-02T23:00:00Z') }, after: { checkedInAt: null } });
    const backwards = await p.t.call('PATCH', `/api/v1/checkins/${li.body.signupId}`, { body: { checkedInAt: '2026-03-03T07:10:00+08:00', checkedOutAt: '2026-03-03T07:00:00+08:00' } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.field).toBe('checkedOutAt');
  });

  it('refuses malformed input with 400, and too many attempts with 429', async () => {
    p = await post();
    p.t.setNow('2026-03-02T23:00:00Z');
    expect((await p.t.call('POST', '/api/v1/checkins', { token: p.li.token, body: { code: 'short' } })).body.error.code).toBe('VALIDATION');
    expect((await checkIn(p.li.token, { leaderCode: 'abcdef' })).body.error.code).toBe('VALIDATION');
    expect((await checkIn(p.li.token, { location: { latitude: 91, longitude: 0 } })).body.error.code).toBe('VALIDATION');
    expect((await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { latitude: 31.2 } })).body.error.field).toBe('longitude');
    expect((await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}/checkin-settings`, { body: { leaderIds: [999] } })).body.error.field).toBe('leaderIds');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await checkIn(p.stranger.token)).status);
    expect(statuses.slice(0, 10).every((s) => s === 409)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await checkIn(p.stranger.token)).body.error.code).toBe('RATE_LIMITED');
    // Another person is not held up by that.
    expect((await checkIn(p.li.token)).status).toBe(201);
  });

  it('prints a poster with the QR code, the place, the time and the link, in either language and size', async () => {
    p = await post();
    await p.t.call('PATCH', `/api/v1/rotas/${p.rota.rotaId}`, { body: { location: '实验学校东门 <main gate>' } });
    const zh = await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/poster`);
    expect(zh.status).toBe(200);
    expect(zh.headers['content-type']).toBe('text/html; charset=utf-8');
    // A page of our own with names in it: no scripts at all.
    expect(String(zh.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(zh.text).not.toContain('<script');
    expect(zh.text).toContain('扫码签到');
    expect(zh.text).toContain('实验学校东门 &lt;main gate&gt;');
    expect(zh.text).toContain('每天 07:15–08:15');
    expect(zh.text).toContain(`https://rota.example.org/checkin#${p.code}`);
    expect(zh.text).toContain('<svg');
    expect(zh.text).toContain('size: A4 portrait');
    const en = await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/poster?lang=en&size=a5`);
    expect(en.text).toContain('Check in here');
    expect(en.text).toContain('size: A5 portrait');
    expect((await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/poster`, { token: p.li.token })).status).toBe(403);
    expect((await p.t.call('GET', `/api/v1/series/${p.rota.seriesId}/poster?size=a3`)).status).toBe(400);
  });

  it('shows the scanner the post, the shift and their own state before the tap', async () => {
    p = await post();
    p.t.setNow('2026-03-02T20:00:00Z');
    const before = await p.t.call('POST', '/api/v1/checkins/lookup', { token: p.li.token, body: { code: p.code } });
    expect(before.body).toMatchObject({ rotaName: '东门护学岗', open: false, opensAt: '2026-03-03T06:45:00+08:00', isLeader: false, seriesId: null, mine: { checkedInAt: null } });
    p.t.setNow('2026-03-02T23:00:00Z');
    const open = await p.t.call('POST', '/api/v1/checkins/lookup', { token: p.li.token, body: { code: p.code } });
    expect(open.body).toMatchObject({ open: true, shift: { id: p.rota.shiftOn(SHIFT_DATE), start: '2026-03-03T07:15:00+08:00' } });
    const coordinator = await p.t.call('POST', '/api/v1/checkins/lookup', { body: { code: p.code } });
    expect(coordinator.body).toMatchObject({ isLeader: true, seriesId: p.rota.seriesId, mine: null });
    expect((await p.t.call('POST', '/api/v1/checkins/lookup', { token: p.li.token, body: { code: 'x'.repeat(32) } })).body.error.code).toBe('CHECKIN_CODE');
  });
});
