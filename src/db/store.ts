// The hot paths' side of the data seam: statements prepared once per connection, a transaction
// helper, and each rota's schedule (rota, teams, series, day rules, overrides) kept per rota
// revision. Only this folder speaks SQL; callers get domain records.
import type Database from 'better-sqlite3';
import type { DayRules } from '../domain/day-calendar.js';
import type { ShiftOverride } from '../domain/recurrence.js';
import type { Booking, DateRange } from '../domain/signup-rules.js';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Conn, Db } from './connection.js';
import type { Person } from './people.js';
import type { NewSignup } from './signups.js';
import { dayRulesFor, getRota, loadSeries, overridesFor, type Rota, type SeriesRecord } from './schedule.js';
import * as schema from './schema.js';
import type { PersonPreferences } from './schema.js';

/** A rota and everything its shifts are computed from, as of one revision. */
export interface RotaSchedule {
  rota: Rota;
  teamIds: number[];
  series: SeriesRecord[];
  days: Map<number, DayRules>;
  overrides: Map<number, ShiftOverride[]>;
}

export interface FillRow {
  shiftId: string;
  status: 'confirmed' | 'waitlisted';
  id: number;
  name: string;
}

/** A new sign-up as the prepared insert takes it: what `insertSignup` of signups.ts takes, and its clock. */
export type NewSignupRow = Omit<NewSignup, 'walkIn' | 'attendance'> & { now: number };

/** A person as the prepared statements read them: the stored columns before `toPerson` shapes them. */
type PersonRow = Omit<Person, 'teamIds' | 'preferences' | 'archived'> & { preferences: string; archivedAt: number | null };

const PERSON_COLUMNS = 'id, name, phone, email, locale, role, home_team_id AS homeTeamId, unit_id AS unitId, preferences, feed_token AS feedToken, archived_at AS archivedAt';

function statements(c: Database.Database) {
  return {
    rotaRevision: c.prepare<[number], number>('SELECT value FROM rota_revisions WHERE rota_id = ?').pluck(),
    /** Row 2: day calendars, which every rota's schedule may follow. */
    calendarRevision: c.prepare<[], number>('SELECT value FROM data_revision WHERE id = 2').pluck(),
    /** Row 3: people and teams. */
    peopleRevision: c.prepare<[], number>('SELECT value FROM data_revision WHERE id = 3').pluck(),
    seriesRota: c.prepare<[number], number>('SELECT rota_id FROM series WHERE id = ?').pluck(),
    rotaTeams: c.prepare<[number], number>('SELECT team_id FROM rota_teams WHERE rota_id = ?').pluck(),
    personByHash: c.prepare<[string], PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE access_token_hash = ? AND archived_at IS NULL`),
    personById: c.prepare<[number], PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = ?`),
    teamIdsOf: c.prepare<[number], number>('SELECT team_id FROM team_members WHERE person_id = ? ORDER BY joined_at, team_id').pluck(),
    /** The capacity taken and the person's own live sign-up, in one read. */
    placeFacts: c.prepare<{ shiftId: string; personId: number }, { confirmed: number; existingId: number | null; existingStatus: 'confirmed' | 'waitlisted' | null }>(
      `SELECT (SELECT count(*) FROM signups WHERE shift_id = @shiftId AND status = 'confirmed' AND walk_in = 0) AS confirmed,
              m.id AS existingId, m.status AS existingStatus
       FROM (SELECT 1) LEFT JOIN signups m ON m.shift_id = @shiftId AND m.person_id = @personId AND m.status <> 'cancelled'`,
    ),
    bookings: c.prepare<[number, number, number], Booking & { signupId: number }>(
      `SELECT id AS signupId, shift_id AS shiftId, start_at AS start, end_at AS "end" FROM signups
       WHERE person_id = ? AND status = 'confirmed' AND start_at < ? AND end_at > ?`,
    ),
    unavailable: c.prepare<[number, string, string], DateRange>('SELECT from_date AS "from", to_date AS "to" FROM unavailability WHERE person_id = ? AND from_date <= ? AND to_date >= ?'),
    insertSignup: c.prepare<NewSignupRow>(
      `INSERT INTO signups (shift_id, series_id, rota_id, person_id, status, start_at, end_at, local_date, created_by, created_at, updated_at)
       VALUES (@shiftId, @seriesId, @rotaId, @personId, @status, @startAt, @endAt, @localDate, @createdBy, @now, @now)`,
    ),
    audit: c.prepare<[number, number | null, string, string, string, string]>('INSERT INTO audit_log (at, actor_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)'),
    fills: c.prepare<[number, string, string], FillRow>(
      `SELECT s.shift_id AS shiftId, s.status AS status, p.id AS id, p.name AS name FROM signups s JOIN people p ON p.id = s.person_id
       WHERE s.rota_id = ? AND s.local_date >= ? AND s.local_date <= ? AND s.status <> 'cancelled' ORDER BY s.id`,
    ),
    shiftFill: c.prepare<[string], FillRow>(
      `SELECT s.shift_id AS shiftId, s.status AS status, p.id AS id, p.name AS name FROM signups s JOIN people p ON p.id = s.person_id
       WHERE s.shift_id = ? AND s.status <> 'cancelled' ORDER BY s.id`,
    ),
  };
}

/** How many rotas' schedules one process keeps (a district has about 500). */
const SCHEDULES_KEPT = 2000;

