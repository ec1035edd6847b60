// Shifts in their rota's zone whatever the process TZ: daylight-saving changes in both
// hemispheres, the policy for local times that do not exist or happen twice (README, "Recurrence"),
// hourly rules, and the wall-time helpers in whole-, half- and three-quarter-hour zones.
import { describe, expect, it } from 'vitest';
import { NO_DAYS } from '../../src/domain/day-calendar.js';
import { expandSeries, type SeriesDef } from '../../src/domain/recurrence.js';
import { formatInstant, parseLocal, wallToInstant } from '../../src/domain/time.js';

function series(rrule: string, startDate: string, startTime: string, timezone: string, durationMinutes = 45): SeriesDef {
  return { id: 3, rotaId: 1, timezone, endDate: null, versions: [{ validFrom: startDate, rrule, startTime, durationMinutes, minVolunteers: 1, maxVolunteers: 2 }] };
}

/** Each shift as `key → start with offset → start in UTC`. */
function table(s: SeriesDef, from: string, to: string): string[] {
  return expandSeries(s, { from, to }, NO_DAYS).map((x) => `${x.key} → ${formatInstant(x.start, x.timezone)} → ${new Date(x.start).toISOString().slice(0, 16)}Z`);
}

describe('a daily 07:15 duty across both daylight-saving changes', () => {
  it.each([
    [
      'Europe/Berlin',
      '2026-03-28',
      '2026-03-30',
      ['2026-03-28T07:15 → 2026-03-28T07:15:00+01:00 → 2026-03-28T06:15Z', '2026-03-29T07:15 → 2026-03-29T07:15:00+02:00 → 2026-03-29T05:15Z', '2026-03-30T07:15 → 2026-03-30T07:15:00+02:00 → 2026-03-30T05:15Z'],
    ],
    [
      'Europe/Berlin',
      '2026-10-24',
      '2026-10-26',
      ['2026-10-24T07:15 → 2026-10-24T07:15:00+02:00 → 2026-10-24T05:15Z', '2026-10-25T07:15 → 2026-10-25T07:15:00+01:00 → 2026-10-25T06:15Z', '2026-10-26T07:15 → 2026-10-26T07:15:00+01:00 → 2026-10-26T06:15Z'],
    ],
    [
      'America/New_York',
      '2026-03-07',
      '2026-03-09',
      ['2026-03-07T07:15 → 2026-03-07T07:15:00-05:00 → 2026-03-07T12:15Z', '2026-03-08T07:15 → 2026-03-08T07:15:00-04:00 → 2026-03-08T11:15Z', '2026-03-09T07:15 → 2026-03-09T07:15:00-04:00 → 2026-03-09T11:15Z'],
    ],
    [
      'America/New_York',
      '2026-10-31',
      '2026-11-02',
      ['2026-10-31T07:15 → 2026-10-31T07:15:00-04:00 → 2026-10-31T11:15Z', '2026-11-01T07:15 → 2026-11-01T07:15:00-05:00 → 2026-11-01T12:15Z', '2026-11-02T07:15 → 2026-11-02T07:15:00-05:00 → 2026-11-02T12:15Z'],
    ],
    [
      'Australia/Sydney',
      '2026-04-04',
      '2026-04-06',
      ['2026-04-04T07:15 → 2026-04-04T07:15:00+11:00 → 2026-04-03T20:15Z', '2026-04-05T07:15 → 2026-04-05T07:15:00+10:00 → 2026-04-04T21:15Z', '2026-04-06T07:15 → 2026-04-06T07:15:00+10:00 → 2026-04-05T21:15Z'],
    ],
    [
      'Australia/Sydney',
      '2026-10-03',
      '2026-10-05',
      ['2026-10-03T07:15 → 2026-10-03T07:15:00+10:00 → 2026-10-02T21:15Z', '2026-10-04T07:15 → 2026-10-04T07:15:00+11:00 → 2026-10-03T20:15Z', '2026-10-05T07:15 → 2026-10-05T07:15:00+11:00 → 2026-10-04T20:15Z'],
    ],
  ])('stays at 07:15 local in %s from %s to %s', (zone, from, to, expected) => {
    expect(table(series('FREQ=DAILY', '2026-01-01', '07:15', zone), from, to)).toEqual(expected);
  });

  it('keeps the same local time for a whole year of weekdays in New York, with the right UTC hour each season', () => {
    const shifts = expandSeries(series('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-01-01', '07:15', 'America/New_York'), { from: '2026-01-01', to: '2026-12-31' }, NO_DAYS);
    expect(shifts).toHaveLength(261);
    for (const s of shifts) {
      const summer = s.localDate >= '2026-03-08' && s.localDate < '2026-11-01';
      expect(formatInstant(s.start, s.timezone)).toBe(`${s.localDate}T07:15:00${summer ? '-04:00' : '-05:00'}`);
      expect(new Date(s.start).getUTCHours()).toBe(summer ? 11 : 12);
    }
  });
});

