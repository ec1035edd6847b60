// Rotas and their series: create, edit "this shift only" or "this and all future", end.
import { transaction } from '../db/store.js';
import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { getPerson } from '../db/people.js';
import { calendarDays, dayRulesFor, getRota, listRotas as readRotas, loadSeries, type Rota, type SeriesRecord } from '../db/schedule.js';
import { rotaTeams, rotas, series, seriesCalendars, seriesVersions, shiftOverrides, teams } from '../db/schema.js';
import { newToken } from './tokens.js';
import { PRESET_CALENDARS, missingPresetYears } from '../domain/day-calendar.js';
import { RotaError } from '../domain/errors.js';
import { LIMITS, checkShape, checkVersion, findShift, parseShiftId, seriesShiftsPerDay, seriesSpan, shiftsPerDay, type RuleVersion } from '../domain/recurrence.js';
import type { RuleSpec } from '../domain/rule.js';
import { formatDate, localToday, parseLocal, requireDate, requireTimeZone } from '../domain/time.js';
import { optionalLabel, optionalText, requireName } from '../domain/validate.js';
import type { Actor } from './people.js';
import { reconcileSignups, type AffectedMode, type AffectedSignup } from './reconcile.js';
import { defaultUnitOf } from './units.js';

export type { SeriesRecord };

export interface RotaInput {
  name: string;
  timezone: string;
  location?: string | null;
  description?: string | null;
  waitlist?: boolean;
  countUnmarked?: boolean;
  cancelClosesHoursBefore?: number;
  requireApproval?: boolean;
  teamIds?: number[];
  contactPersonId?: number | null;
  /** The owning unit; default: the creator's (see defaultUnitOf). */
  unitId?: number;
}

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
  return db.select({ id: rotaTeams.teamId }).from(rotaTeams).where(eq(rotaTeams.rotaId, rotaId)).all().map((r) => r.id);
}

function checkHours(hours: number | undefined): void {
  if (hours !== undefined && (!Number.isInteger(hours) || hours < 0 || hours > 24 * 14)) {
    throw new RotaError('VALIDATION', 'cancelClosesHoursBefore must be a whole number of hours from 0 to 336.', { field: 'cancelClosesHoursBefore' });
  }
}

/** A rota's contact is a coordinator with a phone number: captains call them when the page cannot help. */
function checkContact(tx: Conn, personId: number | null | undefined): number | null | undefined {
  if (personId === undefined || personId === null) return personId;
  const person = getPerson(tx, personId);
  const refusal = !person || person.archived
    ? `No person has id ${personId}.`
    : person.role !== 'coordinator'
      ? `${person.name} is not a coordinator: the contact of a rota must be one.`
      : !person.phone
        ? `${person.name} has no phone number: add one first, so volunteers can call.`
        : null;
  if (refusal) throw new RotaError('VALIDATION', refusal, { field: 'contactPersonId' });
  return personId;
}

function setRotaTeams(tx: Conn, rotaId: number, teamIds: number[]): void {
  const ids = [...new Set(teamIds)];
  const found = ids.length ? tx.select({ id: teams.id }).from(teams).where(inArray(teams.id, ids)).all() : [];
  const missing = ids.filter((id) => !found.some((t) => t.id === id));
  if (missing.length) throw new RotaError('VALIDATION', `No team has id ${missing.join(', ')}.`, { field: 'teamIds' });
  tx.delete(rotaTeams).where(eq(rotaTeams.rotaId, rotaId)).run();
  for (const teamId of ids) tx.insert(rotaTeams).values({ rotaId, teamId }).run();
}

export function createRota(db: Db, actor: Actor, input: RotaInput, now: Date): Rota {
  const name = requireName(input.name);
  const timezone = requireTimeZone(input.timezone);
  checkHours(input.cancelClosesHoursBefore);
  const id = transaction(db,
    (tx) => {
      const row = tx
        .insert(rotas)
        .values({
          name,
          timezone,
          location: optionalText(input.location, 'location'),
          description: optionalText(input.description, 'description'),
          waitlist: input.waitlist ?? true,
          countUnmarked: input.countUnmarked ?? true,
          cancelClosesHoursBefore: input.cancelClosesHoursBefore ?? 12,
          requireApproval: input.requireApproval ?? false,
          contactPersonId: checkContact(tx, input.contactPersonId) ?? null,
          feedToken: newToken(),
          createdBy: actor.id,
          unitId: input.unitId ?? defaultUnitOf(tx, actor),
          createdAt: now.getTime(),
          updatedAt: now.getTime(),
        })
        .returning({ id: rotas.id })
        .get();
      setRotaTeams(tx, row.id, input.teamIds ?? []);
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.create', entity: 'rota', entityId: row.id, detail: { name, timezone } });
      return row.id;
    },
  );
  return getRota(db, id)!;
}

