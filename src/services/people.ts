// People, teams and their tokens: create, edit, archive, rotate links.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Conn } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { storeOf, transaction } from '../db/store.js';
import { countCoordinators, getPerson, getTeam, listPeople as readPeople, listTeams as readTeams, type Locale, type Person, type Role, type Team } from '../db/people.js';
import { people, teamMembers, teams } from '../db/schema.js';
import { hashToken, newToken } from './tokens.js';
import { RotaError } from '../domain/errors.js';
import type { ActorFacts } from '../domain/signup-rules.js';
import { optionalPhone, optionalText, requireName } from '../domain/validate.js';
import { rootUnitIds } from '../db/units.js';
import { defaultUnitOf, dropCoordinatorRoles, grantHomeRole } from './units.js';

/** Who acts: the domain's ActorFacts. */
export type Actor = ActorFacts;

export function listPeople(db: Conn, opts: { includeArchived: boolean; teamId?: number; unitIds?: ReadonlySet<number> }): Person[] {
  return readPeople(db, opts);
}

export function listTeams(db: Conn, includeArchived: boolean, unitIds?: ReadonlySet<number>): Team[] {
  return readTeams(db, includeArchived, unitIds);
}

export interface PersonInput {
  name: string;
  phone?: string | null;
  email?: string | null;
  locale?: Locale;
  role?: Role;
  teamIds?: number[];
  homeTeamId?: number | null;
  /** The home unit; default: the creator's (see defaultUnitOf). */
  unitId?: number;
}

function requireTeams(db: Conn, ids: number[]): void {
  if (ids.length === 0) return;
  const found = db.select({ id: teams.id }).from(teams).where(inArray(teams.id, ids)).all();
  const missing = ids.filter((id) => !found.some((t) => t.id === id));
  if (missing.length > 0) throw new RotaError('VALIDATION', `No team has id ${missing.join(', ')}.`, { field: 'teamIds' });
}

function requirePeople(db: Conn, ids: number[], field: string): void {
  if (ids.length === 0) return;
  const found = db.select({ id: people.id }).from(people).where(inArray(people.id, ids)).all();
  const missing = ids.filter((id) => !found.some((p) => p.id === id));
  if (missing.length > 0) throw new RotaError('VALIDATION', `No person has id ${missing.join(', ')}.`, { field });
}

function requireEmail(email: string | null): string | null {
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new RotaError('VALIDATION', `email "${email}" does not look like an email address.`, { field: 'email' });
  }
  return email;
}

export interface IssuedPerson {
  person: Person;
  accessToken: string;
}

export function createPerson(db: Db, actor: Actor | null, input: PersonInput, now: Date, accessToken = newToken()): IssuedPerson {
  const name = requireName(input.name);
  const teamIds = [...new Set(input.teamIds ?? [])];
  const phone = optionalPhone(input.phone);
  const email = requireEmail(optionalText(input.email, 'email'));
  const id = transaction(db,
    (tx) => {
      requireTeams(tx, teamIds);
      const homeTeamId = input.homeTeamId ?? teamIds[0] ?? null;
      if (homeTeamId !== null && !teamIds.includes(homeTeamId)) {
        throw new RotaError('VALIDATION', 'homeTeamId must be one of the person\'s teamIds.', { field: 'homeTeamId' });
      }
      const unitId = input.unitId ?? (actor ? defaultUnitOf(tx, actor) : rootUnitIds(tx)[0]!);
      const row = tx
        .insert(people)
        .values({
          name,
          phone,
          email,
          locale: input.locale ?? 'zh-CN',
          role: input.role ?? 'volunteer',
          homeTeamId,
          unitId,
          accessTokenHash: hashToken(accessToken),
          feedToken: newToken(),
          createdAt: now.getTime(),
          updatedAt: now.getTime(),
        })
        .returning({ id: people.id })
        .get();
      teamIds.forEach((teamId, i) => tx.insert(teamMembers).values({ teamId, personId: row.id, joinedAt: now.getTime() + i }).run());
      // A coordinator made here coordinates their home unit (and what is below it).
      if (input.role === 'coordinator') grantHomeRole(tx, row.id, unitId, 'coordinator', now);
      writeAudit(tx, now, { actorId: actor?.id ?? null, action: 'person.create', entity: 'person', entityId: row.id, detail: { name, role: input.role ?? 'volunteer' } });
      return row.id;
    },
  );
  return { person: getPerson(db, id)!, accessToken };
}

