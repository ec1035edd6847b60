// The expansion's shortcuts (plain daily and weekly rules walked without rrule, dates spelled from a
// table, instants de-duplicated only when they stop rising) against the slower ways they replace:
// the same series made to take rrule's path, and Date's own ISO spelling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_DAYS, mergeCalendars, type CalendarDay } from '../../src/domain/day-calendar.js';
import { expandSeries, shiftId, type SeriesDef, type ShiftOverride } from '../../src/domain/recurrence.js';
import { formatDate, formatLocal } from '../../src/domain/time.js';

const DAY = 86_400_000;
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** A BYMONTH naming every month changes no occurrence but sends the rule through rrule. */
const ALL_MONTHS = ';BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12';
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Shanghai'];

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const plainRule = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY'),
    interval: fc.integer({ min: 1, max: 3 }),
    byday: fc.option(fc.uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 7 }), { nil: undefined }),
    wkst: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
    untilAfter: fc.option(fc.integer({ min: 0, max: 700 }), { freq: 4, nil: undefined }),
  })
  .map((r) => (start: number) =>
    [
      `FREQ=${r.freq}`,
      `INTERVAL=${r.interval}`,
      ...(r.byday ? [`BYDAY=${r.byday.join(',')}`] : []),
      ...(r.wkst ? [`WKST=${r.wkst}`] : []),
      ...(r.untilAfter === undefined ? [] : [`UNTIL=${dateOf(start + r.untilAfter * DAY).replace(/-/g, '')}`]),
    ].join(';'),
  );

// Half of the start times fall in 00:00–02:59, where the zones above skip or repeat an hour.
const minutes = fc.oneof(fc.integer({ min: 0, max: 3 * 60 - 1 }), fc.integer({ min: 0, max: 24 * 60 - 1 }));

const cases = fc.record({
  zone: fc.constantFrom(...ZONES),
  start: fc.integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2027, 0, 1) / DAY }).map((d) => d * DAY),
  first: fc.record({ rule: plainRule, minutes }),
  // A later version ("this and all future") with its own rule and time.
  second: fc.option(fc.record({ after: fc.integer({ min: 1, max: 200 }), rule: plainRule, minutes }), { nil: undefined }),
  endAfter: fc.option(fc.integer({ min: 0, max: 700 }), { freq: 4, nil: undefined }),
  fromAfter: fc.integer({ min: -10, max: 300 }),
  length: fc.integer({ min: 1, max: 100 }),
  closed: fc.array(fc.integer({ min: -5, max: 125 }), { maxLength: 10 }),
  open: fc.array(fc.integer({ min: -5, max: 125 }), { maxLength: 6 }),
  overrides: fc.array(
    fc.record({
      // Days from the window's start: some before it, so a shift can be moved in from outside.
      day: fc.integer({ min: -3, max: 125 }),
      cancelled: fc.boolean(),
      moveBy: fc.option(fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), { nil: undefined }),
      durationMinutes: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
      maxVolunteers: fc.option(fc.integer({ min: 3, max: 9 }), { nil: null }),
    }),
    { maxLength: 5 },
  ),
});

type Case = typeof cases extends fc.Arbitrary<infer T> ? T : never;

function series(c: Case, extra: string): SeriesDef {
  const version = (validFrom: number, rrule: string, minutes: number) => ({
    validFrom: dateOf(validFrom),
    rrule: rrule + extra,
    startTime: hhmm(minutes),
    durationMinutes: 45,
    minVolunteers: 1,
    maxVolunteers: 2,
  });
  const versions = [version(c.start, c.first.rule(c.start), c.first.minutes)];
  if (c.second) versions.push(version(c.start + c.second.after * DAY, c.second.rule(c.start), c.second.minutes));
  return { id: 7, rotaId: 3, timezone: c.zone, endDate: c.endAfter === undefined ? null : dateOf(c.start + c.endAfter * DAY), versions };
}

function expandBoth(c: Case) {
  const from = c.start + c.fromAfter * DAY;
  const window = { from: dateOf(from), to: dateOf(from + (c.length - 1) * DAY) };
  const calendar: CalendarDay[] = [
    ...c.closed.map((d) => ({ date: dateOf(from + d * DAY), kind: 'closed' as const, label: null })),
    ...c.open.map((d) => ({ date: dateOf(from + d * DAY), kind: 'open' as const, label: null })),
  ];
  const days = mergeCalendars([calendar]);
  const overrides: ShiftOverride[] = c.overrides.map((o) => {
    const original = from + o.day * DAY + (o.day % 2 === 0 || !c.second ? c.first.minutes : c.second.minutes) * 60_000;
    return {
      key: formatLocal(original),
      cancelled: o.cancelled,
      start: o.moveBy === undefined ? null : new Date(original + o.moveBy * 60_000).toISOString().slice(0, 16),
      durationMinutes: o.durationMinutes,
      minVolunteers: null,
      maxVolunteers: o.maxVolunteers,
    };
  });
  return {
    shortcut: expandSeries(series(c, ''), window, days, overrides),
    rrule: expandSeries(series(c, ALL_MONTHS), window, days, overrides),
  };
}

const RUNS = 120;

describe('the expansion of plain daily and weekly rules', () => {
  it('gives the very shifts rrule gives, field for field, with versions, ends, calendars and overrides in zones that change their clocks', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(cases, (c) => {
        const { shortcut, rrule } = expandBoth(c);
        expect(shortcut).toEqual(rrule);
        for (const s of shortcut) {
          expect(s.id).toBe(shiftId(s.seriesId, s.key));
          expect(s.localDate).toBe(s.localStart.slice(0, 10));
        }
        if (shortcut.length > 0) nonEmpty++;
      }),
      { numRuns: RUNS, seed: 1129 },
    );
    // Most cases must produce shifts, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThan(RUNS / 2);
  });

  it('keeps one shift when a zone skips a whole day and two days land on one instant (Samoa, 30 December 2011)', () => {
    const def: SeriesDef = {
      id: 1,
      rotaId: 1,
      timezone: 'Pacific/Apia',
      endDate: null,
      versions: [{ validFrom: '2011-12-01', rrule: 'FREQ=DAILY', startTime: '07:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2 }],
    };
    const shifts = expandSeries(def, { from: '2011-12-28', to: '2012-01-02' }, NO_DAYS);
    expect(shifts.map((s) => `${s.key} ${new Date(s.start).toISOString().slice(0, 16)}`)).toEqual([
      '2011-12-28T07:00 2011-12-28T17:00',
      '2011-12-29T07:00 2011-12-29T17:00',
      '2011-12-30T07:00 2011-12-30T17:00',
      '2012-01-01T07:00 2011-12-31T17:00',
      '2012-01-02T07:00 2012-01-01T17:00',
    ]);
  });
});

describe('local dates and times spelled from tables', () => {
  it('read as Date spells them in ISO 8601, for any moment from 1970 to 2199', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) - 1 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(formatDate(ms)).toBe(iso.slice(0, 10));
        expect(formatLocal(ms)).toBe(iso.slice(0, 16));
      }),
      { numRuns: 1000 },
    );
  });
});
