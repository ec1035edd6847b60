// Fairness: who may take a shift, who should take it first and why, and a plan that fills a
// rota's gaps without overloading anyone (issue 6). Pure: the caller loads people, their
// sign-ups and dates away, and words the reasons (codes and numbers) in the reader's language.
import { RotaError } from './errors.js';
import { checkEligible, type Booking, type DateRange, type PersonFacts, type Refusal, type RotaSettings, type ShiftFacts } from './signup-rules.js';
import { DAY_MS, isoWeekday, parseDate, parseTime } from './time.js';

/** A person's load for a shift counts their duties within this many weeks before or after it. */
const LOAD_WEEKS = 4;
const LOAD_DAYS = LOAD_WEEKS * 7;

export interface Preferences {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Local start times `HH:MM`. */
  times: string[];
  maxPerWeek: number | null;
  maxPerMonth: number | null;
}

export interface PreferencesInput {
  weekdays?: number[];
  times?: string[];
  maxPerWeek?: number | null;
  maxPerMonth?: number | null;
}

export const MAX_PER_WEEK = 50;
export const MAX_PER_MONTH = 200;
const MAX_TIMES = 24;

function checkLimit(value: number | null | undefined, most: number, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > most) {
    throw new RotaError('VALIDATION', `${field} must be a whole number from 1 to ${most}, or null for no limit (to take a break, mark the dates as unavailable).`, { field });
  }
  return value;
}

/** Validates preferences as a person or coordinator sends them; answers them sorted, without repeats. */
export function checkPreferences(input: PreferencesInput): Preferences {
  const weekdays = [...new Set(input.weekdays ?? [])].sort((a, b) => a - b);
  if (weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new RotaError('VALIDATION', 'weekdays must be numbers from 1 (Monday) to 7 (Sunday).', { field: 'weekdays' });
  }
  const times = [...new Set(input.times ?? [])].sort();
  const bad = times.find((t) => parseTime(t) === null);
  if (bad !== undefined) throw new RotaError('VALIDATION', `times must be times of day written HH:MM (00:00–23:59), got "${bad}".`, { field: 'times' });
  if (times.length > MAX_TIMES) throw new RotaError('VALIDATION', `times may list at most ${MAX_TIMES} start times.`, { field: 'times' });
  return {
    weekdays,
    times,
    maxPerWeek: checkLimit(input.maxPerWeek, MAX_PER_WEEK, 'maxPerWeek'),
    maxPerMonth: checkLimit(input.maxPerMonth, MAX_PER_MONTH, 'maxPerMonth'),
  };
}

/** Stored preferences (a JSON column that may predate validation) read leniently: anything invalid is ignored. */
export function readPreferences(stored: PreferencesInput | null | undefined): Preferences {
  const limit = (v: unknown, most: number) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= most ? (v as number) : null);
  const list = <T>(v: unknown, ok: (x: unknown) => x is T): T[] => (Array.isArray(v) ? [...new Set(v.filter(ok))] : []);
  return {
    weekdays: list(stored?.weekdays, (d): d is number => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7).sort((a, b) => a - b),
    times: list(stored?.times, (t): t is string => typeof t === 'string' && parseTime(t) !== null).sort(),
    maxPerWeek: limit(stored?.maxPerWeek, MAX_PER_WEEK),
    maxPerMonth: limit(stored?.maxPerMonth, MAX_PER_MONTH),
  };
}

/** A confirmed or attended sign-up (any rota): it loads its person and blocks overlapping shifts. */
export interface Duty extends Booking {
  rotaId: number;
  /** Local date of the shift in its own rota's zone. */
  localDate: string;
}

export interface Volunteer {
  person: PersonFacts;
  preferences: Preferences;
  /** Duties around the shifts in question (at least 5 weeks either side) and the latest one before them. */
  duties: readonly Duty[];
  unavailable: readonly DateRange[];
}

