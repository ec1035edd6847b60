// Check-in at the post (issue 15): the poster's code, the shift leader's rotating code, checking
// oneself in and out, the desk's view of today, and audited corrections. Each write loads,
// decides with src/domain/checkin.ts and writes in one IMMEDIATE transaction.
import { transaction } from '../db/store.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeAudit } from '../db/audit.js';
import {
  checkinRecord,
  checkinSettings,
  checkinsBetween,
  codeOfSeries,
  confirmedOverlapping,
  insertWalkIn,
  liveCheckin,
  saveCheckinSettings,
  saveCode,
  seriesByCode,
  updateCheckin,
  type CheckinRecord,
  type SeriesCode,
} from '../db/checkins.js';
import type { Conn, Db } from '../db/connection.js';
import { getPerson } from '../db/people.js';
import { dayRulesFor, overridesFor } from '../db/schedule.js';
import { newToken } from './tokens.js';
import { chooseShift, checkinFlags, checkinWindow, decideCheckin, distanceMetres, type CheckinSettings } from '../domain/checkin.js';
import { RotaError } from '../domain/errors.js';
import { expandSeries, shiftDate, type RuleVersion, type Shift } from '../domain/recurrence.js';
import { refusalError } from '../domain/signup-rules.js';
import { DAY_MS, formatDate, localToday } from '../domain/time.js';
import { requireRota, requireSeries } from './rotas.js';
import { listShifts } from './shifts.js';
import type { Actor, Rota, SeriesRecord } from '../domain/types.js';

export type { CheckinRecord };

function requireCoordinatorActor(actor: Actor): void {
  if (actor.role !== 'coordinator') throw new RotaError('FORBIDDEN', 'Only a coordinator can do this.');
}

/** The series' code, made on first use. */
function ensureCode(tx: Conn, seriesId: number, now: Date): SeriesCode {
  const found = codeOfSeries(tx, seriesId);
  if (found) return found;
  const made = { seriesId, code: newToken(), leaderSecret: newToken() };
  saveCode(tx, seriesId, made.code, made.leaderSecret, now.getTime());
  return made;
}

/** A series' check-in code (coordinators), made on first use. */
export function seriesCode(db: Db, actor: Actor, seriesId: number, now: Date): string {
  requireCoordinatorActor(actor);
  requireSeries(db, seriesId);
  return transaction(db, (tx) => ensureCode(tx, seriesId, now).code);
}

/** Replaces a series' code: posters (and photos of them) with the old one stop working. */
export function replaceCode(db: Db, actor: Actor, seriesId: number, now: Date): string {
  requireCoordinatorActor(actor);
  requireSeries(db, seriesId);
  return transaction(db,
    (tx) => {
      const old = ensureCode(tx, seriesId, now);
      const code = newToken();
      saveCode(tx, seriesId, code, old.leaderSecret, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'checkin.code.replace', entity: 'series', entityId: seriesId, detail: {} });
      return code;
    },
  );
}

/** A rota's check-in settings (the route checks the caller reads the rota). */
export function getCheckinSettings(db: Db, rotaId: number): CheckinSettings {
  requireRota(db, rotaId);
  return checkinSettings(db, rotaId);
}

/** Changes a rota's check-in settings; a post position needs both coordinates. */
export function updateCheckinSettings(db: Db, actor: Actor, rotaId: number, change: Partial<CheckinSettings>, now: Date): CheckinSettings {
  requireCoordinatorActor(actor);
  return transaction(db,
    (tx) => {
      requireRota(tx, rotaId);
      const next = { ...checkinSettings(tx, rotaId), ...change };
      if ((next.latitude === null) !== (next.longitude === null)) {
        throw new RotaError('VALIDATION', 'Give both latitude and longitude of the post, or neither.', { field: next.latitude === null ? 'latitude' : 'longitude' });
      }
      for (const id of next.leaderIds) {
        if (!getPerson(tx, id)) throw new RotaError('VALIDATION', `No person has id ${id}.`, { field: 'leaderIds' });
      }
      next.leaderIds = [...new Set(next.leaderIds)];
      saveCheckinSettings(tx, rotaId, next, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'checkin.settings', entity: 'rota', entityId: rotaId, detail: { ...change } });
      return next;
    },
  );
}

