// Auto-fill dry runs as stored (services/fairness.ts): the newest PROPOSALS_KEPT, any node's.
import { desc, eq, notInArray } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { autofillProposals } from './schema.js';

/** Proposals kept; the oldest are forgotten first (applying one then answers NOT_FOUND). */
const PROPOSALS_KEPT = 100;

export function readProposal(db: Conn, id: string): { rotaId: number; body: Record<string, unknown> } | null {
  return db.select({ rotaId: autofillProposals.rotaId, body: autofillProposals.body }).from(autofillProposals).where(eq(autofillProposals.id, id)).get() ?? null;
}

/** Stores a proposal (or its applied result, in its place) and forgets those beyond the newest kept. */
export function writeProposal(db: Conn, id: string, rotaId: number, body: Record<string, unknown>, now: number): void {
  db.insert(autofillProposals).values({ id, rotaId, body, createdAt: now }).onConflictDoUpdate({ target: autofillProposals.id, set: { body } }).run();
  const newest = db.select({ id: autofillProposals.id }).from(autofillProposals).orderBy(desc(autofillProposals.createdAt), desc(autofillProposals.id)).limit(PROPOSALS_KEPT);
  db.delete(autofillProposals).where(notInArray(autofillProposals.id, newest)).run();
}