/** A shift as fairness sees it: the sign-up facts plus its minimum, local start and who holds it. */
export interface OpenShift extends ShiftFacts {
  rotaId: number;
  min: number;
  /** Effective local start `YYYY-MM-DDTHH:MM`. */
  localStart: string;
  /** Confirmed places taken. */
  confirmed: number;
  /** People with a live (confirmed or waitlisted) sign-up on it. */
  holders: readonly number[];
}

/** Why a person ranks where they do, as data; callers word it. */
export type Reason =
  | { code: 'LOAD'; count: number; weeks: number }
  | { code: 'LAST_DUTY'; days: number }
  | { code: 'NO_EARLIER_DUTY' }
  | { code: 'PREFERS_WEEKDAY'; weekday: number }
  | { code: 'OTHER_WEEKDAYS'; weekdays: number[] }
  | { code: 'PREFERS_TIME'; time: string }
  | { code: 'OTHER_TIMES'; times: string[] }
  | { code: 'WEEK_LIMIT'; count: number; max: number }
  | { code: 'MONTH_LIMIT'; count: number; max: number };

export interface Standing {
  personId: number;
  name: string;
  /** Duties within 4 weeks before or after the shift. */
  load: number;
  /** Days from the person's latest earlier duty to the shift; null when they have none. */
  lastDutyDays: number | null;
  /** Preferred weekday and preferred time matched (0–2). */
  preferenceMatches: number;
  reasons: Reason[];
}

const dayNumber = (localDate: string) => Math.round((parseDate(localDate) ?? 0) / DAY_MS);

/** Monday of the ISO week holding a day number (days since 1970-01-01, a Thursday). */
const weekOf = (day: number) => day - (isoWeekday(day * DAY_MS) - 1);

interface Counts {
  load: number;
  lastDay: number | null;
  week: number;
  month: number;
}

function countsFor(duties: readonly Duty[], shift: OpenShift, shiftDay: number): Counts {
  const week = weekOf(shiftDay);
  const month = shift.localDate.slice(0, 7);
  const c: Counts = { load: 0, lastDay: null, week: 0, month: 0 };
  for (const d of duties) {
    if (d.shiftId === shift.id) continue;
    const day = dayNumber(d.localDate);
    if (Math.abs(day - shiftDay) <= LOAD_DAYS) c.load += 1;
    if (d.start < shift.start && (c.lastDay === null || day > c.lastDay)) c.lastDay = day;
    if (weekOf(day) === week) c.week += 1;
    if (d.localDate.startsWith(month)) c.month += 1;
  }
  return c;
}

function limitRefusal(v: Volunteer, c: Counts): Refusal | null {
  const { maxPerWeek, maxPerMonth } = v.preferences;
  const name = v.person.name;
  if (maxPerWeek !== null && c.week >= maxPerWeek) {
    return {
      code: 'OVER_LIMIT',
      message: `${name} takes at most ${maxPerWeek} shift(s) a week and already has ${c.week} that week.`,
      details: { personId: v.person.id, limit: 'week', max: maxPerWeek, count: c.week },
    };
  }
  if (maxPerMonth !== null && c.month >= maxPerMonth) {
    return {
      code: 'OVER_LIMIT',
      message: `${name} takes at most ${maxPerMonth} shift(s) a month and already has ${c.month} that month.`,
      details: { personId: v.person.id, limit: 'month', max: maxPerMonth, count: c.month },
    };
  }
  return null;
}

/**
 * Whether a person may be put on the shift: not already on it, the sign-up rules' checks
 * (archived, the rota's teams, unavailability, collisions with confirmed places), then their
 * own limits per ISO week and calendar month (duties on any rota count).
 */
