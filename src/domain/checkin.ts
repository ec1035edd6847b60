// Check-in at the post (issue 15): which shift a scan is for, whether its window is open, what a
// check-in does to the person's sign-up, distance from the post, and service time. Pure: the
// clock, the codes and the storage come from outside.
import type { Refusal } from './signup-rules.js';
import type { Shift } from './recurrence.js';
import { formatInstant, formatLocal, instantToWall, MINUTE_MS } from './time.js';

export interface CheckinSettings {
  windowMinutesBefore: number;
  walkIns: boolean;
  requireLeaderCode: boolean;
  leaderIds: number[];
  latitude: number | null;
  longitude: number | null;
  radiusMetres: number;
}

export const DEFAULT_CHECKIN_SETTINGS: CheckinSettings = {
  windowMinutesBefore: 30,
  walkIns: false,
  requireLeaderCode: false,
  leaderIds: [],
  latitude: null,
  longitude: null,
  radiusMetres: 200,
};

/** Check-in is open from `windowMinutesBefore` before the start until the end. */
export function checkinWindow(shift: Pick<Shift, 'start' | 'end'>, minutesBefore: number): { opens: number; closes: number } {
  return { opens: shift.start - minutesBefore * MINUTE_MS, closes: shift.end };
}

function wallText(instant: number, zone: string): string {
  return formatLocal(instantToWall(instant, zone)).replace('T', ' ');
}

/**
 * The shift a scan at `now` is for: among the series' shifts (not cancelled) whose window is
 * open, the one that started last; with a shift named, that one. Otherwise a refusal that says
 * when the next window opens.
 */
export function chooseShift(shifts: readonly Shift[], now: number, minutesBefore: number, wanted?: string): { shift: Shift } | { refusal: Refusal } {
  const live = shifts.filter((s) => !s.cancelled).sort((a, b) => a.start - b.start);
  const candidates = wanted === undefined ? live : live.filter((s) => s.id === wanted);
  const open = candidates.filter((s) => {
    const w = checkinWindow(s, minutesBefore);
    return w.opens <= now && now < w.closes;
  });
  if (open.length > 0) return { shift: open[open.length - 1]! };
  const next = candidates.find((s) => checkinWindow(s, minutesBefore).opens > now);
  if (!next) {
    return {
      refusal: {
        code: 'CHECKIN_WINDOW',
        message: wanted === undefined ? 'There is no shift at this post to check in to in the coming days.' : 'Check-in for that shift has closed.',
        details: { opensAt: null },
      },
    };
  }
  const opens = checkinWindow(next, minutesBefore).opens;
  return {
    refusal: {
      code: 'CHECKIN_WINDOW',
      message: `Check-in is not open yet: it opens at ${wallText(opens, next.timezone)} (${minutesBefore} minutes before the shift starts) and closes when the shift ends.`,
      details: { opensAt: formatInstant(opens, next.timezone), shiftId: next.id },
    },
  };
}

/** The person's sign-up on the shift, as far as a check-in needs it. */
interface ExistingSignup {
  id: number;
  status: 'confirmed' | 'waitlisted';
  walkIn: boolean;
  checkedInAt: number | null;
}

type CheckinOutcome =
  | { action: 'again'; signupId: number }
  | { action: 'mark'; signupId: number }
  | { action: 'walk-in'; signupId: number | null }
  | { refusal: Refusal };

interface CheckinInput {
  existing: ExistingSignup | null;
  walkIns: boolean;
  /** Another confirmed place of the person that overlaps the shift, if any. */
  clash: { signupId: number; shiftId: string } | null;
}

/** What a check-in does: nothing new (a second scan), marks a place attended, or records a walk-in. */
export function decideCheckin({ existing, walkIns, clash }: CheckinInput): CheckinOutcome {
  if (existing?.checkedInAt != null) return { action: 'again', signupId: existing.id };
  if (existing?.status === 'confirmed') return { action: 'mark', signupId: existing.id };
  if (!walkIns) {
    return {
      refusal: {
        code: 'NOT_SIGNED_UP',
        message: existing
          ? 'You are on the waitlist for this shift, not on the duty list, and this post takes no walk-ins. Please tell the coordinator at the post.'
          : 'You are not on the list for this shift, and this post takes no walk-ins. Sign up for a shift on your personal page, or tell the coordinator at the post.',
      },
    };
  }
  if (clash) {
    return {
      refusal: {
        code: 'COLLIDES',
        message: 'You are on another shift at this time; check in there, or ask the coordinator to change it.',
        details: { signupId: clash.signupId, shiftId: clash.shiftId },
      },
    };
  }
  return { action: 'walk-in', signupId: existing?.id ?? null };
}

/** Great-circle distance in whole metres (haversine, mean Earth radius). */
export function distanceMetres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h))));
}

/**
 * Flags for the coordinator: a walk-in; a phone far from the post (beyond its radius, or reporting
 * so poor an accuracy that it cannot tell); a post with a position whose phone gave none.
 */
export function checkinFlags(walkIn: boolean, settings: Pick<CheckinSettings, 'latitude' | 'longitude' | 'radiusMetres'>, distance: number | null): string[] {
  const flags: string[] = [];
  if (walkIn) flags.push('walk-in');
  if (settings.latitude !== null && settings.longitude !== null) {
    if (distance === null) flags.push('no-location');
    else if (distance > settings.radiusMetres) flags.push('far');
  }
  return flags;
}

interface ServiceTime {
  startAt: number;
  endAt: number;
  checkedInAt: number | null;
  checkedOutAt: number | null;
}

/**
 * Service time in whole minutes: check-in to check-out where both exist (and in that order), else
 * the shift's length. The statistics query states the same rule in SQL.
 */
export function serviceMinutes(s: ServiceTime): number {
  const [from, to] = s.checkedInAt !== null && s.checkedOutAt !== null && s.checkedOutAt > s.checkedInAt ? [s.checkedInAt, s.checkedOutAt] : [s.startAt, s.endAt];
  return Math.floor((to - from + MINUTE_MS / 2) / MINUTE_MS);
}
