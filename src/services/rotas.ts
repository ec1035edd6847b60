// Rota and series look-ups that every use case starts from, and the warnings a series carries.
// A leaf of the services: it imports no other service, so any of them may use it.
import type { Conn } from '../db/connection.js';
import { getRota, listRotas as readRotas, loadSeries, rotaTeamIds as readRotaTeamIds } from '../db/schedule.js';
import { PRESET_CALENDARS, missingPresetYears } from '../domain/day-calendar.js';
import { RotaError } from '../domain/errors.js';
import { seriesSpan } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';
import type { Rota, SeriesRecord } from '../domain/types.js';

export function requireRota(db: Conn, id: number): Rota {
  const rota = getRota(db, id);
  if (!rota) throw new RotaError('NOT_FOUND', `No rota has id ${id}.`);
  return rota;
}

/** `unitIds`: only rotas owned by these units (the caller's reach). */
export function listRotas(db: Conn, includeArchived: boolean, unitIds?: ReadonlySet<number>): Rota[] {
  return readRotas(db, includeArchived, unitIds);
}

/** The series of one rota; 404 when there is no such rota. */
export function listSeries(db: Conn, rotaId: number): SeriesRecord[] {
  requireRota(db, rotaId);
  return loadSeries(db, { rotaIds: [rotaId] });
}

export function rotaTeamIds(db: Conn, rotaId: number): number[] {
  return readRotaTeamIds(db, rotaId);
}

export function requireSeries(db: Conn, id: number): SeriesRecord {
  const found = loadSeries(db, { seriesIds: [id] })[0];
  if (!found) throw new RotaError('NOT_FOUND', `No series has id ${id}.`);
  return found;
}

export interface Warning {
  code: 'NO_HOLIDAY_DATA';
  calendarId: string;
  year: number;
  message: string;
}

/**
 * A series following a preset calendar in a year the preset has no data for would silently
 * schedule shifts on that year's holidays: say so. Open-ended series are checked through next year.
 */
export function seriesWarnings(s: SeriesRecord, now: Date): Warning[] {
  const span = seriesSpan(s);
  const firstYear = Number(span.first.slice(0, 4));
  const thisYear = Number(formatDate(localToday(now, s.timezone)).slice(0, 4));
  const lastYear = span.last === null ? Math.max(thisYear + 1, firstYear) : Number(span.last.slice(0, 4));
  return windowWarnings(s.dayCalendarIds, firstYear, lastYear);
}

/** NO_HOLIDAY_DATA warnings for preset calendars over the years from..to. */
export function windowWarnings(calendarIds: readonly string[], fromYear: number, toYear: number): Warning[] {
  const warnings: Warning[] = [];
  for (const id of calendarIds) {
    const preset = PRESET_CALENDARS.get(id);
    if (!preset) continue;
    for (const year of missingPresetYears(preset, fromYear, toYear)) {
      warnings.push({
        code: 'NO_HOLIDAY_DATA',
        calendarId: id,
        year,
        message: `The ${id} calendar has no holiday data for ${year}: shifts in ${year} ignore that year's holidays and make-up days until the data is added.`,
      });
    }
  }
  return warnings;
}
