// The hot paths' side of the data seam: statements prepared once per connection, a transaction
// helper, and each rota's schedule (rota, teams, series, day rules, overrides) kept per rota
// revision. Only this folder speaks SQL; callers get domain records.
import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { PRESET_CALENDARS, mergeCalendars, type CalendarDay, type DayRules } from '../domain/day-calendar.js';
import { Memo } from '../domain/memo.js';
import { MAX_SHIFT_MS, type RuleVersion, type ShiftOverride } from '../domain/recurrence.js';
import type { Booking, DateRange } from '../domain/signup-rules.js';
import type { Conn, Db } from './connection.js';
import { joinedText, jsonTable, jsonValues } from './dialect.js';
import { isPostgres } from './pg/sync-client.js';
import type { NewSignup } from './signups.js';
import { LOCALES, ROLES, type Person, type PersonPreferences, type Rota, type SeriesRecord, type Signup } from '../domain/types.js';

/** A rota and everything its shifts are computed from, as of one revision. */
export interface RotaSchedule {
  rota: Rota;
  teamIds: number[];
  series: SeriesRecord[];
  days: Map<number, DayRules>;
  overrides: Map<number, ShiftOverride[]>;
}

export interface FeedVersion {
  shared: string;
  signups: string;
  rotas: Map<number, { revision: string; timezone: string }>;
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
type PersonRow = Omit<Person, 'teamIds' | 'preferences' | 'archived'> & { teamIds: string; preferences: string; archivedAt: number | null };

/** A rota as the prepared statement reads it: SQLite's 0 and 1 for booleans, the archive time. */
type RotaRow = Omit<Rota, 'waitlist' | 'countUnmarked' | 'requireApproval' | 'archived'> & {
  waitlist: number;
  countUnmarked: number;
  requireApproval: number;
  archivedAt: number | null;
};

type SignupRow = Omit<Signup, 'walkIn'> & { walkIn: number };
const SIGNUP_COLUMNS = `s.id, s.shift_id AS shiftId, s.series_id AS seriesId, s.rota_id AS rotaId, r.name AS rotaName, r.timezone, s.person_id AS personId,
  p.name AS personName, s.status, s.attendance, s.walk_in AS walkIn, s.start_at AS startAt, s.end_at AS endAt, s.local_date AS localDate,
  s.created_at AS createdAt, s.cancelled_at AS cancelledAt FROM signups s JOIN rotas r ON r.id = s.rota_id JOIN people p ON p.id = s.person_id`;
/** A person's columns; their teams as a JSON array text, in joining order. */
function personColumns(c: Database.Database): string {
  const teams = isPostgres(c)
    ? "(SELECT coalesce(json_agg(team_id ORDER BY joined_at, team_id), '[]') FROM team_members WHERE person_id = people.id)"
    : '(SELECT json_group_array(team_id) FROM (SELECT team_id FROM team_members WHERE person_id = people.id ORDER BY joined_at, team_id))';
  return `id, name, phone, email, locale, role, home_team_id AS homeTeamId, unit_id AS unitId, preferences, feed_token AS feedToken, archived_at AS archivedAt,
  ${teams} AS teamIds`;
}

function statements(c: Database.Database) {
  const PERSON_COLUMNS = personColumns(c);
  return {
    rotaRevision: c.prepare<[number], number>('SELECT value FROM rota_revisions WHERE rota_id = ?').pluck(),
    /** Row 2: day calendars, which every rota's schedule may follow. */
    calendarRevision: c.prepare<[], number>('SELECT value FROM data_revision WHERE id = 2').pluck(),
    /** Row 3: people and teams. */
    peopleRevision: c.prepare<[], number>('SELECT value FROM data_revision WHERE id = 3').pluck(),
    /** What a rota's listing depends on: its own revision (its rows and its sign-ups), the calendars' and the people's. */
    listingStamp: c.prepare<[number], { rota: number | null; calendars: number; people: number }>(
      `SELECT (SELECT value FROM rota_revisions WHERE rota_id = ?) AS rota,
              (SELECT value FROM data_revision WHERE id = 2) AS calendars, (SELECT value FROM data_revision WHERE id = 3) AS people`,
    ),
    rota: c.prepare<[number], RotaRow>(
      `SELECT id, name, timezone, location, description, waitlist, count_unmarked AS countUnmarked, cancel_closes_hours_before AS cancelClosesHoursBefore,
              require_approval AS requireApproval, contact_person_id AS contactPersonId, feed_token AS feedToken, created_by AS createdBy,
              unit_id AS unitId, archived_at AS archivedAt, updated_at AS updatedAt FROM rotas WHERE id = ?`,
    ),
    series: c.prepare<[number], { id: number; label: string | null; endDate: string | null; updatedAt: number }>(
      'SELECT id, label, end_date AS endDate, updated_at AS updatedAt FROM series WHERE rota_id = ? ORDER BY id',
    ),
    versions: c.prepare<[number], RuleVersion & { seriesId: number }>(
      `SELECT v.series_id AS seriesId, v.valid_from AS validFrom, v.rrule, v.start_time AS startTime, v.duration_minutes AS durationMinutes,
              v.min_volunteers AS minVolunteers, v.max_volunteers AS maxVolunteers
       FROM series s JOIN series_versions v ON v.series_id = s.id WHERE s.rota_id = ? ORDER BY v.series_id, v.valid_from`,
    ),
    seriesCalendars: c.prepare<[number], { seriesId: number; calendarId: string }>(
      `SELECT c.series_id AS seriesId, c.calendar_id AS calendarId FROM series s JOIN series_calendars c ON c.series_id = s.id
       WHERE s.rota_id = ? ORDER BY c.series_id, c.calendar_id`,
    ),
    calendarDays: c.prepare<[string], CalendarDay>('SELECT date, kind, label FROM day_calendar_days WHERE calendar_id = ? ORDER BY date'),
    overrides: c.prepare<[number], Omit<ShiftOverride, 'cancelled'> & { seriesId: number; cancelled: number }>(
      `SELECT o.series_id AS seriesId, o.key, o.cancelled, o.start, o.duration_minutes AS durationMinutes, o.min_volunteers AS minVolunteers,
              o.max_volunteers AS maxVolunteers
       FROM series s JOIN shift_overrides o ON o.series_id = s.id WHERE s.rota_id = ? ORDER BY o.series_id, o.key`,
    ),
    /**
     * Everything a feed's version is made of, in one read: the shared revisions, the people's
     * sign-up revisions, each rota's revision and zone. The id lists (without repeats) are joined
     * from json_each: two `IN (SELECT value FROM json_each(?))` in one statement made SQLite
     * (3.53, as better-sqlite3 12 builds it) take half a millisecond a read instead of ten microseconds.
     */
    feedVersion: c.prepare<[string, string], { shared: string; signups: string; rotas: string }>(
      `SELECT (SELECT value FROM data_revision WHERE id = 3) || '|' || (SELECT value FROM data_revision WHERE id = 2) AS shared,
              coalesce((SELECT ${joinedText(c, "p.person_id || ':' || p.value", ',', 'p.person_id')} FROM ${jsonTable(c, 'integer')} j
                        JOIN person_revisions p ON p.person_id = j.value), '') AS signups,
              coalesce((SELECT ${joinedText(c, "v.rota_id || ':' || v.value || ':' || r.timezone", ' ', 'v.rota_id')} FROM ${jsonTable(c, 'integer')} k
                        JOIN rota_revisions v ON v.rota_id = k.value JOIN rotas r ON r.id = v.rota_id), '') AS rotas`,
    ),
    seriesRota: c.prepare<[number], number>('SELECT rota_id FROM series WHERE id = ?').pluck(),
    /** Row 4: units, the unit tree and unit roles (migrations/0009). */
    /** Rows 3 and 4: people and teams; units, the unit tree and unit roles (migrations/0009). */
    signInStamp: c.prepare<[], { people: string; units: string }>(
      'SELECT (SELECT CAST(value AS TEXT) FROM data_revision WHERE id = 3) AS people, (SELECT CAST(value AS TEXT) FROM data_revision WHERE id = 4) AS units',
    ),
    rolesOf: c.prepare<[number], { unitId: number; role: 'coordinator' | 'viewer' }>('SELECT unit_id AS unitId, role FROM unit_roles WHERE person_id = ? ORDER BY unit_id'),
    ancestors: c.prepare<[number], number>('SELECT ancestor_id FROM unit_closure WHERE descendant_id = ? ORDER BY depth').pluck(),
    subtrees: c.prepare<[string], number>(`SELECT DISTINCT descendant_id FROM unit_closure WHERE ancestor_id IN (${jsonValues(c, 'integer')})`).pluck(),
    rotaUnit: c.prepare<[number], { unitId: number | null }>('SELECT unit_id AS unitId FROM rotas WHERE id = ?'),
    personUnit: c.prepare<[number], { unitId: number | null }>('SELECT unit_id AS unitId FROM people WHERE id = ?'),
    signupUnit: c.prepare<[number], { unitId: number | null }>('SELECT r.unit_id AS unitId FROM signups s JOIN rotas r ON r.id = s.rota_id WHERE s.id = ?'),
    rotaTeams: c.prepare<[number], number>('SELECT team_id FROM rota_teams WHERE rota_id = ?').pluck(),
    personByHash: c.prepare<[string], PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE access_token_hash = ? AND archived_at IS NULL`),
    personById: c.prepare<[number], PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = ?`),
    /** The capacity taken and the person's own live sign-up, in one read. */
    placeFacts: c.prepare<{ shiftId: string; personId: number }, { confirmed: number; existingId: number | null; existingStatus: 'confirmed' | 'waitlisted' | null }>(
      `SELECT (SELECT count(*) FROM signups WHERE shift_id = @shiftId AND status = 'confirmed' AND walk_in = FALSE) AS confirmed,
              m.id AS existingId, m.status AS existingStatus
       FROM (SELECT 1) AS one LEFT JOIN signups m ON m.shift_id = @shiftId AND m.person_id = @personId AND m.status <> 'cancelled'`,
    ),
    /** A booking overlapping [start, end) starts less than a longest shift before it: the index scan is bounded on both sides. */
    bookings: c.prepare<[number, number, number, number], Booking & { signupId: number }>(
      `SELECT id AS signupId, shift_id AS shiftId, start_at AS start, end_at AS "end" FROM signups
       WHERE person_id = ? AND start_at < ? AND start_at > ? AND status = 'confirmed' AND end_at > ?`,
    ),
    /** A person's sign-ups not ended yet; one ending after a time starts less than a longest shift before it, which bounds the index scan. */
    personSignupsEnding: c.prepare<{ personId: number; endsAfter: number; startsAfter: number; cancelled: number }, SignupRow>(
      `SELECT ${SIGNUP_COLUMNS} WHERE s.person_id = @personId AND s.start_at > @startsAfter AND s.end_at > @endsAfter AND (@cancelled = 1 OR s.status <> 'cancelled')
       ORDER BY s.start_at, s.id LIMIT 1000`,
    ),
    personSignupsBetween: c.prepare<{ personId: number; from: string; to: string; cancelled: number }, SignupRow>(
      `SELECT ${SIGNUP_COLUMNS} WHERE s.person_id = @personId AND s.local_date >= @from AND s.local_date <= @to AND (@cancelled = 1 OR s.status <> 'cancelled')
       ORDER BY s.start_at, s.id LIMIT 1000`,
    ),
    unavailable: c.prepare<[number, string, string], DateRange>('SELECT from_date AS "from", to_date AS "to" FROM unavailability WHERE person_id = ? AND from_date <= ? AND to_date >= ?'),
    insertSignup: c.prepare<NewSignupRow, number>(
      `INSERT INTO signups (shift_id, series_id, rota_id, person_id, status, start_at, end_at, local_date, created_by, created_at, updated_at)
       VALUES (@shiftId, @seriesId, @rotaId, @personId, @status, @startAt, @endAt, @localDate, @createdBy, @now, @now) RETURNING id`,
    ).pluck(),
    audit: c.prepare<[number, number | null, string, string, string, string, number | null]>('INSERT INTO audit_log (at, actor_id, action, entity, entity_id, detail, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    fills: c.prepare<[number, string, string], FillRow>(
      `SELECT s.shift_id AS shiftId, s.status AS status, p.id AS id, p.name AS name FROM signups s JOIN people p ON p.id = s.person_id
       WHERE s.rota_id = ? AND s.local_date >= ? AND s.local_date <= ? AND s.status <> 'cancelled' ORDER BY s.id`,
    ),
    shiftsFill: c.prepare<[string], FillRow>(
      `SELECT s.shift_id AS shiftId, s.status AS status, p.id AS id, p.name AS name FROM signups s JOIN people p ON p.id = s.person_id
       WHERE s.shift_id IN (${jsonValues(c, 'text')}) AND s.status <> 'cancelled' ORDER BY s.id`,
    ),
    shiftFill: c.prepare<[string], FillRow>(
      `SELECT s.shift_id AS shiftId, s.status AS status, p.id AS id, p.name AS name FROM signups s JOIN people p ON p.id = s.person_id
       WHERE s.shift_id = ? AND s.status <> 'cancelled' ORDER BY s.id`,
    ),
  };
}

