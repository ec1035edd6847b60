// Local dates, wall times and instants in a named IANA zone, independent of the process's own TZ.
// Wall times are carried as "floating" milliseconds: the local fields read as if they were UTC.
import { tzOffset } from '@date-fns/tz';
import { RotaError } from './errors.js';
import { Memo } from './memo.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

// Each expansion reads its window and its series' dates again: the same few strings, read once.
// Only strings of a date's length are kept, so odd input cannot fill the memory.
const parsedDates = new Memo<string, number | null>(10_000);

/** Parses `YYYY-MM-DD` into floating ms at 00:00, or null when it is not a real calendar date. */
export function parseDate(text: string): number | null {
  return text.length !== 10 ? readDate(text) : parsedDates.get(text, readDate);
}

function readDate(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1970 || y > 2200) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

/** Parses `HH:MM` (00:00–23:59) into minutes after midnight, or null. */
export function parseTime(text: string): number | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** Parses a local wall time `YYYY-MM-DDTHH:MM` into floating ms, or null. */
export function parseLocal(text: string): number | null {
  const m = LOCAL_RE.exec(text);
  if (!m) return null;
  const date = parseDate(`${m[1]}-${m[2]}-${m[3]}`);
  const time = parseTime(`${m[4]}:${m[5]}`);
  if (date === null || time === null) return null;
  return date + time * MINUTE_MS;
}

export function requireDate(text: string, field: string): number {
  const ms = parseDate(text);
  if (ms === null) throw new RotaError('VALIDATION', `${field} must be a real date written YYYY-MM-DD, got "${text}".`, { field });
  return ms;
}

export function requireTime(text: string, field: string): number {
  const min = parseTime(text);
  if (min === null) throw new RotaError('VALIDATION', `${field} must be a time of day written HH:MM (00:00–23:59), got "${text}".`, { field });
  return min;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A local date's two spellings, `YYYY-MM-DD` and `YYYYMMDD`, from its floating day (ms at 00:00 / DAY_MS). */
interface DateText {
  date: string;
  compact: string;
}

// Expanding a rota spells the same few hundred dates for every shift: one string each, computed
// once. Bounded, since a server runs for months over ever new dates.
const dateTexts = new Memo<number, DateText>(20_000);

/** The spellings of the local date of floating day `day` (floating ms / DAY_MS, a whole number). */
function dateText(day: number): DateText {
  return dateTexts.get(day, spellDate);
}

function spellDate(day: number): DateText {
  const d = new Date(day * DAY_MS);
  const [y, m, dd] = [String(d.getUTCFullYear()), pad2(d.getUTCMonth() + 1), pad2(d.getUTCDate())];
  return { date: `${y}-${m}-${dd}`, compact: `${y}${m}${dd}` };
}

/** A time of day's two spellings, `HH:MM` and `HHMM`. */
interface TimeText {
  time: string;
  compact: string;
}

const TIMES: TimeText[] = [];

/** The spellings of a minute of the day (0–1439). */
function timeText(minute: number): TimeText {
  let text = TIMES[minute];
  if (text === undefined) {
    const [h, m] = [pad2(Math.floor(minute / 60)), pad2(minute % 60)];
    TIMES[minute] = text = { time: `${h}:${m}`, compact: `${h}${m}` };
  }
  return text;
}

/** A wall time's spellings: its date `YYYY-MM-DD`, itself `YYYY-MM-DDTHH:MM`, and `YYYYMMDDTHHMM` as in shift ids. */
interface WallText {
  date: string;
  local: string;
  compact: string;
}

// Every series of a district starts its shifts at one of a few times on the same days: each such
// wall time is spelled once and its strings shared by all the shifts that start then.
const wallTexts = new Memo<number, WallText>(20_000);

/** The spellings of the wall time (floating ms) to the minute. */
export function wallText(floating: number): WallText {
  return wallTexts.get(Math.floor(floating / MINUTE_MS), spellWall);
}

function spellWall(minute: number): WallText {
  const day = Math.floor(minute / (24 * 60));
  const date = dateText(day);
  const time = timeText(minute - day * 24 * 60);
  return { date: date.date, local: `${date.date}T${time.time}`, compact: `${date.compact}T${time.compact}` };
}

/** Floating ms → `YYYY-MM-DD`. */
export function formatDate(floating: number): string {
  return dateText(Math.floor(floating / DAY_MS)).date;
}

/** Floating ms → `YYYY-MM-DDTHH:MM`. */
export function formatLocal(floating: number): string {
  const day = Math.floor(floating / DAY_MS);
  return `${dateText(day).date}T${timeText(Math.floor((floating - day * DAY_MS) / MINUTE_MS)).time}`;
}

export function addDays(floating: number, days: number): number {
  return floating + days * DAY_MS;
}

/** Every `YYYY-MM-DD` date from `from` to `to`, inclusive. */
export function dateRange(from: string, to: string): string[] {
  const dates: string[] = [];
  const end = parseDate(to);
  for (let d = parseDate(from); d !== null && end !== null && d <= end; d = addDays(d, 1)) dates.push(formatDate(d));
  return dates;
}

/** Whole days from `a` to `b` (both floating dates at midnight). */
export function daysBetween(a: number, b: number): number {
  return Math.round((b - a) / DAY_MS);
}

/** ISO weekday of a floating date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(floating: number): number {
  const d = new Date(floating).getUTCDay();
  return d === 0 ? 7 : d;
}

const zoneCache = new Map<string, boolean>();

/** True for IANA zone names this runtime knows (not bare UTC offsets such as "+08:00"). */
function isTimeZone(zone: string): boolean {
  const known = zoneCache.get(zone);
  if (known !== undefined) return known;
  let ok = false;
  if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && zone.length <= 64) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
  }
  zoneCache.set(zone, ok);
  return ok;
}

