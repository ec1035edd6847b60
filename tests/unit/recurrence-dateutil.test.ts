// A second opinion from another implementation: Python's dateutil expands random DAILY, WEEKLY
// and MONTHLY rules from their start (no re-anchoring), and zoneinfo turns wall times into instants
// (fold=0: an ambiguous time is its first occurrence, a time in a gap takes the offset before it).
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_DAYS } from '../../src/domain/day-calendar.js';
import { expandSeries } from '../../src/domain/recurrence.js';

const PYTHON = `
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from dateutil.rrule import rrulestr

out = []
for c in json.load(sys.stdin):
    rule = rrulestr(c["rrule"], dtstart=datetime.fromisoformat(c["start"]))
    zone = ZoneInfo(c["zone"])
    found = rule.between(datetime.fromisoformat(c["from"] + "T00:00"), datetime.fromisoformat(c["to"] + "T23:59:59"), inc=True)
    out.append([w.strftime("%Y-%m-%dT%H:%M") + "@" + w.replace(tzinfo=zone, fold=0).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z") for w in found])
print(json.dumps(out))
`;

interface Case {
  rrule: string;
  start: string;
  zone: string;
  from: string;
  to: string;
}

const DAY = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const two = (n: number) => String(n).padStart(2, '0');

const rules = fc.oneof(
  fc.record({ interval: fc.integer({ min: 1, max: 4 }) }).map(({ interval }) => `FREQ=DAILY;INTERVAL=${interval}`),
  fc
    .record({ interval: fc.integer({ min: 1, max: 3 }), days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }) })
    .map(({ interval, days }) => `FREQ=WEEKLY;INTERVAL=${interval};BYDAY=${days.join(',')}`),
  fc
    .record({ interval: fc.integer({ min: 1, max: 3 }), monthDays: fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { minLength: 1, maxLength: 3 }) })
    .map(({ interval, monthDays }) => `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${monthDays.join(',')}`),
  fc
    .record({ nth: fc.constantFrom(1, 2, 3, -1), day: fc.constantFrom(...WEEKDAYS) })
    .map(({ nth, day }) => `FREQ=MONTHLY;BYDAY=${nth}${day}`),
  fc.constant('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'),
);

const cases: fc.Arbitrary<Case> = fc
  .record({
    rrule: rules,
    // Some start decades back, so that the expansion must re-anchor.
    start: fc.oneof(fc.integer({ min: Date.UTC(1990, 0, 1) / DAY, max: Date.UTC(2000, 0, 1) / DAY }), fc.integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2026, 11, 1) / DAY })),
    minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    zone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Shanghai', 'Asia/Kolkata'),
    from: fc.integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2026, 11, 31) / DAY }),
    length: fc.integer({ min: 1, max: 366 }),
  })
  .map(({ rrule, start, minutes, zone, from, length }) => ({
    rrule,
    start: `${date(start * DAY)}T${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`,
    zone,
    from: date(from * DAY),
    to: date((from + length - 1) * DAY),
  }));

function dateutil(list: Case[]): string[][] {
  const run = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(list), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

function ours(c: Case): string[] {
  const series = {
    id: 1,
    rotaId: 1,
    timezone: c.zone,
    endDate: null,
    versions: [{ validFrom: c.start.slice(0, 10), rrule: c.rrule, startTime: c.start.slice(11), durationMinutes: 60, minVolunteers: 1, maxVolunteers: 1 }],
  };
  return expandSeries(series, { from: c.from, to: c.to }, NO_DAYS).map((s) => `${s.key}@${new Date(s.start).toISOString()}`);
}

describe('expansion compared with python-dateutil and zoneinfo', () => {
  it('gives the same shifts and instants for random daily, weekly and monthly rules', () => {
    const list = [
      ...fc.sample(cases, { numRuns: 24, seed: 20260302 }),
      // Fixed cases across the changes, in the gap and the repeated hour.
      { rrule: 'FREQ=DAILY', start: '1995-03-26T02:30', zone: 'Europe/Berlin', from: '2026-03-27', to: '2026-03-31' },
      { rrule: 'FREQ=DAILY', start: '1995-10-01T02:30', zone: 'Europe/Berlin', from: '2026-10-23', to: '2026-10-27' },
      { rrule: 'FREQ=WEEKLY;BYDAY=SU', start: '2026-01-04T01:30', zone: 'America/New_York', from: '2026-10-25', to: '2026-11-08' },
      { rrule: 'FREQ=WEEKLY;BYDAY=SU', start: '2026-01-04T02:30', zone: 'America/New_York', from: '2026-03-01', to: '2026-03-15' },
      { rrule: 'FREQ=MONTHLY;BYDAY=1SU', start: '1999-01-03T02:30', zone: 'Australia/Sydney', from: '2026-01-01', to: '2026-12-31' },
    ];
    const expected = dateutil(list);
    list.forEach((c, i) => {
      expect({ case: c, shifts: ours(c) }).toEqual({ case: c, shifts: expected[i] });
    });
    expect(expected.flat().length).toBeGreaterThan(500);
  });
});
