// People and teams as domain records; drizzle rows stop here.
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { people, teamMembers, teams, type PersonPreferences } from './schema.js';

import type { Locale, Role } from '../domain/signup-rules.js';

export type { Locale, Role };

export interface Person {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  locale: Locale;
  role: Role;
  homeTeamId: number | null;
  /** The home unit (issue 13). */
  unitId: number | null;
  teamIds: number[];
  preferences: PersonPreferences;
  feedToken: string;
  archived: boolean;
}

export interface Team {
  id: number;
  name: string;
  memberIds: number[];
  /** The unit whose coordinators manage the team. */
  unitId: number | null;
  feedToken: string;
  archived: boolean;
}

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

export function getPerson(db: Conn, id: number): Person | null {
  return toPeople(db, db.select().from(people).where(eq(people.id, id)).all())[0] ?? null;
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