export function requirePerson(db: Conn, id: number): Person {
  const person = getPerson(db, id);
  if (!person) throw new RotaError('NOT_FOUND', `No person has id ${id}.`);
  return person;
}

export function updatePerson(db: Db, actor: Actor, id: number, input: Partial<PersonInput>, now: Date): Person {
  transaction(db,
    (tx) => {
      const current = requirePerson(tx, id);
      const set: Partial<typeof people.$inferInsert> = { updatedAt: now.getTime() };
      if (input.name !== undefined) set.name = requireName(input.name);
      if (input.phone !== undefined) set.phone = optionalPhone(input.phone);
      if (input.email !== undefined) set.email = requireEmail(optionalText(input.email, 'email'));
      if (input.locale !== undefined) set.locale = input.locale;
      if (input.role !== undefined) set.role = input.role;
      if (input.unitId !== undefined) set.unitId = input.unitId;
      let teamIds = current.teamIds;
      if (input.teamIds !== undefined) {
        teamIds = [...new Set(input.teamIds)];
        requireTeams(tx, teamIds);
        tx.delete(teamMembers).where(eq(teamMembers.personId, id)).run();
        teamIds.forEach((teamId, i) => tx.insert(teamMembers).values({ teamId, personId: id, joinedAt: now.getTime() + i }).run());
        if (input.homeTeamId === undefined) set.homeTeamId = teamIds.includes(current.homeTeamId ?? -1) ? current.homeTeamId : (teamIds[0] ?? null);
      }
      if (input.homeTeamId !== undefined) {
        if (input.homeTeamId !== null && !teamIds.includes(input.homeTeamId)) {
          throw new RotaError('VALIDATION', 'homeTeamId must be one of the person\'s teams.', { field: 'homeTeamId' });
        }
        set.homeTeamId = input.homeTeamId;
      }
      if (current.role === 'coordinator' && input.role === 'volunteer' && countCoordinators(tx) <= 1) {
        throw new RotaError('CONFLICT', 'This is the last coordinator; make someone else a coordinator first.', { field: 'role' });
      }
      tx.update(people).set(set).where(eq(people.id, id)).run();
      // The role column follows unit roles: made a coordinator, they coordinate their home unit;
      // made a volunteer, they coordinate nothing.
      if (input.role === 'coordinator' && current.role !== 'coordinator') grantHomeRole(tx, id, set.unitId ?? current.unitId ?? rootUnitIds(tx)[0]!, 'coordinator', now);
      if (input.role === 'volunteer') dropCoordinatorRoles(tx, id);
      writeAudit(tx, now, { actorId: actor.id, action: 'person.update', entity: 'person', entityId: id, detail: { fields: Object.keys(input) } });
    },
  );
  return getPerson(db, id)!;
}

export function archivePerson(db: Db, actor: Actor, id: number, now: Date): Person {
  transaction(db,
    (tx) => {
      const current = requirePerson(tx, id);
      if (current.role === 'coordinator' && !current.archived && countCoordinators(tx) <= 1) {
        throw new RotaError('CONFLICT', 'This is the last coordinator; make someone else a coordinator first.');
      }
      tx.update(people).set({ archivedAt: now.getTime(), updatedAt: now.getTime() }).where(eq(people.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'person.archive', entity: 'person', entityId: id });
    },
  );
  return getPerson(db, id)!;
}

/** A new access or feed token; the old one stops working at once. Returns the new token. */
export function rotateToken(db: Db, actor: Actor | null, id: number, kind: 'access' | 'feed', now: Date): string {
  const token = newToken();
  transaction(db,
    (tx) => {
      requirePerson(tx, id);
      const set = kind === 'access' ? { accessTokenHash: hashToken(token) } : { feedToken: token };
      tx.update(people).set({ ...set, updatedAt: now.getTime() }).where(eq(people.id, id)).run();
      writeAudit(tx, now, { actorId: actor?.id ?? null, action: `person.token.${kind}`, entity: 'person', entityId: id });
    },
  );
  return token;
}