// ---------- the shift leader's rotating code ----------

const STEP_MS = 30_000;

/** Six digits from HMAC-SHA256(secret, step), truncated as TOTP does (RFC 6238 / 4226). */
function codeAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha256', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The current code and the previous step's (a code read off a phone just as it changed still works). */
function leaderCodeMatches(secret: string, given: string, now: number): boolean {
  const step = Math.floor(now / STEP_MS);
  const wanted = Buffer.from(given.padEnd(6).slice(0, 6));
  return [step, step - 1].some((s) => timingSafeEqual(Buffer.from(codeAt(secret, s)), wanted));
}

function mayLead(actor: Actor, settings: CheckinSettings): boolean {
  return actor.role === 'coordinator' || settings.leaderIds.includes(actor.id);
}

/** The code a shift leader's phone shows, for a coordinator or a leader the rota names. */
export function leaderCode(db: Db, actor: Actor, seriesId: number, now: Date): { code: string; validUntil: number; stepSeconds: number } {
  const series = requireSeries(db, seriesId);
  if (!mayLead(actor, checkinSettings(db, series.rotaId))) throw new RotaError('FORBIDDEN', 'Only a coordinator or a shift leader of this rota sees its leader code.');
  const { leaderSecret } = transaction(db, (tx) => ensureCode(tx, seriesId, now));
  const step = Math.floor(now.getTime() / STEP_MS);
  return { code: codeAt(leaderSecret, step), validUntil: (step + 2) * STEP_MS, stepSeconds: STEP_MS / 1000 };
}

// ---------- scanning the poster ----------

interface Post {
  code: SeriesCode;
  series: SeriesRecord;
  rota: Rota;
  settings: CheckinSettings;
  shifts: Shift[];
}

/** The post a code opens, with its shifts from yesterday to two weeks ahead (local dates). */
function postOf(tx: Conn, code: string, now: Date): Post {
  const found = seriesByCode(tx, code);
  if (!found) throw new RotaError('CHECKIN_CODE', 'This check-in code is not valid: the poster may have been replaced. Scan the poster at the post, or ask the coordinator.');
  const series = requireSeries(tx, found.seriesId);
  const rota = requireRota(tx, series.rotaId);
  if (rota.archived) throw new RotaError('CHECKIN_CODE', 'This duty has ended; there is nothing to check in to.');
  const today = formatDate(localToday(now, rota.timezone));
  const shifts = expandSeries(series, { from: shiftDate(today, -1), to: shiftDate(today, 14) }, dayRulesFor(tx, [series]).get(series.id)!, overridesFor(tx, [series.id]).get(series.id));
  return { code: found, series, rota, settings: checkinSettings(tx, rota.id), shifts };
}

interface PostView {
  rota: Rota;
  series: SeriesRecord;
  settings: CheckinSettings;
  /** The shift whose window is open, else the next one (null when none is near). */
  shift: Shift | null;
  open: boolean;
  opensAt: number | null;
  mine: CheckinRecord | null;
  isLeader: boolean;
}

/** What a scan shows before the tap: the post, the shift, whether it is open, and one's own state. */
export function lookUpPost(db: Db, actor: Actor, code: string, now: Date): PostView {
  const post = postOf(db, code, now);
  const chosen = chooseShift(post.shifts, now.getTime(), post.settings.windowMinutesBefore);
  const next = 'shift' in chosen ? chosen.shift : (post.shifts.find((s) => s.id === chosen.refusal.details?.shiftId) ?? null);
  return {
    rota: post.rota,
    series: post.series,
    settings: post.settings,
    shift: next,
    open: 'shift' in chosen,
    opensAt: next ? checkinWindow(next, post.settings.windowMinutesBefore).opens : null,
    mine: next ? liveCheckin(db, next.id, actor.id) : null,
    isLeader: mayLead(actor, post.settings),
  };
}

interface CheckinInput {
  code: string;
  shiftId?: string;
  leaderCode?: string;
  location?: { latitude: number; longitude: number; accuracy?: number };
}