describe('a local time that does not exist or happens twice (RFC 5545 §3.3.5)', () => {
  it.each([
    ['Europe/Berlin', '2026-03-29', '02:30', '2026-03-29T03:30:00+02:00', '2026-03-29T01:30Z'],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T03:30:00-04:00', '2026-03-08T07:30Z'],
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-04T03:30:00+11:00', '2026-10-03T16:30Z'],
    // Lord Howe Island's gap is half an hour: 02:15 moves forward by 30 minutes, not an hour.
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-04T02:45:00+11:00', '2026-10-03T15:45Z'],
    // Santiago springs forward at midnight: the day starts at 01:00.
    ['America/Santiago', '2026-09-06', '00:30', '2026-09-06T01:30:00-03:00', '2026-09-06T04:30Z'],
  ])('in a spring-forward gap moves forward by the gap (%s, %s %s)', (zone, date, time, local, utc) => {
    const shifts = expandSeries(series('FREQ=DAILY', '2026-01-01', time, zone), { from: date, to: date }, NO_DAYS);
    expect(shifts).toHaveLength(1);
    expect(shifts[0]!.key).toBe(`${date}T${time}`);
    expect(shifts[0]!.id).toBe(`3.${date.replace(/-/g, '')}T${time.replace(':', '')}`);
    expect(shifts[0]!.localDate).toBe(date);
    expect(formatInstant(shifts[0]!.start, zone)).toBe(local);
    expect(`${new Date(shifts[0]!.start).toISOString().slice(0, 16)}Z`).toBe(utc);
  });

  it.each([
    ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T02:30:00+02:00', '2026-10-25T00:30Z'],
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T01:30:00-04:00', '2026-11-01T05:30Z'],
    ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-05T02:30:00+11:00', '2026-04-04T15:30Z'],
  ])('that happens twice means its first occurrence (%s, %s %s)', (zone, date, time, local, utc) => {
    const shifts = expandSeries(series('FREQ=DAILY', '2026-01-01', time, zone), { from: date, to: date }, NO_DAYS);
    expect(shifts.map((s) => formatInstant(s.start, zone))).toEqual([local]);
    expect(`${new Date(shifts[0]!.start).toISOString().slice(0, 16)}Z`).toBe(utc);
  });

  it('ends a shift its duration in elapsed minutes after it starts, even across the change', () => {
    // 01:00+02:00 plus three hours is 03:00+01:00 once Berlin's clocks have gone back.
    const [night] = expandSeries(series('FREQ=DAILY', '2026-10-01', '01:00', 'Europe/Berlin', 180), { from: '2026-10-25', to: '2026-10-25' }, NO_DAYS);
    expect(formatInstant(night!.start, 'Europe/Berlin')).toBe('2026-10-25T01:00:00+02:00');
    expect(formatInstant(night!.end, 'Europe/Berlin')).toBe('2026-10-25T03:00:00+01:00');
    expect(night!.end - night!.start).toBe(180 * 60_000);
  });
});

