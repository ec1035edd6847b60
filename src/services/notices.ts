// Notices (issue 8): change notices written into the outbox inside the transaction of the change
// (`enqueue`), scheduled ones (reminders, the daily roster post, shifts short within 48 hours)
// generated idempotently from the schedule, and the coordinator's settings and view of the outbox.
import { transaction } from '../db/store.js';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import {
  allNoticeSettings,
  confirmedStarting,
  DEFAULT_QUIET,
  getNotice,
  insertNotice,
  lastAuditId,
  listNotices,
  noticeExists,
  noticeSettings,
  personChannel,
  requeue,
  saveNoticeSettings,
  savePersonChannel,
  seriesLabel,
  type GroupKind,
  type Notice,
  type NoticeSettings,
  type NoticeStatus,
} from '../db/notices.js';
import { getRota } from '../db/schedule.js';
import { RotaError } from '../domain/errors.js';
import {
  afterQuietHours,
  changeKey,
  reminderDue,
  reminderKey,
  renderChange,
  renderReminder,
  renderRoster,
  rosterDue,
  rosterKey,
  renderShortage,
  shortageKey,
  type NoticeEvent,
  type NoticeLocale,
  type QuietHours,
} from '../domain/notices.js';
import { shiftDate } from '../domain/recurrence.js';
import { formatDate, localToday, requireTime } from '../domain/time.js';
import { requirePerson, type Actor } from './people.js';
import { requireRota } from './schedule.js';
import { buildSheet, sheetText } from './sheets.js';
import { checkTargetUrl, OutboundRefused } from './outbound.js';
import { listShifts } from './shifts.js';

export type { Notice, NoticeSettings };

/**
 * Writes the notice a change causes, in the caller's transaction, right after the change's audit
 * entry (whose id makes the key). A person's notice goes to their email if they chose it, else to
 * the rota's group; with nowhere to send it, nothing is written.
 */
export function enqueue(tx: Conn, event: NoticeEvent, now: Date): void {
  const settings = noticeSettings(tx, event.rotaId);
  const rota = getRota(tx, event.rotaId)!;
  const person = event.personId === null ? null : requirePerson(tx, event.personId);
  const channel = person && person.email && personChannel(tx, person.id) === 'email' ? 'email' : 'group';
  if (channel === 'group' && !settings.group) return;
  const locale = person?.locale ?? settings.locale;
  const words = renderChange(event, {
    locale,
    zone: rota.timezone,
    rotaName: rota.name,
    post: seriesLabel(tx, event.seriesId),
    name: person?.name ?? null,
    otherName: 'otherId' in event ? requirePerson(tx, event.otherId).name : null,
  });
  insertNotice(
    tx,
    { key: changeKey(event, lastAuditId(tx)), kind: event.kind, rotaId: rota.id, personId: person?.id ?? null, channel, locale, ...words, nextAttemptAt: afterQuietHours(now.getTime(), rota.timezone, settings.quiet) },
    now.getTime(),
  );
}

/**
 * Writes the scheduled notices due now: each rota's roster post for tomorrow once its local time
 * has come, and reminders to people who chose email (the group's reminder is the roster post).
 * Keys are unique, so running this twice, or in two processes, writes each notice once.
 */
