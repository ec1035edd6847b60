// Units and scoped roles (issue 13): who may see and manage what, resolved once per request.
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { storeOf, transaction, type Store } from '../db/store.js';
import {
  ancestorIds,
  deleteRole,
  getUnit,
  homeUnitOf,
  insertUnit,
  listUnits,
  personExists,
  putRole,
  renameUnit,
  rolesIn,
  rolesOf,
  rootUnitIds,
  seriesOfCheckinCode,
  setPersonRole,
  subtreeIds,
  unitOf,
  type Owned,
  type Unit,
  type UnitKind,
  type UnitRole,
} from '../db/units.js';
import { RotaError } from '../domain/errors.js';
import { UNIT_KINDS } from '../domain/types.js';
import { requireName } from '../domain/validate.js';

/** What one signed-in person can reach, as sets of unit ids. */
export interface Scope {
  /** Units they coordinate, and everything below them. */
  manages: ReadonlySet<number>;
  /** Units whose lists and reports they read: what they manage or view, and everything below. */
  reads: ReadonlySet<number>;
  /** Everything that exists for them: what they read, plus their home unit and its ancestors (whose rotas they may join). */
  sees: ReadonlySet<number>;
  /** Where they may change things: what they manage, plus their home unit and its ancestors (as a volunteer). */
  acts: ReadonlySet<number>;
  /** Their own roles, for the page. */
  roles: { unitId: number; role: UnitRole }[];
  /** Whether this request's things are all within what they read (set per request). */
  readsTargets: boolean;
}

/** A person's reach as computed at one units revision, for the home unit it was computed with. */
interface KeptScope {
  revision: string;
  unitId: number | null;
  scope: Scope;
}

/** Reaches kept per connection; a district has about 50,000 people, of whom a morning sees a few thousand. */
const SCOPES_KEPT = 10_000;

/** Per connection: each person's reach, and the reach shared by everyone without a role, by home unit. */
interface KeptScopes {
  people: Map<number, KeptScope>;
  homes: Map<number | null, { revision: string; scope: Scope }>;
}
const keptScopes = new WeakMap<Store, KeptScopes>();

const NONE: ReadonlySet<number> = new Set();

/**
 * What a person can reach. Computed from their roles, the unit tree and their home unit, and kept
 * until the units revision (bumped by triggers on units, the tree and roles, in any process; read
 * at sign-in) changes or the person moves home, so a request reads no part of the tree. Most
 * people hold no role: they share one reach per home unit (kept per person, a morning's few
 * thousand captains held ~6 MB of equal sets; bench/, issue 12).
 */
export function scopeOf(db: Conn, person: { id: number; unitId: number | null }, revision: string): Scope {
  const store = storeOf(db);
  let kept = keptScopes.get(store);
  if (!kept) keptScopes.set(store, (kept = { people: new Map(), homes: new Map() }));
  const hit = kept.people.get(person.id);
  if (hit && hit.revision === revision && hit.unitId === person.unitId) return hit.scope;
  const roles = rolesOf(db, person.id);
  const scope = roles.length === 0 ? homeScope(db, kept.homes, person.unitId, revision) : scopeWith(db, roles, person.unitId);
  kept.people.delete(person.id);
  kept.people.set(person.id, { revision, unitId: person.unitId, scope });
  if (kept.people.size > SCOPES_KEPT) kept.people.delete(kept.people.keys().next().value!);
  return scope;
}

/** The reach of someone without a role: their home unit and its ancestors, one object per home unit and revision. */
function homeScope(db: Conn, homes: KeptScopes['homes'], unitId: number | null, revision: string): Scope {
  const hit = homes.get(unitId);
  if (hit && hit.revision === revision) return hit.scope;
  const scope = scopeWith(db, [], unitId);
  homes.delete(unitId);
  homes.set(unitId, { revision, scope });
  if (homes.size > SCOPES_KEPT) homes.delete(homes.keys().next().value!);
  return scope;
}

function scopeWith(db: Conn, roles: Scope['roles'], unitId: number | null): Scope {
  const manages = new Set(subtreeIds(db, roles.filter((r) => r.role === 'coordinator').map((r) => r.unitId)));
  const reads = new Set([...manages, ...subtreeIds(db, roles.filter((r) => r.role === 'viewer').map((r) => r.unitId))]);
  const home = unitId === null ? [] : ancestorIds(db, unitId);
  if (roles.length === 0) {
    const homeSet = new Set(home);
    return { manages: NONE, reads: NONE, sees: homeSet, acts: homeSet, roles, readsTargets: false };
  }
  const sees = new Set([...reads, ...home]);
  const acts = new Set([...manages, ...home]);
  return { manages, reads, sees, acts, roles, readsTargets: reads.size > 0 };
}

