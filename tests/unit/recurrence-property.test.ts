// Property: random weekly rules, zones, windows and calendars expand exactly as a plain
// day-by-day walk says, with instants found by our own offset search over Intl (not the code under test).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeCalendars, type CalendarDay } from '../../src/domain/day-calendar.js';
import { expandSeries } from '../../src/domain/recurrence.js';

const DAY = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ZONES = [
  'UTC',
  'Asia/Shanghai',
  'Asia/Kolkata',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'America/Santiago',
  'Australia/Sydney',
  'Australia/Lord_Howe',
];

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall time an instant shows in `zone`, as UTC fields, read with Intl. */
function wallAt(instant: number, zone: string): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/**
 * The instant of a wall time, by the README's policy: the earliest instant that shows it; in a
 * spring-forward gap, the wall time read with the offset in force before the gap.
 */
function instantOf(wall: number, zone: string): number {
  const offsetBefore = wallAt(wall - DAY, zone) - (wall - DAY);
  const offsetAfter = wallAt(wall + DAY, zone) - (wall + DAY);
  const shows = [wall - offsetBefore, wall - offsetAfter].filter((t) => wallAt(t, zone) === wall);
  return shows.length > 0 ? Math.min(...shows) : wall - offsetBefore;
}

const dateText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Monday = 0 … Sunday = 6. */
const weekdayOf = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;

interface Case {
  zone: string;
  days: number[];
  interval: number;
  start: number;
  minutes: number;
  until: number | null;
  from: number;
  length: number;
  closed: number[];
  open: number[];
}

/** The shifts by walking each local day: `key@instant`. */
function oracle(c: Case): string[] {
  const to = c.from + (c.length - 1) * DAY;
  const last = Math.min(to, c.until ?? Infinity);
  const closed = new Set(c.closed.map((o) => c.from + o * DAY));
  const open = new Set(c.open.map((o) => c.from + o * DAY));
  const firstMonday = c.start - weekdayOf(c.start) * DAY;
  const out: { key: string; instant: number }[] = [];
  for (let d = Math.max(c.from, c.start); d <= last; d += DAY) {
    if (closed.has(d)) continue;
    const week = Math.floor((d - weekdayOf(d) * DAY - firstMonday) / (7 * DAY));
    const byRule = c.days.includes(weekdayOf(d)) && week % c.interval === 0;
    if (!byRule && !open.has(d)) continue;
    const wall = d + c.minutes * 60_000;
    out.push({ key: new Date(wall).toISOString().slice(0, 16), instant: instantOf(wall, c.zone) });
  }
  return out.sort((a, b) => a.instant - b.instant).map((x) => `${x.key}@${new Date(x.instant).toISOString()}`);
}

const day = (from: string, to: string) => fc.integer({ min: Date.parse(`${from}T00:00:00Z`) / DAY, max: Date.parse(`${to}T00:00:00Z`) / DAY }).map((n) => n * DAY);

const cases: fc.Arbitrary<Case> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    interval: fc.integer({ min: 1, max: 3 }),
    start: day('2024-01-01', '2027-06-30'),
    // Half of the times fall in 00:00–02:59, where the zones above skip or repeat an hour.
    minutes: fc.oneof(fc.integer({ min: 0, max: 3 * 60 - 1 }), fc.integer({ min: 0, max: 24 * 60 - 1 })),
    // Clocks change on Sundays (and Santiago's on a Saturday night), so weekends come up often.
    weekend: fc.boolean(),
    untilAfter: fc.option(fc.integer({ min: 0, max: 500 }), { freq: 3 }),
    from: day('2024-06-01', '2027-06-30'),
    length: fc.integer({ min: 1, max: 366 }),
    closed: fc.array(fc.integer({ min: 0, max: 365 }), { maxLength: 12 }),
    open: fc.array(fc.integer({ min: 0, max: 365 }), { maxLength: 12 }),
  })
  .map(({ untilAfter, weekend, ...c }) => ({ ...c, days: weekend ? [...new Set([...c.days, 5, 6])] : c.days, until: untilAfter === null ? null : c.start + untilAfter * DAY }));

function expand(c: Case): string[] {
  const hhmm = `${String(Math.floor(c.minutes / 60)).padStart(2, '0')}:${String(c.minutes % 60).padStart(2, '0')}`;
  const byday = [...c.days].sort().map((d) => WEEKDAYS[d]).join(',');
  const until = c.until === null ? '' : `;UNTIL=${dateText(c.until).replace(/-/g, '')}`;
  const calendar: CalendarDay[] = [
    ...c.closed.map((o) => ({ date: dateText(c.from + o * DAY), kind: 'closed' as const, label: null })),
    ...c.open.map((o) => ({ date: dateText(c.from + o * DAY), kind: 'open' as const, label: null })),
  ];
  const shifts = expandSeries(
    {
      id: 1,
      rotaId: 1,
      timezone: c.zone,
      endDate: null,
      versions: [{ validFrom: dateText(c.start), rrule: `FREQ=WEEKLY;INTERVAL=${c.interval};BYDAY=${byday}${until}`, startTime: hhmm, durationMinutes: 30, minVolunteers: 1, maxVolunteers: 1 }],
    },
    { from: dateText(c.from), to: dateText(c.from + (c.length - 1) * DAY) },
    mergeCalendars([calendar]),
  );
  return shifts.map((s) => `${s.key}@${new Date(s.start).toISOString()}`);
}

describe('weekly rules against a day-by-day walk', () => {
  it('agree on every shift and instant for random days, intervals, zones, windows and calendars', () => {
    fc.assert(
      fc.property(cases, (c) => {
        expect(expand(c)).toEqual(oracle(c));
      }),
      { numRuns: 300 },
    );
  });

  it('agree across the 2026 daylight-saving changes of every zone in the list', () => {
    // Every zone above changes its clocks in March–April or September–November 2026 (or never).
    const seasons = [
      { from: Date.UTC(2026, 2, 1), length: 41 },
      { from: Date.UTC(2026, 8, 1), length: 66 },
    ];
    for (const zone of ZONES) {
      for (const minutes of [0, 30, 75, 120, 150, 165, 180, 435]) {
        for (const season of seasons) {
          const c: Case = { zone, days: [0, 1, 2, 3, 4, 5, 6], interval: 1, start: Date.UTC(2026, 0, 1), minutes, until: null, ...season, closed: [], open: [] };
          expect(expand(c)).toEqual(oracle(c));
        }
      }
    }
  });
});
