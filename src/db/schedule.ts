// Rotas, series, day calendars and overrides, loaded as the domain's records.
import { and, asc, eq, gte, inArray, isNull } from 'drizzle-orm';
import { PRESET_CALENDARS, mergeCalendars, type CalendarDay, type DayRules } from '../domain/day-calendar.js';
import type { RuleVersion, ShiftOverride } from '../domain/recurrence.js';
import type { Rota, SeriesRecord } from '../domain/types.js';
import type { Conn } from './connection.js';
import { dayCalendarDays, dayCalendars, rotaTeams, rotas, series, seriesCalendars, seriesVersions, shiftOverrides } from './schema.js';

function toRota(r: typeof rotas.$inferSelect): Rota {
  return {
    id: r.id,
    name: r.name,
    timezone: r.timezone,
    location: r.location,
    description: r.description,
    waitlist: r.waitlist,
    countUnmarked: r.countUnmarked,
    cancelClosesHoursBefore: r.cancelClosesHoursBefore,
    requireApproval: r.requireApproval,
    contactPersonId: r.contactPersonId,
    feedToken: r.feedToken,
    createdBy: r.createdBy,
    unitId: r.unitId,
    archived: r.archivedAt !== null,
    updatedAt: r.updatedAt,
  };
}

export function getRota(db: Conn, id: number): Rota | null {
  const row = db.select().from(rotas).where(eq(rotas.id, id)).get();
  return row ? toRota(row) : null;
}

export function rotaByFeedToken(db: Conn, token: string): Rota | null {
  const row = db.select().from(rotas).where(and(eq(rotas.feedToken, token), isNull(rotas.archivedAt))).get();
  return row ? toRota(row) : null;
}

/** `unitIds`: only rotas owned by these units. */
export function listRotas(db: Conn, includeArchived: boolean, unitIds?: ReadonlySet<number>): Rota[] {
  return db
    .select()
    .from(rotas)
    .where(and(includeArchived ? undefined : isNull(rotas.archivedAt), unitIds ? inArray(rotas.unitId, [...unitIds]) : undefined))
    .orderBy(asc(rotas.id))
    .all()
    .map(toRota);
}

/** Series of the given rotas (all versions and calendars), or the one series named. */
export function loadSeries(db: Conn, filter: { rotaIds?: number[]; seriesIds?: number[] }): SeriesRecord[] {
  const where = filter.seriesIds ? inArray(series.id, filter.seriesIds) : inArray(series.rotaId, filter.rotaIds ?? []);
  const rows = db
    .select({ s: series, timezone: rotas.timezone })
    .from(series)
    .innerJoin(rotas, eq(rotas.id, series.rotaId))
    .where(where)
    .orderBy(asc(series.id))
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.s.id);
  const versions = db.select().from(seriesVersions).where(inArray(seriesVersions.seriesId, ids)).orderBy(asc(seriesVersions.validFrom)).all();
  const calendars = db.select().from(seriesCalendars).where(inArray(seriesCalendars.seriesId, ids)).orderBy(asc(seriesCalendars.calendarId)).all();
  return rows.map(({ s, timezone }) => ({
    id: s.id,
    rotaId: s.rotaId,
    timezone,
    label: s.label,
    endDate: s.endDate,
    updatedAt: s.updatedAt,
    dayCalendarIds: calendars.filter((c) => c.seriesId === s.id).map((c) => c.calendarId),
    versions: versions
      .filter((v) => v.seriesId === s.id)
      .map((v) => ({
        validFrom: v.validFrom,
        rrule: v.rrule,
        startTime: v.startTime,
        durationMinutes: v.durationMinutes,
        minVolunteers: v.minVolunteers,
        maxVolunteers: v.maxVolunteers,
      })),
  }));
}

/** The days of a stored or preset calendar, or null when no calendar has that id. */
export function calendarDays(db: Conn, calendarId: string): CalendarDay[] | null {
  const preset = PRESET_CALENDARS.get(calendarId);
  if (preset) return preset.days;
  const exists = db.select({ id: dayCalendars.id }).from(dayCalendars).where(eq(dayCalendars.id, calendarId)).get();
  if (!exists) return null;
  return db
    .select({ date: dayCalendarDays.date, kind: dayCalendarDays.kind, label: dayCalendarDays.label })
    .from(dayCalendarDays)
    .where(eq(dayCalendarDays.calendarId, calendarId))
    .orderBy(asc(dayCalendarDays.date))
    .all();
}

/** Merged day rules for each series, reading each calendar once. */
export function dayRulesFor(db: Conn, list: readonly SeriesRecord[]): Map<number, DayRules> {
  const cache = new Map<string, CalendarDay[]>();
  const result = new Map<number, DayRules>();
  for (const s of list) {
    const days = s.dayCalendarIds.map((id) => {
      let d = cache.get(id);
      if (!d) {
        d = calendarDays(db, id) ?? [];
        cache.set(id, d);
      }
      return d;
    });
    result.set(s.id, mergeCalendars(days));
  }
  return result;
}

