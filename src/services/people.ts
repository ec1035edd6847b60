// People, teams and their tokens: create, edit, archive, rotate links.
import type { Db, Conn } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { storeOf, transaction } from '../db/store.js';
import {
  addTeamMember,
  countCoordinators,
  hasCoordinator,
  getPerson,
  getTeam,
  insertPerson,
  insertTeam,
  listPeople as readPeople,
  listTeams as readTeams,
  missingPeople,
  missingTeams,
  removeTeamMember,
  setPersonTeams,
  updatePersonRow,
  updateTeamRow,
  type PersonChanges,
} from '../db/people.js';
import { hashToken, newToken } from './tokens.js';
import { RotaError } from '../domain/errors.js';
import { optionalPhone, optionalText, requireName } from '../domain/validate.js';
import type { Actor, Locale, Person, Role, Team } from '../domain/types.js';
import { rootUnitIds } from '../db/units.js';
import { defaultUnitOf, dropCoordinatorRoles, grantHomeRole } from './units.js';

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
  const missing = missingTeams(db, ids);
  if (missing.length > 0) throw new RotaError('VALIDATION', `No team has id ${missing.join(', ')}.`, { field: 'teamIds' });
}

function requirePeople(db: Conn, ids: number[], field: string): void {
  const missing = missingPeople(db, ids);
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
      const personId = insertPerson(
        tx,
        {
          name,
          phone,
          email,
          locale: input.locale ?? 'zh-CN',
          role: input.role ?? 'volunteer',
          homeTeamId,
          unitId,
          accessTokenHash: hashToken(accessToken),
          feedToken: newToken(),
        },
        now.getTime(),
      );
      setPersonTeams(tx, personId, teamIds, now.getTime());
      // A coordinator made here coordinates their home unit (and what is below it).
      if (input.role === 'coordinator') grantHomeRole(tx, personId, unitId, 'coordinator', now);
      writeAudit(tx, now, { actorId: actor?.id ?? null, action: 'person.create', entity: 'person', entityId: personId, detail: { name, role: input.role ?? 'volunteer' } });
      return personId;
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
      const set: PersonChanges = {};
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
        setPersonTeams(tx, id, teamIds, now.getTime());
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
      updatePersonRow(tx, id, set, now.getTime());
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
      updatePersonRow(tx, id, { archivedAt: now.getTime() }, now.getTime());
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
      updatePersonRow(tx, id, set, now.getTime());
      writeAudit(tx, now, { actorId: actor?.id ?? null, action: `person.token.${kind}`, entity: 'person', entityId: id });
    },
  );
  return token;
}

/** A person found by their token, as of one people revision. */
interface KeptPerson {
  people: string;
  person: Person;
}

/** Sign-ins kept per connection, by token hash; a district has about 50,000 people. */
const SIGN_INS_KEPT = 10_000;
const keptSignIns = new WeakMap<object, Map<string, KeptPerson>>();

/**
 * Who the token with this hash (`hashToken`) signs in, and the units revision read with it (what
 * their reach is kept under): one read as a rule. The person found is kept until the people's
 * revision changes (any change to a person, a team or a membership, a new token included, in any
 * process).
 */
export function authenticate(db: Db, hash: string): { person: Person; unitsRevision: string } | null {
  const store = storeOf(db);
  const stamp = store.signInStamp();
  let kept = keptSignIns.get(store);
  if (!kept) keptSignIns.set(store, (kept = new Map()));
  const hit = kept.get(hash);
  if (hit && hit.people === stamp.people) return { person: hit.person, unitsRevision: stamp.units };
  const person = store.personByAccessHash(hash);
  kept.delete(hash);
  if (!person) return null;
  kept.set(hash, { people: stamp.people, person });
  if (kept.size > SIGN_INS_KEPT) kept.delete(kept.keys().next().value!);
  return { person, unitsRevision: stamp.units };
}

/**
 * A fresh database gets one coordinator. Returns the token only when it created one, so the
 * caller can show the sign-in link once.
 */
export function ensureCoordinator(db: Db, token: string | null, now: Date): { person: Person; accessToken: string } | null {
  if (hasCoordinator(db)) return null;
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
      const teamId = insertTeam(tx, name, newToken(), input.unitId ?? defaultUnitOf(tx, actor), now.getTime());
      addMembers(tx, teamId, memberIds, now);
      writeAudit(tx, now, { actorId: actor.id, action: 'team.create', entity: 'team', entityId: teamId, detail: { name } });
      return teamId;
    },
  );
  return getTeam(db, id)!;
}

function addMembers(tx: Conn, teamId: number, memberIds: number[], now: Date): void {
  for (const personId of memberIds) addTeamMember(tx, teamId, personId, now.getTime());
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
      if (input.name !== undefined) updateTeamRow(tx, id, { name: requireName(input.name) }, now.getTime());
      const add = [...new Set(input.addMemberIds ?? [])];
      requirePeople(tx, add, 'addMemberIds');
      addMembers(tx, id, add, now);
      for (const personId of input.removeMemberIds ?? []) removeTeamMember(tx, id, personId);
      writeAudit(tx, now, { actorId: actor.id, action: 'team.update', entity: 'team', entityId: id, detail: { ...input } });
    },
  );
  return getTeam(db, id)!;
}

export function archiveTeam(db: Db, actor: Actor, id: number, now: Date): Team {
  transaction(db,
    (tx) => {
      requireTeam(tx, id);
      updateTeamRow(tx, id, { archivedAt: now.getTime() }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'team.archive', entity: 'team', entityId: id });
    },
  );
  return getTeam(db, id)!;
}

export function rotateTeamFeed(db: Db, actor: Actor, id: number, now: Date): Team {
  transaction(db,
    (tx) => {
      requireTeam(tx, id);
      updateTeamRow(tx, id, { feedToken: newToken() }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'team.token.feed', entity: 'team', entityId: id });
    },
  );
  return getTeam(db, id)!;
}