/**
 * `value` as the one copy in `words`: a column's text is a new string on every read, and the
 * people kept at sign-in (thousands) would each hold their own.
 */
function shared<T extends string>(value: T, words: readonly T[]): T {
  return words.find((w) => w === value) ?? value;
}

/** How many rotas' schedules one process keeps (a district has about 500). */
const SCHEDULES_KEPT = 2000;

/** Closes a connection's -shm file handle once its Store is collected. */
const shmFiles = new FinalizationRegistry<number>((fd) => closeSync(fd));

/** Bytes of the WAL index header's first copy (sqlite.org/walformat.html, "The WAL-Index Header"). */
const WAL_INDEX_HEADER = 48;

/** Revisions read while no transaction committed: a sign-in's, and each rota listing's. */
interface RevisionsRead {
  commits: number;
  signIn: { people: string; units: string } | null;
  listings: Map<number, string | null>;
  /** `unitOf` answers, by kind and id (`rota:7`). */
  units: Memo<string, number | null | undefined>;
}

/** Most `unitOf` answers kept between two commits: a long quiet read-only spell does not grow it without end. */
const UNITS_KEPT = 10_000;

/** The -shm file as `Store.commits` reads it: the header last seen, and how often it changed. */
interface ShmHeader {
  fd: number;
  seen: Buffer;
  read: Buffer;
  count: number;
}