export function eligibility(v: Volunteer, shift: OpenShift, rota: RotaSettings): Refusal | null {
  if (shift.holders.includes(v.person.id)) {
    return { code: 'ALREADY_SIGNED_UP', message: `${v.person.name} is already on this shift.`, details: { personId: v.person.id } };
  }
  return (
    checkEligible({ person: v.person, shift, rota, bookings: v.duties, unavailable: v.unavailable }) ??
    limitRefusal(v, countsFor(v.duties, shift, dayNumber(shift.localDate)))
  );
}

function standing(v: Volunteer, shift: OpenShift, shiftDay: number, c: Counts): Standing {
  const p = v.preferences;
  const weekday = isoWeekday(shiftDay * DAY_MS);
  const time = shift.localStart.slice(11, 16);
  const reasons: Reason[] = [{ code: 'LOAD', count: c.load, weeks: LOAD_WEEKS }];
  const lastDutyDays = c.lastDay === null ? null : shiftDay - c.lastDay;
  reasons.push(lastDutyDays === null ? { code: 'NO_EARLIER_DUTY' } : { code: 'LAST_DUTY', days: lastDutyDays });
  let preferenceMatches = 0;
  if (p.weekdays.length > 0) {
    if (p.weekdays.includes(weekday)) {
      preferenceMatches += 1;
      reasons.push({ code: 'PREFERS_WEEKDAY', weekday });
    } else reasons.push({ code: 'OTHER_WEEKDAYS', weekdays: [...p.weekdays] });
  }
  if (p.times.length > 0) {
    if (p.times.includes(time)) {
      preferenceMatches += 1;
      reasons.push({ code: 'PREFERS_TIME', time });
    } else reasons.push({ code: 'OTHER_TIMES', times: [...p.times] });
  }
  if (p.maxPerWeek !== null) reasons.push({ code: 'WEEK_LIMIT', count: c.week, max: p.maxPerWeek });
  if (p.maxPerMonth !== null) reasons.push({ code: 'MONTH_LIMIT', count: c.month, max: p.maxPerMonth });
  return { personId: v.person.id, name: v.person.name, load: c.load, lastDutyDays, preferenceMatches, reasons };
}

/** The fixed order (DESIGN "Fairness"): load, then longest since the last duty, then preferences matched, then id. */
function compareStandings(a: Standing, b: Standing): number {
  const since = (s: Standing) => (s.lastDutyDays === null ? Infinity : s.lastDutyDays);
  return a.load - b.load || since(b) - since(a) || b.preferenceMatches - a.preferenceMatches || a.personId - b.personId;
}

export interface Exclusion {
  personId: number;
  name: string;
  refusal: Refusal;
}

export interface CandidateList {
  /** Eligible people, best first. */
  ranked: Standing[];
  /**
   * People who may serve on the rota but not on this shift: away, busy then, or at their limit.
   * (Archived people, people outside the rota's teams and people already on it are left out.)
   */
  excluded: Exclusion[];
}

const SILENT: ReadonlySet<string> = new Set(['PERSON_ARCHIVED', 'NOT_IN_TEAM', 'ALREADY_SIGNED_UP']);

/** Ranked candidates for one shift, with the reasons for each place in the order. */
export function rankCandidates(shift: OpenShift, volunteers: readonly Volunteer[], rota: RotaSettings): CandidateList {
  const shiftDay = dayNumber(shift.localDate);
  const ranked: Standing[] = [];
  const excluded: Exclusion[] = [];
  for (const v of volunteers) {
    const refusal = eligibility(v, shift, rota);
    if (refusal) {
      if (!SILENT.has(refusal.code)) excluded.push({ personId: v.person.id, name: v.person.name, refusal });
      continue;
    }
    ranked.push(standing(v, shift, shiftDay, countsFor(v.duties, shift, shiftDay)));
  }
  excluded.sort((a, b) => a.personId - b.personId);
  return { ranked: ranked.sort(compareStandings), excluded };
}

export type FillTarget = 'min' | 'max';