/** One per connection: its prepared statements and the schedules read through it. */
export class Store {
  private readonly q: ReturnType<typeof statements>;
  private readonly schedules = new Map<number, { key: string; schedule: RotaSchedule }>();
  private readonly seriesRotas = new Map<number, number>();

  private readonly db: Db;

  constructor(client: Database.Database) {
    this.q = statements(client);
    this.db = drizzle(client, { schema });
  }

  /** The revision a rota's schedule is filed under; changes whenever the rota or a calendar changes. */
  private scheduleKey(rotaId: number): string | null {
    const revision = this.q.rotaRevision.get(rotaId);
    return revision === undefined ? null : `${revision}/${this.q.calendarRevision.get()}`;
  }

  /** A rota's schedule, read once per revision; null when no rota has that id. */
  schedule(rotaId: number): RotaSchedule | null {
    const key = this.scheduleKey(rotaId);
    if (key === null) return null;
    const kept = this.schedules.get(rotaId);
    if (kept?.key === key) return kept.schedule;
    const rota = getRota(this.db, rotaId);
    if (!rota) return null;
    const series = loadSeries(this.db, { rotaIds: [rotaId] });
    const schedule: RotaSchedule = {
      rota,
      teamIds: this.q.rotaTeams.all(rotaId),
      series,
      days: dayRulesFor(this.db, series),
      overrides: overridesFor(this.db, series.map((s) => s.id)),
    };
    this.schedules.set(rotaId, { key, schedule });
    if (this.schedules.size > SCHEDULES_KEPT) this.schedules.delete(this.schedules.keys().next().value!);
    return schedule;
  }

  /** The rota a series belongs to (a series never changes rota). */
  rotaOfSeries(seriesId: number): number | null {
    let rotaId = this.seriesRotas.get(seriesId);
    if (rotaId === undefined) {
      rotaId = this.q.seriesRota.get(seriesId);
      if (rotaId === undefined) return null;
      this.seriesRotas.set(seriesId, rotaId);
    }
    return rotaId;
  }

  personByAccessHash(hash: string): Person | null {
    const row = this.q.personByHash.get(hash);
    return row ? this.toPerson(row) : null;
  }

  person(id: number): Person | null {
    const row = this.q.personById.get(id);
    return row ? this.toPerson(row) : null;
  }

  private toPerson(r: PersonRow): Person {
    return {
      id: r.id,
      name: r.name,
      phone: r.phone,
      email: r.email,
      locale: r.locale,
      role: r.role,
      homeTeamId: r.homeTeamId,
      unitId: r.unitId,
      teamIds: this.q.teamIdsOf.all(r.id),
      preferences: JSON.parse(r.preferences) as PersonPreferences,
      feedToken: r.feedToken,
      archived: r.archivedAt !== null,
    };
  }

  placeFacts(shiftId: string, personId: number): { confirmed: number; existing: { id: number; status: 'confirmed' | 'waitlisted' } | null } {
    const r = this.q.placeFacts.get({ shiftId, personId })!;
    return { confirmed: r.confirmed, existing: r.existingId === null ? null : { id: r.existingId, status: r.existingStatus! } };
  }

  /** The person's confirmed places overlapping [start, end). */
  bookingsDuring(personId: number, window: { start: number; end: number }): Booking[] {
    return this.q.bookings.all(personId, window.end, window.start);
  }

  unavailableBetween(personId: number, first: string, last: string): DateRange[] {
    return this.q.unavailable.all(personId, last, first);
  }

  insertSignup(row: NewSignupRow): number {
    return Number(this.q.insertSignup.run(row).lastInsertRowid);
  }

  audit(at: number, actorId: number | null, action: string, entity: string, entityId: number | string, detail: Record<string, unknown>): void {
    this.q.audit.run(at, actorId, action, entity, String(entityId), JSON.stringify(detail));
  }

  /** Live sign-ups of a rota's shifts on local dates [from, to], with names, in sign-up order. */
  fills(rotaId: number, from: string, to: string): FillRow[] {
    return this.q.fills.all(rotaId, from, to);
  }

  shiftFill(shiftId: string): FillRow[] {
    return this.q.shiftFill.all(shiftId);
  }

  /** Revisions a cached feed depends on: its rotas' and the people's. */
  rotaRevision(rotaId: number): number | undefined {
    return this.q.rotaRevision.get(rotaId);
  }

  peopleRevision(): number {
    return this.q.peopleRevision.get()!;
  }

  calendarRevision(): number {
    return this.q.calendarRevision.get()!;
  }
}


const stores = new WeakMap<Database.Database, Store>();

/**
 * The store of the connection a database or a transaction on it runs on. A drizzle transaction
 * keeps its connection in its session; better-sqlite3 has one connection per database object.
 */
export function storeOf(conn: Conn | Db): Store {
  const client = '$client' in conn ? conn.$client : (conn as unknown as { session: { client: Database.Database } }).session.client;
  let store = stores.get(client);
  if (!store) stores.set(client, (store = new Store(client)));
  return store;
}

/**
 * The one transaction helper: `work` runs in one IMMEDIATE transaction (the write lock is taken
 * at BEGIN, so two writers never both read the same state and then write); inside another
 * transaction it runs in a savepoint of it. Services begin and end every write here.
 */
export function transaction<T>(db: Conn, work: (tx: Conn) => T): T {
  return db.transaction(work, { behavior: 'immediate' });
}