/** One per connection: its prepared statements and the schedules read through it. */
export class Store {
  private readonly q: ReturnType<typeof statements>;
  private readonly schedules = new Map<number, { key: string; schedule: RotaSchedule }>();
  private readonly seriesRotas = new Map<number, number>();
  /**
   * Day rules by the calendars merged, as of one calendars revision: series that follow the same
   * calendars share one (a district's 2,000 series had 2,000 copies of a few sets, ~1.5 MB).
   */
  private dayRules: { revision: number; byCalendars: Map<string, DayRules> } = { revision: Number.NaN, byCalendars: new Map() };

  /** The connection's -shm file, read by `commits()`; null for a database without one (in memory). */
  private shm: ShmHeader | null | undefined;
  /** Revisions read while the commit count stood at `commits` (see `unchangedSince`). */
  private revisionsRead: RevisionsRead | null = null;
  /** The sign-in revisions last read. */
  private lastSignIn: { people: string; units: string } | null = null;

  constructor(private readonly client: Database.Database) {
    this.q = statements(client);
  }

  /**
   * A count that changes whenever a transaction has committed to the database, in this process or
   * any other, since it was last asked; null when that cannot be known (then read the revisions).
   * It reads the header of the WAL index in the -shm file, which SQLite rewrites with every commit
   * (its change counter, frame count and checksums): one read of 48 bytes, where the cheapest
   * statement takes a read transaction (two locks and a stat). Ask before reading what depends on
   * the data, so that a commit in between counts as a change.
   */
  commits(): number | null {
    if (this.shm === undefined) this.shm = this.openShm();
    const shm = this.shm;
    if (shm === null) return null;
    if (readSync(shm.fd, shm.read, 0, WAL_INDEX_HEADER, 0) !== WAL_INDEX_HEADER) return null;
    if (!shm.read.equals(shm.seen)) {
      shm.read.copy(shm.seen);
      shm.count++;
    }
    return shm.count;
  }