describe('an hourly rule', () => {
  it('follows the wall clock through a spring-forward day: 23 shifts, one an hour, none doubled', () => {
    const shifts = expandSeries(series('FREQ=HOURLY', '2026-03-29', '00:00', 'Europe/Berlin', 60), { from: '2026-03-29', to: '2026-03-29' }, NO_DAYS);
    expect(shifts).toHaveLength(23);
    expect(shifts.map((s) => s.key.slice(11))).not.toContain('03:00');
    expect(formatInstant(shifts[2]!.start, 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.start - shifts[i - 1]!.start).toBe(3_600_000);
  });

  it('gives each wall-clock hour of a fall-back day one shift, at its first occurrence', () => {
    const shifts = expandSeries(series('FREQ=HOURLY', '2026-11-01', '00:00', 'America/New_York', 60), { from: '2026-11-01', to: '2026-11-01' }, NO_DAYS);
    expect(shifts).toHaveLength(24);
    expect(shifts.slice(0, 3).map((s) => formatInstant(s.start, s.timezone))).toEqual(['2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T02:00:00-05:00']);
  });

  it('repeats every few hours from its start time, across midnight', () => {
    const shifts = expandSeries(series('FREQ=HOURLY;INTERVAL=8', '2026-05-01', '06:00', 'Asia/Kolkata', 480), { from: '2026-05-01', to: '2026-05-02' }, NO_DAYS);
    expect(shifts.map((s) => formatInstant(s.start, s.timezone))).toEqual([
      '2026-05-01T06:00:00+05:30',
      '2026-05-01T14:00:00+05:30',
      '2026-05-01T22:00:00+05:30',
      '2026-05-02T06:00:00+05:30',
      '2026-05-02T14:00:00+05:30',
      '2026-05-02T22:00:00+05:30',
    ]);
  });

  it('keeps only the hours BYHOUR names', () => {
    const shifts = expandSeries(series('FREQ=HOURLY;INTERVAL=2;BYHOUR=8,12,16', '2026-05-01', '06:00', 'Europe/Berlin', 60), { from: '2026-05-04', to: '2026-05-04' }, NO_DAYS);
    expect(shifts.map((s) => s.key)).toEqual(['2026-05-04T08:00', '2026-05-04T12:00', '2026-05-04T16:00']);
  });
});

describe('wall time and instants', () => {
  const wall = (text: string) => parseLocal(text)!;

  it.each([
    ['UTC', '2026-07-01T07:15', '2026-07-01T07:15:00+00:00', '2026-07-01T07:15:00.000Z'],
    ['Asia/Shanghai', '2026-07-01T07:15', '2026-07-01T07:15:00+08:00', '2026-06-30T23:15:00.000Z'],
    ['Asia/Kolkata', '2026-03-08T07:15', '2026-03-08T07:15:00+05:30', '2026-03-08T01:45:00.000Z'],
    ['Asia/Kolkata', '2026-07-01T00:10', '2026-07-01T00:10:00+05:30', '2026-06-30T18:40:00.000Z'],
    ['Australia/Sydney', '2026-01-15T07:15', '2026-01-15T07:15:00+11:00', '2026-01-14T20:15:00.000Z'],
    ['Australia/Sydney', '2026-07-15T07:15', '2026-07-15T07:15:00+10:00', '2026-07-14T21:15:00.000Z'],
    ['Pacific/Chatham', '2026-01-15T07:15', '2026-01-15T07:15:00+13:45', '2026-01-14T17:30:00.000Z'],
    ['America/St_Johns', '2026-11-01T01:30', '2026-11-01T01:30:00-02:30', '2026-11-01T04:00:00.000Z'],
    ['America/St_Johns', '2026-03-08T02:30', '2026-03-08T03:30:00-02:30', '2026-03-08T06:00:00.000Z'],
    ['America/New_York', '2026-01-01T00:00', '2026-01-01T00:00:00-05:00', '2026-01-01T05:00:00.000Z'],
    ['Europe/Berlin', '2026-12-31T23:59', '2026-12-31T23:59:00+01:00', '2026-12-31T22:59:00.000Z'],
  ])('in %s, %s is %s', (zone, local, withOffset, utc) => {
    const instant = wallToInstant(wall(local), zone);
    expect(new Date(instant).toISOString()).toBe(utc);
    expect(formatInstant(instant, zone)).toBe(withOffset);
  });

  it('writes offsets west of UTC with a minus sign and half hours as :30', () => {
    expect(formatInstant(Date.UTC(2026, 0, 1, 12), 'America/St_Johns')).toBe('2026-01-01T08:30:00-03:30');
    expect(formatInstant(Date.UTC(2026, 0, 1, 12), 'Asia/Kolkata')).toBe('2026-01-01T17:30:00+05:30');
  });
});