export interface PlanInput {
  rota: RotaSettings & { id: number };
  /** The rota's shifts in the window (local dates `from`–`to`), with their fill. */
  shifts: readonly OpenShift[];
  volunteers: readonly Volunteer[];
  window: { from: string; to: string };
  target: FillTarget;
  now: number;
}

export interface Assignment extends Standing {
  shiftId: string;
}

export interface Spread {
  /** People counted. */
  people: number;
  personShifts: number;
  min: number;
  max: number;
  /** max − min */
  spread: number;
  /** Population standard deviation, to two decimals. */
  stdDev: number;
}

export interface FairnessSummary {
  before: Spread;
  after: Spread;
}

export interface Plan {
  assignments: Assignment[];
  /** Shifts the plan could not bring up to the target: too few eligible people. */
  unfilled: { shiftId: string; missing: number }[];
  fairness: FairnessSummary;
}

/** Places a shift still needs to reach the target (its minimum, or its maximum). */
export function placesNeeded(shift: OpenShift, target: FillTarget): number {
  return Math.max(0, (target === 'max' ? shift.max : Math.min(shift.min, shift.max)) - shift.confirmed);
}

/** Shifts auto-fill considers: not cancelled, not started, below the target; most urgent first (soonest, then most missing). */
function shiftsToFill(shifts: readonly OpenShift[], target: FillTarget, now: number): OpenShift[] {
  return shifts
    .filter((s) => !s.cancelled && s.start > now && placesNeeded(s, target) > 0)
    .sort((a, b) => a.start - b.start || placesNeeded(b, target) - placesNeeded(a, target) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The auto-fill plan: shifts in order of urgency, each given its best-ranked eligible people,
 * with every assignment counted at once in that person's load, collisions and limits, so no
 * hard rule (capacity, collision, unavailability, limits, teams) can break. Deterministic: the
 * same input always gives the same plan.
 */
export function planAutofill(input: PlanInput): Plan {
  const { rota, target, now } = input;
  const volunteers = [...input.volunteers].sort((a, b) => a.person.id - b.person.id);
  const duties = new Map(volunteers.map((v) => [v.person.id, [...v.duties]]));
  const before = summarise(input, volunteers, duties);
  const assignments: Assignment[] = [];
  const unfilled: Plan['unfilled'] = [];
  for (const shift of shiftsToFill(input.shifts, target, now)) {
    const need = placesNeeded(shift, target);
    const shiftDay = dayNumber(shift.localDate);
    // Rank everyone by the cheap keys first, then check the hard rules down the list until the
    // shift is full: the same result as filtering first, at a fraction of the checks.
    const order = volunteers
      .filter((v) => !shift.holders.includes(v.person.id))
      .map((v) => {
        const mine = duties.get(v.person.id)!;
        const c = countsFor(mine, shift, shiftDay);
        return { v, mine, c, s: standing(v, shift, shiftDay, c) };
      })
      .sort((a, b) => compareStandings(a.s, b.s));
    let taken = 0;
    for (const { v, mine, c, s } of order) {
      if (taken === need) break;
      if (checkEligible({ person: v.person, shift, rota, bookings: mine, unavailable: v.unavailable }) ?? limitRefusal(v, c)) continue;
      assignments.push({ shiftId: shift.id, ...s });
      mine.push({ signupId: 0, shiftId: shift.id, rotaId: shift.rotaId, localDate: shift.localDate, start: shift.start, end: shift.end });
      taken += 1;
    }
    if (taken < need) unfilled.push({ shiftId: shift.id, missing: need - taken });
  }
  return { assignments, unfilled, fairness: { before, after: summarise(input, volunteers, duties) } };
}

type SpreadInput = Pick<PlanInput, 'rota' | 'shifts' | 'volunteers' | 'window' | 'now'>;

/** The fairness figures as things stand, e.g. after a proposal was applied with some places skipped. */
export function currentSpread(input: SpreadInput): Spread {
  return summarise(input, input.volunteers, new Map(input.volunteers.map((v) => [v.person.id, v.duties])));
}

/**
 * The spread of person-shifts on this rota in the window among the people it is fair to compare:
 * those who may serve on the rota (not archived, in its teams) and are free on at least one of
 * its shifts still to come in the window, or who already serve in it.
 */
function summarise(input: SpreadInput, volunteers: readonly Volunteer[], duties: ReadonlyMap<number, readonly Duty[]>): Spread {
  const { rota, window, now } = input;
  const ahead = input.shifts.filter((s) => !s.cancelled && s.start > now);
  const counts: number[] = [];
  for (const v of volunteers) {
    const n = duties.get(v.person.id)!.filter((d) => d.rotaId === rota.id && d.localDate >= window.from && d.localDate <= window.to).length;
    const free = ahead.some((s) => checkEligible({ person: v.person, shift: s, rota, bookings: [], unavailable: v.unavailable }) === null);
    if (free || (n > 0 && !v.person.archived)) counts.push(n);
  }
  return spreadOf(counts);
}

export function spreadOf(counts: readonly number[]): Spread {
  if (counts.length === 0) return { people: 0, personShifts: 0, min: 0, max: 0, spread: 0, stdDev: 0 };
  const total = counts.reduce((a, b) => a + b, 0);
  const mean = total / counts.length;
  const variance = counts.reduce((a, n) => a + (n - mean) ** 2, 0) / counts.length;
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  return { people: counts.length, personShifts: total, min, max, spread: max - min, stdDev: Math.round(Math.sqrt(variance) * 100) / 100 };
}

/** Whether the shift itself can take one more person now: not cancelled, not started, not full. */
function placeRefusal(shift: OpenShift, now: number): Refusal | null {
  if (shift.cancelled) return { code: 'SHIFT_CANCELLED', message: 'This shift has been cancelled.' };
  if (shift.start <= now) return { code: 'PAST', message: 'This shift has already started.' };
  if (shift.confirmed >= shift.max) {
    return { code: 'SHIFT_FULL', message: `This shift is full (${shift.max} of ${shift.max} places taken).`, details: { max: shift.max } };
  }
  return null;
}

export interface Recheck {
  accepted: Assignment[];
  /** Assignments that would now break a hard rule, with the rule. */
  refused: { assignment: Assignment; refusal: Refusal }[];
}

/**
 * Applying a stored proposal: each assignment is checked again against the shifts and people as
 * they are now (capacity, the person already on it, eligibility, limits), counting the ones
 * accepted before it. Shifts missing from `shifts` are the caller's to skip.
 */
export function recheckAssignments(assignments: readonly Assignment[], shifts: readonly OpenShift[], volunteers: readonly Volunteer[], rota: RotaSettings, now: number): Recheck {
  const byShift = new Map(shifts.map((s) => [s.id, { ...s, holders: [...s.holders] }]));
  const byPerson = new Map(volunteers.map((v) => [v.person.id, { ...v, duties: [...v.duties] }]));
  const accepted: Assignment[] = [];
  const refused: Recheck['refused'] = [];
  for (const a of assignments) {
    const shift = byShift.get(a.shiftId);
    if (!shift) continue;
    const v = byPerson.get(a.personId);
    if (!v) {
      refused.push({ assignment: a, refusal: { code: 'PERSON_ARCHIVED', message: `${a.name} can no longer take shifts.`, details: { personId: a.personId } } });
      continue;
    }
    const refusal = placeRefusal(shift, now) ?? eligibility(v, shift, rota);
    if (refusal) {
      refused.push({ assignment: a, refusal });
      continue;
    }
    accepted.push(a);
    shift.confirmed += 1;
    shift.holders.push(a.personId);
    v.duties.push({ signupId: 0, shiftId: shift.id, rotaId: shift.rotaId, localDate: shift.localDate, start: shift.start, end: shift.end });
  }
  return { accepted, refused };
}