  private openShm(): ShmHeader | null {
    // In memory there is no file; PostgreSQL's commits are not seen here (every read asks it).
    if (this.client.memory || isPostgres(this.client)) return null;
    // The -shm file exists once a WAL-mode connection has read, and lives while it stays open.
    this.client.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    let fd: number;
    try {
      fd = openSync(`${this.client.name}-shm`, 'r');
    } catch {
      return null;
    }
    shmFiles.register(this, fd);
    return { fd, seen: Buffer.alloc(WAL_INDEX_HEADER), read: Buffer.alloc(WAL_INDEX_HEADER), count: 0 };
  }

  /** The revision a rota's schedule is filed under; changes whenever the rota or a calendar changes. */
  private scheduleKey(rotaId: number): string | null {
    const revision = this.q.rotaRevision.get(rotaId);
    return revision === undefined ? null : `${revision}/${this.q.calendarRevision.get()}`;
  }

  /**
   * After a write transaction changed only sign-ups of a rota (which renew its revision and leave
   * its schedule as it was), files the schedule this transaction read under the new revision, so
   * the next sign-up in the rota does not read it again. `schedule` must have come from
   * `schedule()` inside the same transaction, before its writes: then no other writer came between.
   */
  keepScheduleAfterSignups(schedule: RotaSchedule): void {
    const kept = this.schedules.get(schedule.rota.id);
    if (kept?.schedule !== schedule) return;
    const key = this.scheduleKey(schedule.rota.id);
    if (key !== null) kept.key = key;
  }

