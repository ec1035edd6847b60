// Rules, their limits and their edits: UNTIL, overrides by shift key, re-anchoring old rules,
// "this and all future" versions, refusals with a useful message, windows and shift ids.
import fc from 'fast-check';
import rrule from 'rrule';
import { describe, expect, it } from 'vitest';
import { NO_DAYS } from '../../src/domain/day-calendar.js';
import { RotaError } from '../../src/domain/errors.js';
import {
  checkShape,
  checkVersion,
  checkWindow,
  expandSeries,
  findShift,
  parseShiftId,
  shiftId,
  type RuleVersion,
  type SeriesDef,
  type ShiftOverride,
} from '../../src/domain/recurrence.js';
import { formatInstant } from '../../src/domain/time.js';

const { RRule } = rrule;

function version(rrule: string, validFrom: string, startTime = '07:15'): RuleVersion {
  return { validFrom, rrule, startTime, durationMinutes: 45, minVolunteers: 1, maxVolunteers: 3 };
}

function series(rrule: string, startDate: string, startTime = '07:15', timezone = 'Asia/Shanghai'): SeriesDef {
  return { id: 12, rotaId: 1, timezone, endDate: null, versions: [version(rrule, startDate, startTime)] };
}

const keys = (s: SeriesDef, from: string, to: string, overrides: ShiftOverride[] = []) => expandSeries(s, { from, to }, NO_DAYS, overrides).map((x) => x.key);

/** The refusal a call throws, as `CODE: message`. */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof RotaError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('UNTIL', () => {
  it('includes the whole day of a date-only UNTIL', () => {
    expect(keys(series('FREQ=DAILY;UNTIL=20260305', '2026-03-01', '23:30'), '2026-03-01', '2026-03-31').at(-1)).toBe('2026-03-05T23:30');
  });

  it('includes an occurrence exactly at a local UNTIL and nothing after it', () => {
    expect(keys(series('FREQ=DAILY;UNTIL=20260305T071500', '2026-03-01'), '2026-03-01', '2026-03-31').at(-1)).toBe('2026-03-05T07:15');
    expect(keys(series('FREQ=DAILY;UNTIL=20260305T071459', '2026-03-01'), '2026-03-01', '2026-03-31').at(-1)).toBe('2026-03-04T07:15');
  });

  it('compares a UTC UNTIL with each shift\'s instant, not its wall time', () => {
    // 07:15 in Shanghai is 23:15 UTC the day before.
    expect(keys(series('FREQ=DAILY;UNTIL=20260304T231500Z', '2026-03-01'), '2026-03-01', '2026-03-31').at(-1)).toBe('2026-03-05T07:15');
    expect(keys(series('FREQ=DAILY;UNTIL=20260304T231459Z', '2026-03-01'), '2026-03-01', '2026-03-31').at(-1)).toBe('2026-03-04T07:15');
    expect(keys(series('FREQ=DAILY;UNTIL=20260305T121500Z', '2026-03-01', '07:15', 'America/New_York'), '2026-03-01', '2026-03-31').at(-1)).toBe('2026-03-05T07:15');
  });

  it('compares a UTC UNTIL as an instant in the repeated and the skipped hour', () => {
    // 02:45 on 25 October is first 00:45Z, before an UNTIL of 01:30Z (which reads 02:30 the second time).
    expect(keys(series('FREQ=DAILY;UNTIL=20261025T013000Z', '2026-10-20', '02:45', 'Europe/Berlin'), '2026-10-20', '2026-10-31').at(-1)).toBe('2026-10-25T02:45');
    // 02:30 on 29 March moves to 03:30+02:00 = 01:30Z, after an UNTIL of 01:15Z.
    expect(keys(series('FREQ=DAILY;UNTIL=20260329T011500Z', '2026-03-25', '02:30', 'Europe/Berlin'), '2026-03-25', '2026-03-31').at(-1)).toBe('2026-03-28T02:30');
  });
});