export function updateRota(db: Db, actor: Actor, id: number, input: Partial<Omit<RotaInput, 'timezone'>>, now: Date): Rota {
  checkHours(input.cancelClosesHoursBefore);
  transaction(db,
    (tx) => {
      requireRota(tx, id);
      const set: Partial<typeof rotas.$inferInsert> = { updatedAt: now.getTime() };
      if (input.name !== undefined) set.name = requireName(input.name);
      if (input.location !== undefined) set.location = optionalText(input.location, 'location');
      if (input.description !== undefined) set.description = optionalText(input.description, 'description');
      if (input.waitlist !== undefined) set.waitlist = input.waitlist;
      if (input.countUnmarked !== undefined) set.countUnmarked = input.countUnmarked;
      if (input.cancelClosesHoursBefore !== undefined) set.cancelClosesHoursBefore = input.cancelClosesHoursBefore;
      if (input.requireApproval !== undefined) set.requireApproval = input.requireApproval;
      if (input.contactPersonId !== undefined) set.contactPersonId = checkContact(tx, input.contactPersonId);
      tx.update(rotas).set(set).where(eq(rotas.id, id)).run();
      if (input.teamIds !== undefined) setRotaTeams(tx, id, input.teamIds);
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.update', entity: 'rota', entityId: id, detail: { fields: Object.keys(input) } });
    },
  );
  return getRota(db, id)!;
}