  /** A rota's schedule, read once per revision (as scheduleKey makes it); null when no rota has that id. */
  schedule(rotaId: number): RotaSchedule | null {
    const revision = this.q.rotaRevision.get(rotaId);
    if (revision === undefined) return null;
    const calendars = this.q.calendarRevision.get()!;
    const key = `${revision}/${calendars}`;
    const kept = this.schedules.get(rotaId);
    if (kept?.key === key) return kept.schedule;
    const schedule = this.readSchedule(rotaId, calendars);
    if (!schedule) return null;
    this.schedules.set(rotaId, { key, schedule });
    if (this.schedules.size > SCHEDULES_KEPT) this.schedules.delete(this.schedules.keys().next().value!);
    return schedule;
  }

  /** A rota, its series with their rule versions and calendars, their day rules and overrides: six prepared reads. */
  private readSchedule(rotaId: number, calendarRevision: number): RotaSchedule | null {
    const r = this.q.rota.get(rotaId);
    if (!r) return null;
    const rota: Rota = {
      id: r.id,
      name: r.name,
      timezone: r.timezone,
      location: r.location,
      description: r.description,
      waitlist: r.waitlist === 1,
      countUnmarked: r.countUnmarked === 1,
      cancelClosesHoursBefore: r.cancelClosesHoursBefore,
      requireApproval: r.requireApproval === 1,
      contactPersonId: r.contactPersonId,
      feedToken: r.feedToken,
      createdBy: r.createdBy,
      unitId: r.unitId,
      archived: r.archivedAt !== null,
      updatedAt: r.updatedAt,
    };
    const versions = groupBy(this.q.versions.all(rotaId));
    const calendarIds = groupBy(this.q.seriesCalendars.all(rotaId));
    const series: SeriesRecord[] = this.q.series.all(rotaId).map((s) => ({
      id: s.id,
      rotaId,
      timezone: rota.timezone,
      label: s.label,
      endDate: s.endDate,
      updatedAt: s.updatedAt,
      dayCalendarIds: (calendarIds.get(s.id) ?? []).map((c) => c.calendarId),
      versions: (versions.get(s.id) ?? []).map(({ seriesId: _, ...v }) => v),
    }));
    if (this.dayRules.revision !== calendarRevision) this.dayRules = { revision: calendarRevision, byCalendars: new Map() };
    const merged = this.dayRules.byCalendars;
    const days = new Map<number, DayRules>();
    for (const s of series) {
      const ids = s.dayCalendarIds.join('\n');
      let rules = merged.get(ids);
      if (!rules) merged.set(ids, (rules = mergeCalendars(s.dayCalendarIds.map((id) => PRESET_CALENDARS.get(id)?.days ?? this.q.calendarDays.all(id)))));
      days.set(s.id, rules);
    }
    const overrides = new Map<number, ShiftOverride[]>();
    for (const [seriesId, list] of groupBy(this.q.overrides.all(rotaId))) {
      overrides.set(seriesId, list.map(({ seriesId: _, cancelled, ...o }) => ({ ...o, cancelled: cancelled === 1 })));
    }
    return { rota, teamIds: this.q.rotaTeams.all(rotaId), series, days, overrides };
  }

