// The one place that touches the rrule library. Rules are expanded in floating time
// (wall-clock fields stored as UTC) because rrule's own tzid support depends on the process TZ.
import rrule from 'rrule';
import type { Options } from 'rrule';
import { RotaError } from './errors.js';
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
  BYDAY: new RegExp(`^[+-]?\\d{0,2}${DAY}(,[+-]?\\d{0,2}${DAY})*$`),
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
  const body = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (body.length === 0 || body.length > 500) invalid('rrule must be an RRULE body of 1–500 characters, such as "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".');
  const seen = new Map<string, string>();
  for (const part of body.split(';')) {
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

/** UNTIL as a floating wall time in `zone`, inclusive: a date-only UNTIL covers that whole local day. */
export function untilWall(spec: RuleSpec, zone: string): number | null {
  if (!spec.until) return null;
  switch (spec.until.kind) {
    case 'date':
      return spec.until.value + DAY_MS - 1;
    case 'local':
      return spec.until.value;
    case 'utc':
      return instantToWall(spec.until.value, zone);
  }
}

/**
 * Floating occurrences of `spec` anchored at `dtstart`, within [from, to] (inclusive, floating ms).
 * Without COUNT the anchor moves forward by whole periods to just before `from`, so a rule started
 * years ago costs the same as a new one; with COUNT (at most 5,000) it must walk from the start.
 */
export function occurrences(spec: RuleSpec, dtstart: number, until: number | null, from: number, to: number): number[] {
  if (until !== null && until < from) return [];
  const anchored = spec.count === null ? reanchor(spec, dtstart, from) : { dtstart, extra: {} };
  const rule = new RRule({
    ...spec.options,
    ...anchored.extra,
    dtstart: new Date(anchored.dtstart),
    until: until === null ? null : new Date(until),
  });
  return rule.between(new Date(from), new Date(to), true).map((d) => d.getTime());
}

/** True when the rule yields at least one occurrence within eight years of `dtstart`. */
export function hasOccurrence(spec: RuleSpec, dtstart: number, until: number | null): boolean {
  const end = dtstart + 8 * 366 * DAY_MS;
  const rule = new RRule({ ...spec.options, dtstart: new Date(dtstart), until: until === null ? null : new Date(until), count: 1 });
  return rule.between(new Date(dtstart), new Date(end), true).length > 0;
}

/** The floating time of the last occurrence of a COUNT-limited rule. */
export function lastOccurrence(spec: RuleSpec, dtstart: number): number | null {
  const rule = new RRule({ ...spec.options, dtstart: new Date(dtstart) });
  const all = rule.all();
  return all.length === 0 ? null : all[all.length - 1]!.getTime();
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
