import { describe, expect, it } from 'vitest';
import {
  checkPreferences,
  eligibility,
  planAutofill,
  rankCandidates,
  readPreferences,
  recheckAssignments,
  spreadOf,
  type Duty,
  type OpenShift,
  type Preferences,
  type Volunteer,
} from '../../src/domain/fairness.js';
import type { RotaSettings } from '../../src/domain/signup-rules.js';
import { RotaError } from '../../src/domain/errors.js';
import { MINUTE_MS, dateRange, isoWeekday, parseDate, parseLocal, wallToInstant } from '../../src/domain/time.js';

const ZONE = 'Asia/Shanghai';
const ROTA: RotaSettings & { id: number } = { id: 1, waitlist: true, cancelClosesHoursBefore: 12, requireApproval: false, teamIds: [], archived: false };
const NO_PREFS: Preferences = { weekdays: [], times: [], maxPerWeek: null, maxPerMonth: null };

function shift(localStart: string, opts: Partial<OpenShift> & { minutes?: number; seriesId?: number } = {}): OpenShift {
  const { minutes = 45, seriesId = 1, ...rest } = opts;
  const start = wallToInstant(parseLocal(localStart)!, ZONE);
  return {
    id: `${seriesId}.${localStart.replace(/[-:]/g, '')}`,
    rotaId: ROTA.id,
    start,
    end: start + minutes * MINUTE_MS,
    localDate: localStart.slice(0, 10),
    localStart,
    timezone: ZONE,
    min: 2,
    max: 4,
    confirmed: 0,
    holders: [],
    cancelled: false,
    ...rest,
  };
}

function duty(localStart: string, opts: { minutes?: number; rotaId?: number; seriesId?: number } = {}): Duty {
  const s = shift(localStart, { minutes: opts.minutes ?? 45, seriesId: opts.seriesId ?? 9 });
  return { signupId: 1, shiftId: s.id, rotaId: opts.rotaId ?? ROTA.id, localDate: s.localDate, start: s.start, end: s.end };
}

function person(id: number, opts: { prefs?: Partial<Preferences>; duties?: Duty[]; away?: [string, string][]; teamIds?: number[]; archived?: boolean } = {}): Volunteer {
  return {
    person: { id, name: `P${id}`, archived: opts.archived ?? false, teamIds: opts.teamIds ?? [] },
    preferences: { ...NO_PREFS, ...opts.prefs },
    duties: opts.duties ?? [],
    unavailable: (opts.away ?? []).map(([from, to]) => ({ from, to })),
  };
}

// Tuesday 3 March 2026, 07:15 Shanghai time.
const TUESDAY = shift('2026-03-03T07:15');

describe('who may be put on a shift', () => {
  it.each<[string, Volunteer, Partial<RotaSettings>, string | null]>([
    ['someone free, available and without limits', person(1), {}, null],
    ['an archived person', person(1, { archived: true }), {}, 'PERSON_ARCHIVED'],
    ['someone outside the teams the rota is restricted to', person(1, { teamIds: [7] }), { teamIds: [8] }, 'NOT_IN_TEAM'],
    ['a member of one of the rota\'s teams', person(1, { teamIds: [7, 8] }), { teamIds: [8] }, null],
    ['someone away on the shift\'s date', person(1, { away: [['2026-03-03', '2026-03-03']] }), {}, 'UNAVAILABLE'],
    ['someone away until the day before', person(1, { away: [['2026-02-20', '2026-03-02']] }), {}, null],
    ['someone away from the day after', person(1, { away: [['2026-03-04', '2026-03-10']] }), {}, null],
    ['someone confirmed on an overlapping shift elsewhere', person(1, { duties: [duty('2026-03-03T07:30', { rotaId: 2 })] }), {}, 'COLLIDES'],
    ['someone whose other shift ends exactly when this one starts', person(1, { duties: [duty('2026-03-03T06:30', { rotaId: 2 })] }), {}, null],
    ['someone whose other shift starts exactly when this one ends', person(1, { duties: [duty('2026-03-03T08:00', { rotaId: 2 })] }), {}, null],
    [
      'someone at their weekly limit (Monday and Wednesday of the same ISO week)',
      person(1, { prefs: { maxPerWeek: 2 }, duties: [duty('2026-03-02T07:15'), duty('2026-03-04T07:15')] }),
      {},
      'OVER_LIMIT',
    ],
    ['someone one below their weekly limit', person(1, { prefs: { maxPerWeek: 2 }, duties: [duty('2026-03-02T07:15')] }), {}, null],
    [
      'someone whose duties at the limit were the Sunday before (another ISO week)',
      person(1, { prefs: { maxPerWeek: 1 }, duties: [duty('2026-03-01T07:15')] }),
      {},
      null,
    ],
    ['duties on another rota count towards the weekly limit', person(1, { prefs: { maxPerWeek: 1 }, duties: [duty('2026-03-05T18:00', { rotaId: 2 })] }), {}, 'OVER_LIMIT'],
    [
      'someone at their monthly limit',
      person(1, { prefs: { maxPerMonth: 2 }, duties: [duty('2026-03-20T07:15'), duty('2026-03-31T07:15')] }),
      {},
      'OVER_LIMIT',
    ],
    ['someone whose duties were on the last day of the month before', person(1, { prefs: { maxPerMonth: 1 }, duties: [duty('2026-02-28T07:15')] }), {}, null],
  ])('%s', (_name, v, rota, code) => {
    expect(eligibility(v, TUESDAY, { ...ROTA, ...rota })?.code ?? null).toBe(code);
  });

  it('someone already on the shift is not offered it again', () => {
    expect(eligibility(person(1), { ...TUESDAY, holders: [1] }, ROTA)?.code).toBe('ALREADY_SIGNED_UP');
  });
});

