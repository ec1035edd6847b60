// Units (区—街道—社区—小区—楼栋), their closure and people's roles in them; drizzle rows stop here.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { storeOf } from './store.js';
import type { UnitKind } from '../domain/types.js';
import { people, rotas, signups, seriesCheckin, teams, dayCalendars, notices, offers, trades, unitClosure, unitRoles, units } from './schema.js';

export type { UnitKind };
export type UnitRole = 'coordinator' | 'viewer';

export interface Unit {
  id: number;
  name: string;
  kind: UnitKind;
  parentId: number | null;
}

export interface RoleGrant {
  unitId: number;
  role: UnitRole;
}

const UNIT = { id: units.id, name: units.name, kind: units.kind, parentId: units.parentId };

export function getUnit(db: Conn, id: number): Unit | null {
  return db.select(UNIT).from(units).where(eq(units.id, id)).get() ?? null;
}

export function listUnits(db: Conn, ids: readonly number[], parentId?: number): Unit[] {
  if (ids.length === 0) return [];
  const where = [inArray(units.id, [...ids])];
  if (parentId !== undefined) where.push(eq(units.parentId, parentId));
  return db.select(UNIT).from(units).where(and(...where)).orderBy(asc(units.id)).all();
}

export function rootUnitIds(db: Conn): number[] {
  return db.select({ id: units.id }).from(units).where(isNull(units.parentId)).orderBy(asc(units.id)).all().map((r) => r.id);
}

/** Adds a unit below `parentId` (or a new root) with its closure rows; returns its id. */
export function insertUnit(db: Conn, input: { name: string; kind: UnitKind; parentId: number | null }, at: number): number {
  const row = db.insert(units).values({ ...input, createdAt: at, updatedAt: at }).returning({ id: units.id }).get();
  db.insert(unitClosure).values({ ancestorId: row.id, descendantId: row.id, depth: 0 }).run();
  if (input.parentId !== null) {
    db.run(sql`INSERT INTO unit_closure (ancestor_id, descendant_id, depth)
      SELECT ancestor_id, ${row.id}, depth + 1 FROM unit_closure WHERE descendant_id = ${input.parentId}`);
  }
  return row.id;
}

export function renameUnit(db: Conn, id: number, name: string, at: number): void {
  db.update(units).set({ name, updatedAt: at }).where(eq(units.id, id)).run();
}

/** The units below the given ones, the given ones included. */
export function subtreeIds(db: Conn, roots: readonly number[]): number[] {
  if (roots.length === 0) return [];
  return db
    .selectDistinct({ id: unitClosure.descendantId })
    .from(unitClosure)
    .where(inArray(unitClosure.ancestorId, [...roots]))
    .all()
    .map((r) => r.id);
}

/** A unit and its ancestors, nearest first. */
export function ancestorIds(db: Conn, id: number): number[] {
  return db
    .select({ id: unitClosure.ancestorId })
    .from(unitClosure)
    .where(eq(unitClosure.descendantId, id))
    .orderBy(asc(unitClosure.depth))
    .all()
    .map((r) => r.id);
}

export function rolesOf(db: Conn, personId: number): RoleGrant[] {
  return db.select({ unitId: unitRoles.unitId, role: unitRoles.role }).from(unitRoles).where(eq(unitRoles.personId, personId)).orderBy(asc(unitRoles.unitId)).all();
}

export function rolesIn(db: Conn, unitId: number): { personId: number; role: UnitRole }[] {
  return db.select({ personId: unitRoles.personId, role: unitRoles.role }).from(unitRoles).where(eq(unitRoles.unitId, unitId)).orderBy(asc(unitRoles.personId)).all();
}

export function putRole(db: Conn, personId: number, unitId: number, role: UnitRole, at: number): void {
  db.insert(unitRoles).values({ personId, unitId, role, createdAt: at }).onConflictDoUpdate({ target: [unitRoles.personId, unitRoles.unitId], set: { role } }).run();
}

export function deleteRole(db: Conn, personId: number, unitId: number): boolean {
  return db.delete(unitRoles).where(and(eq(unitRoles.personId, personId), eq(unitRoles.unitId, unitId))).run().changes > 0;
}

