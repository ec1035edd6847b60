// Shifts in a window: computed from the series, with the sign-ups that fill them.
import type { Conn } from '../db/connection.js';
import { listRotas, type Rota, type SeriesRecord } from '../db/schedule.js';
import { storeOf, type FillRow } from '../db/store.js';
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

function fillsOf(rows: FillRow[]): Map<string, Fill> {
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
  /** Without rotaId: only rotas owned by these units (the caller's reach). */
  unitIds?: ReadonlySet<number>;
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
  const store = storeOf(db);
  const rotaIds = query.rotaId !== undefined ? [requireRota(db, query.rotaId).id] : listRotas(db, false, query.unitIds).map((r) => r.id);
  const views: ShiftView[] = [];
  const warnings = new Map<string, Warning>();
  for (const rotaId of rotaIds) {
    const { rota, series, days, overrides } = store.schedule(rotaId)!;
    const from = query.from ?? formatDate(localToday(now, rota.timezone));
    const to = query.to ?? shiftDate(from, 13);
    checkWindow({ from, to });
    const fill = fillsOf(store.fills(rota.id, shiftDate(from, -1), shiftDate(to, 1)));
    const limit = query.maxShifts ?? Infinity;
    for (const s of series) {
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

/** One shift by id with its rota and series, without its fill, or NOT_FOUND. */
export function getShiftOnly(db: Conn, id: string): Omit<ShiftView, 'confirmed' | 'waitlisted' | 'status'> {
  const ref = parseShiftId(id);
  if (!ref) throw new RotaError('NOT_FOUND', `"${id}" is not a shift id.`);
  const store = storeOf(db);
  const rotaId = store.rotaOfSeries(ref.seriesId);
  const schedule = rotaId === null ? null : store.schedule(rotaId);
  const series = schedule?.series.find((s) => s.id === ref.seriesId);
  const shift = series && findShift(series, ref.key, schedule!.days.get(series.id)!, schedule!.overrides.get(series.id)?.find((o) => o.key === ref.key));
  if (!series || !shift) throw new RotaError('NOT_FOUND', `No shift has id ${id}.`);
  return { shift, rota: schedule!.rota, series };
}

/** One shift by id, with its fill, or NOT_FOUND. */
export function getShift(db: Conn, id: string): ShiftView {
  const { shift, rota, series } = getShiftOnly(db, id);
  return toView(shift, rota, series, fillsOf(storeOf(db).shiftFill(shift.id)).get(shift.id));
}
