// Shifts in a window: computed from the series, with the sign-ups that fill them.
import { and, asc, eq, gte, inArray, lte, ne } from 'drizzle-orm';
import type { Conn } from '../db/connection.js';
import { dayRulesFor, listRotas, loadSeries, overridesFor, type Rota, type SeriesRecord } from '../db/schedule.js';
import { people, signups } from '../db/schema.js';
import { RotaError } from '../domain/errors.js';
import { checkWindow, expandSeries, findShift, parseShiftId, seriesShiftsPerDay, shiftDate, type Shift } from '../domain/recurrence.js';
import { daysBetween, formatDate, localToday, parseDate } from '../domain/time.js';
import { requireRota, windowWarnings, type Warning } from './schedule.js';

export type ShiftStatus = 'cancelled' | 'gap' | 'ok' | 'full';

export interface ShiftView {
  shift: Shift;
  rota: Rota;
  series: SeriesRecord;
  confirmed: { id: number; name: string }[];
  waitlisted: { id: number; name: string }[];
  status: ShiftStatus;
}

function shiftStatus(shift: Shift, confirmed: number): ShiftStatus {
  if (shift.cancelled) return 'cancelled';
  if (confirmed < shift.min) return 'gap';
  return confirmed >= shift.max ? 'full' : 'ok';
}

interface Fill {
  confirmed: { id: number; name: string }[];
  waitlisted: { id: number; name: string }[];
}

/** Live sign-ups of the given shifts, confirmed and waitlisted, in sign-up order. */
function fills(db: Conn, rotaIds: number[], fromDate: string, toDate: string): Map<string, Fill> {
  const rows = db
    .select({ shiftId: signups.shiftId, status: signups.status, id: people.id, name: people.name })
    .from(signups)
    .innerJoin(people, eq(people.id, signups.personId))
    .where(and(inArray(signups.rotaId, rotaIds), gte(signups.localDate, fromDate), lte(signups.localDate, toDate), ne(signups.status, 'cancelled')))
    .orderBy(asc(signups.id))
    .all();
  const map = new Map<string, Fill>();
  for (const r of rows) {
    let f = map.get(r.shiftId);
    if (!f) map.set(r.shiftId, (f = { confirmed: [], waitlisted: [] }));
    (r.status === 'confirmed' ? f.confirmed : f.waitlisted).push({ id: r.id, name: r.name });
  }
  return map;
}

export interface ShiftQuery {
  rotaId?: number;
  from?: string;
  to?: string;
  /** Refuse with RANGE_TOO_LONG rather than list more shifts than this (requests set it; feeds have their own window). */
  maxShifts?: number;
}

/** Most shifts one API listing (`/shifts`, `/gaps`) answers with. */
export const LISTING_LIMIT = 5000;

function tooMany(limit: number, query: ShiftQuery, from: string, to: string): RotaError {
  const narrower = query.rotaId === undefined ? 'fewer days or one rota (rotaId)' : 'fewer days';
  return new RotaError('RANGE_TOO_LONG', `More than ${limit} shifts fall between ${from} and ${to}; ask for ${narrower}.`, { field: 'to', limit });
}

/**
 * Shifts whose local date (in their rota's zone) is within [from, to]. Without dates: today and
 * the next 13 days in each rota's zone.
 */
export function listShifts(db: Conn, query: ShiftQuery, now: Date): { shifts: ShiftView[]; warnings: Warning[] } {
  if (query.from !== undefined && query.to !== undefined) checkWindow({ from: query.from, to: query.to });
  const rotas = query.rotaId !== undefined ? [requireRota(db, query.rotaId)] : listRotas(db, false);
  const seriesAll = loadSeries(db, { rotaIds: rotas.map((r) => r.id) });
  const days = dayRulesFor(db, seriesAll);
  const overrides = overridesFor(db, seriesAll.map((s) => s.id));
  const views: ShiftView[] = [];
  const warnings = new Map<string, Warning>();
  for (const rota of rotas) {
    const from = query.from ?? formatDate(localToday(now, rota.timezone));
    const to = query.to ?? shiftDate(from, 13);
    checkWindow({ from, to });
    const mine = seriesAll.filter((s) => s.rotaId === rota.id);
    const fill = fills(db, [rota.id], shiftDate(from, -1), shiftDate(to, 1));
    const limit = query.maxShifts ?? Infinity;
    for (const s of mine) {
      for (const w of windowWarnings(s.dayCalendarIds, Number(from.slice(0, 4)), Number(to.slice(0, 4)))) warnings.set(`${w.calendarId}|${w.year}`, w);
      // An hourly series is refused before it is expanded: a year of one is 8,784 shifts.
      const perDay = seriesShiftsPerDay(s);
      if (perDay > 1 && views.length + perDay * (daysBetween(parseDate(from)!, parseDate(to)!) + 1) > limit) throw tooMany(limit, query, from, to);
      for (const shift of expandSeries(s, { from, to }, days.get(s.id)!, overrides.get(s.id))) {
        views.push(toView(shift, rota, s, fill.get(shift.id)));
      }
      if (views.length > limit) throw tooMany(limit, query, from, to);
    }
  }
  views.sort((a, b) => a.shift.start - b.shift.start || a.shift.seriesId - b.shift.seriesId);
  return { shifts: views, warnings: [...warnings.values()] };
}

function toView(shift: Shift, rota: Rota, series: SeriesRecord, fill: Fill | undefined): ShiftView {
  const confirmed = fill?.confirmed ?? [];
  return { shift, rota, series, confirmed, waitlisted: fill?.waitlisted ?? [], status: shiftStatus(shift, confirmed.length) };
}

/** One shift by id, with its fill, or NOT_FOUND. */
export function getShift(db: Conn, id: string): ShiftView {
  const ref = parseShiftId(id);
  if (!ref) throw new RotaError('NOT_FOUND', `"${id}" is not a shift id.`);
  const series = loadSeries(db, { seriesIds: [ref.seriesId] })[0];
  const shift = series && findShift(series, ref.key, dayRulesFor(db, [series]).get(series.id)!, overridesFor(db, [series.id]).get(series.id)?.find((o) => o.key === ref.key));
  if (!series || !shift) throw new RotaError('NOT_FOUND', `No shift has id ${id}.`);
  const rota = requireRota(db, series.rotaId);
  const fill = fills(db, [rota.id], shift.localDate, shift.localDate).get(shift.id);
  return toView(shift, rota, series, fill);
}