/** Active people holding a coordinator role in the unit or above it. */
export function coordinatorsAbove(db: Conn, unitId: number): number[] {
  return db
    .selectDistinct({ id: unitRoles.personId })
    .from(unitRoles)
    .innerJoin(unitClosure, eq(unitClosure.ancestorId, unitRoles.unitId))
    .innerJoin(people, eq(people.id, unitRoles.personId))
    .where(and(eq(unitClosure.descendantId, unitId), eq(unitRoles.role, 'coordinator'), isNull(people.archivedAt)))
    .all()
    .map((r) => r.id);
}

/** Kinds of things the API addresses by id, each belonging to one unit. */
export type Owned = 'person' | 'rota' | 'team' | 'series' | 'shift' | 'signup' | 'offer' | 'trade' | 'calendar' | 'notice' | 'unit';

/**
 * The unit a thing belongs to: `undefined` when no such thing exists (its route answers 404
 * itself), `null` for a thing that belongs to no unit (a preset calendar).
 */
export function unitOf(db: Conn, kind: Owned, id: string | number): number | null | undefined {
  const n = typeof id === 'number' ? id : Number(id);
  const one = (row: { unitId: number | null } | undefined) => (row === undefined ? undefined : row.unitId);
  switch (kind) {
    case 'unit':
      return Number.isInteger(n) && getUnit(db, n) ? n : undefined;
    case 'person':
    case 'rota':
    case 'signup':
      return Number.isInteger(n) ? storeOf(db).unitOf(kind, n) : undefined;
    case 'team':
      return one(db.select({ unitId: teams.unitId }).from(teams).where(eq(teams.id, n)).get());
    case 'calendar':
      return one(db.select({ unitId: dayCalendars.unitId }).from(dayCalendars).where(eq(dayCalendars.id, String(id))).get());
    case 'series': {
      const rotaId = Number.isInteger(n) ? storeOf(db).rotaOfSeries(n) : null;
      return rotaId === null ? undefined : storeOf(db).unitOf('rota', rotaId);
    }
    case 'shift': {
      const seriesId = Number(String(id).split('.')[0]);
      return Number.isInteger(seriesId) ? unitOf(db, 'series', seriesId) : undefined;
    }
    case 'offer':
      return one(
        db.select({ unitId: rotas.unitId }).from(offers).innerJoin(signups, eq(signups.id, offers.signupId)).innerJoin(rotas, eq(rotas.id, signups.rotaId)).where(eq(offers.id, n)).get(),
      );
    case 'trade':
      return one(
        db.select({ unitId: rotas.unitId }).from(trades).innerJoin(signups, eq(signups.id, trades.signupId)).innerJoin(rotas, eq(rotas.id, signups.rotaId)).where(eq(trades.id, n)).get(),
      );
    case 'notice':
      return one(db.select({ unitId: rotas.unitId }).from(notices).innerJoin(rotas, eq(rotas.id, notices.rotaId)).where(eq(notices.id, n)).get());
  }
}

/** A person's home unit, or null (no such person, or none set). */
export function homeUnitOf(db: Conn, personId: number): number | null {
  return db.select({ unitId: people.unitId }).from(people).where(eq(people.id, personId)).get()?.unitId ?? null;
}

export function personExists(db: Conn, personId: number): boolean {
  return db.select({ id: people.id }).from(people).where(eq(people.id, personId)).get() !== undefined;
}

/** The role column that follows a person's unit roles. */
export function setPersonRole(db: Conn, personId: number, role: 'coordinator' | 'volunteer', at: number): void {
  db.update(people).set({ role, updatedAt: at }).where(eq(people.id, personId)).run();
}

/** The series a check-in code opens, or null for an unknown or replaced code. */
export function seriesOfCheckinCode(db: Conn, code: string): number | null {
  return db.select({ seriesId: seriesCheckin.seriesId }).from(seriesCheckin).where(eq(seriesCheckin.code, code)).get()?.seriesId ?? null;
}

/**
 * Renames a root unit with nothing below it and hangs it under a new root `parentId`: as it has
 * no descendants, its closure gains one row.
 */
export function hangUnderRoot(db: Conn, unitId: number, input: { name: string; parentId: number }, at: number): void {
  db.update(units).set({ name: input.name, parentId: input.parentId, updatedAt: at }).where(eq(units.id, unitId)).run();
  db.insert(unitClosure).values({ ancestorId: input.parentId, descendantId: unitId, depth: 1 }).run();
}