describe('how candidates are ranked', () => {
  const rank = (...vs: Volunteer[]) => rankCandidates(TUESDAY, vs, ROTA).ranked.map((s) => s.personId);

  it.each<[string, Duty, number]>([
    ['a duty exactly 4 weeks before counts as load', duty('2026-02-03T07:15'), 1],
    ['a duty 4 weeks and a day before does not', duty('2026-02-02T07:15'), 0],
    ['a duty exactly 4 weeks after counts as load', duty('2026-03-31T07:15'), 1],
    ['a duty 4 weeks and a day after does not', duty('2026-04-01T07:15'), 0],
  ])('%s', (_name, d, load) => {
    expect(rankCandidates(TUESDAY, [person(1, { duties: [d] })], ROTA).ranked[0]!.load).toBe(load);
  });

  it('puts the person with fewer duties nearby first, whatever their id', () => {
    expect(rank(person(1, { duties: [duty('2026-03-10T07:15')] }), person(2))).toEqual([2, 1]);
  });

  it('at equal load, puts the person whose last duty was longer ago first, and someone who never served before anyone', () => {
    const recent = person(1, { duties: [duty('2026-02-27T07:15')] });
    const longAgo = person(2, { duties: [duty('2026-02-10T07:15')] });
    const never = person(3, { duties: [duty('2026-03-10T07:15')] });
    expect(rank(recent, longAgo, never)).toEqual([3, 2, 1]);
  });

  it('at equal load and last duty, puts matched preferences first: weekday and time before weekday alone before none', () => {
    const none = person(1);
    const day = person(2, { prefs: { weekdays: [2] } });
    const both = person(3, { prefs: { weekdays: [2], times: ['07:15'] } });
    const otherDay = person(4, { prefs: { weekdays: [3] } });
    expect(rank(none, day, both, otherDay)).toEqual([3, 2, 1, 4]);
  });

  it('breaks remaining ties by id, so the order never depends on the input order', () => {
    expect(rank(person(5), person(2), person(9))).toEqual([2, 5, 9]);
  });

  it('gives the reasons as codes and numbers', () => {
    const v = person(4, {
      prefs: { weekdays: [2, 4], times: ['18:00'], maxPerWeek: 3, maxPerMonth: 8 },
      duties: [duty('2026-02-19T07:15'), duty('2026-03-16T07:15')],
    });
    expect(rankCandidates(TUESDAY, [v], ROTA).ranked[0]).toEqual({
      personId: 4,
      name: 'P4',
      load: 2,
      lastDutyDays: 12,
      preferenceMatches: 1,
      reasons: [
        { code: 'LOAD', count: 2, weeks: 4 },
        { code: 'LAST_DUTY', days: 12 },
        { code: 'PREFERS_WEEKDAY', weekday: 2 },
        { code: 'OTHER_TIMES', times: ['18:00'] },
        { code: 'WEEK_LIMIT', count: 0, max: 3 },
        { code: 'MONTH_LIMIT', count: 1, max: 8 },
      ],
    });
  });

  it('lists who is away, busy or at their limit apart, and leaves out the archived, other teams and those already on it', () => {
    const list = rankCandidates(
      { ...TUESDAY, holders: [6] },
      [
        person(1, { away: [['2026-03-03', '2026-03-03']], teamIds: [1] }),
        person(2, { duties: [duty('2026-03-03T07:00', { rotaId: 2 })], teamIds: [1] }),
        person(3, { prefs: { maxPerWeek: 1 }, duties: [duty('2026-03-02T07:15')], teamIds: [1] }),
        person(4, { archived: true, teamIds: [1] }),
        person(5, { teamIds: [2] }),
        person(6, { teamIds: [1] }),
        person(7, { teamIds: [1] }),
      ],
      { ...ROTA, teamIds: [1] },
    );
    expect(list.ranked.map((s) => s.personId)).toEqual([7]);
    expect(list.excluded.map((e) => [e.personId, e.refusal.code])).toEqual([
      [1, 'UNAVAILABLE'],
      [2, 'COLLIDES'],
      [3, 'OVER_LIMIT'],
    ]);
  });
});

