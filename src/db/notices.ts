// The outbox and notice settings as records; drizzle rows stop here. Leasing is one conditional
// UPDATE ... RETURNING, so two workers (or two processes) never hold the same row at once.
import { orderedJoin } from './dialect.js';
import { clientOf, transaction } from './store.js';
import { and, desc, eq, inArray, max, sql, type SQL } from 'drizzle-orm';
import type { QuietHours } from '../domain/notices.js';
import type { Conn, Db } from './connection.js';
import { auditLog, noticePreferences, notices, people, rotaNoticeSettings, rotas, series, signups } from './schema.js';
import type { Locale } from '../domain/types.js';

export type NoticeStatus = 'pending' | 'sent' | 'failed';
export type GroupKind = 'wecom' | 'dingtalk' | 'webhook';

export type Notice = typeof notices.$inferSelect;

export interface NoticeSettings {
  rotaId: number;
  group: { kind: GroupKind; url: string; secret: string | null } | null;
  locale: Locale;
  rosterAt: string | null;
  remindHoursBefore: number;
  quiet: QuietHours | null;
}

/** Without a row: no group, Chinese, no roster post, reminders 18 h before, quiet 22:00–07:00. */
export const DEFAULT_QUIET: QuietHours = { from: '22:00', to: '07:00' };

export function noticeSettings(db: Conn, rotaId: number): NoticeSettings {
  const r = db.select().from(rotaNoticeSettings).where(eq(rotaNoticeSettings.rotaId, rotaId)).get();
  if (!r) return { rotaId, group: null, locale: 'zh-CN', rosterAt: null, remindHoursBefore: 18, quiet: DEFAULT_QUIET };
  return {
    rotaId,
    group: r.kind && r.url ? { kind: r.kind, url: r.url, secret: r.secret } : null,
    locale: r.locale,
    rosterAt: r.rosterAt,
    remindHoursBefore: r.remindHoursBefore,
    quiet: r.quietFrom && r.quietTo ? { from: r.quietFrom, to: r.quietTo } : null,
  };
}

export function allNoticeSettings(db: Conn): NoticeSettings[] {
  return db.select({ rotaId: rotaNoticeSettings.rotaId }).from(rotaNoticeSettings).all().map((r) => noticeSettings(db, r.rotaId));
}

export function saveNoticeSettings(db: Conn, s: NoticeSettings, now: number): void {
  const row = {
    kind: s.group?.kind ?? null,
    url: s.group?.url ?? null,
    secret: s.group?.secret ?? null,
    locale: s.locale,
    rosterAt: s.rosterAt,
    remindHoursBefore: s.remindHoursBefore,
    quietFrom: s.quiet?.from ?? null,
    quietTo: s.quiet?.to ?? null,
    updatedAt: now,
  };
  db.insert(rotaNoticeSettings).values({ rotaId: s.rotaId, ...row }).onConflictDoUpdate({ target: rotaNoticeSettings.rotaId, set: row }).run();
}

export function personChannel(db: Conn, personId: number): 'email' | 'group' {
  return db.select({ channel: noticePreferences.channel }).from(noticePreferences).where(eq(noticePreferences.personId, personId)).get()?.channel ?? 'group';
}

export function savePersonChannel(db: Conn, personId: number, channel: 'email' | 'group', now: number): void {
  db.insert(noticePreferences).values({ personId, channel, updatedAt: now }).onConflictDoUpdate({ target: noticePreferences.personId, set: { channel, updatedAt: now } }).run();
}

/** The id of the audit entry just written in this transaction (the writer holds the lock, so it is the newest). */
export function lastAuditId(tx: Conn): number {
  return tx.select({ id: max(auditLog.id) }).from(auditLog).get()?.id ?? 0;
}

export type NewNotice = Pick<Notice, 'key' | 'kind' | 'rotaId' | 'personId' | 'channel' | 'locale' | 'subject' | 'text' | 'nextAttemptAt'>;

/** Writes a notice unless one with its key exists: generating it twice is harmless. */
export function insertNotice(db: Conn, n: NewNotice, now: number): void {
  db.insert(notices).values({ ...n, createdAt: now }).onConflictDoNothing({ target: notices.key }).run();
}

export function noticeExists(db: Conn, key: string): boolean {
  return db.select({ id: notices.id }).from(notices).where(eq(notices.key, key)).get() !== undefined;
}