/**
 * Where something new goes when the caller names no unit: the first unit they coordinate, else
 * their home unit, else the first root.
 */
export function defaultUnitOf(db: Conn, actor: { id: number }): number {
  const coordinated = rolesOf(db, actor.id).find((r) => r.role === 'coordinator');
  if (coordinated) return coordinated.unitId;
  return homeUnitOf(db, actor.id) ?? rootUnitIds(db)[0]!;
}

export function requireUnit(db: Conn, id: number): Unit {
  const unit = getUnit(db, id);
  if (!unit) throw new RotaError('NOT_FOUND', `No unit has id ${id}.`);
  return unit;
}

export function createUnit(db: Db, actor: { id: number }, scope: Scope, input: { name: string; kind: UnitKind; parentId?: number | null }, now: Date): Unit {
  const name = requireName(input.name);
  const parentId = input.parentId ?? null;
  const id = transaction(db, (tx) => {
    if (parentId === null) {
      // A new top of the tree is for whoever coordinates every existing top (the deployment's own coordinators).
      if (!rootUnitIds(tx).every((root) => scope.manages.has(root))) throw new RotaError('FORBIDDEN', 'Only a coordinator of every top-level unit can add a new one; give parentId.');
    } else {
      const parent = requireUnit(tx, parentId);
      if (!scope.manages.has(parent.id)) throw new RotaError('FORBIDDEN', 'Only a coordinator of the parent unit can add units below it.');
      if (UNIT_KINDS.indexOf(input.kind) <= UNIT_KINDS.indexOf(parent.kind)) {
        throw new RotaError('VALIDATION', `A ${input.kind} cannot sit below a ${parent.kind}: units go district, street, community, estate, building.`, { field: 'kind' });
      }
    }
    const unitId = insertUnit(tx, { name, kind: input.kind, parentId }, now.getTime());
    // Whoever adds a top-level unit coordinates it; below, the parent's coordinators already do.
    if (parentId === null) putRole(tx, actor.id, unitId, 'coordinator', now.getTime());
    writeAudit(tx, now, { actorId: actor.id, action: 'unit.create', entity: 'unit', entityId: unitId, detail: { name, kind: input.kind, parentId } });
    return unitId;
  });
  return getUnit(db, id)!;
}

export function updateUnit(db: Db, actor: { id: number }, id: number, input: { name: string }, now: Date): Unit {
  const name = requireName(input.name);
  transaction(db, (tx) => {
    requireUnit(tx, id);
    renameUnit(tx, id, name, now.getTime());
    writeAudit(tx, now, { actorId: actor.id, action: 'unit.update', entity: 'unit', entityId: id, detail: { name } });
  });
  return getUnit(db, id)!;
}

export function visibleUnits(db: Conn, scope: Scope, parentId?: number): Unit[] {
  return listUnits(db, [...scope.sees], parentId);
}

/** The person's role column follows their unit roles: a coordinator somewhere is a coordinator. */
function syncRole(tx: Conn, personId: number, now: Date): void {
  const coordinates = rolesOf(tx, personId).some((r) => r.role === 'coordinator');
  setPersonRole(tx, personId, coordinates ? 'coordinator' : 'volunteer', now.getTime());
}

export function grantRole(db: Db, actor: { id: number }, unitId: number, input: { personId: number; role: UnitRole }, now: Date): void {
  transaction(db, (tx) => {
    requireUnit(tx, unitId);
    if (!personExists(tx, input.personId)) throw new RotaError('NOT_FOUND', `No person has id ${input.personId}.`);
    putRole(tx, input.personId, unitId, input.role, now.getTime());
    syncRole(tx, input.personId, now);
    writeAudit(tx, now, { actorId: actor.id, action: 'unit.role.grant', entity: 'unit', entityId: unitId, detail: { ...input } });
  });
}

export function revokeRole(db: Db, actor: { id: number }, unitId: number, personId: number, now: Date): void {
  transaction(db, (tx) => {
    requireUnit(tx, unitId);
    if (!deleteRole(tx, personId, unitId)) throw new RotaError('NOT_FOUND', `Person ${personId} has no role in unit ${unitId}.`);
    if (rootUnitIds(tx).includes(unitId) && !rolesIn(tx, unitId).some((r) => r.role === 'coordinator')) {
      throw new RotaError('CONFLICT', 'This is the last coordinator of a top-level unit; make someone else its coordinator first.');
    }
    syncRole(tx, personId, now);
    writeAudit(tx, now, { actorId: actor.id, action: 'unit.role.revoke', entity: 'unit', entityId: unitId, detail: { personId } });
  });
}

