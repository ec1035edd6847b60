// Check-in codes, rota check-in settings and the check-in columns of sign-ups; rows stop here.
import { and, asc, eq, gt, gte, inArray, lt, ne } from 'drizzle-orm';
import { DEFAULT_CHECKIN_SETTINGS, type CheckinSettings } from '../domain/checkin.js';
import type { Shift } from '../domain/recurrence.js';
import type { Conn } from './connection.js';
import { people, rotaCheckinSettings, rotas, seriesCheckin, signups } from './schema.js';

export interface SeriesCode {
  seriesId: number;
  code: string;
  leaderSecret: string;
}

export function codeOfSeries(db: Conn, seriesId: number): SeriesCode | null {
  return db.select({ seriesId: seriesCheckin.seriesId, code: seriesCheckin.code, leaderSecret: seriesCheckin.leaderSecret }).from(seriesCheckin).where(eq(seriesCheckin.seriesId, seriesId)).get() ?? null;
}

export function seriesByCode(db: Conn, code: string): SeriesCode | null {
  return db.select({ seriesId: seriesCheckin.seriesId, code: seriesCheckin.code, leaderSecret: seriesCheckin.leaderSecret }).from(seriesCheckin).where(eq(seriesCheckin.code, code)).get() ?? null;
}

/** Sets a series' code (and, when given, its leader secret), creating the row on first use. */
export function saveCode(db: Conn, seriesId: number, code: string, leaderSecret: string, now: number): void {
  db.insert(seriesCheckin)
    .values({ seriesId, code, leaderSecret, updatedAt: now })
    .onConflictDoUpdate({ target: seriesCheckin.seriesId, set: { code, leaderSecret, updatedAt: now } })
    .run();
}

export function checkinSettings(db: Conn, rotaId: number): CheckinSettings {
  const row = db.select().from(rotaCheckinSettings).where(eq(rotaCheckinSettings.rotaId, rotaId)).get();
  if (!row) return { ...DEFAULT_CHECKIN_SETTINGS, leaderIds: [] };
  const { windowMinutesBefore, walkIns, requireLeaderCode, leaderIds, latitude, longitude, radiusMetres } = row;
  return { windowMinutesBefore, walkIns, requireLeaderCode, leaderIds, latitude, longitude, radiusMetres };
}

export function saveCheckinSettings(db: Conn, rotaId: number, s: CheckinSettings, now: number): void {
  db.insert(rotaCheckinSettings)
    .values({ rotaId, ...s, updatedAt: now })
    .onConflictDoUpdate({ target: rotaCheckinSettings.rotaId, set: { ...s, updatedAt: now } })
    .run();
}

/** A sign-up's check-in state. */
export interface CheckinRecord {
  id: number;
  shiftId: string;
  rotaId: number;
  timezone: string;
  personId: number;
  personName: string;
  phone: string | null;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  attendance: 'attended' | 'no_show' | null;
  walkIn: boolean;
  startAt: number;
  endAt: number;
  checkedInAt: number | null;
  checkedOutAt: number | null;
  distanceMetres: number | null;
  flags: string[];
}

const columns = {
  id: signups.id,
  shiftId: signups.shiftId,
  rotaId: signups.rotaId,
  timezone: rotas.timezone,
  personId: signups.personId,
  personName: people.name,
  phone: people.phone,
  status: signups.status,
  attendance: signups.attendance,
  walkIn: signups.walkIn,
  startAt: signups.startAt,
  endAt: signups.endAt,
  checkedInAt: signups.checkedInAt,
  checkedOutAt: signups.checkedOutAt,
  distanceMetres: signups.checkinDistanceM,
  flags: signups.checkinFlags,
};

export function checkinRecord(db: Conn, signupId: number): CheckinRecord | null {
  return db.select(columns).from(signups).innerJoin(people, eq(people.id, signups.personId))
      .innerJoin(rotas, eq(rotas.id, signups.rotaId)).where(eq(signups.id, signupId)).get() ?? null;
}

/** The person's live sign-up on a shift (confirmed or waitlisted). */
export function liveCheckin(db: Conn, shiftId: string, personId: number): CheckinRecord | null {
  return (
    db
      .select(columns)
      .from(signups)
      .innerJoin(people, eq(people.id, signups.personId))
      .innerJoin(rotas, eq(rotas.id, signups.rotaId))
      .where(and(eq(signups.shiftId, shiftId), eq(signups.personId, personId), ne(signups.status, 'cancelled')))
      .get() ?? null
  );
}

/** Live sign-ups on shifts that start in [from, to), by shift start then sign-up order. */
export function checkinsBetween(db: Conn, rotaIds: number[], from: number, to: number): CheckinRecord[] {
  return db
    .select(columns)
    .from(signups)
    .innerJoin(people, eq(people.id, signups.personId))
      .innerJoin(rotas, eq(rotas.id, signups.rotaId))
    .where(and(inArray(signups.rotaId, rotaIds), ne(signups.status, 'cancelled'), gte(signups.startAt, from), lt(signups.startAt, to)))
    .orderBy(asc(signups.startAt), asc(signups.id))
    .all();
}

interface CheckinChange {
  status?: 'confirmed' | 'cancelled';
  attendance?: 'attended' | 'no_show' | null;
  walkIn?: boolean;
  checkedInAt?: number | null;
  checkedOutAt?: number | null;
  distanceMetres?: number | null;
  flags?: string[];
  cancelledAt?: number;
}

export function updateCheckin(db: Conn, signupId: number, change: CheckinChange, now: number): void {
  const { distanceMetres, flags, ...rest } = change;
  db.update(signups)
    .set({
      ...rest,
      ...(distanceMetres !== undefined ? { checkinDistanceM: distanceMetres } : {}),
      ...(flags !== undefined ? { checkinFlags: flags } : {}),
      updatedAt: now,
    })
    .where(eq(signups.id, signupId))
    .run();
}

/** Another confirmed place of the person overlapping the shift (half-open intervals), if any. */
export function confirmedOverlapping(db: Conn, personId: number, shift: Pick<Shift, 'id' | 'start' | 'end'>): { signupId: number; shiftId: string } | null {
  return (
    db
      .select({ signupId: signups.id, shiftId: signups.shiftId })
      .from(signups)
      .where(and(eq(signups.personId, personId), eq(signups.status, 'confirmed'), ne(signups.shiftId, shift.id), lt(signups.startAt, shift.end), gt(signups.endAt, shift.start)))
      .get() ?? null
  );
}

/** A walk-in checked in at the post: attendance, not a place (walk-ins never count against the maximum). */
export function insertWalkIn(db: Conn, shift: Shift, personId: number, c: { checkedInAt: number; distanceMetres: number | null; flags: string[] }, now: number): number {
  return db
    .insert(signups)
    .values({
      shiftId: shift.id,
      seriesId: shift.seriesId,
      rotaId: shift.rotaId,
      personId,
      status: 'confirmed',
      attendance: 'attended',
      walkIn: true,
      startAt: shift.start,
      endAt: shift.end,
      localDate: shift.localDate,
      createdBy: personId,
      createdAt: now,
      updatedAt: now,
      checkedInAt: c.checkedInAt,
      checkinDistanceM: c.distanceMetres,
      checkinFlags: c.flags,
    })
    .returning({ id: signups.id })
    .get().id;
}