export function getNotice(db: Conn, id: number): Notice | null {
  return db.select().from(notices).where(eq(notices.id, id)).get() ?? null;
}

/** `unitIds`: only notices of rotas owned by these units. */
export function listNotices(db: Conn, q: { status?: NoticeStatus; rotaId?: number; limit: number; unitIds?: ReadonlySet<number> }): Notice[] {
  const where: SQL[] = [];
  if (q.unitIds) where.push(inArray(notices.rotaId, db.select({ id: rotas.id }).from(rotas).where(inArray(rotas.unitId, [...q.unitIds]))));
  if (q.status) where.push(eq(notices.status, q.status));
  if (q.rotaId) where.push(eq(notices.rotaId, q.rotaId));
  return db.select().from(notices).where(and(...where)).orderBy(desc(notices.id)).limit(q.limit).all();
}

/**
 * Leases up to `n` due rows for `owner` until `leaseUntil` and counts the attempt, in one
 * IMMEDIATE transaction: a row whose lease is still running is nobody else's to send.
 */
export function leaseDue(db: Db, owner: string, now: number, leaseUntil: number, n: number): Notice[] {
  return transaction(db,
    (tx) =>
      tx
        .update(notices)
        .set({ leaseOwner: owner, leaseUntil, attempts: sql`${notices.attempts} + 1` })
        .where(
          and(
            sql`${notices.id} IN (SELECT ${notices.id} FROM ${notices} WHERE ${notices.status} = 'pending' AND ${notices.nextAttemptAt} <= ${now} AND (${notices.leaseUntil} IS NULL OR ${notices.leaseUntil} < ${now}) ORDER BY ${notices.nextAttemptAt}, ${notices.id} LIMIT ${n})`,
            sql`(${notices.leaseUntil} IS NULL OR ${notices.leaseUntil} < ${now})`,
          ),
        )
        .returning()
        .all()
  );
}

/** Marks a leased row sent; a worker whose lease was taken over marks nothing (the new holder will). */
export function markSent(db: Conn, id: number, owner: string, now: number): void {
  db.update(notices)
    .set({ status: 'sent', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: null })
    .where(and(eq(notices.id, id), eq(notices.leaseOwner, owner)))
    .run();
}

/** Records a failed try: again at `retryAt`, or given up (failed) when that is null. */
export function markFailed(db: Conn, id: number, owner: string, error: string, retryAt: number | null): void {
  db.update(notices)
    .set({ status: retryAt === null ? 'failed' : 'pending', nextAttemptAt: retryAt ?? sql`${notices.nextAttemptAt}`, leaseOwner: null, leaseUntil: null, lastError: error })
    .where(and(eq(notices.id, id), eq(notices.leaseOwner, owner)))
    .run();
}

/** A coordinator's retry: a failed notice goes back in line now, with its attempts counted afresh. */
export function requeue(db: Conn, id: number, now: number): void {
  db.update(notices).set({ status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null }).where(eq(notices.id, id)).run();
}

/**
 * Confirmed sign-ups starting in (now, until] of people who chose reminders by email and have an
 * address: only those are reminded. Read from those people (CROSS JOIN keeps that order), each
 * one's sign-ups a range of the (person_id, start_at) index: reading every sign-up in the window
 * with its person held the event loop for over half a second per notice tick in a district.
 */
export function confirmedStarting(db: Conn, now: number, until: number) {
  const join = sql.raw(orderedJoin(clientOf(db)));
  return db.all<{ signupId: number; personId: number; rotaId: number; seriesId: number; start: number; email: string }>(sql`
    SELECT s.id AS signupId, s.person_id AS personId, s.rota_id AS rotaId, s.series_id AS seriesId, s.start_at AS start, p.email AS email
    FROM ${noticePreferences} n ${join} ${people} p ON p.id = n.person_id ${join} ${signups} s ON s.person_id = p.id
    WHERE n.channel = 'email' AND p.email IS NOT NULL AND p.email <> '' AND s.status = 'confirmed' AND s.start_at > ${now} AND s.start_at <= ${until}
    ORDER BY s.start_at, s.id`);
}

export function seriesLabel(db: Conn, seriesId: number): string | null {
  return db.select({ label: series.label }).from(series).where(eq(series.id, seriesId)).get()?.label ?? null;
}