/**
 * Checks the signed-in person in at a post: their confirmed place becomes attended, or (where the
 * rota takes walk-ins) a walk-in is recorded and flagged. A second scan changes nothing and
 * answers `created: false`. Only the actor's own sign-up is ever touched.
 */
export function checkIn(db: Db, actor: Actor, input: CheckinInput, now: Date): { record: CheckinRecord; created: boolean } {
  return transaction(db,
    (tx) => {
      const post = postOf(tx, input.code, now);
      const chosen = chooseShift(post.shifts, now.getTime(), post.settings.windowMinutesBefore, input.shiftId);
      if ('refusal' in chosen) throw refusalError(chosen.refusal);
      const shift = chosen.shift;
      const existing = liveCheckin(tx, shift.id, actor.id);
      if (existing?.checkedInAt != null) return { record: existing, created: false };
      if (post.settings.requireLeaderCode) {
        if (!input.leaderCode) throw new RotaError('LEADER_CODE', 'This post asks for the 6-digit code shown on the shift leader\'s phone. Ask the leader at the post for it.', { field: 'leaderCode' });
        if (!leaderCodeMatches(post.code.leaderSecret, input.leaderCode, now.getTime())) {
          throw new RotaError('LEADER_CODE', 'That code is not right, or it has already changed. Ask the shift leader for the code on their phone now.', { field: 'leaderCode' });
        }
      }
      const clash = confirmedOverlapping(tx, actor.id, shift);
      const outcome = decideCheckin({
        existing: existing && existing.status !== 'cancelled' ? { id: existing.id, status: existing.status, walkIn: existing.walkIn, checkedInAt: existing.checkedInAt } : null,
        walkIns: post.settings.walkIns,
        clash,
      });
      if ('refusal' in outcome) throw refusalError(outcome.refusal);
      const { latitude, longitude } = post.settings;
      const distance = input.location && latitude !== null && longitude !== null ? distanceMetres(input.location, { latitude, longitude }) : null;
      const walkIn = outcome.action === 'walk-in';
      const flags = checkinFlags(walkIn, post.settings, distance);
      const at = now.getTime();
      let signupId: number;
      if (outcome.action === 'walk-in' && outcome.signupId === null) {
        signupId = insertWalkIn(tx, shift, actor.id, { checkedInAt: at, distanceMetres: distance, flags }, at);
      } else {
        signupId = outcome.signupId!;
        updateCheckin(tx, signupId, { status: 'confirmed', attendance: 'attended', checkedInAt: at, distanceMetres: distance, flags, ...(walkIn ? { walkIn: true } : {}) }, at);
      }
      writeAudit(tx, now, { actorId: actor.id, action: 'checkin.in', entity: 'signup', entityId: signupId, detail: { shiftId: shift.id, walkIn, flags, distanceMetres: distance } });
      return { record: checkinRecord(tx, signupId)!, created: true };
    },
  );
}

/** Records the end of service on one's own checked-in sign-up (or anyone's, for a coordinator). */
export function checkOut(db: Db, actor: Actor, signupId: number, now: Date): CheckinRecord {
  return transaction(db,
    (tx) => {
      const record = checkinRecord(tx, signupId);
      if (!record) throw new RotaError('NOT_FOUND', `No sign-up has id ${signupId}.`);
      if (record.personId !== actor.id && actor.role !== 'coordinator') throw new RotaError('FORBIDDEN', 'You can only check yourself out.');
      if (record.status === 'cancelled' || record.checkedInAt === null) throw new RotaError('CONFLICT', 'This sign-up has not been checked in, so it cannot be checked out.');
      if (record.checkedOutAt !== null) return record;
      updateCheckin(tx, signupId, { checkedOutAt: Math.max(now.getTime(), record.checkedInAt) }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'checkin.out', entity: 'signup', entityId: signupId, detail: { shiftId: record.shiftId } });
      return checkinRecord(tx, signupId)!;
    },
  );
}

interface CheckinCorrection {
  checkedInAt?: number | null;
  checkedOutAt?: number | null;
  clearFlags?: boolean;
}

