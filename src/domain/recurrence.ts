// Expands a series into shifts inside a window of local dates, in the rota's own time zone.
// A shift is identified by its series and original local start (like iCal's RECURRENCE-ID).
import type { DayRules } from './day-calendar.js';
import { RotaError } from './errors.js';
import { Memo } from './memo.js';
import { hasOccurrence, lastOccurrence, occurrences, parseRule, untilInstant, untilWall, type RuleSpec } from './rule.js';
import {
  DAY_MS,
  MINUTE_MS,
  addDays,
  daysBetween,
  formatDate,
  formatLocal,
  parseLocal,
  requireDate,
  requireTime,
  wallText,
  wallToInstant,
} from './time.js';

/** One version of a series' rule, in force from `validFrom` until the next version starts. */
export interface RuleVersion {
  validFrom: string;
  rrule: string;
  startTime: string;
  durationMinutes: number;
  minVolunteers: number;
  maxVolunteers: number;
}

export interface SeriesDef {
  id: number;
  rotaId: number;
  timezone: string;
  /** Sorted by validFrom; the first starts on the series' start date. */
  versions: readonly RuleVersion[];
  /** Last local date with shifts (inclusive), when the series was ended. */
  endDate: string | null;
}

/** A change to one occurrence, keyed by its original local start. */
export interface ShiftOverride {
  key: string;
  cancelled: boolean;
  start: string | null;
  durationMinutes: number | null;
  minVolunteers: number | null;
  maxVolunteers: number | null;
}

export interface Shift {
  id: string;
  seriesId: number;
  rotaId: number;
  /** Original local start `YYYY-MM-DDTHH:MM`: the shift's identity. */
  key: string;
  /** Effective local start and date (differ from the key when the shift was moved). */
  localStart: string;
  localDate: string;
  /** UTC instants in ms. */
  start: number;
  end: number;
  timezone: string;
  min: number;
  max: number;
  cancelled: boolean;
  moved: boolean;
  origin: 'rule' | 'open-day';
}

export interface DateWindow {
  from: string;
  to: string;
}

export const MAX_WINDOW_DAYS = 366;

/** Checks a window of local dates: real dates, from ≤ to, at most 366 days. */
export function checkWindow(window: DateWindow): { from: number; to: number } {
  const from = requireDate(window.from, 'from');
  const to = requireDate(window.to, 'to');
  if (to < from) throw new RotaError('VALIDATION', `to (${window.to}) is before from (${window.from}).`, { field: 'to' });
  if (daysBetween(from, to) + 1 > MAX_WINDOW_DAYS) {
    throw new RotaError('RANGE_TOO_LONG', `A window may cover at most ${MAX_WINDOW_DAYS} days; ${window.from} to ${window.to} is ${daysBetween(from, to) + 1}.`, { field: 'to' });
  }
  return { from, to };
}

/** `12.20260302T0715` from series 12 and `2026-03-02T07:15`. */
export function shiftId(seriesId: number, key: string): string {
  return `${seriesId}.${key.slice(0, 4)}${key.slice(5, 7)}${key.slice(8, 10)}T${key.slice(11, 13)}${key.slice(14, 16)}`;
}

/** The series id and original local start named by a shift id, or null when it is not one. */
export function parseShiftId(id: string): { seriesId: number; key: string } | null {
  const m = /^(\d{1,12})\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})$/.exec(id);
  if (!m) return null;
  const key = `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}`;
  if (parseLocal(key) === null) return null;
  return { seriesId: Number(m[1]), key };
}

interface CompiledVersion {
  version: RuleVersion;
  spec: RuleSpec;
  /** The rule's anchor: the series' start date at this version's time. */
  dtstart: number;
  /** First and last floating instants this version may produce (inclusive). */
  first: number;
  last: number;
  /** Last instant (UTC ms) a UTC UNTIL allows. */
  lastInstant: number;
}

/** The longest a shift lasts: a day (checkShape). */
export const MAX_SHIFT_MS = 24 * 60 * MINUTE_MS;

