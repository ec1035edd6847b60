// The audit log as coordinators read it: newest first, optionally for one record, paged by entry id.
import { listAudit as readAudit, type AuditQuery } from '../db/audit.js';
import type { Conn } from '../db/connection.js';

export function listAudit(db: Conn, query: AuditQuery) {
  return readAudit(db, query).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