/** Grants a role in a person's home unit (a person made coordinator through the people API). */
export function grantHomeRole(tx: Conn, personId: number, unitId: number, role: UnitRole, now: Date): void {
  putRole(tx, personId, unitId, role, now.getTime());
}

export function dropCoordinatorRoles(tx: Conn, personId: number): void {
  for (const grant of rolesOf(tx, personId)) if (grant.role === 'coordinator') deleteRole(tx, personId, grant.unitId);
}

/** Which route parameters, query fields and body fields name a thing, and what kind it is. */
const PATH_KINDS: Record<string, Owned> = {
  people: 'person',
  rotas: 'rota',
  teams: 'team',
  series: 'series',
  shifts: 'shift',
  signups: 'signup',
  checkins: 'signup',
  offers: 'offer',
  trades: 'trade',
  'day-calendars': 'calendar',
  notices: 'notice',
  units: 'unit',
  roles: 'person',
};
const FIELD_KINDS: Record<string, Owned> = {
  personId: 'person',
  contactPersonId: 'person',
  memberIds: 'person',
  addMemberIds: 'person',
  removeMemberIds: 'person',
  rotaId: 'rota',
  unitId: 'unit',
  parentId: 'unit',
  teamId: 'team',
  teamIds: 'team',
  homeTeamId: 'team',
  withSignupId: 'signup',
  shiftId: 'shift',
  dayCalendarIds: 'calendar',
};

export interface Target {
  kind: Owned | 'checkin-code';
  id: string | number;
}

/** The things a request names: its path parameters (by the path segment before them), and known query and body fields. */
export function targetsOf(routeUrl: string, params: Record<string, unknown>, ...fields: unknown[]): Target[] {
  const targets: Target[] = [];
  const segments = routeUrl.split('/');
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const kind = PATH_KINDS[segments[i - 1] ?? ''];
    const value = params[segment.slice(1)];
    if (kind && (typeof value === 'string' || typeof value === 'number')) targets.push({ kind, id: value });
  });
  for (const source of fields) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      const kind = key === 'code' && routeUrl.includes('/checkins') ? 'checkin-code' : FIELD_KINDS[key];
      if (!kind) continue;
      for (const one of Array.isArray(value) ? value : [value]) if (typeof one === 'string' || typeof one === 'number') targets.push({ kind, id: one });
    }
  }
  return targets;
}

/**
 * Checks every thing a request names against the caller's scope: a thing outside it answers
 * 404 as if it did not exist. Says whether the caller manages all of them (then they act as a
 * coordinator in this request; otherwise as a volunteer, whatever roles they hold elsewhere),
 * whether they read all of them (a viewer's lists and reports), and whether they may change them
 * at all (not when one is only within a viewer's reach).
 */
export function checkTargets(db: Conn, actorId: number, scope: Scope, targets: Target[]): { manages: boolean; reads: boolean; acts: boolean } {
  let manages = scope.manages.size > 0;
  let reads = scope.reads.size > 0;
  let acts = true;
  for (const target of targets) {
    if (target.kind === 'person' && Number(target.id) === actorId) continue;
    const unitId = target.kind === 'checkin-code' ? checkinCodeUnit(db, String(target.id)) : unitOf(db, target.kind, target.id);
    // A unit named that does not exist is not found here, once for every route that takes one;
    // other things missing are for the service to say (it knows what the field means).
    if (unitId === undefined && target.kind === 'unit') throw new RotaError('NOT_FOUND', notFound(target));
    if (unitId === undefined || unitId === null) continue;
    if (!scope.sees.has(unitId)) throw new RotaError('NOT_FOUND', notFound(target));
    if (!scope.manages.has(unitId)) manages = false;
    if (!scope.reads.has(unitId)) reads = false;
    if (!scope.acts.has(unitId)) acts = false;
  }
  return { manages, reads, acts };
}

function checkinCodeUnit(db: Conn, code: string): number | null | undefined {
  const seriesId = seriesOfCheckinCode(db, code);
  return seriesId === null ? undefined : unitOf(db, 'series', seriesId);
}

function notFound(target: Target): string {
  return target.kind === 'checkin-code' ? 'This check-in code is not valid (it may have been replaced).' : `No ${target.kind} has id ${target.id}.`;
}
