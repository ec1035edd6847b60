// Bulk import of people: read the list with the domain parser, then create everyone (and the
// teams named that do not exist yet) in one transaction, answering each person's new link. Each
// person and team gets its own audit entry from createPerson / createTeam. Everyone lands in one
// unit (issue 13), and the teams named are that unit's.
import { transaction } from '../db/store.js';
import type { Db } from '../db/connection.js';
import { listPeople, listTeams } from '../db/people.js';
import { RotaError } from '../domain/errors.js';
import { parsePeopleImport, type ImportRow } from '../domain/people-import.js';
import { createPerson, createTeam } from './people.js';
import { defaultUnitOf } from './units.js';
import type { Actor } from '../domain/types.js';

export interface ImportedPerson extends ImportRow {
  /** The team's id; null while a new team is only planned (dry run) or when there is no team. */
  teamId: number | null;
  newTeam: boolean;
  /** Another active person already has this name (they may be the same person). */
  sameNameExists: boolean;
  personId: number | null;
  accessToken: string | null;
}

export interface ImportResult {
  dryRun: boolean;
  /** The unit everyone is (or would be) created in. */
  unitId: number;
  format: 'list' | 'csv';
  people: ImportedPerson[];
  newTeams: string[];
}

/** Team names match whatever their case and surrounding spaces: "3栋" and " 3栋 " are one team. */
const teamKey = (name: string) => name.trim().toLowerCase();

/**
 * `unitId` (checked by the caller to be one they coordinate) defaults to the caller's first
 * coordinated unit; `readable` are the units whose people the caller sees, for the same-name hint.
 */
export function importPeople(db: Db, actor: Actor, input: { text: string; dryRun?: boolean; unitId?: number; readable: ReadonlySet<number> }, now: Date): ImportResult {
  const unitId = input.unitId ?? defaultUnitOf(db, actor);
  const parsed = parsePeopleImport(input.text);
  if (!parsed.ok) {
    throw new RotaError('VALIDATION', `Nothing was imported: ${parsed.problems.map((p) => p.message).join(' ')}`, { field: 'text', problems: parsed.problems });
  }
  const plan = (teams: Map<string, number>, names: Set<string>): { people: ImportedPerson[]; newTeams: string[] } => {
    const newTeams = [...new Set(parsed.rows.filter((r) => r.team !== null && !teams.has(teamKey(r.team))).map((r) => r.team!))];
    const people = parsed.rows.map((r) => ({
      ...r,
      teamId: r.team === null ? null : (teams.get(teamKey(r.team)) ?? null),
      newTeam: r.team !== null && !teams.has(teamKey(r.team)),
      sameNameExists: names.has(r.name),
      personId: null,
      accessToken: null,
    }));
    return { people, newTeams };
  };
  const existing = (conn: Db) => ({
    teams: new Map(listTeams(conn, false, new Set([unitId])).map((t) => [teamKey(t.name), t.id])),
    names: new Set(listPeople(conn, { includeArchived: false, unitIds: input.readable }).map((p) => p.name)),
  });
  if (input.dryRun) {
    const { teams, names } = existing(db);
    return { dryRun: true, unitId, format: parsed.format, ...plan(teams, names) };
  }
  // createTeam and createPerson open their own transactions: inside this one they become
  // savepoints, so one refusal rolls back the whole import.
  return transaction(db,
    () => {
      const { teams, names } = existing(db);
      const result = plan(teams, names);
      for (const name of result.newTeams) teams.set(teamKey(name), createTeam(db, actor, { name, unitId }, now).id);
      for (const p of result.people) {
        p.teamId = p.team === null ? null : teams.get(teamKey(p.team))!;
        const issued = createPerson(
          db,
          actor,
          { name: p.name, phone: p.phone, email: p.email, ...(p.locale ? { locale: p.locale } : {}), teamIds: p.teamId === null ? [] : [p.teamId], unitId },
          now,
        );
        p.personId = issued.person.id;
        p.accessToken = issued.accessToken;
      }
      return { dryRun: false, unitId, format: parsed.format, ...result };
    },
  );
}