/** Checks a shift's duration and capacity: 1–1440 minutes, 0 ≤ min ≤ max, 1 ≤ max ≤ 1000. */
export function checkShape(version: Pick<RuleVersion, 'durationMinutes' | 'minVolunteers' | 'maxVolunteers'>): void {
  if (!Number.isInteger(version.durationMinutes) || version.durationMinutes < 1 || version.durationMinutes * MINUTE_MS > MAX_SHIFT_MS) {
    throw new RotaError('VALIDATION', 'durationMinutes must be a whole number of minutes from 1 to 1440.', { field: 'durationMinutes' });
  }
  if (!Number.isInteger(version.minVolunteers) || version.minVolunteers < 0) {
    throw new RotaError('VALIDATION', 'minVolunteers must be a whole number, 0 or more.', { field: 'minVolunteers' });
  }
  if (!Number.isInteger(version.maxVolunteers) || version.maxVolunteers < 1 || version.maxVolunteers > 1000) {
    throw new RotaError('VALIDATION', 'maxVolunteers must be a whole number from 1 to 1000.', { field: 'maxVolunteers' });
  }
  if (version.minVolunteers > version.maxVolunteers) {
    throw new RotaError('VALIDATION', `minVolunteers (${version.minVolunteers}) is more than maxVolunteers (${version.maxVolunteers}).`, { field: 'minVolunteers' });
  }
}

/**
 * Validates a rule version on its own: rule, time, duration, capacity. A later version ("this and
 * all future" from `validFrom`) keeps the series' start date as its anchor (`seriesStart`), so a
 * weekly rule keeps its weekday and fortnight, a monthly one its day, and COUNT its total.
 */
export function checkVersion(version: RuleVersion, timezone: string, seriesStart = version.validFrom): RuleSpec {
  const spec = parseRule(version.rrule);
  const date = requireDate(version.validFrom, version.validFrom === seriesStart ? 'startDate' : 'from');
  const time = requireTime(version.startTime, 'startTime');
  checkShape(version);
  const dtstart = requireDate(seriesStart, 'startDate') + time * MINUTE_MS;
  if (!hasOccurrence(spec, dtstart, untilWall(spec, timezone), Math.max(date, dtstart))) {
    throw new RotaError('VALIDATION', `This rule produces no shift within eight years of ${version.validFrom}; check BYMONTH, BYMONTHDAY, BYSETPOS, BYHOUR, COUNT and UNTIL.`, { field: 'rrule' });
  }
  return spec;
}

// Listings expand the same few rules over and over: each rule text is parsed once.
const parsedRules = new Memo<string, RuleSpec>(1000);

function parseRuleOnce(text: string): RuleSpec {
  return parsedRules.get(text, parseRule);
}

function compile(series: SeriesDef): CompiledVersion[] {
  const seriesEnd = series.endDate === null ? Infinity : requireDate(series.endDate, 'endDate') + DAY_MS - 1;
  const anchor = requireDate(series.versions[0]!.validFrom, 'startDate');
  return series.versions.map((version, i) => {
    const spec = parseRuleOnce(version.rrule);
    const date = requireDate(version.validFrom, 'startDate');
    const dtstart = anchor + requireTime(version.startTime, 'startTime') * MINUTE_MS;
    const next = series.versions[i + 1];
    const versionEnd = next ? requireDate(next.validFrom, 'validFrom') - 1 : Infinity;
    let last = Math.min(versionEnd, seriesEnd, untilWall(spec, series.timezone) ?? Infinity);
    if (spec.count !== null) last = Math.min(last, lastOccurrence(spec, dtstart) ?? -Infinity);
    return { version, spec, dtstart, first: date, last, lastInstant: untilInstant(spec) ?? Infinity };
  });
}

