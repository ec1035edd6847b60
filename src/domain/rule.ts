// The one place that touches the rrule library. Rules are expanded in floating time
// (wall-clock fields stored as UTC) because rrule's own tzid support depends on the process TZ.
import rrule from 'rrule';
import type { Options } from 'rrule';
import { RotaError } from './errors.js';
import { Memo } from './memo.js';
import { DAY_MS, MINUTE_MS, instantToWall, parseDate } from './time.js';

const { RRule } = rrule;

type Freq = 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY' | 'HOURLY';

export interface RuleSpec {
  /** The rule body as the coordinator wrote it, normalised (upper case, no `RRULE:` prefix). */
  body: string;
  freq: Freq;
  interval: number;
  count: number | null;
  /** UNTIL as written: a local date, a local date-time, or a UTC instant (`Z`). */
  until: { kind: 'date' | 'local' | 'utc'; value: number } | null;
  options: Partial<Options>;
}

const FREQS: Record<string, Freq | 'TOO_FINE'> = {
  YEARLY: 'YEARLY',
  MONTHLY: 'MONTHLY',
  WEEKLY: 'WEEKLY',
  DAILY: 'DAILY',
  HOURLY: 'HOURLY',
  MINUTELY: 'TOO_FINE',
  SECONDLY: 'TOO_FINE',
};
const DAY = '(?:MO|TU|WE|TH|FR|SA|SU)';
const PARTS: Record<string, RegExp> = {
  FREQ: /^[A-Z]+$/,
  INTERVAL: /^\d{1,4}$/,
  COUNT: /^\d{1,5}$/,
  UNTIL: /^\d{8}(T\d{6}Z?)?$/,
  BYDAY: new RegExp(`^(?:[+-]?\\d{1,2})?${DAY}(,(?:[+-]?\\d{1,2})?${DAY})*$`),
  BYMONTHDAY: /^[+-]?\d{1,2}(,[+-]?\d{1,2})*$/,
  BYMONTH: /^\d{1,2}(,\d{1,2})*$/,
  BYYEARDAY: /^[+-]?\d{1,3}(,[+-]?\d{1,3})*$/,
  BYWEEKNO: /^[+-]?\d{1,2}(,[+-]?\d{1,2})*$/,
  BYSETPOS: /^[+-]?\d{1,3}(,[+-]?\d{1,3})*$/,
  BYHOUR: /^\d{1,2}(,\d{1,2})*$/,
  WKST: new RegExp(`^${DAY}$`),
};
const RANGES: Record<string, [number, number]> = {
  BYMONTHDAY: [1, 31],
  BYMONTH: [1, 12],
  BYYEARDAY: [1, 366],
  BYWEEKNO: [1, 53],
  BYSETPOS: [1, 366],
  BYHOUR: [0, 23],
};
const MAX_COUNT = 5000;

function invalid(message: string): never {
  throw new RotaError('VALIDATION', message, { field: 'rrule' });
}

/**
 * Validates and parses an RRULE body such as `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`.
 * DTSTART and the time of day belong to the series, so DTSTART, TZID, BYMINUTE and BYSECOND are refused.
 */
