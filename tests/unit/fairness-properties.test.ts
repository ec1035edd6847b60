import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placesNeeded, planAutofill, type Duty, type OpenShift, type PlanInput, type Volunteer } from '../../src/domain/fairness.js';
import { DAY_MS, MINUTE_MS, addDays, formatDate, isoWeekday, parseDate, parseLocal, wallToInstant } from '../../src/domain/time.js';

const ZONE = 'Asia/Shanghai';
const FIRST_DAY = '2026-03-02';
const NOW = Date.parse('2026-03-04T00:00:00Z');
const TIMES = ['07:15', '07:30', '08:00', '18:00'];

const dayOf = (i: number) => formatDate(addDays(parseDate(FIRST_DAY)!, i));

function instant(date: string, time: string): number {
  return wallToInstant(parseLocal(`${date}T${time}`)!, ZONE);
}

const postArb = fc.record({
  time: fc.constantFrom(...TIMES),
  minutes: fc.integer({ min: 15, max: 120 }),
  min: fc.integer({ min: 0, max: 3 }),
  extra: fc.integer({ min: 0, max: 2 }),
  skipDays: fc.array(fc.integer({ min: 0, max: 27 }), { maxLength: 5 }),
  cancelDays: fc.array(fc.integer({ min: 0, max: 27 }), { maxLength: 3 }),
});

const personArb = fc.record({
  archived: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  teams: fc.subarray([1, 2]),
  maxPerWeek: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  maxPerMonth: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  weekdays: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
  away: fc.array(fc.tuple(fc.integer({ min: 0, max: 27 }), fc.integer({ min: 0, max: 4 })), { maxLength: 2 }),
  // Duties elsewhere: another rota at some time on some day.
  elsewhere: fc.array(fc.tuple(fc.integer({ min: -10, max: 35 }), fc.constantFrom(...TIMES), fc.integer({ min: 30, max: 240 })), { maxLength: 4 }),
});

