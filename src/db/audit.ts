// The audit log: who did what to which record, and when. Written in the same transaction as the change,
// with the unit that owns the record (issue 13): an entry is read by those who read that unit.
import { and, desc, eq, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { auditLog } from './schema.js';
import { unitOf, type Owned } from './units.js';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  detail?: Record<string, unknown>;
}

const OWNED = new Set<string>(['person', 'rota', 'team', 'series', 'shift', 'signup', 'offer', 'trade', 'calendar', 'notice', 'unit'] satisfies Owned[]);

/** The unit that owns what the entry is about; a person's unavailability is the person's. */
function entryUnit(db: Conn, entry: AuditEntry): number | null {
  if (entry.entity === 'unavailability' && typeof entry.detail?.personId === 'number') return unitOf(db, 'person', entry.detail.personId) ?? null;
  return OWNED.has(entry.entity) ? (unitOf(db, entry.entity as Owned, entry.entityId) ?? null) : null;
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
      unitId: entryUnit(db, entry),
    })
    .run();
}

export interface AuditQuery {
  /** Only entries about things of these units. */
  unitIds?: ReadonlySet<number>;
  /** With `unitIds`: also entries about things of no unit (a preset calendar), for those who read every top-level unit. */
  unowned?: boolean;
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
  if (q.unitIds) {
    const owned = inArray(auditLog.unitId, [...q.unitIds]);
    where.push(q.unowned ? or(owned, isNull(auditLog.unitId))! : owned);
  }
  return db.select({ id: auditLog.id, at: auditLog.at, actorId: auditLog.actorId, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, detail: auditLog.detail }).from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(q.limit).all();
}