export function parseRule(text: string): RuleSpec {
  // A trailing or doubled semicolon is a slip, not a different rule.
  const parts = text.trim().replace(/^RRULE:/i, '').toUpperCase().split(';').filter((p) => p !== '');
  const body = parts.join(';');
  if (body.length === 0 || body.length > 500) invalid('rrule must be an RRULE body of 1–500 characters, such as "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".');
  const seen = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : part;
    const value = eq > 0 ? part.slice(eq + 1) : '';
    if (key === 'DTSTART' || key === 'TZID') invalid(`rrule must not contain ${key}: the series' startDate, startTime and the rota's timezone set it.`);
    if (key === 'BYMINUTE' || key === 'BYSECOND') invalid(`rrule must not contain ${key}: a series has one startTime; use several series for several times.`);
    const pattern = PARTS[key];
    if (!pattern) invalid(`rrule has an unknown or unsupported part "${key}".`);
    if (seen.has(key)) invalid(`rrule names ${key} twice.`);
    if (!pattern.test(value)) invalid(`rrule's ${key} has an invalid value "${value}".`);
    const range = RANGES[key];
    if (range) {
      for (const n of value.split(',').map((v) => Math.abs(Number(v.replace(/[A-Z]/g, ''))))) {
        if (n < range[0] || n > range[1]) invalid(`rrule's ${key} value ${n} is outside ${range[0]}–${range[1]}.`);
      }
    }
    seen.set(key, value);
  }
  const freqText = seen.get('FREQ');
  if (!freqText) invalid('rrule must start with a FREQ such as FREQ=WEEKLY.');
  const freq = FREQS[freqText];
  if (!freq) invalid(`rrule's FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY, got "${freqText}".`);
  if (freq === 'TOO_FINE') throw new RotaError('RULE_TOO_FINE', `A rule repeating ${freqText.toLowerCase()} is finer than hourly; duties repeat at most hourly.`, { field: 'rrule' });
  if (seen.has('COUNT') && seen.has('UNTIL')) invalid('rrule may have COUNT or UNTIL, not both (RFC 5545).');
  checkNumberedDays(freq, seen);
  if (seen.has('BYSETPOS') && ![...seen.keys()].some((k) => k.startsWith('BY') && k !== 'BYSETPOS')) {
    invalid('rrule BYSETPOS picks among the days another BY part names (RFC 5545), e.g. FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1.');
  }
  const interval = seen.has('INTERVAL') ? Number(seen.get('INTERVAL')) : 1;
  if (interval < 1) invalid('rrule INTERVAL must be at least 1.');
  const count = seen.has('COUNT') ? Number(seen.get('COUNT')) : null;
  if (count !== null && (count < 1 || count > MAX_COUNT)) invalid(`rrule COUNT must be between 1 and ${MAX_COUNT}.`);
  const until = parseUntil(seen.get('UNTIL'));
  const optionsText = [...seen].filter(([k]) => k !== 'UNTIL').map(([k, v]) => `${k}=${v}`).join(';');
  let options: Partial<Options>;
  try {
    options = RRule.parseString(optionsText);
  } catch (error) {
    invalid(`rrule could not be read: ${(error as Error).message}.`);
  }
  return { body, freq, interval, count, until, options };
}

/**
 * RFC 5545 §3.3.10: a numbered weekday (1MO, -1FR) only in MONTHLY rules or YEARLY rules without
 * BYWEEKNO; it counts within the month (at most 5) unless a YEARLY rule names no BYMONTH (at most 53).
 */
function checkNumberedDays(freq: Freq, seen: Map<string, string>): void {
  const numbers = (seen.get('BYDAY') ?? '').split(',').map((d) => d.slice(0, -2)).filter((n) => n !== '').map((n) => Math.abs(Number(n)));
  if (numbers.length === 0) return;
  if (freq !== 'MONTHLY' && (freq !== 'YEARLY' || seen.has('BYWEEKNO'))) {
    invalid('rrule may number a weekday in BYDAY (1MO, -1FR) only with FREQ=MONTHLY, or FREQ=YEARLY without BYWEEKNO.');
  }
  const inYear = freq === 'YEARLY' && !seen.has('BYMONTH');
  const max = inYear ? 53 : 5;
  const bad = numbers.find((n) => n < 1 || n > max);
  if (bad !== undefined) invalid(`rrule's BYDAY number ${bad} is outside 1–${max}: a ${inYear ? 'year' : 'month'} has at most ${max} of each weekday.`);
}