export function generateScheduled(db: Db, now: Date): number {
  const t = now.getTime();
  let written = 0;
  const all = allNoticeSettings(db);
  for (const s of all) {
    const rota = getRota(db, s.rotaId)!;
    const date = s.group && !rota.archived ? rosterDue(t, rota.timezone, s.rosterAt) : null;
    if (date === null || noticeExists(db, rosterKey(rota.id, date))) continue;
    const sheet = buildSheet(db, rota.id, { from: date, to: date }, s.locale, now);
    // No duties tomorrow (a weekend, a holiday): no post.
    if (sheet.rows.length === 0) continue;
    const lines = sheetText(sheet).trimEnd().split('\n').slice(1);
    const words = renderRoster(rota.name, lines, s.locale);
    insertNotice(db, { key: rosterKey(rota.id, date), kind: 'roster', rotaId: rota.id, personId: null, channel: 'group', locale: s.locale, ...words, nextAttemptAt: afterQuietHours(t, rota.timezone, s.quiet) }, t);
    written++;
  }
  for (const s of all) written += generateShortages(db, s, t);
  const byRota = new Map(all.map((s) => [s.rotaId, s]));
  const longest = Math.max(18, ...all.map((s) => s.remindHoursBefore));
  for (const c of confirmedStarting(db, t, t + longest * 3_600_000)) {
    const s = byRota.get(c.rotaId) ?? noticeSettings(db, c.rotaId);
    if (!c.email || !reminderDue(c.start, s.remindHoursBefore, t) || noticeExists(db, reminderKey(c.signupId, c.start))) continue;
    if (personChannel(db, c.personId) !== 'email') continue;
    const rota = getRota(db, c.rotaId)!;
    // Inside quiet hours the reminder waits for their end, unless the duty has begun by then.
    const at = afterQuietHours(t, rota.timezone, s.quiet);
    if (rota.archived || at >= c.start) continue;
    const person = requirePerson(db, c.personId);
    const words = renderReminder(c.start, { locale: person.locale, zone: rota.timezone, rotaName: rota.name, post: seriesLabel(db, c.seriesId), name: person.name, otherName: null });
    insertNotice(db, { key: reminderKey(c.signupId, c.start), kind: 'reminder', rotaId: rota.id, personId: person.id, channel: 'email', locale: person.locale, ...words, nextAttemptAt: at }, t);
    written++;
  }
  return written;
}

const SHORTAGE_AHEAD_MS = 48 * 3_600_000;

/**
 * Calls out in the rota's group each shift starting within 48 hours that is below its minimum
 * (not cancelled), once per shift per local day it goes out on. Held by quiet hours, and dropped
 * when those last until the shift has begun.
 */
function generateShortages(db: Db, s: NoticeSettings, t: number): number {
  const rota = getRota(db, s.rotaId)!;
  if (!s.group || rota.archived) return 0;
  const today = formatDate(localToday(new Date(t), rota.timezone));
  const views = listShifts(db, { rotaId: rota.id, from: today, to: shiftDate(today, 2) }, new Date(t)).shifts;
  const at = afterQuietHours(t, rota.timezone, s.quiet);
  // Keyed by the local day it goes out: a call held overnight by quiet hours is that morning's call.
  const sendDay = formatDate(localToday(new Date(at), rota.timezone));
  let written = 0;
  for (const v of views) {
    const key = shortageKey(v.shift.id, sendDay);
    if (v.status !== 'gap' || v.shift.start <= t || v.shift.start > t + SHORTAGE_AHEAD_MS || at >= v.shift.start || noticeExists(db, key)) continue;
    const words = renderShortage(v.shift.start, v.shift.min - v.confirmed.length, at, { locale: s.locale, zone: rota.timezone, rotaName: rota.name, post: v.series.label, name: null, otherName: null });
    insertNotice(db, { key, kind: 'shift-short', rotaId: rota.id, personId: null, channel: 'group', locale: s.locale, ...words, nextAttemptAt: at }, t);
    written++;
  }
  return written;
}

// ---- Settings -------------------------------------------------------------------------------

export interface ChannelInput {
  kind: GroupKind | 'none';
  url?: string;
  secret?: string | null;
  locale?: NoticeLocale;
  rosterAt?: string | null;
  remindHoursBefore?: number;
  quietHours?: QuietHours | null;
}

/** The channel's URL, if it may be called: http(s), no credentials, a public address (else 400 VALIDATION on `url`). */
async function requireTargetUrl(url: string | undefined, allowLoopback: boolean): Promise<string> {
  try {
    return await checkTargetUrl(url, 'url', allowLoopback);
  } catch (error) {
    // The message never repeats the URL: it carries the robot's key.
    if (error instanceof OutboundRefused) throw new RotaError('VALIDATION', error.message, { field: 'url' });
    throw error;
  }
}

/**
 * Points a rota's notices at a group robot or webhook (or none) and sets its roster post, reminders
 * and quiet hours. The URL must lead to the public internet (loopback too with `allowLoopback`, for tests).
 */
