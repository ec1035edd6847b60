// Day calendars: a school's term breaks, a community's own closed days; the preset is read-only.
import { transaction } from '../db/store.js';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { calendarDays } from '../db/schedule.js';
import { dayCalendarDays, dayCalendars, seriesCalendars } from '../db/schema.js';
import { PRESET_CALENDARS, type CalendarDay } from '../domain/day-calendar.js';
import { RotaError } from '../domain/errors.js';
import { requireDate } from '../domain/time.js';
import { optionalText, requireName } from '../domain/validate.js';
import type { Actor } from './people.js';
import { reconcileSignups, type AffectedMode, type AffectedSignup } from './reconcile.js';
import { defaultUnitOf } from './units.js';

export interface CalendarSummary {
  id: string;
  name: string;
  readOnly: boolean;
  years: number[] | null;
  sources: Record<string, string> | null;
  dayCount: number;
}

export interface CalendarDetail extends CalendarSummary {
  days: CalendarDay[];
}

/** `unitIds`: besides the presets, only calendars of these units. */
export function listCalendars(db: Conn, unitIds?: ReadonlySet<number>): CalendarSummary[] {
  const presets = [...PRESET_CALENDARS.values()].map((p) => ({ id: p.id, name: p.name, readOnly: true, years: p.years, sources: p.sources, dayCount: p.days.length }));
  const stored = db.select().from(dayCalendars).where(unitIds ? inArray(dayCalendars.unitId, [...unitIds]) : undefined).orderBy(asc(dayCalendars.createdAt)).all();
  return [
    ...presets,
    ...stored.map((c) => ({ id: c.id, name: c.name, readOnly: false, years: null, sources: null, dayCount: calendarDays(db, c.id)!.length })),
  ];
}

export function getCalendar(db: Conn, id: string): CalendarDetail {
  const summary = listCalendars(db).find((c) => c.id === id);
  if (!summary) throw new RotaError('NOT_FOUND', `No day calendar has id "${id}".`);
  return { ...summary, days: calendarDays(db, id)! };
}

export function createCalendar(db: Db, actor: Actor, input: { name: string; unitId?: number }, now: Date): CalendarDetail {
  const name = requireName(input.name);
  const id = `cal-${randomBytes(6).toString('hex')}`;
  transaction(db,
    (tx) => {
      tx.insert(dayCalendars).values({ id, name, unitId: input.unitId ?? defaultUnitOf(tx, actor), createdAt: now.getTime(), updatedAt: now.getTime() }).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'calendar.create', entity: 'calendar', entityId: id, detail: { name } });
    },
  );
  return getCalendar(db, id);
}

function requireWritable(db: Conn, id: string): void {
  if (PRESET_CALENDARS.has(id)) throw new RotaError('READ_ONLY', `"${id}" is a built-in calendar and cannot be changed; create your own calendar for extra days.`);
  if (!db.select({ id: dayCalendars.id }).from(dayCalendars).where(eq(dayCalendars.id, id)).get()) {
    throw new RotaError('NOT_FOUND', `No day calendar has id "${id}".`);
  }
}

function seriesUsing(db: Conn, calendarId: string): number[] {
  return db.select({ id: seriesCalendars.seriesId }).from(seriesCalendars).where(eq(seriesCalendars.calendarId, calendarId)).all().map((r) => r.id);
}

export interface DayInput {
  date: string;
  kind: 'closed' | 'open';
  label?: string | null;
}

/** Adds or replaces days. Sign-ups on shifts that a new closed day removes must be resolved explicitly. */
export function putDays(db: Db, actor: Actor, id: string, days: DayInput[], mode: AffectedMode | undefined, now: Date): { calendar: CalendarDetail; affected: AffectedSignup[] } {
  days.forEach((d, i) => requireDate(d.date, `days[${i}].date`));
  const dates = days.map((d) => d.date);
  if (new Set(dates).size !== dates.length) throw new RotaError('VALIDATION', 'A date appears twice in days; give each date once.', { field: 'days' });
  const affected = transaction(db,
    (tx) => {
      requireWritable(tx, id);
      const rows = days.map((d, i) => ({ calendarId: id, date: d.date, kind: d.kind, label: optionalText(d.label, `days[${i}].label`) }));
      // Several hundred rows per statement: a year of imported days is written in a few milliseconds.
      for (let i = 0; i < rows.length; i += 300) {
        tx.insert(dayCalendarDays)
          .values(rows.slice(i, i + 300))
          .onConflictDoUpdate({ target: [dayCalendarDays.calendarId, dayCalendarDays.date], set: { kind: sql`excluded.kind`, label: sql`excluded.label` } })
          .run();
      }
      tx.update(dayCalendars).set({ updatedAt: now.getTime() }).where(eq(dayCalendars.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'calendar.days.put', entity: 'calendar', entityId: id, detail: { count: days.length } });
      return reconcileSignups(tx, actor, seriesUsing(tx, id), now, mode);
    },
  );
  return { calendar: getCalendar(db, id), affected };
}

export function removeDays(db: Db, actor: Actor, id: string, dates: string[], mode: AffectedMode | undefined, now: Date): { calendar: CalendarDetail; affected: AffectedSignup[] } {
  dates.forEach((d, i) => requireDate(d, `dates[${i}]`));
  const affected = transaction(db,
    (tx) => {
      requireWritable(tx, id);
      tx.delete(dayCalendarDays).where(and(eq(dayCalendarDays.calendarId, id), inArray(dayCalendarDays.date, dates))).run();
      tx.update(dayCalendars).set({ updatedAt: now.getTime() }).where(eq(dayCalendars.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'calendar.days.remove', entity: 'calendar', entityId: id, detail: { dates } });
      return reconcileSignups(tx, actor, seriesUsing(tx, id), now, mode);
    },
  );
  return { calendar: getCalendar(db, id), affected };
}