const scenarioArb = fc.record({
  days: fc.integer({ min: 1, max: 28 }),
  posts: fc.array(postArb, { minLength: 1, maxLength: 3 }),
  people: fc.array(personArb, { minLength: 1, maxLength: 10 }),
  restricted: fc.boolean(),
  // Existing sign-ups on the rota's own shifts: (person index, shift index).
  existing: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
  target: fc.constantFrom('min' as const, 'max' as const),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(sc: Scenario): PlanInput {
  const shifts: OpenShift[] = [];
  sc.posts.forEach((p, post) => {
    for (let i = 0; i < sc.days; i++) {
      if (p.skipDays.includes(i)) continue;
      const date = dayOf(i);
      const start = instant(date, p.time);
      shifts.push({
        id: `${post + 1}.${date.replace(/-/g, '')}T${p.time.replace(':', '')}`,
        rotaId: 1,
        start,
        end: start + p.minutes * MINUTE_MS,
        localDate: date,
        localStart: `${date}T${p.time}`,
        timezone: ZONE,
        min: p.min,
        max: Math.max(1, p.min + p.extra),
        confirmed: 0,
        holders: [],
        cancelled: p.cancelDays.includes(i),
      });
    }
  });
  const volunteers: Volunteer[] = sc.people.map((p, i) => ({
    person: { id: i + 1, name: `P${i + 1}`, archived: p.archived, teamIds: p.teams },
    preferences: { weekdays: p.weekdays, times: [], maxPerWeek: p.maxPerWeek, maxPerMonth: p.maxPerMonth },
    duties: p.elsewhere.map(([day, time, minutes], k) => {
      const date = dayOf(day);
      const start = instant(date, time);
      return { signupId: 1000 + k, shiftId: `99.${date}${time}`, rotaId: 2, localDate: date, start, end: start + minutes * MINUTE_MS };
    }),
    unavailable: p.away.map(([day, len]) => ({ from: dayOf(day), to: dayOf(day + len) })),
  }));
  // Existing sign-ups as the data may hold them (entered by hand, perhaps before a limit was set).
  for (const [pi, si] of sc.existing) {
    if (shifts.length === 0) break;
    const v = volunteers[pi % volunteers.length]!;
    const s = shifts[si % shifts.length]!;
    if (s.holders.includes(v.person.id)) continue;
    s.holders = [...s.holders, v.person.id];
    s.confirmed += 1;
    v.duties = [...v.duties, { signupId: 1, shiftId: s.id, rotaId: 1, localDate: s.localDate, start: s.start, end: s.end }];
  }
  return {
    rota: { id: 1, waitlist: true, cancelClosesHoursBefore: 12, requireApproval: false, teamIds: sc.restricted ? [1] : [], archived: false },
    shifts,
    volunteers,
    window: { from: FIRST_DAY, to: dayOf(sc.days - 1) },
    target: sc.target,
    now: NOW,
  };
}

const mondayOf = (date: string) => {
  const d = parseDate(date)!;
  return d - (isoWeekday(d) - 1) * DAY_MS;
};

describe('auto-fill, for any people, limits, dates away and existing sign-ups', () => {
  it('never breaks a hard rule', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const input = build(sc);
        const plan = planAutofill(input);
        const shifts = new Map(input.shifts.map((s) => [s.id, s]));
        const people = new Map(input.volunteers.map((v) => [v.person.id, v]));
        const added = new Map<string, number[]>();
        const duties = new Map<number, Duty[]>(input.volunteers.map((v) => [v.person.id, [...v.duties]]));
        for (const a of plan.assignments) {
          const s = shifts.get(a.shiftId)!;
          const v = people.get(a.personId)!;
          // Only future, live shifts; only people who may serve on the rota.
          expect(s.cancelled).toBe(false);
          expect(s.start).toBeGreaterThan(NOW);
          expect(v.person.archived).toBe(false);
          if (input.rota.teamIds.length > 0) expect(v.person.teamIds.some((t) => input.rota.teamIds.includes(t))).toBe(true);
          // Not away that day.
          expect(v.unavailable.some((u) => u.from <= s.localDate && u.to >= s.localDate)).toBe(false);
          // Nobody twice on a shift.
          expect(s.holders).not.toContain(a.personId);
          const list = added.get(s.id) ?? [];
          expect(list).not.toContain(a.personId);
          added.set(s.id, [...list, a.personId]);
          duties.get(a.personId)!.push({ signupId: 0, shiftId: s.id, rotaId: 1, localDate: s.localDate, start: s.start, end: s.end });
        }
        // Capacity, and no more than the target asks.
        for (const [id, list] of added) {
          const s = shifts.get(id)!;
          expect(s.confirmed + list.length).toBeLessThanOrEqual(s.max);
          expect(list.length).toBeLessThanOrEqual(placesNeeded(s, input.target));
        }
        for (const a of plan.assignments) {
          const s = shifts.get(a.shiftId)!;
          const mine = duties.get(a.personId)!;
          const v = people.get(a.personId)!;
          // No collision with any other duty, on this rota or another.
          expect(mine.filter((d) => d.shiftId !== s.id && d.start < s.end && s.start < d.end)).toEqual([]);
          // Limits hold in every week and month the plan adds a duty to.
          const { maxPerWeek, maxPerMonth } = v.preferences;
          if (maxPerWeek !== null) expect(mine.filter((d) => mondayOf(d.localDate) === mondayOf(s.localDate)).length).toBeLessThanOrEqual(maxPerWeek);
          if (maxPerMonth !== null) expect(mine.filter((d) => d.localDate.slice(0, 7) === s.localDate.slice(0, 7)).length).toBeLessThanOrEqual(maxPerMonth);
        }
        // What is missing is reported: assigned plus missing is what each shift needed.
        for (const u of plan.unfilled) expect((added.get(u.shiftId)?.length ?? 0) + u.missing).toBe(placesNeeded(shifts.get(u.shiftId)!, input.target));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same input in any order gives the same plan', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (sc, seed) => {
        const input = build(sc);
        const shuffle = <T>(list: readonly T[]) =>
          list
            .map((x, i) => ({ x, k: Math.imul(i + 1, 2654435761 ^ seed) >>> 0 }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        const again = planAutofill({ ...build(sc), shifts: shuffle(input.shifts), volunteers: shuffle(input.volunteers) });
        expect(again).toEqual(planAutofill(input));
      }),
      { numRuns: 150 },
    );
  });
});