function makeShift(series: SeriesDef, v: RuleVersion, wall: number, origin: Shift['origin']): Shift {
  const text = wallText(wall);
  const start = wallToInstant(wall, series.timezone);
  return {
    id: `${series.id}.${text.compact}`,
    seriesId: series.id,
    rotaId: series.rotaId,
    key: text.local,
    localStart: text.local,
    localDate: text.date,
    start,
    end: start + v.durationMinutes * MINUTE_MS,
    timezone: series.timezone,
    min: v.minVolunteers,
    max: v.maxVolunteers,
    cancelled: false,
    moved: false,
    origin,
  };
}

// The open days of a set of day rules with their floating dates, read once per set: a series
// set's calendars are merged once and expanded for every shift listing.
const parsedOpenDays = new WeakMap<ReadonlySet<string>, { date: string; floating: number }[]>();

function openDays(days: DayRules): { date: string; floating: number }[] {
  let parsed = parsedOpenDays.get(days.open);
  if (parsed === undefined) {
    parsed = [...days.open].map((date) => ({ date, floating: requireDate(date, 'date') }));
    parsedOpenDays.set(days.open, parsed);
  }
  return parsed;
}

/** Occurrences of the rule and calendars on the floating range [from, to], before overrides. */
function baseShifts(series: SeriesDef, compiled: CompiledVersion[], days: DayRules, from: number, to: number): Shift[] {
  const shifts: Shift[] = [];
  for (const c of compiled) {
    const lo = Math.max(from, c.first);
    const hi = Math.min(to, c.last);
    if (lo > hi) continue;
    // Open (make-up) days this version's rule already covers; only they are looked up later.
    const ruled = new Set<string>();
    const instants: number[] = [];
    let latest = -Infinity;
    for (const wall of occurrences(c.spec, c.dtstart, Number.isFinite(c.last) ? c.last : null, lo, hi)) {
      const shift = makeShift(series, c.version, wall, 'rule');
      if (shift.start > c.lastInstant) continue;
      // An hourly rule can land twice on one instant when a gap moves 02:00 onto 03:00: keep one.
      // Instants mostly rise with wall times, and one above all before it is new.
      if (shift.start <= latest && instants.includes(shift.start)) continue;
      instants.push(shift.start);
      latest = Math.max(latest, shift.start);
      if (days.open.has(shift.localDate)) ruled.add(shift.localDate);
      if (!days.closed.has(shift.localDate)) shifts.push(shift);
    }
    const startMinutes = requireTime(c.version.startTime, 'startTime');
    for (const { date, floating } of openDays(days)) {
      if (ruled.has(date)) continue;
      const wall = floating + startMinutes * MINUTE_MS;
      if (wall < lo || wall > hi) continue;
      const shift = makeShift(series, c.version, wall, 'open-day');
      if (shift.start <= c.lastInstant) shifts.push(shift);
    }
  }
  return shifts;
}

/**
 * The shifts of one series whose (effective) local date lies in the window, sorted by start.
 * Overrides cancel, move or resize single occurrences; a moved shift keeps its id.
 */
export function expandSeries(series: SeriesDef, window: DateWindow, days: DayRules, overrides: readonly ShiftOverride[] = []): Shift[] {
  const { from, to } = checkWindow(window);
  const compiled = compile(series);
  const end = to + DAY_MS - 1;
  const base = baseShifts(series, compiled, days, from, end);
  if (overrides.length > 0) addMovedIn(series, compiled, days, overrides, base, from, end);
  // An occurrence lies in the window by construction; only an override may move it out.
  const result = overrides.length > 0 ? applyOverrides(base, overrides, window) : base;
  // Shifts mostly come in order already; the sort is stable and all share one series, so it would leave them as they are.
  return inOrder(result) ? result : result.sort((a, b) => a.start - b.start || a.seriesId - b.seriesId);
}

function inOrder(shifts: readonly Shift[]): boolean {
  for (let i = 1; i < shifts.length; i++) if (shifts[i]!.start < shifts[i - 1]!.start) return false;
  return true;
}

