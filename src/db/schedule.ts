// Rotas, series, day calendars and overrides, loaded as the domain's records.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { PRESET_CALENDARS, mergeCalendars, type CalendarDay, type DayRules } from '../domain/day-calendar.js';
import type { SeriesDef, ShiftOverride } from '../domain/recurrence.js';
import type { Conn } from './connection.js';
import { dayCalendarDays, dayCalendars, rotas, series, seriesCalendars, seriesVersions, shiftOverrides } from './schema.js';

export interface Rota {
  id: number;
  name: string;
  timezone: string;
  location: string | null;
  description: string | null;
  waitlist: boolean;
  countUnmarked: boolean;
  cancelClosesHoursBefore: number;
  requireApproval: boolean;
  contactPersonId: number | null;
  feedToken: string;
  /** The coordinator who created it, when known. */
  createdBy: number | null;
  /** The unit that owns it (issue 13). */
  unitId: number | null;
  archived: boolean;
  updatedAt: number;
}

export interface SeriesRecord extends SeriesDef {
  label: string | null;
  dayCalendarIds: string[];
  updatedAt: number;
}

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