export function overridesFor(db: Conn, seriesIds: number[]): Map<number, ShiftOverride[]> {
  const result = new Map<number, ShiftOverride[]>();
  if (seriesIds.length === 0) return result;
  const rows = db.select().from(shiftOverrides).where(inArray(shiftOverrides.seriesId, seriesIds)).all();
  for (const r of rows) {
    const list = result.get(r.seriesId) ?? [];
    list.push({
      key: r.key,
      cancelled: r.cancelled,
      start: r.start,
      durationMinutes: r.durationMinutes,
      minVolunteers: r.minVolunteers,
      maxVolunteers: r.maxVolunteers,
    });
    result.set(r.seriesId, list);
  }
  return result;
}

export type RotaFields = Pick<
  typeof rotas.$inferInsert,
  'name' | 'location' | 'description' | 'waitlist' | 'countUnmarked' | 'cancelClosesHoursBefore' | 'requireApproval' | 'contactPersonId' | 'feedToken' | 'archivedAt'
>;

export function insertRota(db: Conn, rota: Omit<RotaFields, 'archivedAt'> & { timezone: string; createdBy: number; unitId: number }, at: number): number {
  return db.insert(rotas).values({ ...rota, createdAt: at, updatedAt: at }).returning({ id: rotas.id }).get().id;
}

export function updateRotaRow(db: Conn, id: number, changes: Partial<RotaFields>, at: number): void {
  db.update(rotas).set({ ...changes, updatedAt: at }).where(eq(rotas.id, id)).run();
}

export function rotaTeamIds(db: Conn, rotaId: number): number[] {
  return db.select({ id: rotaTeams.teamId }).from(rotaTeams).where(eq(rotaTeams.rotaId, rotaId)).all().map((r) => r.id);
}

export function setRotaTeams(db: Conn, rotaId: number, teamIds: readonly number[]): void {
  db.delete(rotaTeams).where(eq(rotaTeams.rotaId, rotaId)).run();
  for (const teamId of teamIds) db.insert(rotaTeams).values({ rotaId, teamId }).run();
}

/** A new series with its first rule version and its day calendars. */
export function insertSeries(db: Conn, s: { rotaId: number; label: string | null; endDate: string | null; version: RuleVersion; dayCalendarIds: readonly string[] }, at: number): number {
  const id = db.insert(series).values({ rotaId: s.rotaId, label: s.label, endDate: s.endDate, createdAt: at, updatedAt: at }).returning({ id: series.id }).get().id;
  db.insert(seriesVersions).values({ ...s.version, seriesId: id, createdAt: at }).run();
  setSeriesCalendars(db, id, s.dayCalendarIds);
  return id;
}

/** "This and all future": the rule versions from `version.validFrom` on give way to this one. */
export function replaceVersionsFrom(db: Conn, seriesId: number, version: RuleVersion, at: number): void {
  db.delete(seriesVersions).where(and(eq(seriesVersions.seriesId, seriesId), gte(seriesVersions.validFrom, version.validFrom))).run();
  db.insert(seriesVersions).values({ ...version, seriesId, createdAt: at }).run();
}

export function updateSeriesRow(db: Conn, id: number, changes: Partial<Pick<typeof series.$inferInsert, 'label' | 'endDate'>>, at: number): void {
  db.update(series).set({ ...changes, updatedAt: at }).where(eq(series.id, id)).run();
}

export function setSeriesCalendars(db: Conn, seriesId: number, calendarIds: readonly string[]): void {
  db.delete(seriesCalendars).where(eq(seriesCalendars.seriesId, seriesId)).run();
  for (const calendarId of calendarIds) db.insert(seriesCalendars).values({ seriesId, calendarId }).run();
}

/** One shift's override as stored, with the coordinator's note. */
export type StoredOverride = Omit<ShiftOverride, 'key'> & { note: string | null };

export function shiftOverride(db: Conn, seriesId: number, key: string): StoredOverride | null {
  const row = db.select().from(shiftOverrides).where(and(eq(shiftOverrides.seriesId, seriesId), eq(shiftOverrides.key, key))).get();
  return row ? { cancelled: row.cancelled, start: row.start, durationMinutes: row.durationMinutes, minVolunteers: row.minVolunteers, maxVolunteers: row.maxVolunteers, note: row.note } : null;
}

export function saveShiftOverride(db: Conn, seriesId: number, key: string, override: StoredOverride, at: number): void {
  db.insert(shiftOverrides)
    .values({ seriesId, key, ...override, updatedAt: at })
    .onConflictDoUpdate({ target: [shiftOverrides.seriesId, shiftOverrides.key], set: { ...override, updatedAt: at } })
    .run();
}
