// Stored day calendars (a school's breaks, a community's own days); the presets live in the domain.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { CalendarDay } from '../domain/day-calendar.js';
import type { Conn } from './connection.js';
import { dayCalendarDays, dayCalendars, seriesCalendars } from './schema.js';

/** `unitIds`: only calendars of these units. */
export function storedCalendars(db: Conn, unitIds?: ReadonlySet<number>): { id: string; name: string }[] {
  return db
    .select({ id: dayCalendars.id, name: dayCalendars.name })
    .from(dayCalendars)
    .where(unitIds ? inArray(dayCalendars.unitId, [...unitIds]) : undefined)
    .orderBy(asc(dayCalendars.createdAt))
    .all();
}

export function calendarExists(db: Conn, id: string): boolean {
  return db.select({ id: dayCalendars.id }).from(dayCalendars).where(eq(dayCalendars.id, id)).get() !== undefined;
}

export function insertCalendar(db: Conn, id: string, name: string, unitId: number, at: number): void {
  db.insert(dayCalendars).values({ id, name, unitId, createdAt: at, updatedAt: at }).run();
}

/** Adds or replaces days (by date), and marks the calendar changed. */
export function putCalendarDays(db: Conn, id: string, days: readonly CalendarDay[], at: number): void {
  const rows = days.map((d) => ({ calendarId: id, date: d.date, kind: d.kind, label: d.label }));
  // Several hundred rows per statement: a year of imported days is written in a few milliseconds.
  for (let i = 0; i < rows.length; i += 300) {
    db.insert(dayCalendarDays)
      .values(rows.slice(i, i + 300))
      .onConflictDoUpdate({ target: [dayCalendarDays.calendarId, dayCalendarDays.date], set: { kind: sql`excluded.kind`, label: sql`excluded.label` } })
      .run();
  }
  db.update(dayCalendars).set({ updatedAt: at }).where(eq(dayCalendars.id, id)).run();
}

export function deleteCalendarDays(db: Conn, id: string, dates: readonly string[], at: number): void {
  db.delete(dayCalendarDays).where(and(eq(dayCalendarDays.calendarId, id), inArray(dayCalendarDays.date, [...dates]))).run();
  db.update(dayCalendars).set({ updatedAt: at }).where(eq(dayCalendars.id, id)).run();
}

/** The series that follow a calendar. */
export function seriesUsingCalendar(db: Conn, calendarId: string): number[] {
  return db.select({ id: seriesCalendars.seriesId }).from(seriesCalendars).where(eq(seriesCalendars.calendarId, calendarId)).all().map((r) => r.id);
}