describe('preferences', () => {
  it('are answered sorted and without repeats', () => {
    expect(checkPreferences({ weekdays: [5, 1, 5], times: ['18:00', '07:15'], maxPerWeek: 2 })).toEqual({ weekdays: [1, 5], times: ['07:15', '18:00'], maxPerWeek: 2, maxPerMonth: null });
  });

  it.each<[string, object, string]>([
    ['a weekday of 0', { weekdays: [0] }, 'weekdays'],
    ['a weekday of 8', { weekdays: [8] }, 'weekdays'],
    ['a time of 24:00', { times: ['24:00'] }, 'times'],
    ['a time without minutes', { times: ['7'] }, 'times'],
    ['a weekly limit of 0', { maxPerWeek: 0 }, 'maxPerWeek'],
    ['a monthly limit of 1.5', { maxPerMonth: 1.5 }, 'maxPerMonth'],
    ['a monthly limit over 200', { maxPerMonth: 201 }, 'maxPerMonth'],
  ])('refuse %s, naming the field', (_name, input, field) => {
    expect(() => checkPreferences(input)).toThrow(RotaError);
    try {
      checkPreferences(input);
    } catch (e) {
      expect((e as RotaError).details.field).toBe(field);
    }
  });

  it('stored before validation are read leniently', () => {
    expect(readPreferences({ weekdays: [2, 9], times: ['7:15', '07:15'], maxPerWeek: -1 } as never)).toEqual({ weekdays: [2], times: ['07:15'], maxPerWeek: null, maxPerMonth: null });
  });
});

/** Weekday mornings from `from` to `to`, one shift per post at 07:15 (the posts collide with each other). */
function schoolMornings(from: string, to: string, posts: number, min: number, max: number): OpenShift[] {
  return dateRange(from, to)
    .filter((d) => isoWeekday(parseDate(d)!) <= 5)
    .flatMap((d) => Array.from({ length: posts }, (_, i) => shift(`${d}T07:15`, { seriesId: i + 1, min, max })));
}