/**
 * A coordinator's correction, audited with the values before and after. Undoing a check-in
 * (checkedInAt: null) also clears its check-out and attendance; an undone walk-in is cancelled.
 */
export function correctCheckin(db: Db, actor: Actor, signupId: number, change: CheckinCorrection, now: Date): CheckinRecord {
  requireCoordinatorActor(actor);
  return transaction(db,
    (tx) => {
      const before = checkinRecord(tx, signupId);
      if (!before || before.status === 'cancelled') throw new RotaError('NOT_FOUND', `No live sign-up has id ${signupId}.`);
      const checkedInAt = change.checkedInAt === undefined ? before.checkedInAt : change.checkedInAt;
      const checkedOutAt = checkedInAt === null ? null : change.checkedOutAt === undefined ? before.checkedOutAt : change.checkedOutAt;
      if (checkedInAt !== null && checkedOutAt !== null && checkedOutAt < checkedInAt) {
        throw new RotaError('VALIDATION', 'The check-out cannot be before the check-in.', { field: 'checkedOutAt' });
      }
      const undo = checkedInAt === null && before.checkedInAt !== null;
      const at = now.getTime();
      updateCheckin(
        tx,
        signupId,
        {
          checkedInAt,
          checkedOutAt,
          ...(checkedInAt !== null ? { attendance: 'attended' as const } : undo ? { attendance: null, distanceMetres: null, flags: [] } : {}),
          ...(undo && before.walkIn ? { status: 'cancelled' as const, cancelledAt: at } : {}),
          ...(change.clearFlags ? { flags: [] } : {}),
        },
        at,
      );
      const after = checkinRecord(tx, signupId)!;
      writeAudit(tx, now, {
        actorId: actor.id,
        action: 'checkin.correct',
        entity: 'signup',
        entityId: signupId,
        detail: {
          before: { checkedInAt: before.checkedInAt, checkedOutAt: before.checkedOutAt, flags: before.flags, status: before.status },
          after: { checkedInAt: after.checkedInAt, checkedOutAt: after.checkedOutAt, flags: after.flags, status: after.status },
        },
      });
      return after;
    },
  );
}

// ---------- the desk ----------

interface DeskShift {
  shift: Shift;
  rota: Rota;
  label: string | null;
  people: CheckinRecord[];
}

/** Today's shifts (in each rota's zone, or a given local date) with each person's check-in state. */
export function checkinsToday(db: Db, query: { date?: string; rotaId?: number; unitIds?: ReadonlySet<number> }, now: Date): DeskShift[] {
  const dates = query.date === undefined ? {} : { from: query.date, to: query.date };
  const { shifts } = listShifts(db, { ...(query.rotaId === undefined ? {} : { rotaId: query.rotaId }), ...(query.unitIds ? { unitIds: query.unitIds } : {}), ...dates }, now);
  const today = shifts.filter((v) => query.date !== undefined || v.shift.localDate === formatDate(localToday(now, v.rota.timezone)));
  if (today.length === 0) return [];
  const from = Math.min(...today.map((v) => v.shift.start));
  const to = Math.max(...today.map((v) => v.shift.start)) + 1;
  const records = checkinsBetween(db, [...new Set(today.map((v) => v.rota.id))], from - DAY_MS, to + DAY_MS);
  return today.map((v) => ({ shift: v.shift, rota: v.rota, label: v.series.label, people: records.filter((r) => r.shiftId === v.shift.id) }));
}

/** The poster's facts: the post, its usual time and the code its QR opens. */
export function posterFacts(db: Db, actor: Actor, seriesId: number, now: Date): { rota: Rota; series: SeriesRecord; version: RuleVersion; code: string; settings: CheckinSettings } {
  const code = seriesCode(db, actor, seriesId, now);
  const series = requireSeries(db, seriesId);
  const rota = requireRota(db, series.rotaId);
  // The rule in force today (a "this and all future" edit may have changed the time from a later date).
  const today = formatDate(localToday(now, rota.timezone));
  const version = [...series.versions].reverse().find((v) => v.validFrom <= today) ?? series.versions[0]!;
  return { rota, series, version, code, settings: checkinSettings(db, series.rotaId) };
}
