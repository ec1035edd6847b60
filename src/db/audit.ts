// The audit log: who did what to which record, and when. Written in the same transaction as the change.
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { auditLog, people } from './schema.js';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  detail?: Record<string, unknown>;
}

export function writeAudit(db: Conn, at: Date, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      at: at.getTime(),
      actorId: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: String(entry.entityId),
      detail: entry.detail ?? {},
    })
    .run();
}

export interface AuditQuery {
  /** Only what people of these units did. */
  unitIds?: ReadonlySet<number>;
  entity?: string;
  entityId?: string;
  before?: number;
  limit: number;
}

export function listAudit(db: Conn, q: AuditQuery) {
  const where: SQL[] = [];
  if (q.entity) where.push(eq(auditLog.entity, q.entity));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.before) where.push(lt(auditLog.id, q.before));
  if (q.unitIds) where.push(inArray(auditLog.actorId, db.select({ id: people.id }).from(people).where(inArray(people.unitId, [...q.unitIds]))));
  return db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(q.limit).all();
}
