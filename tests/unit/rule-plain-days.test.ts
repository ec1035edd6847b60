// DAILY and WEEKLY rules with at most a plain BYDAY are expanded without rrule; this checks that
// shortcut against rrule itself on the same rule made to take rrule's path by an all-months BYMONTH.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { occurrences, parseRule } from '../../src/domain/rule.js';

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ALL_MONTHS = 'BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12';
const DAY = 86_400_000;

describe('the shortcut for plain daily and weekly rules', () => {
  it('gives exactly the occurrences rrule gives, for random intervals, weekdays, week starts, anchors, windows and ends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DAILY', 'WEEKLY'),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 7 }), { nil: undefined }),
        fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 23 * 60 + 59 }),
        fc.integer({ min: -40, max: 900 }),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        (freq, interval, byday, wkst, startOffset, minutes, fromOffset, span, untilOffset) => {
          const dtstart = Date.UTC(2020, 0, 1) + startOffset * DAY + minutes * 60_000;
          const from = dtstart + fromOffset * DAY - (dtstart % DAY);
          const to = from + span * DAY + DAY - 1;
          const until = untilOffset === undefined ? null : dtstart + untilOffset * DAY;
          const parts = [`FREQ=${freq}`, `INTERVAL=${interval}`, ...(byday ? [`BYDAY=${byday.join(',')}`] : []), ...(wkst ? [`WKST=${wkst}`] : [])];
          const plain = occurrences(parseRule(parts.join(';')), dtstart, until, from, to);
          const viaRrule = occurrences(parseRule([...parts, ALL_MONTHS].join(';')), dtstart, until, from, to);
          expect(plain).toEqual(viaRrule);
        },
      ),
      { numRuns: 400, seed: 271127 },
    );
  });
});