describe('exceptions to single shifts', () => {
  const weekdays = series('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-03-02');
  const override = (key: string, change: Partial<ShiftOverride>): ShiftOverride => ({
    key,
    cancelled: false,
    start: null,
    durationMinutes: null,
    minVolunteers: null,
    maxVolunteers: null,
    ...change,
  });

  it('cancels the occurrence its key names and no other', () => {
    const shifts = expandSeries(weekdays, { from: '2026-03-02', to: '2026-03-06' }, NO_DAYS, [override('2026-03-04T07:15', { cancelled: true })]);
    expect(shifts.map((s) => `${s.key} ${s.cancelled}`)).toEqual(['2026-03-02T07:15 false', '2026-03-03T07:15 false', '2026-03-04T07:15 true', '2026-03-05T07:15 false', '2026-03-06T07:15 false']);
  });

  it('changes one shift\'s capacity and length, keeping its id', () => {
    const [shift] = expandSeries(weekdays, { from: '2026-03-03', to: '2026-03-03' }, NO_DAYS, [override('2026-03-03T07:15', { maxVolunteers: 6, minVolunteers: 3, durationMinutes: 90 })]);
    expect(shift).toMatchObject({ id: '12.20260303T0715', min: 3, max: 6, moved: false });
    expect(shift!.end - shift!.start).toBe(90 * 60_000);
  });

  it('moves a shift to another time and keeps its id', () => {
    const shifts = expandSeries(weekdays, { from: '2026-03-02', to: '2026-03-06' }, NO_DAYS, [override('2026-03-03T07:15', { start: '2026-03-03T09:30' })]);
    const moved = shifts.find((s) => s.id === '12.20260303T0715')!;
    expect(moved).toMatchObject({ key: '2026-03-03T07:15', localStart: '2026-03-03T09:30', moved: true });
    expect(formatInstant(moved.start, 'Asia/Shanghai')).toBe('2026-03-03T09:30:00+08:00');
    expect(shifts).toHaveLength(5);
  });

  it('lists a shift moved into the window from a date outside it, and not in the window it left', () => {
    const moves = [override('2026-03-02T07:15', { start: '2026-03-11T18:00' })];
    const into = expandSeries(weekdays, { from: '2026-03-09', to: '2026-03-13' }, NO_DAYS, moves);
    expect(into.map((s) => s.id)).toEqual(['12.20260309T0715', '12.20260310T0715', '12.20260311T0715', '12.20260302T0715', '12.20260312T0715', '12.20260313T0715']);
    expect(into.find((s) => s.id === '12.20260302T0715')!.localDate).toBe('2026-03-11');
    expect(keys(weekdays, '2026-03-02', '2026-03-06', moves)).toEqual(['2026-03-03T07:15', '2026-03-04T07:15', '2026-03-05T07:15', '2026-03-06T07:15']);
  });

  it('ignores an exception whose key the rule never produces', () => {
    expect(keys(weekdays, '2026-03-02', '2026-03-08', [override('2026-03-07T07:15', { start: '2026-03-04T10:00' }), override('2026-03-04T07:16', { cancelled: true })])).toEqual([
      '2026-03-02T07:15',
      '2026-03-03T07:15',
      '2026-03-04T07:15',
      '2026-03-05T07:15',
      '2026-03-06T07:15',
    ]);
  });

  it('matches an exception by local start even when that local time falls in a daylight-saving gap', () => {
    const berlin = series('FREQ=DAILY', '2026-03-27', '02:30', 'Europe/Berlin');
    const shifts = expandSeries(berlin, { from: '2026-03-28', to: '2026-03-30' }, NO_DAYS, [override('2026-03-29T02:30', { cancelled: true })]);
    expect(shifts.map((s) => s.cancelled)).toEqual([false, true, false]);
  });

  it('finds one shift by its key, with its exception applied', () => {
    expect(findShift(weekdays, '2026-03-05T07:15', NO_DAYS, override('2026-03-05T07:15', { maxVolunteers: 9 }))).toMatchObject({ id: '12.20260305T0715', max: 9 });
    expect(findShift(weekdays, '2026-03-07T07:15', NO_DAYS)).toBeNull();
    expect(findShift(weekdays, '2026-03-05T07:30', NO_DAYS)).toBeNull();
  });
});

