// Day calendars in the expansion: the cn-mainland school year counted from its own data file,
// make-up days, several calendars with `closed` winning, and COUNT/UNTIL before calendars.
import { describe, expect, it } from 'vitest';
import { NO_DAYS, PRESET_CALENDARS, mergeCalendars, type CalendarDay } from '../../src/domain/day-calendar.js';
import { expandSeries, type SeriesDef } from '../../src/domain/recurrence.js';
import { formatInstant } from '../../src/domain/time.js';
import { holidayData, schoolDays } from '../fixtures/cn-school-days.js';

const cnMainland = () => mergeCalendars([PRESET_CALENDARS.get('cn-mainland')!.days]);

function series(rrule: string, startDate: string, startTime = '07:15', timezone = 'Asia/Shanghai', endDate: string | null = null): SeriesDef {
  return { id: 7, rotaId: 1, timezone, endDate, versions: [{ validFrom: startDate, rrule, startTime, durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4 }] };
}

const SCHOOL_DAYS = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';

describe('a school-gate series following cn-mainland', () => {
  it.each(Object.keys(holidayData.years))('has a shift on exactly the school days of %s, counted from the holiday data', (year) => {
    const expected = schoolDays(Number(year));
    const shifts = expandSeries(series(SCHOOL_DAYS, `${year}-01-01`), { from: `${year}-01-01`, to: `${year}-12-31` }, cnMainland());
    // 2026: 261 weekdays, 19 of them holidays, 6 make-up weekend days.
    if (year === '2026') expect(expected.days.length).toBe(261 - 19 + 6);
    expect(shifts.length).toBe(expected.days.length);
    expect(shifts.map((s) => s.localDate)).toEqual(expected.days);
  });

  it('starts every 2026 shift at 07:15 Shanghai time, 23:15 UTC the evening before', () => {
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-01-01'), { from: '2026-01-01', to: '2026-12-31' }, cnMainland());
    for (const s of shifts) {
      expect(formatInstant(s.start, s.timezone)).toBe(`${s.localDate}T07:15:00+08:00`);
      expect(new Date(s.start).toISOString().slice(11, 16)).toBe('23:15');
      expect(s.end - s.start).toBe(45 * 60_000);
    }
  });

  it('puts one shift on each make-up Saturday or Sunday, at the usual time, and none on a holiday', () => {
    const { closed, makeUp } = schoolDays(2026);
    expect(makeUp.length).toBeGreaterThan(0);
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-01-01'), { from: '2026-01-01', to: '2026-12-31' }, cnMainland());
    for (const date of makeUp) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect([0, 6]).toContain(weekday);
      const onDay = shifts.filter((s) => s.localDate === date);
      expect(onDay).toHaveLength(1);
      expect(onDay[0]!.origin).toBe('open-day');
      expect(formatInstant(onDay[0]!.start, 'Asia/Shanghai')).toBe(`${date}T07:15:00+08:00`);
      expect(onDay[0]!.id).toBe(`7.${date.replace(/-/g, '')}T0715`);
    }
    expect(shifts.filter((s) => closed.has(s.localDate))).toEqual([]);
  });

  it('ignores make-up days before the series starts', () => {
    // 2026-01-04 (a Sunday) is a make-up day; the series starts after it.
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-01-05'), { from: '2026-01-01', to: '2026-01-10' }, cnMainland());
    expect(shifts.map((s) => s.localDate)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09']);
  });
});

describe('several calendars on one series', () => {
  const day = (date: string, kind: 'closed' | 'open'): CalendarDay => ({ date, kind, label: null });

  it('closes a day that any one calendar closes, even when another opens it', () => {
    const school = [day('2026-02-14', 'closed'), day('2026-03-02', 'closed')];
    const days = mergeCalendars([PRESET_CALENDARS.get('cn-mainland')!.days, school]);
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-02-09'), { from: '2026-02-09', to: '2026-03-06' }, days);
    const dates = shifts.map((s) => s.localDate);
    // 2026-02-14 is a national make-up Saturday but the school is closed; 02-15..02-23 are the Spring Festival.
    expect(dates).not.toContain('2026-02-14');
    expect(dates).not.toContain('2026-03-02');
    expect(dates).toContain('2026-02-28');
    expect(dates).toEqual(['2026-02-09', '2026-02-10', '2026-02-11', '2026-02-12', '2026-02-13', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
  });

  it('keeps one shift on a day the rule already has when a calendar also opens it', () => {
    const days = mergeCalendars([[day('2026-03-04', 'open')], [day('2026-03-04', 'open')]]);
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-03-02'), { from: '2026-03-04', to: '2026-03-04' }, days);
    expect(shifts).toHaveLength(1);
    expect(shifts[0]!.origin).toBe('rule');
  });

  it('adds an open day at the series\' own time in its own zone, across a daylight-saving change', () => {
    // Sunday 2026-03-29 is the day Berlin springs forward; an 07:15 make-up shift is 07:15+02:00.
    const days = mergeCalendars([[day('2026-03-29', 'open')]]);
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-03-23', '07:15', 'Europe/Berlin'), { from: '2026-03-27', to: '2026-03-30' }, days);
    expect(shifts.map((s) => formatInstant(s.start, s.timezone))).toEqual(['2026-03-27T07:15:00+01:00', '2026-03-29T07:15:00+02:00', '2026-03-30T07:15:00+02:00']);
  });
});

describe('COUNT and UNTIL apply to the rule before calendars', () => {
  const days = mergeCalendars([
    [
      { date: '2026-03-04', kind: 'closed', label: null },
      { date: '2026-03-14', kind: 'open', label: null },
    ],
  ]);

  it('counts a closed day among COUNT and does not replace it', () => {
    const shifts = expandSeries(series(`${SCHOOL_DAYS};COUNT=5`, '2026-03-02'), { from: '2026-03-01', to: '2026-03-31' }, days);
    expect(shifts.map((s) => s.localDate)).toEqual(['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06']);
  });

  it('adds no open day after the last counted occurrence', () => {
    const shifts = expandSeries(series(`${SCHOOL_DAYS};COUNT=5`, '2026-03-02'), { from: '2026-03-10', to: '2026-03-20' }, days);
    expect(shifts).toEqual([]);
  });

  it('adds an open day up to a date-only UNTIL, and none after it', () => {
    const until = (date: string) => expandSeries(series(`${SCHOOL_DAYS};UNTIL=${date}`, '2026-03-09'), { from: '2026-03-09', to: '2026-03-31' }, days).map((s) => s.localDate);
    expect(until('20260314')).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14']);
    expect(until('20260313')).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
  });

  it('ends with the series\' end date, open days included', () => {
    const shifts = expandSeries(series(SCHOOL_DAYS, '2026-03-09', '07:15', 'Asia/Shanghai', '2026-03-13'), { from: '2026-03-01', to: '2026-03-31' }, days);
    expect(shifts.map((s) => s.localDate)).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
  });

  it('leaves a series without calendars alone', () => {
    expect(expandSeries(series(SCHOOL_DAYS, '2026-03-02'), { from: '2026-03-02', to: '2026-03-08' }, NO_DAYS)).toHaveLength(5);
  });
});
