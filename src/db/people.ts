// People and teams as domain records; drizzle rows stop here.
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { storeOf } from './store.js';
import { people, teamMembers, teams } from './schema.js';
import type { Person, Team } from '../domain/types.js';

function teamIdsOf(db: Conn, personIds: number[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  if (personIds.length === 0) return map;
  const rows = db
    .select({ personId: teamMembers.personId, teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(inArray(teamMembers.personId, personIds))
    .orderBy(asc(teamMembers.joinedAt), asc(teamMembers.teamId))
    .all();
  for (const r of rows) map.set(r.personId, [...(map.get(r.personId) ?? []), r.teamId]);
  return map;
}

function toPeople(db: Conn, rows: (typeof people.$inferSelect)[]): Person[] {
  const teamsBy = teamIdsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    locale: r.locale,
    role: r.role,
    homeTeamId: r.homeTeamId,
    unitId: r.unitId,
    teamIds: teamsBy.get(r.id) ?? [],
    preferences: r.preferences,
    feedToken: r.feedToken,
    archived: r.archivedAt !== null,
  }));
}

/** By prepared statement: most requests name a person. */
export function getPerson(db: Conn, id: number): Person | null {
  return storeOf(db).person(id);
}

export function personByFeedToken(db: Conn, token: string): Person | null {
  const rows = db.select().from(people).where(and(eq(people.feedToken, token), isNull(people.archivedAt))).all();
  return toPeople(db, rows)[0] ?? null;
}

/** `unitIds`: only people whose home unit is one of these. */
export function listPeople(db: Conn, opts: { includeArchived: boolean; teamId?: number; unitIds?: ReadonlySet<number> }): Person[] {
  const where = [];
  if (!opts.includeArchived) where.push(isNull(people.archivedAt));
  if (opts.unitIds) where.push(inArray(people.unitId, [...opts.unitIds]));
  if (opts.teamId !== undefined) {
    const ids = db.select({ id: teamMembers.personId }).from(teamMembers).where(eq(teamMembers.teamId, opts.teamId));
    where.push(inArray(people.id, ids));
  }
  return toPeople(db, db.select().from(people).where(and(...where)).orderBy(asc(people.id)).all());
}

/** Whether any active coordinator exists: stops at the first, where counting read every person. */
export function hasCoordinator(db: Conn): boolean {
  return db.select({ id: people.id }).from(people).where(and(eq(people.role, 'coordinator'), isNull(people.archivedAt))).limit(1).get() !== undefined;
}

export function countCoordinators(db: Conn): number {
  return db.select({ n: count() }).from(people).where(and(eq(people.role, 'coordinator'), isNull(people.archivedAt))).get()!.n;
}

export function getTeam(db: Conn, id: number): Team | null {
  const row = db.select().from(teams).where(eq(teams.id, id)).get();
  if (!row) return null;
  const members = db.select({ id: teamMembers.personId }).from(teamMembers).where(eq(teamMembers.teamId, id)).orderBy(asc(teamMembers.personId)).all();
  return { id: row.id, name: row.name, memberIds: members.map((m) => m.id), unitId: row.unitId, feedToken: row.feedToken, archived: row.archivedAt !== null };
}

export function teamByFeedToken(db: Conn, token: string): Team | null {
  const row = db.select({ id: teams.id }).from(teams).where(and(eq(teams.feedToken, token), isNull(teams.archivedAt))).get();
  return row ? getTeam(db, row.id) : null;
}

/** `unitIds`: only teams of these units. */
export function listTeams(db: Conn, includeArchived: boolean, unitIds?: ReadonlySet<number>): Team[] {
  const rows = db
    .select()
    .from(teams)
    .where(and(includeArchived ? undefined : isNull(teams.archivedAt), unitIds ? inArray(teams.unitId, [...unitIds]) : undefined))
    .orderBy(asc(teams.id))
    .all();
  const members = db.select().from(teamMembers).orderBy(asc(teamMembers.personId)).all();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    memberIds: members.filter((m) => m.teamId === r.id).map((m) => m.personId),
    unitId: r.unitId,
    feedToken: r.feedToken,
    archived: r.archivedAt !== null,
  }));
}

/** The ids among `ids` that no team has. */
export function missingTeams(db: Conn, ids: number[]): number[] {
  if (ids.length === 0) return [];
  const found = new Set(db.select({ id: teams.id }).from(teams).where(inArray(teams.id, ids)).all().map((t) => t.id));
  return ids.filter((id) => !found.has(id));
}

/** The ids among `ids` that no person has. */
export function missingPeople(db: Conn, ids: number[]): number[] {
  if (ids.length === 0) return [];
  const found = new Set(db.select({ id: people.id }).from(people).where(inArray(people.id, ids)).all().map((p) => p.id));
  return ids.filter((id) => !found.has(id));
}

export type NewPerson = Pick<typeof people.$inferInsert, 'name' | 'phone' | 'email' | 'locale' | 'role' | 'homeTeamId' | 'unitId' | 'accessTokenHash' | 'feedToken'>;

export function insertPerson(db: Conn, person: NewPerson, at: number): number {
  return db.insert(people).values({ ...person, createdAt: at, updatedAt: at }).returning({ id: people.id }).get().id;
}

export type PersonChanges = Partial<Pick<typeof people.$inferInsert, 'name' | 'phone' | 'email' | 'locale' | 'role' | 'homeTeamId' | 'unitId' | 'accessTokenHash' | 'feedToken' | 'preferences' | 'archivedAt'>>;

export function updatePersonRow(db: Conn, id: number, changes: PersonChanges, at: number): void {
  db.update(people).set({ ...changes, updatedAt: at }).where(eq(people.id, id)).run();
}

/** Replaces a person's teams; `joinedAt` + position keeps their order (the first is the home team's default). */
export function setPersonTeams(db: Conn, personId: number, teamIds: readonly number[], joinedAt: number): void {
  db.delete(teamMembers).where(eq(teamMembers.personId, personId)).run();
  teamIds.forEach((teamId, i) => db.insert(teamMembers).values({ teamId, personId, joinedAt: joinedAt + i }).run());
}

export function insertTeam(db: Conn, name: string, feedToken: string, unitId: number, at: number): number {
  return db.insert(teams).values({ name, feedToken, unitId, createdAt: at, updatedAt: at }).returning({ id: teams.id }).get().id;
}

export function updateTeamRow(db: Conn, id: number, changes: Partial<Pick<typeof teams.$inferInsert, 'name' | 'feedToken' | 'archivedAt'>>, at: number): void {
  db.update(teams).set({ ...changes, updatedAt: at }).where(eq(teams.id, id)).run();
}

/** Adds a member (once); the first team a person joins becomes their home team (where their person-shifts count). */
export function addTeamMember(db: Conn, teamId: number, personId: number, joinedAt: number): void {
  db.insert(teamMembers).values({ teamId, personId, joinedAt }).onConflictDoNothing().run();
  db.update(people).set({ homeTeamId: teamId }).where(and(eq(people.id, personId), isNull(people.homeTeamId))).run();
}

/** Removes a member; a person whose home team it was gets their earliest other team as home. */
export function removeTeamMember(db: Conn, teamId: number, personId: number): void {
  db.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.personId, personId))).run();
  const next = db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.personId, personId)).orderBy(teamMembers.joinedAt).get();
  db.update(people).set({ homeTeamId: next?.teamId ?? null }).where(and(eq(people.id, personId), eq(people.homeTeamId, teamId))).run();
}