export function archiveRota(db: Db, actor: Actor, id: number, now: Date): Rota {
  transaction(db,
    (tx) => {
      requireRota(tx, id);
      tx.update(rotas).set({ archivedAt: now.getTime(), updatedAt: now.getTime() }).where(eq(rotas.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.archive', entity: 'rota', entityId: id });
    },
  );
  return getRota(db, id)!;
}

export function rotateRotaFeed(db: Db, actor: Actor, id: number, now: Date): Rota {
  transaction(db,
    (tx) => {
      requireRota(tx, id);
      tx.update(rotas).set({ feedToken: newToken(), updatedAt: now.getTime() }).where(eq(rotas.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.token.feed', entity: 'rota', entityId: id });
    },
  );
  return getRota(db, id)!;
}

export interface SeriesInput {
  rrule: string;
  startDate: string;
  startTime: string;
  durationMinutes: number;
  minVolunteers: number;
  maxVolunteers: number;
  dayCalendarIds?: string[];
  label?: string | null;
  endDate?: string | null;
}

function checkCalendars(db: Conn, ids: string[]): string[] {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    if (calendarDays(db, id) === null) throw new RotaError('VALIDATION', `No day calendar has id "${id}".`, { field: 'dayCalendarIds' });
  }
  return unique;
}

function checkEndDate(endDate: string | null | undefined, startDate: string): string | null {
  if (endDate === undefined || endDate === null) return null;
  if (requireDate(endDate, 'endDate') < requireDate(startDate, 'startDate')) {
    throw new RotaError('VALIDATION', `endDate (${endDate}) is before the series starts (${startDate}).`, { field: 'endDate' });
  }
  return endDate;
}

/** A rota's series stay few and their shifts per day bounded, so that listing a rota stays cheap. */
function checkRotaCapacity(tx: Conn, rotaId: number, spec: RuleSpec, replacing: number | null): void {
  const others = loadSeries(tx, { rotaIds: [rotaId] }).filter((s) => s.id !== replacing);
  if (replacing === null && others.length >= LIMITS.seriesPerRota) {
    throw new RotaError('VALIDATION', `A rota holds at most ${LIMITS.seriesPerRota} series; end unused series or start another rota.`, { field: 'rrule', limit: LIMITS.seriesPerRota });
  }
  const perDay = others.reduce((sum, s) => sum + seriesShiftsPerDay(s), shiftsPerDay(spec));
  if (perDay > LIMITS.shiftsPerRotaDay) {
    throw new RotaError('VALIDATION', `With this rule the rota's series would have up to ${perDay} shifts a day; a rota holds at most ${LIMITS.shiftsPerRotaDay} a day (repeat less often, or use another rota).`, {
      field: 'rrule',
      limit: LIMITS.shiftsPerRotaDay,
    });
  }
}

export function requireSeries(db: Conn, id: number): SeriesRecord {
  const found = loadSeries(db, { seriesIds: [id] })[0];
  if (!found) throw new RotaError('NOT_FOUND', `No series has id ${id}.`);
  return found;
}

export function createSeries(db: Db, actor: Actor, rotaId: number, input: SeriesInput, now: Date): SeriesRecord {
  const version: RuleVersion = {
    validFrom: input.startDate,
    rrule: input.rrule,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    minVolunteers: input.minVolunteers,
    maxVolunteers: input.maxVolunteers,
  };
  const id = transaction(db,
    (tx) => {
      const rota = requireRota(tx, rotaId);
      const spec = checkVersion(version, rota.timezone);
      checkRotaCapacity(tx, rotaId, spec, null);
      const endDate = checkEndDate(input.endDate, input.startDate);
      const calendars = checkCalendars(tx, input.dayCalendarIds ?? []);
      const row = tx
        .insert(series)
        .values({ rotaId, label: optionalLabel(input.label, 'label'), endDate, createdAt: now.getTime(), updatedAt: now.getTime() })
        .returning({ id: series.id })
        .get();
      tx.insert(seriesVersions).values({ ...version, rrule: spec.body, seriesId: row.id, createdAt: now.getTime() }).run();
      for (const calendarId of calendars) tx.insert(seriesCalendars).values({ seriesId: row.id, calendarId }).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'series.create', entity: 'series', entityId: row.id, detail: { rotaId, ...input } });
      return row.id;
    },
  );
  return requireSeries(db, id);
}

export interface SeriesEdit {
  /** First local date the change applies to ("this and all future"); default: today in the rota's zone. */
  from?: string;
  rrule?: string;
  startTime?: string;
  durationMinutes?: number;
  minVolunteers?: number;
  maxVolunteers?: number;
  dayCalendarIds?: string[];
  label?: string | null;
  endDate?: string | null;
  affectedSignups?: AffectedMode;
}

/**
 * "This and all future": versions the rule in place from `from` on (later versions are replaced);
 * the series keeps its id, and shifts before `from` keep theirs.
 */
export function editSeries(db: Db, actor: Actor, id: number, edit: SeriesEdit, now: Date): { series: SeriesRecord; affected: AffectedSignup[] } {
  const affected = transaction(db,
    (tx) => {
      const current = requireSeries(tx, id);
      const first = current.versions[0]!;
      // Without a date, the change applies from today, or from the start of a series yet to begin.
      const today = formatDate(localToday(now, current.timezone));
      const from = edit.from ?? (today > first.validFrom ? today : first.validFrom);
      requireDate(from, 'from');
      if (from < first.validFrom) throw new RotaError('VALIDATION', `from (${from}) is before the series starts (${first.validFrom}).`, { field: 'from' });
      const ruleChanged = ['rrule', 'startTime', 'durationMinutes', 'minVolunteers', 'maxVolunteers'].some((k) => edit[k as keyof SeriesEdit] !== undefined);
      if (ruleChanged) {
        const base = [...current.versions].reverse().find((v) => v.validFrom <= from)!;
        const version: RuleVersion = {
          validFrom: from,
          rrule: edit.rrule ?? base.rrule,
          startTime: edit.startTime ?? base.startTime,
          durationMinutes: edit.durationMinutes ?? base.durationMinutes,
          minVolunteers: edit.minVolunteers ?? base.minVolunteers,
          maxVolunteers: edit.maxVolunteers ?? base.maxVolunteers,
        };
        const spec = checkVersion(version, current.timezone, first.validFrom);
        checkRotaCapacity(tx, current.rotaId, spec, id);
        tx.delete(seriesVersions).where(and(eq(seriesVersions.seriesId, id), gte(seriesVersions.validFrom, from))).run();
        tx.insert(seriesVersions).values({ ...version, rrule: spec.body, seriesId: id, createdAt: now.getTime() }).run();
      }
      const set: Partial<typeof series.$inferInsert> = { updatedAt: now.getTime() };
      if (edit.label !== undefined) set.label = optionalLabel(edit.label, 'label');
      if (edit.endDate !== undefined) set.endDate = checkEndDate(edit.endDate, first.validFrom);
      tx.update(series).set(set).where(eq(series.id, id)).run();
      if (edit.dayCalendarIds !== undefined) {
        const calendars = checkCalendars(tx, edit.dayCalendarIds);
        tx.delete(seriesCalendars).where(eq(seriesCalendars.seriesId, id)).run();
        for (const calendarId of calendars) tx.insert(seriesCalendars).values({ seriesId: id, calendarId }).run();
      }
      const { affectedSignups, ...detail } = edit;
      writeAudit(tx, now, { actorId: actor.id, action: 'series.edit', entity: 'series', entityId: id, detail: { ...detail, from } });
      return reconcileSignups(tx, actor, [id], now, affectedSignups);
    },
  );
  return { series: requireSeries(db, id), affected };
}

export interface ShiftEdit {
  cancelled?: boolean;
  /** New local start `YYYY-MM-DDTHH:MM`. */
  start?: string;
  durationMinutes?: number;
  minVolunteers?: number;
  maxVolunteers?: number;
  note?: string | null;
  affectedSignups?: AffectedMode;
}

/** "This shift only": an override of one occurrence, which keeps its id. */
export function editShift(db: Db, actor: Actor, shiftId: string, edit: ShiftEdit, now: Date): { seriesId: number; affected: AffectedSignup[] } {
  const ref = parseShiftId(shiftId);
  if (!ref) throw new RotaError('NOT_FOUND', `"${shiftId}" is not a shift id.`);
  if (edit.start !== undefined && parseLocal(edit.start) === null) {
    throw new RotaError('VALIDATION', `start must be a local date and time written YYYY-MM-DDTHH:MM, got "${edit.start}".`, { field: 'start' });
  }
  const affected = transaction(db,
    (tx) => {
      const current = loadSeries(tx, { seriesIds: [ref.seriesId] })[0];
      if (!current) throw new RotaError('NOT_FOUND', `No shift has id ${shiftId}.`);
      const days = dayRulesFor(tx, [current]).get(current.id)!;
      const existing = tx.select().from(shiftOverrides).where(and(eq(shiftOverrides.seriesId, ref.seriesId), eq(shiftOverrides.key, ref.key))).get();
      const shift = findShift(current, ref.key, days);
      if (!shift) throw new RotaError('NOT_FOUND', `No shift has id ${shiftId}: the series has no occurrence at ${ref.key}.`);
      const next = {
        cancelled: edit.cancelled ?? existing?.cancelled ?? false,
        start: edit.start ?? existing?.start ?? null,
        durationMinutes: edit.durationMinutes ?? existing?.durationMinutes ?? null,
        minVolunteers: edit.minVolunteers ?? existing?.minVolunteers ?? null,
        maxVolunteers: edit.maxVolunteers ?? existing?.maxVolunteers ?? null,
        note: edit.note !== undefined ? optionalText(edit.note, 'note') : (existing?.note ?? null),
      };
      const min = next.minVolunteers ?? shift.min;
      const max = next.maxVolunteers ?? shift.max;
      checkShape({ durationMinutes: next.durationMinutes ?? (shift.end - shift.start) / 60_000, minVolunteers: min, maxVolunteers: max });
      tx.insert(shiftOverrides)
        .values({ seriesId: ref.seriesId, key: ref.key, ...next, updatedAt: now.getTime() })
        .onConflictDoUpdate({ target: [shiftOverrides.seriesId, shiftOverrides.key], set: { ...next, updatedAt: now.getTime() } })
        .run();
      const { affectedSignups, ...detail } = edit;
      writeAudit(tx, now, { actorId: actor.id, action: 'shift.edit', entity: 'shift', entityId: shiftId, detail });
      return reconcileSignups(tx, actor, [ref.seriesId], now, affectedSignups, [shift.id]);
    },
  );
  return { seriesId: ref.seriesId, affected };
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