/** A known zone in its own spelling: "asia/shanghai" is stored as Asia/Shanghai, which calendar tools look up by case. */
export function requireTimeZone(zone: string, field = 'timezone'): string {
  if (!isTimeZone(zone)) {
    throw new RotaError('VALIDATION', `${field} must be an IANA time zone such as "Asia/Shanghai" or "Europe/Berlin", got "${zone}".`, { field });
  }
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/** Offset of `zone` at an instant, in whole minutes east of UTC. */
function offsetAt(zone: string, instant: number): number {
  return Math.round(tzOffset(zone, new Date(instant)));
}

// Offsets per zone and local day (floating ms / DAY_MS) for days without a transition; `null` marks
// a transition day. Keyed by number, not by a string per call: expansion asks once per shift.
const dayOffsets = new Map<string, Map<number, number | null>>();
let dayOffsetCount = 0;

/**
 * Converts a wall time in `zone` to its instant (UTC ms).
 * Policy (RFC 5545 §3.3.5): a time that happens twice (fall-back) means its first occurrence;
 * a time that does not exist (spring-forward gap) is read with the offset before the gap, so it
 * moves forward by the gap's length (02:30 in a one-hour gap becomes 03:30). We do not drop such
 * occurrences as §3.3.10 would: a duty still takes place.
 */
export function wallToInstant(floating: number, zone: string): number {
  const day = Math.floor(floating / DAY_MS);
  let days = dayOffsets.get(zone);
  if (days === undefined) dayOffsets.set(zone, (days = new Map()));
  let offset = days.get(day);
  if (offset === undefined) {
    const dayStart = day * DAY_MS;
    const before = offsetAt(zone, dayStart - 14 * 3_600_000);
    const after = offsetAt(zone, dayStart + 38 * 3_600_000);
    offset = before === after ? before : null;
    if (dayOffsetCount >= 200_000) {
      dayOffsets.clear();
      dayOffsets.set(zone, (days = new Map()));
      dayOffsetCount = 0;
    }
    days.set(day, offset);
    dayOffsetCount++;
  }
  if (offset !== null) return floating - offset * MINUTE_MS;
  return wallToInstantAcrossTransition(floating, zone);
}

function wallToInstantAcrossTransition(floating: number, zone: string): number {
  const before = offsetAt(zone, floating - 14 * 3_600_000);
  const after = offsetAt(zone, floating + 14 * 3_600_000);
  const candidates = [floating - before * MINUTE_MS, floating - after * MINUTE_MS]
    .filter((t) => offsetAt(zone, t) * MINUTE_MS === floating - t)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  return floating - before * MINUTE_MS;
}

/** The wall time (floating ms) that an instant shows in `zone`. */
export function instantToWall(instant: number, zone: string): number {
  return instant + offsetAt(zone, instant) * MINUTE_MS;
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2026-03-02T07:15:00+08:00`. */
export function formatInstant(instant: number, zone: string): string {
  const offset = offsetAt(zone, instant);
  const wall = instant + offset * MINUTE_MS;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${formatLocal(wall)}:00${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Today's local date in `zone` as floating ms at 00:00. */
export function localToday(now: Date, zone: string): number {
  const wall = instantToWall(now.getTime(), zone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

export { DAY_MS, MINUTE_MS };