describe('the auto-fill plan', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');
  const window = { from: '2026-03-02', to: '2026-03-27' };

  it('fills each shift to its minimum, or to its maximum when asked, and never past shifts or cancelled ones', () => {
    const shifts = [shift('2026-02-27T07:15'), shift('2026-03-02T07:15', { confirmed: 1, holders: [1] }), shift('2026-03-03T07:15', { cancelled: true }), shift('2026-03-04T07:15')];
    const people = Array.from({ length: 6 }, (_, i) => person(i + 1));
    const input = { rota: ROTA, shifts, volunteers: people, window: { from: '2026-02-27', to: '2026-03-04' }, now };
    const count = (plan: ReturnType<typeof planAutofill>, id: string) => plan.assignments.filter((a) => a.shiftId === id).length;
    const min = planAutofill({ ...input, target: 'min' });
    expect([shifts[0]!, shifts[1]!, shifts[2]!, shifts[3]!].map((s) => count(min, s.id))).toEqual([0, 1, 0, 2]);
    const max = planAutofill({ ...input, target: 'max' });
    expect([shifts[1]!, shifts[3]!].map((s) => count(max, s.id))).toEqual([3, 4]);
  });

  it('reports shifts it cannot fill, with how many are missing', () => {
    const plan = planAutofill({ rota: ROTA, shifts: [shift('2026-03-02T07:15', { min: 3 })], volunteers: [person(1), person(2, { away: [['2026-03-02', '2026-03-02']] })], window, target: 'min', now });
    expect(plan.unfilled).toEqual([{ shiftId: '1.20260302T0715', missing: 2 }]);
  });

  it('is clearly fairer than first-come filling on the same data', () => {
    // 15 captains, two posts every school morning for four weeks, two people per post.
    // Captain 3 is away for the second week; captain 14 takes at most 2 shifts a month.
    const shifts = schoolMornings(window.from, window.to, 2, 2, 4);
    const people = Array.from({ length: 15 }, (_, i) =>
      person(i + 1, {
        ...(i + 1 === 3 ? { away: [['2026-03-09', '2026-03-13']] as [string, string][] } : {}),
        ...(i + 1 === 14 ? { prefs: { maxPerMonth: 2 } } : {}),
      }),
    );
    // First come, first served: the eager few (lowest ids) answer every call first, within the rules.
    const firstCome = new Map(people.map((p) => [p.person.id, [] as Duty[]]));
    for (const s of shifts) {
      let taken = 0;
      for (const p of people) {
        if (taken === s.min) break;
        const mine = firstCome.get(p.person.id)!;
        if (eligibility({ ...p, duties: mine }, s, ROTA)) continue;
        mine.push({ signupId: 0, shiftId: s.id, rotaId: 1, localDate: s.localDate, start: s.start, end: s.end });
        taken += 1;
      }
    }
    const firstComeSpread = spreadOf([...firstCome.values()].map((d) => d.length));
    const plan = planAutofill({ rota: ROTA, shifts, volunteers: people, window, target: 'min', now });
    expect(plan.assignments).toHaveLength(80);
    expect(plan.unfilled).toEqual([]);
    expect(firstComeSpread).toEqual({ people: 15, personShifts: 80, min: 0, max: 20, spread: 20, stdDev: 8.26 });
    expect(plan.fairness.before).toEqual({ people: 15, personShifts: 0, min: 0, max: 0, spread: 0, stdDev: 0 });
    expect(plan.fairness.after).toEqual({ people: 15, personShifts: 80, min: 2, max: 6, spread: 4, stdDev: 1.01 });
    // Everyone takes 5 or 6 except captain 14, held to the 2 they asked for.
    expect(plan.assignments.filter((a) => a.personId === 14)).toHaveLength(2);
  });

  it('takes existing duties into account: someone who already served more gets nothing while others have less', () => {
    const shifts = schoolMornings('2026-03-02', '2026-03-06', 1, 1, 1);
    const busy = person(1, { duties: ['2026-02-23', '2026-02-24', '2026-02-25'].map((d) => duty(`${d}T07:15`)) });
    const plan = planAutofill({ rota: ROTA, shifts, volunteers: [busy, person(2), person(3)], window: { from: '2026-03-02', to: '2026-03-06' }, target: 'min', now });
    expect(plan.assignments.map((a) => a.personId)).toEqual([2, 3, 2, 3, 2]);
  });

  it('gives the same plan whatever order people and shifts come in', () => {
    const shifts = schoolMornings(window.from, window.to, 2, 2, 4);
    const people = Array.from({ length: 9 }, (_, i) => person(i + 1, { prefs: { weekdays: [(i % 5) + 1] } }));
    const a = planAutofill({ rota: ROTA, shifts, volunteers: people, window, target: 'min', now });
    const b = planAutofill({ rota: ROTA, shifts: [...shifts].reverse(), volunteers: [...people].reverse(), window, target: 'min', now });
    expect(b).toEqual(a);
  });
});

describe('applying a stored proposal', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');

  it('accepts what still holds and refuses what would now break a rule, counting accepted places', () => {
    const s1 = shift('2026-03-02T07:15', { max: 2 });
    const s2 = shift('2026-03-03T07:15');
    const people = [person(1), person(2), person(3, { away: [['2026-03-03', '2026-03-03']] })];
    const plan = planAutofill({ rota: ROTA, shifts: [s1, s2], volunteers: [person(1), person(2), person(3)], window: { from: '2026-03-02', to: '2026-03-03' }, target: 'min', now });
    // Since the dry run: someone took a place on s1 and person 3 marked 3 March as away.
    const result = recheckAssignments(plan.assignments, [{ ...s1, confirmed: 1, holders: [9] }, s2], people, ROTA, now);
    expect(result.accepted.map((a) => [a.shiftId, a.personId])).toEqual([
      [s1.id, 1],
      [s2.id, 1],
    ]);
    expect(result.refused.map((r) => [r.assignment.shiftId, r.assignment.personId, r.refusal.code])).toEqual([
      [s1.id, 2, 'SHIFT_FULL'],
      [s2.id, 3, 'UNAVAILABLE'],
    ]);
  });

  it('refuses people who have been archived since', () => {
    const s = shift('2026-03-02T07:15');
    const plan = planAutofill({ rota: ROTA, shifts: [s], volunteers: [person(1), person(2)], window: { from: '2026-03-02', to: '2026-03-02' }, target: 'min', now });
    expect(recheckAssignments(plan.assignments, [s], [person(1)], ROTA, now).refused.map((r) => r.refusal.code)).toEqual(['PERSON_ARCHIVED']);
  });
});