export async function configureRotaNotices(db: Db, actor: Actor, rotaId: number, input: ChannelInput, now: Date, allowLoopback: boolean): Promise<NoticeSettings> {
  if (input.rosterAt) requireTime(input.rosterAt, 'rosterAt');
  if (input.quietHours) {
    requireTime(input.quietHours.from, 'quietHours.from');
    requireTime(input.quietHours.to, 'quietHours.to');
  }
  const hours = input.remindHoursBefore;
  if (hours !== undefined && (!Number.isInteger(hours) || hours < 0 || hours > 336)) {
    throw new RotaError('VALIDATION', 'remindHoursBefore must be a whole number of hours from 0 (no reminders) to 336.', { field: 'remindHoursBefore' });
  }
  const group = input.kind === 'none' ? null : { kind: input.kind, url: await requireTargetUrl(input.url, allowLoopback), secret: input.secret || null };
  transaction(db,
    (tx) => {
      requireRota(tx, rotaId);
      const current = noticeSettings(tx, rotaId);
      saveNoticeSettings(
        tx,
        {
          rotaId,
          group,
          locale: input.locale ?? current.locale,
          rosterAt: input.rosterAt !== undefined ? input.rosterAt : current.rosterAt,
          remindHoursBefore: hours ?? current.remindHoursBefore,
          quiet: input.quietHours !== undefined ? input.quietHours : (current.quiet ?? DEFAULT_QUIET),
        },
        now.getTime(),
      );
      // Field names only: the URL and secret never reach the audit log.
      writeAudit(tx, now, { actorId: actor.id, action: 'rota.notices', entity: 'rota', entityId: rotaId, detail: { kind: input.kind, fields: Object.keys(input) } });
    },
  );
  return noticeSettings(db, rotaId);
}

export function rotaNotices(db: Db, rotaId: number): NoticeSettings {
  requireRota(db, rotaId);
  return noticeSettings(db, rotaId);
}

/** A person chooses where their own notices go: email (they need an address) or the rota's group. */
export function choosePersonChannel(db: Db, actor: Actor, personId: number, channel: 'email' | 'group', now: Date): 'email' | 'group' {
  transaction(db,
    (tx) => {
      const person = requirePerson(tx, personId);
      if (channel === 'email' && !person.email) {
        throw new RotaError('VALIDATION', 'Add an email address to this person first, then choose email.', { field: 'channel' });
      }
      savePersonChannel(tx, personId, channel, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'person.notices', entity: 'person', entityId: personId, detail: { channel } });
    },
  );
  return personChannel(db, personId);
}

export function personNoticeChannel(db: Db, personId: number): 'email' | 'group' {
  requirePerson(db, personId);
  return personChannel(db, personId);
}

/** The newest notices first, each with its rota's zone (times on the wire carry its offset). */
export function outbox(db: Db, query: { status?: NoticeStatus; rotaId?: number; limit?: number; unitIds?: ReadonlySet<number> }): { notice: Notice; timezone: string }[] {
  const zones = new Map<number, string>();
  return listNotices(db, { ...query, limit: query.limit ?? 100 }).map((notice) => {
    if (!zones.has(notice.rotaId)) zones.set(notice.rotaId, getRota(db, notice.rotaId)!.timezone);
    return { notice, timezone: zones.get(notice.rotaId)! };
  });
}

/** A coordinator sends a failed notice again (with the same key, so receivers can tell). */
export function retryNotice(db: Db, actor: Actor, id: number, now: Date): { notice: Notice; timezone: string } {
  transaction(db,
    (tx) => {
      const notice = getNotice(tx, id);
      if (!notice) throw new RotaError('NOT_FOUND', `No notice has id ${id}.`);
      if (notice.status !== 'failed') throw new RotaError('CONFLICT', `Only a failed notice can be retried; this one is ${notice.status}.`, { status: notice.status });
      requeue(tx, id, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'notice.retry', entity: 'notice', entityId: id });
    },
  );
  const notice = getNotice(db, id)!;
  return { notice, timezone: getRota(db, notice.rotaId)!.timezone };
}