  /**
   * The data revision a rota's listing is filed under, in one read: it changes with every write to
   * the rota's own rows (series, overrides, sign-ups...), to any day calendar and to any person or
   * team (names are shown). Null when no rota has that id.
   */
  listingStamp(rotaId: number): string | null {
    const kept = this.unchangedSince();
    const known = kept?.listings.get(rotaId);
    if (known !== undefined) return known;
    const r = this.q.listingStamp.get(rotaId)!;
    const stamp = r.rota === null ? null : `${r.rota}/${r.calendars}/${r.people}`;
    kept?.listings.set(rotaId, stamp);
    return stamp;
  }

  /**
   * The revisions read since the last commit (of any process: `commits()`), outside transactions;
   * null inside one (its own writes are not committed yet) or when commits cannot be seen.
   */
  private unchangedSince(): RevisionsRead | null {
    if (this.client.inTransaction) return null;
    const commits = this.commits();
    if (commits === null) return null;
    if (this.revisionsRead?.commits !== commits) this.revisionsRead = { commits, signIn: null, listings: new Map(), units: new Memo(UNITS_KEPT) };
    return this.revisionsRead;
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

  /**
   * What a signed-in request's person and reach are computed from, in one read: the people's
   * revision (people and teams) and the units' (units, the unit tree and unit roles).
   */
  signInStamp(): { people: string; units: string } {
    const kept = this.unchangedSince();
    if (kept?.signIn) return kept.signIn;
    const read = this.q.signInStamp.get()!;
    // The same revisions as last read keep the same strings: kept sign-ins and reaches hold them.
    const last = this.lastSignIn;
    const stamp = last && last.people === read.people && last.units === read.units ? last : (this.lastSignIn = read);
    if (kept) kept.signIn = stamp;
    return stamp;
  }

  /** A person's unit roles, by unit id (what their reach is computed from, on every new person's first request). */
  rolesOf(personId: number): { unitId: number; role: 'coordinator' | 'viewer' }[] {
    return this.q.rolesOf.all(personId);
  }

  /** A unit and its ancestors, nearest first. */
  ancestorIds(unitId: number): number[] {
    return this.q.ancestors.all(unitId);
  }

  /** The units below the given ones, the given ones included. */
  subtreeIds(roots: readonly number[]): number[] {
    return roots.length === 0 ? [] : this.q.subtrees.all(JSON.stringify(roots));
  }

  /**
   * The unit owning a rota, a person or a sign-up (the things most requests name), by prepared
   * statement: `undefined` when there is no such thing, `null` when it belongs to no unit.
   */
  unitOf(kind: 'rota' | 'person' | 'signup', id: number): number | null | undefined {
    // Outside transactions, kept until the next commit: every API request names one.
    const statement = kind === 'rota' ? this.q.rotaUnit : kind === 'person' ? this.q.personUnit : this.q.signupUnit;
    const read = () => statement.get(id)?.unitId;
    const kept = this.unchangedSince()?.units;
    return kept ? kept.get(`${kind}:${id}`, read) : read();
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
      locale: shared(r.locale, LOCALES),
      role: shared(r.role, ROLES),
      homeTeamId: r.homeTeamId,
      unitId: r.unitId,
      teamIds: JSON.parse(r.teamIds) as number[],
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
    return this.q.bookings.all(personId, window.end, window.start - MAX_SHIFT_MS, window.start);
  }

  /** A person's sign-ups (the first 1,000 by start) ending after `endsAfter`, or on local dates in [from, to]. */
  signupsOfPerson(personId: number, w: { endsAfter: number } | { from: string; to: string }, includeCancelled: boolean): Signup[] {
    const cancelled = includeCancelled ? 1 : 0;
    const rows =
      'endsAfter' in w
        ? this.q.personSignupsEnding.all({ personId, endsAfter: w.endsAfter, startsAfter: w.endsAfter - MAX_SHIFT_MS, cancelled })
        : this.q.personSignupsBetween.all({ personId, from: w.from, to: w.to, cancelled });
    return rows.map((r) => ({ ...r, walkIn: r.walkIn === 1 }));
  }

  unavailableBetween(personId: number, first: string, last: string): DateRange[] {
    return this.q.unavailable.all(personId, last, first);
  }

  insertSignup(row: NewSignupRow): number {
    return this.q.insertSignup.get(row)!;
  }

  /** `unitId`: the unit owning the thing (as writeAudit finds it), which the caller has at hand. */
  audit(at: number, actorId: number | null, action: string, entity: string, entityId: number | string, detail: Record<string, unknown>, unitId: number | null): void {
    this.q.audit.run(at, actorId, action, entity, String(entityId), JSON.stringify(detail), unitId);
  }

  /** Live sign-ups of a rota's shifts on local dates [from, to], with names, in sign-up order. */
  fills(rotaId: number, from: string, to: string): FillRow[] {
    return this.q.fills.all(rotaId, from, to);
  }

  /** Live sign-ups of these shifts, with names, in sign-up order. */
  shiftsFill(shiftIds: readonly string[]): FillRow[] {
    return this.q.shiftsFill.all(JSON.stringify(shiftIds));
  }

  shiftFill(shiftId: string): FillRow[] {
    return this.q.shiftFill.all(shiftId);
  }

  /**
   * What a feed's version is made of, in one read (one read transaction, where three reads cost a
   * calendar poll a quarter of its time): the people's and day calendars' revisions; what changes
   * whenever a sign-up of one of these people changes; each of these rotas' revision and zone.
   */
  feedVersion(personIds: readonly number[], rotaIds: readonly number[]): FeedVersion {
    const r = this.q.feedVersion.get(JSON.stringify(personIds), JSON.stringify(rotaIds))!;
    const rotas = new Map<number, { revision: string; timezone: string }>();
    for (const part of r.rotas === '' ? [] : r.rotas.split(' ')) {
      const [id, revision, timezone] = part.split(':');
      rotas.set(Number(id), { revision: revision!, timezone: timezone! });
    }
    return { shared: r.shared, signups: r.signups, rotas };
  }
}

/** Rows by their series, in the order read. */
function groupBy<T extends { seriesId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) {
    const list = map.get(r.seriesId);
    if (list) list.push(r);
    else map.set(r.seriesId, [r]);
  }
  return map;
}

const stores = new WeakMap<Database.Database, Store>();

/**
 * The connection under a database or a transaction on it. A drizzle transaction keeps its
 * connection in its session; better-sqlite3 has one connection per database object.
 */
export function clientOf(conn: Conn | Db): Database.Database {
  return '$client' in conn ? conn.$client : (conn as unknown as { session: { client: Database.Database } }).session.client;
}

/** The store of the connection a database or a transaction on it runs on. */
export function storeOf(conn: Conn | Db): Store {
  const client = clientOf(conn);
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