export function authenticate(db: Db, token: string): Person | null {
  return storeOf(db).personByAccessHash(hashToken(token));
}

/**
 * A fresh database gets one coordinator. Returns the token only when it created one, so the
 * caller can show the sign-in link once.
 */
export function ensureCoordinator(db: Db, token: string | null, now: Date): { person: Person; accessToken: string } | null {
  if (countCoordinators(db) > 0) return null;
  const issued = createPerson(db, null, { name: 'Coordinator', role: 'coordinator', locale: 'zh-CN' }, now, token ?? newToken());
  return { person: issued.person, accessToken: issued.accessToken };
}

export interface TeamInput {
  name: string;
  memberIds?: number[];
  /** The unit whose coordinators manage the team; default: the creator's. */
  unitId?: number;
}

export function createTeam(db: Db, actor: Actor, input: TeamInput, now: Date): Team {
  const name = requireName(input.name);
  const memberIds = [...new Set(input.memberIds ?? [])];
  const id = transaction(db,
    (tx) => {
      requirePeople(tx, memberIds, 'memberIds');
      const row = tx.insert(teams).values({ name, feedToken: newToken(), unitId: input.unitId ?? defaultUnitOf(tx, actor), createdAt: now.getTime(), updatedAt: now.getTime() }).returning({ id: teams.id }).get();
      addMembers(tx, row.id, memberIds, now);
      writeAudit(tx, now, { actorId: actor.id, action: 'team.create', entity: 'team', entityId: row.id, detail: { name } });
      return row.id;
    },
  );
  return getTeam(db, id)!;
}

function addMembers(tx: Conn, teamId: number, memberIds: number[], now: Date): void {
  for (const personId of memberIds) {
    tx.insert(teamMembers).values({ teamId, personId, joinedAt: now.getTime() }).onConflictDoNothing().run();
    // The first team a person joins becomes their home team (where their person-shifts count).
    tx.update(people).set({ homeTeamId: teamId }).where(and(eq(people.id, personId), isNull(people.homeTeamId))).run();
  }
}

export function requireTeam(db: Conn, id: number): Team {
  const team = getTeam(db, id);
  if (!team) throw new RotaError('NOT_FOUND', `No team has id ${id}.`);
  return team;
}

export function updateTeam(db: Db, actor: Actor, id: number, input: { name?: string; addMemberIds?: number[]; removeMemberIds?: number[] }, now: Date): Team {
  transaction(db,
    (tx) => {
      requireTeam(tx, id);
      if (input.name !== undefined) tx.update(teams).set({ name: requireName(input.name), updatedAt: now.getTime() }).where(eq(teams.id, id)).run();
      const add = [...new Set(input.addMemberIds ?? [])];
      requirePeople(tx, add, 'addMemberIds');
      addMembers(tx, id, add, now);
      for (const personId of input.removeMemberIds ?? []) {
        tx.delete(teamMembers).where(and(eq(teamMembers.teamId, id), eq(teamMembers.personId, personId))).run();
        const next = tx.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.personId, personId)).orderBy(teamMembers.joinedAt).get();
        tx.update(people).set({ homeTeamId: next?.teamId ?? null }).where(and(eq(people.id, personId), eq(people.homeTeamId, id))).run();
      }
      writeAudit(tx, now, { actorId: actor.id, action: 'team.update', entity: 'team', entityId: id, detail: { ...input } });
    },
  );
  return getTeam(db, id)!;
}

export function archiveTeam(db: Db, actor: Actor, id: number, now: Date): Team {
  transaction(db,
    (tx) => {
      requireTeam(tx, id);
      tx.update(teams).set({ archivedAt: now.getTime(), updatedAt: now.getTime() }).where(eq(teams.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'team.archive', entity: 'team', entityId: id });
    },
  );
  return getTeam(db, id)!;
}

export function rotateTeamFeed(db: Db, actor: Actor, id: number, now: Date): Team {
  transaction(db,
    (tx) => {
      requireTeam(tx, id);
      tx.update(teams).set({ feedToken: newToken(), updatedAt: now.getTime() }).where(eq(teams.id, id)).run();
      writeAudit(tx, now, { actorId: actor.id, action: 'team.token.feed', entity: 'team', entityId: id });
    },
  );
  return getTeam(db, id)!;
}
