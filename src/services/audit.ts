// The audit log as coordinators and viewers read it: newest first, optionally for one record, paged
// by entry id; only entries about things of the units they read (issue 13).
import { listAudit as readAudit, type AuditQuery } from '../db/audit.js';
import type { Conn } from '../db/connection.js';
import { rootUnitIds } from '../db/units.js';

export function listAudit(db: Conn, query: Omit<AuditQuery, 'unowned'> & { unitIds: ReadonlySet<number> }) {
  const unowned = rootUnitIds(db).every((root) => query.unitIds.has(root));
  return readAudit(db, { ...query, unowned }).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
