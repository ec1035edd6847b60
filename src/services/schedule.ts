// Rotas and their series: create, edit "this shift only" or "this and all future", end.
import { transaction } from '../db/store.js';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { getPerson } from '../db/people.js';
import { missingTeams } from '../db/people.js';
import {
  calendarDays,
  dayRulesFor,
  getRota,
  insertRota,
  insertSeries,
  loadSeries,
  replaceVersionsFrom,
  saveShiftOverride,
  setRotaTeams,
  setSeriesCalendars,
  shiftOverride,
  updateRotaRow,
  updateSeriesRow,
  type RotaFields,
  type StoredOverride,
} from '../db/schedule.js';
import { newToken } from './tokens.js';
import { RotaError } from '../domain/errors.js';
import { LIMITS, checkShape, checkVersion, findShift, parseShiftId, seriesShiftsPerDay, shiftsPerDay, type RuleVersion } from '../domain/recurrence.js';
import type { RuleSpec } from '../domain/rule.js';
import { formatDate, localToday, parseLocal, requireDate, requireTimeZone } from '../domain/time.js';
import { optionalLabel, optionalText, requireName } from '../domain/validate.js';
import { reconcileSignups, type AffectedMode, type AffectedSignup } from './reconcile.js';
import { defaultUnitOf } from './units.js';
import { requireRota, requireSeries } from './rotas.js';
import type { Actor, Rota, SeriesRecord } from '../domain/types.js';

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

function assignTeams(tx: Conn, rotaId: number, teamIds: number[]): void {
  const ids = [...new Set(teamIds)];
  const missing = missingTeams(tx, ids);
  if (missing.length) throw new RotaError('VALIDATION', `No team has id ${missing.join(', ')}.`, { field: 'teamIds' });
  setRotaTeams(tx, rotaId, ids);
}

export function createRota(db: Db, actor: Actor, input: RotaInput, now: Date): Rota {
  const name = requireName(input.name);
  const timezone = requireTimeZone(input.timezone);
  checkHours(input.cancelClosesHoursBefore);
  const id = transaction(db,
    (tx) => {
      const rotaId = insertRota(
        tx,
        {
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
        },
        now.getTime(),
      );
      assignTeams(tx, rotaId, input.teamIds ?? []);
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.create', entity: 'rota', entityId: rotaId, detail: { name, timezone } });
      return rotaId;
    },
  );
  return getRota(db, id)!;
}

export function updateRota(db: Db, actor: Actor, id: number, input: Partial<Omit<RotaInput, 'timezone'>>, now: Date): Rota {
  checkHours(input.cancelClosesHoursBefore);
  transaction(db,
    (tx) => {
      requireRota(tx, id);
      const set: Partial<RotaFields> = {};
      if (input.name !== undefined) set.name = requireName(input.name);
      if (input.location !== undefined) set.location = optionalText(input.location, 'location');
      if (input.description !== undefined) set.description = optionalText(input.description, 'description');
      if (input.waitlist !== undefined) set.waitlist = input.waitlist;
      if (input.countUnmarked !== undefined) set.countUnmarked = input.countUnmarked;
      if (input.cancelClosesHoursBefore !== undefined) set.cancelClosesHoursBefore = input.cancelClosesHoursBefore;
      if (input.requireApproval !== undefined) set.requireApproval = input.requireApproval;
      if (input.contactPersonId !== undefined) set.contactPersonId = checkContact(tx, input.contactPersonId);
      updateRotaRow(tx, id, set, now.getTime());
      if (input.teamIds !== undefined) assignTeams(tx, id, input.teamIds);
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.update', entity: 'rota', entityId: id, detail: { fields: Object.keys(input) } });
    },
  );
  return getRota(db, id)!;
}

export function archiveRota(db: Db, actor: Actor, id: number, now: Date): Rota {
  transaction(db,
    (tx) => {
      requireRota(tx, id);
      updateRotaRow(tx, id, { archivedAt: now.getTime() }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.archive', entity: 'rota', entityId: id });
    },
  );
  return getRota(db, id)!;
}

export function rotateRotaFeed(db: Db, actor: Actor, id: number, now: Date): Rota {
  transaction(db,
    (tx) => {
      requireRota(tx, id);
      updateRotaRow(tx, id, { feedToken: newToken() }, now.getTime());
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
      const seriesId = insertSeries(
        tx,
        { rotaId, label: optionalLabel(input.label, 'label'), endDate, version: { ...version, rrule: spec.body }, dayCalendarIds: calendars },
        now.getTime(),
      );
      writeAudit(tx, now, { actorId: actor.id, action: 'series.create', entity: 'series', entityId: seriesId, detail: { rotaId, ...input } });
      return seriesId;
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
        replaceVersionsFrom(tx, id, { ...version, rrule: spec.body }, now.getTime());
      }
      const set: { label?: string | null; endDate?: string | null } = {};
      if (edit.label !== undefined) set.label = optionalLabel(edit.label, 'label');
      if (edit.endDate !== undefined) set.endDate = checkEndDate(edit.endDate, first.validFrom);
      updateSeriesRow(tx, id, set, now.getTime());
      if (edit.dayCalendarIds !== undefined) setSeriesCalendars(tx, id, checkCalendars(tx, edit.dayCalendarIds));
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
      const existing = shiftOverride(tx, ref.seriesId, ref.key);
      const shift = findShift(current, ref.key, days);
      if (!shift) throw new RotaError('NOT_FOUND', `No shift has id ${shiftId}: the series has no occurrence at ${ref.key}.`);
      const next: StoredOverride = {
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
      saveShiftOverride(tx, ref.seriesId, ref.key, next, now.getTime());
      const { affectedSignups, ...detail } = edit;
      writeAudit(tx, now, { actorId: actor.id, action: 'shift.edit', entity: 'shift', entityId: shiftId, detail });
      return reconcileSignups(tx, actor, [ref.seriesId], now, affectedSignups, [shift.id]);
    },
  );
  return { seriesId: ref.seriesId, affected };
}
