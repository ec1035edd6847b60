import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { makePeople, makePerson, type PersonSetup } from '../helpers/signup-fixtures.js';

// The clock stands at Sunday 2026-03-01 08:00 in Shanghai.
let t: TestApp;
beforeEach(async () => {
  t = await makeApp('2026-03-01T00:00:00Z');
});
afterEach(() => t.close());

interface Post {
  seriesId: number;
  on(date: string): string;
}

async function makeRota(name = 'School route'): Promise<number> {
  const res = await t.call('POST', '/api/v1/rotas', { body: { name, timezone: 'Asia/Shanghai' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function addPost(rotaId: number, o: { label?: string; min?: number; max?: number; rrule?: string; startDate?: string } = {}): Promise<Post> {
  const res = await t.call('POST', `/api/v1/rotas/${rotaId}/series`, {
    body: {
      label: o.label ?? 'School gate',
      rrule: o.rrule ?? 'FREQ=DAILY',
      startDate: o.startDate ?? '2026-02-01',
      startTime: '07:15',
      durationMinutes: 45,
      minVolunteers: o.min ?? 2,
      maxVolunteers: o.max ?? 3,
    },
  });
  expect(res.status).toBe(201);
  const seriesId = res.body.id as number;
  return { seriesId, on: (date) => `${seriesId}.${date.replace(/-/g, '')}T0715` };
}

async function signUp(shiftId: string, personId: number): Promise<number> {
  const res = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const COORDINATOR = 1;

describe('the gap list', () => {
  it('lists shifts still to come below their minimum, soonest first and then most missing, with who is on them', async () => {
    const rotaId = await makeRota();
    const school = await addPost(rotaId, { label: 'School gate', min: 2 });
    const community = await addPost(rotaId, { label: 'Community gate', min: 3, max: 4 });
    const [ann, bob] = await makePeople(t.call, 2, 'Captain');
    await signUp(school.on('2026-03-03'), ann!.id);
    await signUp(community.on('2026-03-04'), ann!.id);
    await signUp(community.on('2026-03-04'), bob!.id);
    // Monday 08:00: Monday's 07:15 shifts have started and are no longer gaps to fill.
    t.setNow('2026-03-02T00:00:00Z');
    const res = await t.call('GET', `/api/v1/gaps?rotaId=${rotaId}&from=2026-03-02&to=2026-03-04`);
    expect(res.status).toBe(200);
    expect(res.body.gaps.map((g: { id: string; missing: number }) => [g.id, g.missing])).toEqual([
      [community.on('2026-03-03'), 3],
      [school.on('2026-03-03'), 1],
      [school.on('2026-03-04'), 2],
      [community.on('2026-03-04'), 1],
    ]);
    expect(res.body.gaps[1]).toMatchObject({ label: 'School gate', start: '2026-03-03T07:15:00+08:00', min: 2, confirmed: 1, status: 'gap', people: [{ id: ann!.id, name: 'Captain 1' }] });
  });

  it('is open to volunteers, who look for shifts to take', async () => {
    const rotaId = await makeRota();
    await addPost(rotaId);
    const ann = await makePerson(t.call, 'Ann');
    const res = await t.call('GET', `/api/v1/gaps?from=2026-03-02&to=2026-03-02`, { token: ann.token });
    expect(res.status).toBe(200);
    expect(res.body.gaps).toHaveLength(1);
  });
});

describe('ranked candidates for a shift', () => {
  async function scene() {
    const rotaId = await makeRota();
    const post = await addPost(rotaId);
    const ann = await makePerson(t.call, 'Ann');
    const bob = await makePerson(t.call, 'Bob');
    const dan = await makePerson(t.call, 'Dan');
    const cao = await makePerson(t.call, 'Cao');
    const eve = await makePerson(t.call, 'Eve');
    // Ann served on 20 February (entered from the paper sheet) and is down for 10 March.
    await signUp(post.on('2026-02-20'), ann.id);
    await signUp(post.on('2026-03-10'), ann.id);
    await signUp(post.on('2026-02-25'), bob.id);
    expect((await t.call('PUT', `/api/v1/people/${cao.id}/preferences`, { body: { weekdays: [2] } })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/people/${eve.id}/unavailability`, { body: { from: '2026-03-03', to: '2026-03-05' } })).status).toBe(201);
    return { post, ann, bob, cao, dan, eve };
  }

  it('ranks by load, then longest since the last duty, then preferences, then id; and says why', async () => {
    const { post, ann, bob, cao, dan, eve } = await scene();
    const res = await t.call('GET', `/api/v1/shifts/${post.on('2026-03-03')}/candidates?lang=en`);
    expect(res.status).toBe(200);
    expect(res.body.candidates.map((c: { personId: number }) => c.personId)).toEqual([cao.id, COORDINATOR, dan.id, bob.id, ann.id]);
    const byId = new Map(res.body.candidates.map((c: { personId: number }) => [c.personId, c]));
    expect(byId.get(cao.id)).toMatchObject({ rank: 1, personName: 'Cao', load: 0, lastDutyDays: null, preferenceMatches: 1, reasonText: '0 shifts within 4 weeks either side; no earlier duty; prefers Tuesdays' });
    expect(byId.get(bob.id)).toMatchObject({ rank: 4, load: 1, lastDutyDays: 6, reasonText: '1 shift within 4 weeks either side; last duty 6 days before' });
    expect(byId.get(ann.id)).toMatchObject({
      rank: 5,
      load: 2,
      lastDutyDays: 11,
      reasons: [
        { code: 'LOAD', count: 2, weeks: 4 },
        { code: 'LAST_DUTY', days: 11 },
      ],
      reasonText: '2 shifts within 4 weeks either side; last duty 11 days before',
    });
    expect(res.body.excluded).toEqual([{ personId: eve.id, personName: 'Eve', code: 'UNAVAILABLE', reasonText: 'away 2026-03-03 to 2026-03-05' }]);
  });

  it('words the reasons in the coordinator\'s own language by default', async () => {
    const { post, ann, cao } = await scene();
    const res = await t.call('GET', `/api/v1/shifts/${post.on('2026-03-03')}/candidates`);
    const byId = new Map(res.body.candidates.map((c: { personId: number; reasonText: string }) => [c.personId, c.reasonText]));
    expect(byId.get(cao.id)).toBe('前后 4 周内有 0 次值班；此前没有值班；希望周二值班');
    expect(byId.get(ann.id)).toBe('前后 4 周内有 2 次值班；距上次值班 11 天');
    expect(res.body.excluded[0].reasonText).toBe('2026-03-03 至 2026-03-05 不方便');
  });

  it('leaves out people at their weekly limit, and shows the limit in the reasons of the others', async () => {
    const { post, bob } = await scene();
    await t.call('PUT', `/api/v1/people/${bob.id}/preferences`, { body: { maxPerWeek: 1 } });
    // Bob is down for Monday 2 March, so Tuesday 3 March would be his second shift that week.
    await signUp(post.on('2026-03-02'), bob.id);
    const res = await t.call('GET', `/api/v1/shifts/${post.on('2026-03-03')}/candidates?lang=en`);
    expect(res.body.candidates.map((c: { personId: number }) => c.personId)).not.toContain(bob.id);
    expect(res.body.excluded).toContainEqual({ personId: bob.id, personName: 'Bob', code: 'OVER_LIMIT', reasonText: 'at their limit of 1 a week' });
    const wednesday = await t.call('GET', `/api/v1/shifts/${post.on('2026-03-09')}/candidates?lang=en`);
    expect(wednesday.body.candidates.find((c: { personId: number }) => c.personId === bob.id).reasonText).toContain('0 of at most 1 this week');
  });

  it('is for coordinators only', async () => {
    const { post, ann } = await scene();
    const res = await t.call('GET', `/api/v1/shifts/${post.on('2026-03-03')}/candidates`, { token: ann.token });
    expect(res.status).toBe(403);
  });
});

describe('auto-fill', () => {
  async function week(people = 4): Promise<{ rotaId: number; post: Post; team: PersonSetup[] }> {
    const rotaId = await makeRota();
    const post = await addPost(rotaId, { min: 2, max: 3 });
    return { rotaId, post, team: await makePeople(t.call, people, 'Captain') };
  }
  const autofill = (rotaId: number, body: object, token?: string) => t.call('POST', `/api/v1/rotas/${rotaId}/autofill?lang=en`, { body, ...(token ? { token } : {}) });
  const fill = async (shiftId: string) => (await t.call('GET', `/api/v1/shifts/${shiftId}`)).body.people.map((p: { id: number }) => p.id);

  it('proposes in a dry run without signing anyone up, then applies exactly that proposal', async () => {
    const { rotaId, post } = await week();
    const dry = await autofill(rotaId, { from: '2026-03-02', to: '2026-03-06', dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.applied).toBe(false);
    expect(dry.body.assignments).toHaveLength(10);
    expect(dry.body.assignments[0]).toMatchObject({ shiftId: post.on('2026-03-02'), start: '2026-03-02T07:15:00+08:00', label: 'School gate', signupId: null });
    expect(dry.body.fairness).toEqual({
      before: { people: 5, personShifts: 0, min: 0, max: 0, spread: 0, stdDev: 0 },
      after: { people: 5, personShifts: 10, min: 2, max: 2, spread: 0, stdDev: 0 },
    });
    expect(await fill(post.on('2026-03-02'))).toEqual([]);

    const applied = await autofill(rotaId, { proposalId: dry.body.proposalId });
    expect(applied.status).toBe(200);
    expect(applied.body.applied).toBe(true);
    expect(applied.body.skipped).toEqual([]);
    expect(applied.body.assignments.map((a: { shiftId: string; personId: number }) => [a.shiftId, a.personId])).toEqual(
      dry.body.assignments.map((a: { shiftId: string; personId: number }) => [a.shiftId, a.personId]),
    );
    for (const date of ['2026-03-02', '2026-03-06']) {
      expect(await fill(post.on(date))).toEqual(dry.body.assignments.filter((a: { shiftId: string }) => a.shiftId === post.on(date)).map((a: { personId: number }) => a.personId));
    }
    expect((await t.call('GET', `/api/v1/gaps?rotaId=${rotaId}&from=2026-03-02&to=2026-03-06`)).body.gaps).toEqual([]);
    // Written as sign-ups are: one audit entry each, and one for the auto-fill.
    const audit = t.db.$client.prepare("SELECT action, count(*) AS n FROM audit_log WHERE action IN ('signup.create', 'rota.autofill') GROUP BY action ORDER BY action").all();
    expect(audit).toEqual([
      { action: 'rota.autofill', n: 1 },
      { action: 'signup.create', n: 10 },
    ]);
    const mine = await t.call('GET', `/api/v1/signups/${applied.body.assignments[0].signupId}`);
    expect(mine.body).toMatchObject({ shiftId: post.on('2026-03-02'), status: 'confirmed', start: '2026-03-02T07:15:00+08:00', localDate: '2026-03-02' });
  });

  it('applying the same proposal twice answers the first result again and writes nothing more', async () => {
    const { rotaId } = await week();
    const dry = await autofill(rotaId, { from: '2026-03-02', to: '2026-03-03', dryRun: true });
    const first = await autofill(rotaId, { proposalId: dry.body.proposalId });
    const second = await autofill(rotaId, { proposalId: dry.body.proposalId });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(t.db.$client.prepare("SELECT count(*) AS n FROM signups WHERE status = 'confirmed'").get()).toEqual({ n: 4 });
  });

  it('skips shifts that changed since the dry run, and places that would now break a rule', async () => {
    const { rotaId, post, team } = await week();
    const dry = await autofill(rotaId, { from: '2026-03-02', to: '2026-03-06', dryRun: true });
    const onFriday = dry.body.assignments.filter((a: { shiftId: string }) => a.shiftId === post.on('2026-03-06'));
    const outsider = team.find((p) => !dry.body.assignments.some((a: { shiftId: string; personId: number }) => a.shiftId === post.on('2026-03-04') && a.personId === p.id))!;
    // Since the dry run: someone took Wednesday by hand, and one of Friday's two became unavailable.
    await signUp(post.on('2026-03-04'), outsider.id);
    await t.call('POST', `/api/v1/people/${onFriday[0].personId}/unavailability`, { body: { from: '2026-03-06', to: '2026-03-06' } });

    const applied = await autofill(rotaId, { proposalId: dry.body.proposalId });
    expect(applied.status).toBe(200);
    expect(applied.body.skipped.map((s: { shiftId: string; code: string }) => [s.shiftId, s.code])).toEqual([
      [post.on('2026-03-04'), 'SHIFT_CHANGED'],
      [post.on('2026-03-04'), 'SHIFT_CHANGED'],
      [post.on('2026-03-06'), 'UNAVAILABLE'],
    ]);
    expect(applied.body.skipped[0].reasonText).toBe('the shift changed after the dry run, so it was skipped');
    expect(applied.body.assignments).toHaveLength(7);
    expect(await fill(post.on('2026-03-04'))).toEqual([outsider.id]);
    expect(await fill(post.on('2026-03-06'))).toEqual([onFriday[1].personId]);
    expect(applied.body.fairness.after.personShifts).toBe(8);
  });

  it('plans and applies at once when given neither dryRun nor a proposal', async () => {
    const { rotaId, post } = await week();
    const res = await autofill(rotaId, { from: '2026-03-02', to: '2026-03-03' });
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(true);
    expect(res.body.assignments.every((a: { signupId: number | null }) => typeof a.signupId === 'number')).toBe(true);
    expect(await fill(post.on('2026-03-03'))).toHaveLength(2);
  });

  it('fills to the maximum when asked, and reports what it cannot fill', async () => {
    const { rotaId, post } = await week(1);
    const res = await autofill(rotaId, { from: '2026-03-02', to: '2026-03-02', target: 'max', dryRun: true });
    expect(res.body.assignments).toHaveLength(2);
    expect(res.body.unfilled).toEqual([{ shiftId: post.on('2026-03-02'), start: '2026-03-02T07:15:00+08:00', label: 'School gate', missing: 1 }]);
  });

  it('refuses volunteers, missing dates, unknown proposals and proposals of another rota', async () => {
    const { rotaId, team } = await week();
    const other = await makeRota('Evening patrol');
    expect((await autofill(rotaId, { from: '2026-03-02', to: '2026-03-06', dryRun: true }, team[0]!.token)).status).toBe(403);
    const noDates = await autofill(rotaId, { dryRun: true });
    expect(noDates.status).toBe(400);
    expect(noDates.body.error).toMatchObject({ code: 'VALIDATION', field: 'from' });
    expect((await autofill(rotaId, { from: '2026-01-01', to: '2027-01-05', dryRun: true })).body.error.code).toBe('RANGE_TOO_LONG');
    expect((await autofill(rotaId, { proposalId: 'no-such-proposal' })).status).toBe(404);
    const dry = await autofill(rotaId, { from: '2026-03-02', to: '2026-03-06', dryRun: true });
    expect((await autofill(other, { proposalId: dry.body.proposalId })).status).toBe(404);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM signups').get()).toEqual({ n: 0 });
  });
});

describe('preferences', () => {
  it('a person sets their own, a coordinator reads them, and another volunteer may not', async () => {
    const ann = await makePerson(t.call, 'Ann');
    const bob = await makePerson(t.call, 'Bob');
    const put = await t.call('PUT', `/api/v1/people/${ann.id}/preferences`, { token: ann.token, body: { weekdays: [5, 2], times: ['07:15'], maxPerMonth: 4 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ weekdays: [2, 5], times: ['07:15'], maxPerWeek: null, maxPerMonth: 4 });
    expect((await t.call('GET', `/api/v1/people/${ann.id}/preferences`)).body).toEqual(put.body);
    expect((await t.call('GET', `/api/v1/people/${ann.id}/preferences`, { token: bob.token })).status).toBe(403);
    expect((await t.call('PUT', `/api/v1/people/${ann.id}/preferences`, { token: bob.token, body: {} })).status).toBe(403);
  });

  it('refuses impossible values, naming the field, and keeps the old ones', async () => {
    const ann = await makePerson(t.call, 'Ann');
    await t.call('PUT', `/api/v1/people/${ann.id}/preferences`, { body: { weekdays: [1] } });
    for (const [body, field] of [
      [{ weekdays: [8] }, 'weekdays.0'],
      [{ times: ['25:00'] }, 'times'],
      [{ maxPerWeek: 0 }, 'maxPerWeek'],
      [{ colour: 'red' }, undefined],
    ] as const) {
      const res = await t.call('PUT', `/api/v1/people/${ann.id}/preferences`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      if (field) expect(res.body.error.field).toBe(field);
    }
    expect((await t.call('GET', `/api/v1/people/${ann.id}/preferences`)).body.weekdays).toEqual([1]);
    expect((await t.call('GET', '/api/v1/people/999/preferences')).status).toBe(404);
  });
});