function applyOverrides(base: readonly Shift[], overrides: readonly ShiftOverride[], window: DateWindow): Shift[] {
  const byKey = new Map(overrides.map((o) => [o.key, o]));
  const result: Shift[] = [];
  for (const shift of base) {
    const o = byKey.get(shift.key);
    if (!o) result.push(shift);
    else {
      const s = applyOverride(shift, o);
      // Zero-padded dates compare as text.
      if (s.localDate >= window.from && s.localDate <= window.to) result.push(s);
    }
  }
  return result;
}

/** Adds to `base` the shifts moved into the floating range [from, end] from a date outside it, when that occurrence exists. */
function addMovedIn(series: SeriesDef, compiled: CompiledVersion[], days: DayRules, overrides: readonly ShiftOverride[], base: Shift[], from: number, end: number): void {
  const present = new Set(base.map((s) => s.key));
  for (const o of overrides) {
    if (present.has(o.key) || o.start === null) continue;
    const target = parseLocal(o.start);
    const original = parseLocal(o.key);
    if (target === null || original === null || target < from || target > end) continue;
    const day = original - (original % DAY_MS);
    const found = baseShifts(series, compiled, days, day, day + DAY_MS - 1).find((s) => s.key === o.key);
    if (found) base.push(found);
  }
}

function applyOverride(shift: Shift, o: ShiftOverride): Shift {
  const duration = o.durationMinutes ?? (shift.end - shift.start) / MINUTE_MS;
  const wall = o.start === null ? parseLocal(shift.localStart)! : parseLocal(o.start)!;
  const start = o.start === null ? shift.start : wallToInstant(wall, shift.timezone);
  return {
    ...shift,
    localStart: formatLocal(wall),
    localDate: formatDate(wall),
    start,
    end: start + duration * MINUTE_MS,
    min: o.minVolunteers ?? shift.min,
    max: o.maxVolunteers ?? shift.max,
    cancelled: o.cancelled,
    moved: o.start !== null && o.start !== shift.key,
  };
}

/** One occurrence by its original local start (with its override applied), or null when the rule has none. */
export function findShift(series: SeriesDef, key: string, days: DayRules, override?: ShiftOverride): Shift | null {
  const original = parseLocal(key);
  if (original === null) return null;
  const day = original - (original % DAY_MS);
  const found = baseShifts(series, compile(series), days, day, day + DAY_MS - 1).find((s) => s.key === key);
  if (!found) return null;
  return override ? applyOverride(found, override) : found;
}

/** The local dates a series covers at most: from its start to its end, or null when open-ended. */
export function seriesSpan(series: SeriesDef): { first: string; last: string | null } {
  const compiled = compile(series);
  const first = compiled[0]!;
  const lastVersion = compiled[compiled.length - 1]!;
  return {
    first: formatDate(first.first),
    last: Number.isFinite(lastVersion.last) ? formatDate(lastVersion.last) : null,
  };
}

/** Upper bounds that keep one request or one rota cheap to expand (README "Recurrence → Limits"). */
export const LIMITS = {
  /** Series in one rota. */
  seriesPerRota: 50,
  /** Shifts one rota's series may have on one day together (four posts hourly around the clock). */
  shiftsPerRotaDay: 96,
} as const;

/** The most shifts a rule gives on one local day: one, or several for HOURLY rules and BYHOUR. */
export function shiftsPerDay(spec: RuleSpec): number {
  const byhour = spec.options.byhour;
  const hours = byhour == null ? null : Array.isArray(byhour) ? byhour.length : 1;
  return hours ?? (spec.freq === 'HOURLY' ? Math.ceil(24 / spec.interval) : 1);
}

/** The most shifts one series (any of its versions) gives on one local day. */
export function seriesShiftsPerDay(series: Pick<SeriesDef, 'versions'>): number {
  return Math.max(1, ...series.versions.map((v) => shiftsPerDay(parseRule(v.rrule))));
}

/** The date `days` days after a `YYYY-MM-DD` date. */
export function shiftDate(date: string, days: number): string {
  return formatDate(addDays(requireDate(date, 'date'), days));
}