function parseUntil(value: string | undefined): RuleSpec['until'] {
  if (value === undefined) return null;
  const date = parseDate(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`);
  if (date === null) invalid(`rrule UNTIL is not a real date: "${value}".`);
  if (value.length === 8) return { kind: 'date', value: date };
  const [h, m, s] = [Number(value.slice(9, 11)), Number(value.slice(11, 13)), Number(value.slice(13, 15))];
  if (h > 23 || m > 59 || s > 59) invalid(`rrule UNTIL has an impossible time: "${value}".`);
  const ms = date + ((h * 60 + m) * 60 + s) * 1000;
  return { kind: value.endsWith('Z') ? 'utc' : 'local', value: ms };
}

/**
 * UNTIL as a floating wall-time bound in `zone`, inclusive: a date-only UNTIL covers that whole local
 * day. A UTC UNTIL is an instant: its bound leaves room for a repeated or skipped hour, and the
 * expansion cuts at the instant itself (`untilInstant`).
 */
export function untilWall(spec: RuleSpec, zone: string): number | null {
  if (!spec.until) return null;
  switch (spec.until.kind) {
    case 'date':
      return spec.until.value + DAY_MS - 1;
    case 'local':
      return spec.until.value;
    case 'utc':
      return instantToWall(spec.until.value, zone) + 3 * 60 * MINUTE_MS;
  }
}

/** The instant a UTC UNTIL names, or null when UNTIL is absent or a local time. */
export function untilInstant(spec: RuleSpec): number | null {
  return spec.until?.kind === 'utc' ? spec.until.value : null;
}

type Rule = InstanceType<typeof RRule>;

// Upper bounds of one period's length, to count how many periods a span holds at most.
const PERIOD_MS: Record<Freq, number> = { HOURLY: 60 * MINUTE_MS, DAILY: DAY_MS, WEEKLY: 7 * DAY_MS, MONTHLY: 28 * DAY_MS, YEARLY: 365 * DAY_MS };

/**
 * rrule checks its end (UNTIL, `between`'s end) only against candidates it produces, so a rule that
 * never matches again (Feb 30, a BYSETPOS beyond its set) walks on to the year 9999: about 20 s of a
 * blocked server. rrule reads `options.interval` twice per period and stops when it reads 0, so
 * this lets it walk at most `periods` periods.
 */
function limitPeriods(rule: Rule, periods: number): Rule {
  const interval = rule.options.interval;
  let reads = 2 * periods + 1;
  Object.defineProperty(rule.options, 'interval', { get: () => (reads-- > 0 ? interval : 0) });
  return rule;
}

function periodsBetween(spec: RuleSpec, from: number, to: number): number {
  return Math.max(0, Math.ceil((to - from) / (PERIOD_MS[spec.freq] * spec.interval))) + 3;
}

/**
 * An HOURLY rule from hour h every n hours reaches only the hours ≡ h (mod gcd(n, 24)); a BYHOUR
 * outside them sends rrule into an endless loop, so such a rule has no occurrence at all.
 */
function hoursReachable(spec: RuleSpec, dtstart: number): boolean {
  const byhour = spec.options.byhour;
  if (spec.freq !== 'HOURLY' || byhour == null) return true;
  const hours = Array.isArray(byhour) ? byhour : [byhour];
  const g = gcd(spec.interval, 24);
  const h0 = new Date(dtstart).getUTCHours();
  return hours.some((h) => (((h - h0) % g) + g) % g === 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Floating occurrences of `spec` anchored at `dtstart`, within [from, to] (inclusive, floating ms).
 * Without COUNT the anchor moves forward by whole periods to just before `from`, so a rule started
 * years ago costs the same as a new one; with COUNT (at most 5,000) it must walk from the start.
 * Stops after `limit` occurrences.
 */
export function occurrences(spec: RuleSpec, dtstart: number, until: number | null, from: number, to: number, limit = Infinity): number[] {
  if ((until !== null && until < from) || !hoursReachable(spec, dtstart)) return [];
  const plain = spec.count === null ? plainDaysOf(spec) : null;
  if (plain) return plainOccurrences(plain, dtstart, until, from, to, limit);
  const anchored = spec.count === null ? reanchor(spec, dtstart, from) : { dtstart, extra: {} };
  const rule = new RRule({
    ...spec.options,
    ...anchored.extra,
    dtstart: new Date(anchored.dtstart),
    until: until === null ? null : new Date(until),
  });
  limitPeriods(rule, periodsBetween(spec, anchored.dtstart, to));
  const found: number[] = [];
  rule.between(new Date(from), new Date(to), true, (d) => found.push(d.getTime()) < limit);
  return found;
}

const JS_DAY: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

interface PlainDays {
  weekly: boolean;
  interval: number;
  /** JS weekdays (bit 0 = Sunday) the rule keeps, or null for "every day" (DAILY) / "DTSTART's weekday" (WEEKLY). */
  weekdays: number | null;
  wkst: number;
}

/**
 * Most duties are DAILY or WEEKLY rules with at most a plain BYDAY ("every school day"). Those are
 * decided day by day here, without rrule's per-period sets, which cost most of the expansion time.
 * Any other part (BYMONTH, BYSETPOS, BYHOUR, numbered weekdays, COUNT) goes to rrule.
 */
function plainDays(spec: RuleSpec): PlainDays | null {
  if (spec.freq !== 'DAILY' && spec.freq !== 'WEEKLY') return null;
  const parts = new Map(spec.body.split(';').filter(Boolean).map((p) => p.split('=') as [string, string]));
  for (const key of parts.keys()) if (!['FREQ', 'INTERVAL', 'UNTIL', 'BYDAY', 'WKST'].includes(key)) return null;
  const byday = parts.get('BYDAY');
  if (byday !== undefined && !/^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/.test(byday)) return null;
  return {
    weekly: spec.freq === 'WEEKLY',
    interval: spec.interval,
    weekdays: byday === undefined ? null : byday.split(',').reduce((mask, d) => mask | (1 << JS_DAY[d]!), 0),
    wkst: JS_DAY[parts.get('WKST') ?? 'MO']!,
  };
}

// A listing asks the same parsed rule for its occurrences once per series and window.
const plainCache = new WeakMap<RuleSpec, PlainDays | null>();

function plainDaysOf(spec: RuleSpec): PlainDays | null {
  let plain = plainCache.get(spec);
  if (plain === undefined) plainCache.set(spec, (plain = plainDays(spec)));
  return plain;
}

const jsWeekday = (day: number) => (((Math.floor(day / DAY_MS) + 4) % 7) + 7) % 7;

function plainOccurrences(rule: PlainDays, dtstart: number, until: number | null, from: number, to: number, limit: number): number[] {
  const timeOfDay = ((dtstart % DAY_MS) + DAY_MS) % DAY_MS;
  const startDay = dtstart - timeOfDay;
  const weekStart = (day: number) => day - ((jsWeekday(day) - rule.wkst + 7) % 7) * DAY_MS;
  const firstWeek = weekStart(startDay);
  const weekdays = rule.weekdays ?? (rule.weekly ? 1 << jsWeekday(startDay) : 0b111_1111);
  const lo = Math.max(from, dtstart);
  const hi = until === null ? to : Math.min(to, until);
  const found: number[] = [];
  let day = Math.floor((lo - timeOfDay) / DAY_MS) * DAY_MS;
  if (day + timeOfDay < lo) day += DAY_MS;
  for (let weekday = jsWeekday(day); day + timeOfDay <= hi && found.length < limit; day += DAY_MS, weekday = (weekday + 1) % 7) {
    if ((weekdays & (1 << weekday)) === 0) continue;
    if (rule.interval > 1) {
      const steps = rule.weekly ? Math.round((weekStart(day) - firstWeek) / (7 * DAY_MS)) : Math.round((day - startDay) / DAY_MS);
      if (steps % rule.interval !== 0) continue;
    }
    found.push(day + timeOfDay);
  }
  return found;
}

/** How far ahead a new rule (or rule version) must produce its first shift. */
const FIRST_SHIFT_YEARS = 8;

/**
 * True when the rule anchored at `dtstart` yields an occurrence on or after `from` (default: the
 * anchor) and within eight years of it.
 */
export function hasOccurrence(spec: RuleSpec, dtstart: number, until: number | null, from = dtstart): boolean {
  const end = Math.min(from + FIRST_SHIFT_YEARS * 366 * DAY_MS, until ?? Infinity);
  if (end < from) return false;
  if (!someDayQualifies(spec, dtstart, from, end)) return false;
  return occurrences(spec, dtstart, until, from, end, 1).length > 0;
}

/**
 * Whether any day in [from, end] passes an HOURLY, DAILY or WEEKLY rule's day parts (BYMONTH,
 * BYMONTHDAY, BYDAY, BYYEARDAY, BYWEEKNO). Walking eight years day by day (or hour by hour) to
 * find that a rule names no real day (Feb 30) took 100–200 ms of a blocked server; the same days
 * as a YEARLY rule take eight periods. A necessary condition only: true sends on to the real walk.
 */
function someDayQualifies(spec: RuleSpec, dtstart: number, from: number, end: number): boolean {
  if (spec.freq !== 'HOURLY' && spec.freq !== 'DAILY' && spec.freq !== 'WEEKLY') return true;
  const o = spec.options;
  // With BYMONTH alone, rrule's YEARLY would take DTSTART's day of the month; any month has days.
  const named = (part: unknown) => part != null && (!Array.isArray(part) || part.length > 0);
  if (![o.bymonthday, o.byweekday, o.byyearday, o.byweekno].some(named)) return true;
  const yearly: RuleSpec = {
    ...spec,
    freq: 'YEARLY',
    interval: 1,
    count: null,
    options: { ...o, freq: RRule.YEARLY, interval: 1, count: null, byhour: null, byminute: null, bysecond: null, bysetpos: null },
  };
  const dayStart = Math.floor(from / DAY_MS) * DAY_MS;
  return occurrences(yearly, dtstart, null, dayStart, end + DAY_MS, 1).length > 0;
}

// A COUNT rule's last occurrence takes a walk from its start; series are expanded on every listing.
const lastCache = new Memo<string, number | null>(1000);
// A COUNT of 5,000 on a sparse rule (one day a year) needs many periods; beyond this, treat it as open-ended.
const MAX_COUNT_PERIODS = 100_000;

/**
 * The floating time of the last occurrence of a COUNT-limited rule: null when it has none,
 * Infinity when it lies too far ahead to find (the rule then counts as open-ended).
 */
export function lastOccurrence(spec: RuleSpec, dtstart: number): number | null {
  return lastCache.get(`${spec.body}|${dtstart}`, () => {
    const found: number[] = [];
    if (hoursReachable(spec, dtstart)) {
      const rule = limitPeriods(new RRule({ ...spec.options, dtstart: new Date(dtstart) }), MAX_COUNT_PERIODS);
      rule.all((d) => found.push(d.getTime()) > 0);
    }
    return found.length === 0 ? null : found.length < (spec.count ?? Infinity) ? Infinity : found[found.length - 1]!;
  });
}

function reanchor(spec: RuleSpec, dtstart: number, from: number): { dtstart: number; extra: Partial<Options> } {
  const o = spec.options;
  if (spec.freq === 'HOURLY' || spec.freq === 'DAILY' || spec.freq === 'WEEKLY') {
    const unit = spec.freq === 'HOURLY' ? 60 * MINUTE_MS : spec.freq === 'DAILY' ? DAY_MS : 7 * DAY_MS;
    const period = unit * spec.interval;
    const periods = Math.floor((from - dtstart) / period) - 1;
    if (periods <= 0) return { dtstart, extra: {} };
    // WEEKLY without BYDAY means "dtstart's weekday", which whole weeks keep.
    return { dtstart: dtstart + periods * period, extra: {} };
  }
  const start = new Date(dtstart);
  const target = new Date(from);
  const months = spec.freq === 'MONTHLY' ? spec.interval : 12 * spec.interval;
  const monthsBetween = (target.getUTCFullYear() - start.getUTCFullYear()) * 12 + target.getUTCMonth() - start.getUTCMonth();
  const periods = Math.floor(monthsBetween / months) - 1;
  if (periods <= 0) return { dtstart, extra: {} };
  // Moving the anchor to the 1st of a month loses the day (and month) rrule would take from DTSTART,
  // so state them explicitly, as rrule itself does when a rule names none.
  const extra: Partial<Options> = {};
  const implicitDay = o.byweekno == null && o.byyearday == null && o.bymonthday == null && o.byweekday == null;
  if (implicitDay) {
    extra.bymonthday = [start.getUTCDate()];
    if (spec.freq === 'YEARLY' && o.bymonth == null) extra.bymonth = [start.getUTCMonth() + 1];
  }
  const moved = Date.UTC(
    start.getUTCFullYear(),
    start.getUTCMonth() + periods * months,
    1,
    start.getUTCHours(),
    start.getUTCMinutes(),
  );
  return { dtstart: moved, extra };
}