describe('a rule started long ago', () => {
  /** The same rule expanded by rrule straight from its start, with no re-anchoring: wall times as `YYYY-MM-DDTHH:MM`. */
  function fromTheStart(body: string, start: string, from: string, to: string): string[] {
    const rule = new RRule({ ...RRule.parseString(body), dtstart: new Date(`${start}Z`) });
    return rule.between(new Date(`${from}T00:00:00Z`), new Date(`${to}T23:59:59Z`), true).map((d) => d.toISOString().slice(0, 16));
  }

  it.each([
    ['FREQ=DAILY', '1975-03-14T07:15'],
    ['FREQ=DAILY;INTERVAL=3', '1975-03-14T07:15'],
    ['FREQ=DAILY;INTERVAL=7;BYMONTH=1,4,7,10', '1975-03-14T06:00'],
    ['FREQ=WEEKLY', '1975-03-14T07:15'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH', '1975-03-14T07:15'],
    ['FREQ=WEEKLY;INTERVAL=3;BYDAY=SU;WKST=SU', '1975-03-16T18:00'],
    ['FREQ=MONTHLY', '1975-01-31T07:15'],
    ['FREQ=MONTHLY;INTERVAL=5', '1975-08-30T07:15'],
    ['FREQ=MONTHLY;BYDAY=-1FR', '1975-03-14T19:00'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1', '1975-03-14T07:15'],
    ['FREQ=YEARLY', '1975-10-31T07:15'],
    ['FREQ=YEARLY;INTERVAL=3', '1975-06-15T09:00'],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', '1975-03-14T07:15'],
    ['FREQ=YEARLY;BYWEEKNO=1,27;BYDAY=MO', '1975-03-14T07:15'],
    ['FREQ=HOURLY;INTERVAL=5', '2019-03-14T07:00'],
  ])('%s from %s gives the same 2026 shifts as expanding it from its start', (body, start) => {
    const s = series(body, start.slice(0, 10), start.slice(11), 'Europe/Berlin');
    const expected = fromTheStart(body, start, '2026-01-01', '2026-12-31');
    expect(expected.length).toBeGreaterThan(0);
    expect(keys(s, '2026-01-01', '2026-12-31')).toEqual(expected);
  });

  it.each([
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026'],
    ['FREQ=MONTHLY;INTERVAL=4', '2026'],
    ['FREQ=MONTHLY;BYMONTHDAY=31', '2026'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2028'],
  ])('%s from 1975 agrees in %s with the same rule under a COUNT, which cannot be re-anchored', (body, year) => {
    const open = keys(series(body, '1975-01-31'), `${year}-01-01`, `${year}-12-31`);
    expect(keys(series(`${body};COUNT=5000`, '1975-01-31'), `${year}-01-01`, `${year}-12-31`)).toEqual(open);
    expect(open.length).toBeGreaterThan(0);
  });
});

describe('"this and all future" versions of a rule', () => {
  function versioned(first: RuleVersion, next: RuleVersion): SeriesDef {
    return { id: 12, rotaId: 1, timezone: 'Asia/Shanghai', endDate: null, versions: [first, next] };
  }

  it('keeps the shifts before the change as they were, with their ids', () => {
    const s = versioned(version('FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-03-02'), version('FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-03-11', '08:00'));
    expect(keys(s, '2026-03-02', '2026-03-15')).toEqual(['2026-03-02T07:15', '2026-03-04T07:15', '2026-03-06T07:15', '2026-03-09T07:15', '2026-03-11T08:00', '2026-03-13T08:00']);
  });

  it('keeps a weekly rule\'s weekday when the change starts on another day', () => {
    // Started on a Monday without BYDAY; changed from a Wednesday: still Mondays.
    const s = versioned(version('FREQ=WEEKLY', '2026-03-02'), version('FREQ=WEEKLY', '2026-03-04', '08:00'));
    expect(keys(s, '2026-03-01', '2026-03-22')).toEqual(['2026-03-02T07:15', '2026-03-09T08:00', '2026-03-16T08:00']);
  });

  it('keeps a fortnightly rule\'s weeks when the change starts in an off week', () => {
    const s = versioned(version('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', '2026-01-05'), version('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', '2026-03-10', '08:00'));
    expect(keys(s, '2026-02-23', '2026-04-30')).toEqual(['2026-03-02T07:15', '2026-03-16T08:00', '2026-03-30T08:00', '2026-04-13T08:00', '2026-04-27T08:00']);
  });

  it('keeps a monthly rule\'s day of the month', () => {
    const s = versioned(version('FREQ=MONTHLY', '2026-01-15'), version('FREQ=MONTHLY', '2026-03-03', '18:00'));
    expect(keys(s, '2026-01-01', '2026-05-31')).toEqual(['2026-01-15T07:15', '2026-02-15T07:15', '2026-03-15T18:00', '2026-04-15T18:00', '2026-05-15T18:00']);
  });

  it('keeps the total a COUNT allows', () => {
    const s = versioned(version('FREQ=WEEKLY;BYDAY=TU;COUNT=6', '2026-03-03'), version('FREQ=WEEKLY;BYDAY=TU;COUNT=6', '2026-03-20', '08:00'));
    expect(keys(s, '2026-03-01', '2026-06-30')).toEqual(['2026-03-03T07:15', '2026-03-10T07:15', '2026-03-17T07:15', '2026-03-24T08:00', '2026-03-31T08:00', '2026-04-07T08:00']);
  });

  it('refuses a change after which the rule has nothing left to produce', () => {
    expect(refusal(() => checkVersion(version('FREQ=WEEKLY;BYDAY=TU;COUNT=3', '2026-04-01'), 'Asia/Shanghai', '2026-03-03'))).toMatch(/^VALIDATION: This rule produces no shift within eight years of 2026-04-01/);
    expect(checkVersion(version('FREQ=WEEKLY;BYDAY=TU;COUNT=6', '2026-03-20'), 'Asia/Shanghai', '2026-03-03').count).toBe(6);
  });
});

describe('refused rules', () => {
  const check = (rrule: string, startDate = '2026-03-02', startTime = '07:15') => refusal(() => checkVersion(version(rrule, startDate, startTime), 'Europe/Berlin'));

  it.each([
    ['FREQ=MINUTELY', /^RULE_TOO_FINE: A rule repeating minutely is finer than hourly/],
    ['FREQ=SECONDLY;INTERVAL=30', /^RULE_TOO_FINE: /],
    ['FREQ=FORTNIGHTLY', /^VALIDATION: rrule's FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY, got "FORTNIGHTLY"/],
    ['', /^VALIDATION: rrule must be an RRULE body/],
    ['BYDAY=MO', /^VALIDATION: rrule must start with a FREQ/],
    ['FREQ=WEEKLY;BYDAYS=MO', /^VALIDATION: rrule has an unknown or unsupported part "BYDAYS"/],
    ['FREQ=WEEKLY;X-NAME=1', /unknown or unsupported part "X-NAME"/],
    ['FREQ=DAILY;BYMINUTE=15', /^VALIDATION: rrule must not contain BYMINUTE: a series has one startTime/],
    ['FREQ=DAILY;BYSECOND=0', /must not contain BYSECOND/],
    ['DTSTART:20260302T071500;FREQ=DAILY', /unknown or unsupported part/],
    ['FREQ=DAILY;DTSTART=20260302T071500', /^VALIDATION: rrule must not contain DTSTART: the series' startDate, startTime and the rota's timezone set it/],
    ['FREQ=DAILY;TZID=Asia/Shanghai', /must not contain TZID/],
    ['FREQ=DAILY;FREQ=WEEKLY', /names FREQ twice/],
    ['FREQ=WEEKLY;BYDAY=MON', /BYDAY has an invalid value "MON"/],
    ['FREQ=WEEKLY;BYDAY=1MO', /may number a weekday in BYDAY .* only with FREQ=MONTHLY/],
    ['FREQ=MONTHLY;BYDAY=6MO', /BYDAY number 6 is outside 1–5/],
    ['FREQ=YEARLY;BYDAY=54MO', /BYDAY number 54 is outside 1–53/],
    ['FREQ=DAILY;BYMONTH=13', /BYMONTH value 13 is outside 1–12/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /BYMONTHDAY value 0 is outside 1–31/],
    ['FREQ=DAILY;BYHOUR=24', /BYHOUR value 24 is outside 0–23/],
    ['FREQ=DAILY;INTERVAL=0', /INTERVAL must be at least 1/],
    ['FREQ=DAILY;COUNT=0', /COUNT must be between 1 and 5000/],
    ['FREQ=DAILY;COUNT=5001', /COUNT must be between 1 and 5000/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20260401', /COUNT or UNTIL, not both/],
    ['FREQ=DAILY;UNTIL=20260230', /UNTIL is not a real date: "20260230"/],
    ['FREQ=DAILY;UNTIL=20260330T250000', /UNTIL has an impossible time/],
    ['FREQ=DAILY;UNTIL=2026-03-30', /UNTIL has an invalid value/],
    ['FREQ=DAILY;BYSETPOS=1', /BYSETPOS picks among the days another BY part names/],
    // Impossible rules: refused at once rather than searched for until the year 9999.
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /^VALIDATION: This rule produces no shift within eight years of 2026-03-02/],
    ['FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31', /produces no shift/],
    ['FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30', /produces no shift/],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6', /produces no shift/],
    ['FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29', /produces no shift/],
    ['FREQ=DAILY;UNTIL=20260301', /produces no shift/],
    // From 07:15 every two hours reaches only odd hours.
    ['FREQ=HOURLY;INTERVAL=2;BYHOUR=8', /produces no shift/],
  ])('refuses %s', (rule, message) => {
    expect(check(rule)).toMatch(message);
  });

  it('names the rule as the field at fault', () => {
    expect(() => checkVersion(version('FREQ=DAILY;BYMINUTE=1', '2026-03-02'), 'UTC')).toThrow(expect.objectContaining({ details: { field: 'rrule' } }));
    expect(() => checkVersion(version('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2026-03-02'), 'UTC')).toThrow(expect.objectContaining({ details: { field: 'rrule' } }));
  });

  it.each(['FREQ=weekly;byday=mo,we', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE', 'FREQ=WEEKLY;BYDAY=MO,WE;', '  FREQ=WEEKLY;;BYDAY=MO,WE  '])('reads %s as FREQ=WEEKLY;BYDAY=MO,WE', (rule) => {
    expect(checkVersion(version(rule, '2026-03-02'), 'UTC').body).toBe('FREQ=WEEKLY;BYDAY=MO,WE');
  });

  it('accepts the rules a rota needs', () => {
    for (const rule of ['FREQ=MONTHLY;BYDAY=1SA', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=HOURLY;INTERVAL=2;BYHOUR=9,13,17', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1']) {
      expect(check(rule)).toBe('accepted');
    }
  });

  it.each([
    [{ startTime: '24:00' }, /^VALIDATION: startTime must be a time of day written HH:MM \(00:00–23:59\), got "24:00"/],
    [{ startTime: '7:15' }, /startTime must be a time of day/],
    [{ validFrom: '2026-02-30' }, /^VALIDATION: startDate must be a real date written YYYY-MM-DD, got "2026-02-30"/],
    [{ durationMinutes: 0 }, /durationMinutes must be a whole number of minutes from 1 to 1440/],
    [{ durationMinutes: -30 }, /durationMinutes must be a whole number/],
    [{ durationMinutes: 1441 }, /durationMinutes/],
    [{ minVolunteers: 5, maxVolunteers: 4 }, /^VALIDATION: minVolunteers \(5\) is more than maxVolunteers \(4\)/],
    [{ maxVolunteers: 0, minVolunteers: 0 }, /maxVolunteers must be a whole number from 1 to 1000/],
    [{ minVolunteers: -1 }, /minVolunteers must be a whole number, 0 or more/],
  ])('refuses a shift shaped %j', (change, message) => {
    expect(refusal(() => checkVersion({ ...version('FREQ=DAILY', '2026-03-02'), ...change }, 'UTC'))).toMatch(message);
  });

  it('allows a shift with no minimum', () => {
    expect(refusal(() => checkShape({ durationMinutes: 1440, minVolunteers: 0, maxVolunteers: 1 }))).toBe('accepted');
  });
});

describe('windows of dates', () => {
  it('allows up to 366 days and refuses a longer window with RANGE_TOO_LONG', () => {
    expect(checkWindow({ from: '2026-01-01', to: '2027-01-01' })).toBeDefined();
    expect(refusal(() => checkWindow({ from: '2026-01-01', to: '2027-01-02' }))).toBe('RANGE_TOO_LONG: A window may cover at most 366 days; 2026-01-01 to 2027-01-02 is 367.');
    expect(refusal(() => expandSeries(series('FREQ=DAILY', '2020-01-01'), { from: '2020-01-01', to: '2030-01-01' }, NO_DAYS))).toMatch(/^RANGE_TOO_LONG/);
  });

  it('refuses a window that ends before it starts, or names a date that does not exist', () => {
    expect(refusal(() => checkWindow({ from: '2026-03-02', to: '2026-03-01' }))).toBe('VALIDATION: to (2026-03-01) is before from (2026-03-02).');
    expect(refusal(() => checkWindow({ from: '2026-02-30', to: '2026-03-01' }))).toMatch(/^VALIDATION: from must be a real date/);
    expect(refusal(() => checkWindow({ from: '2026-02-01', to: '2026-13-01' }))).toMatch(/^VALIDATION: to must be a real date/);
  });

  it('gives a one-day window the shifts of that local day only', () => {
    expect(keys(series('FREQ=HOURLY;INTERVAL=6', '2026-03-01', '03:00'), '2026-03-02', '2026-03-02')).toEqual(['2026-03-02T03:00', '2026-03-02T09:00', '2026-03-02T15:00', '2026-03-02T21:00']);
  });
});

describe('shift ids', () => {
  it('are the series id and the original local start', () => {
    expect(shiftId(12, '2026-03-02T07:15')).toBe('12.20260302T0715');
    expect(parseShiftId('12.20260302T0715')).toEqual({ seriesId: 12, key: '2026-03-02T07:15' });
  });

  it('read back to the same series and local start, for any series and minute', () => {
    const minute = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 11, 31, 23, 59) }).map((ms) => new Date(ms - (ms % 60_000)).toISOString().slice(0, 16));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999_999 }), minute, (id, key) => {
        const text = shiftId(id, key);
        expect(text).toMatch(/^[0-9A-Za-z._~-]+$/);
        expect(parseShiftId(text)).toEqual({ seriesId: id, key });
      }),
    );
  });

  it.each(['12.20260230T0715', '12.20260302T2400', '12.20260302T0760', '12.2026030T0715', '12-20260302T0715', 'x.20260302T0715', '12.20260302T0715x', '', '1234567890123.20260302T0715'])(
    'refuse %j',
    (text) => {
      expect(parseShiftId(text)).toBeNull();
    },
  );
});
