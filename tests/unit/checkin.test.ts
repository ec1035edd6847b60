// The check-in rules of src/domain/checkin.ts: which shift a scan is for and when its window
// opens, what a check-in does, distance from the post, flags and service time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkinFlags, chooseShift, decideCheckin, distanceMetres, serviceMinutes, DEFAULT_CHECKIN_SETTINGS } from '../../src/domain/checkin.js';
import type { Shift } from '../../src/domain/recurrence.js';

const MIN = 60_000;

function shift(id: string, startIso: string, minutes = 60, cancelled = false): Shift {
  const start = Date.parse(startIso);
  return { id, seriesId: 1, rotaId: 1, key: id, localStart: '', localDate: '', start, end: start + minutes * MIN, timezone: 'Asia/Shanghai', min: 1, max: 2, cancelled, moved: false, origin: 'rule' };
}

describe('choosing the shift a scan is for', () => {
  const monday = shift('mon', '2026-03-01T23:15:00Z');
  const tuesday = shift('tue', '2026-03-02T23:15:00Z');

  it.each([
    ['one millisecond before the window opens', '2026-03-01T22:44:59.999Z', null],
    ['the moment the window opens', '2026-03-01T22:45:00Z', 'mon'],
    ['one millisecond before the end', '2026-03-02T00:14:59.999Z', 'mon'],
    ['the moment it ends', '2026-03-02T00:15:00Z', null],
  ])('%s', (_name, now, expected) => {
    const chosen = chooseShift([tuesday, monday], Date.parse(now), 30);
    expect('shift' in chosen ? chosen.shift.id : null).toBe(expected);
  });

  it('says when the next window opens, in the rota\'s local time', () => {
    const chosen = chooseShift([monday, tuesday], Date.parse('2026-03-02T01:00:00Z'), 30);
    expect(chosen).toEqual({
      refusal: {
        code: 'CHECKIN_WINDOW',
        message: expect.stringContaining('opens at 2026-03-03 06:45 (30 minutes before the shift starts)'),
        details: { opensAt: '2026-03-03T06:45:00+08:00', shiftId: 'tue' },
      },
    });
  });

  it('skips a cancelled shift, and prefers the one that started last when windows overlap', () => {
    const cancelled = shift('x', '2026-03-01T23:15:00Z', 60, true);
    expect('refusal' in chooseShift([cancelled], Date.parse('2026-03-01T23:20:00Z'), 30)).toBe(true);
    const long = shift('long', '2026-03-01T22:00:00Z', 180);
    const chosen = chooseShift([long, monday], Date.parse('2026-03-01T23:00:00Z'), 30);
    expect('shift' in chosen && chosen.shift.id).toBe('mon');
  });
});

describe('what a check-in does', () => {
  it('answers a second scan with the same sign-up, marks a confirmed place, and refuses or records a walk-in', () => {
    expect(decideCheckin({ existing: { id: 4, status: 'confirmed', walkIn: false, checkedInAt: 1 }, walkIns: false, clash: null })).toEqual({ action: 'again', signupId: 4 });
    expect(decideCheckin({ existing: { id: 4, status: 'confirmed', walkIn: false, checkedInAt: null }, walkIns: false, clash: null })).toEqual({ action: 'mark', signupId: 4 });
    expect(decideCheckin({ existing: null, walkIns: false, clash: null })).toMatchObject({ refusal: { code: 'NOT_SIGNED_UP' } });
    expect(decideCheckin({ existing: { id: 5, status: 'waitlisted', walkIn: false, checkedInAt: null }, walkIns: false, clash: null })).toMatchObject({ refusal: { code: 'NOT_SIGNED_UP' } });
    expect(decideCheckin({ existing: null, walkIns: true, clash: null })).toEqual({ action: 'walk-in', signupId: null });
    expect(decideCheckin({ existing: { id: 5, status: 'waitlisted', walkIn: false, checkedInAt: null }, walkIns: true, clash: null })).toEqual({ action: 'walk-in', signupId: 5 });
    expect(decideCheckin({ existing: null, walkIns: true, clash: { signupId: 9, shiftId: 's' } })).toMatchObject({ refusal: { code: 'COLLIDES' } });
  });
});

describe('distance and flags', () => {
  it('measures a known distance: 0.01° of latitude is about 1,112 m', () => {
    expect(distanceMetres({ latitude: 31.2304, longitude: 121.4737 }, { latitude: 31.2404, longitude: 121.4737 })).toBe(1112);
    expect(distanceMetres({ latitude: 31.2304, longitude: 121.4737 }, { latitude: 31.2304, longitude: 121.4737 })).toBe(0);
  });

  it('flags walk-ins, far phones and missing positions only where the post has a position', () => {
    const post = { ...DEFAULT_CHECKIN_SETTINGS, latitude: 31.2, longitude: 121.4, radiusMetres: 100 };
    expect(checkinFlags(false, post, 100)).toEqual([]);
    expect(checkinFlags(false, post, 101)).toEqual(['far']);
    expect(checkinFlags(true, post, null)).toEqual(['walk-in', 'no-location']);
    expect(checkinFlags(false, DEFAULT_CHECKIN_SETTINGS, null)).toEqual([]);
  });
});

describe('service time', () => {
  const base = { startAt: Date.parse('2026-03-02T23:15:00Z'), endAt: Date.parse('2026-03-03T00:00:00Z') };

  it('runs from check-in to check-out where both exist, else it is the shift\'s length', () => {
    expect(serviceMinutes({ ...base, checkedInAt: null, checkedOutAt: null })).toBe(45);
    expect(serviceMinutes({ ...base, checkedInAt: base.startAt - 10 * MIN, checkedOutAt: null })).toBe(45);
    expect(serviceMinutes({ ...base, checkedInAt: base.startAt - 10 * MIN, checkedOutAt: base.endAt + 20 * MIN })).toBe(75);
    expect(serviceMinutes({ ...base, checkedInAt: base.startAt, checkedOutAt: base.startAt })).toBe(45);
  });

  it('rounds each sign-up to whole minutes, half up, so sums of rows equal the total', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * 3_600_000 }), { maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (lengths, groups) => {
        const signups = lengths.map((ms) => ({ ...base, checkedInAt: base.startAt, checkedOutAt: base.startAt + ms + 1 }));
        const minutes = signups.map(serviceMinutes);
        const byGroup = Array.from({ length: groups }, (_, g) => minutes.filter((_, i) => i % groups === g).reduce((a, b) => a + b, 0));
        expect(byGroup.reduce((a, b) => a + b, 0)).toBe(minutes.reduce((a, b) => a + b, 0));
        for (const [i, m] of minutes.entries()) expect(m).toBe(Math.round((lengths[i]! + 1) / MIN));
      }),
    );
  });
});
