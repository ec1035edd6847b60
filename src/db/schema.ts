// Drizzle schema: the tables behind every noun. Times are UTC epoch ms (integers); local dates and
// wall times are text (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`) in the rota's zone.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { UNIT_KINDS, type PersonPreferences } from '../domain/types.js';

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
    role: text('role', { enum: ['volunteer', 'coordinator'] }).notNull().default('volunteer'),
    homeTeamId: integer('home_team_id').references(() => teams.id),
    /** The person's home unit (issue 13): who may see and manage them; null only before the units migration. */
    unitId: integer('unit_id').references(() => units.id),
    accessTokenHash: text('access_token_hash').notNull(),
    feedToken: text('feed_token').notNull(),
    preferences: text('preferences', { mode: 'json' }).$type<PersonPreferences>().notNull().default(sql`'{}'`),
    archivedAt: integer('archived_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('people_access_token_hash').on(t.accessTokenHash), uniqueIndex('people_feed_token').on(t.feedToken), index('people_unit').on(t.unitId)],
);


/** The tree a deployment serves (区—街道—社区—小区—楼栋): rotas, people, teams and day calendars belong to a unit. */
export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: UNIT_KINDS }).notNull(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => units.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('units_parent').on(t.parentId)],
);

/**
 * The closure of the unit tree: one row per (ancestor, descendant) pair, a unit being its own
 * ancestor at depth 0. "Is X in Y's subtree" is one primary-key lookup, a subtree is one index
 * range, and a roll-up joins it once. Units never move, so rows are only ever added.
 */
export const unitClosure = sqliteTable(
  'unit_closure',
  {
    ancestorId: integer('ancestor_id').notNull().references(() => units.id),
    descendantId: integer('descendant_id').notNull().references(() => units.id),
    depth: integer('depth').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ancestorId, t.descendantId] }), index('unit_closure_descendant').on(t.descendantId, t.depth)],
);

/** A person's role in a unit: a coordinator manages its subtree, a viewer reads it. */
export const unitRoles = sqliteTable(
  'unit_roles',
  {
    personId: integer('person_id').notNull().references(() => people.id),
    unitId: integer('unit_id').notNull().references(() => units.id),
    role: text('role', { enum: ['coordinator', 'viewer'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.unitId] }), index('unit_roles_unit').on(t.unitId)],
);

export const teams = sqliteTable(
  'teams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    feedToken: text('feed_token').notNull(),
    /** The unit whose coordinators manage the team (a building's captains: the building). */
    unitId: integer('unit_id').references(() => units.id),
    archivedAt: integer('archived_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('teams_feed_token').on(t.feedToken), index('teams_unit').on(t.unitId)],
);

export const teamMembers = sqliteTable(
  'team_members',
  {
    teamId: integer('team_id').notNull().references(() => teams.id),
    personId: integer('person_id').notNull().references(() => people.id),
    joinedAt: integer('joined_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index('team_members_person').on(t.personId)],
);

export const rotas = sqliteTable(
  'rotas',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    location: text('location'),
    description: text('description'),
    waitlist: integer('waitlist', { mode: 'boolean' }).notNull().default(true),
    countUnmarked: integer('count_unmarked', { mode: 'boolean' }).notNull().default(true),
    cancelClosesHoursBefore: integer('cancel_closes_hours_before').notNull().default(12),
    requireApproval: integer('require_approval', { mode: 'boolean' }).notNull().default(false),
    /** The coordinator volunteers call about this rota (inside the lock window changes go through them). */
    contactPersonId: integer('contact_person_id').references(() => people.id),
    feedToken: text('feed_token').notNull(),
    /** The coordinator who created the rota; its feeds name them while they are an active coordinator. */
    createdBy: integer('created_by').references(() => people.id),
    /** The unit that owns the rota: its coordinators manage it, its people and those below see it. */
    unitId: integer('unit_id').references(() => units.id),
    archivedAt: integer('archived_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('rotas_feed_token').on(t.feedToken), index('rotas_unit').on(t.unitId)],
);

export const series = sqliteTable(
  'series',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    label: text('label'),
    endDate: text('end_date'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('series_rota').on(t.rotaId)],
);

/** "This and all future" edits add a version from a date on; the series keeps its id. */
export const seriesVersions = sqliteTable(
  'series_versions',
  {
    seriesId: integer('series_id').notNull().references(() => series.id),
    validFrom: text('valid_from').notNull(),
    rrule: text('rrule').notNull(),
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    minVolunteers: integer('min_volunteers').notNull(),
    maxVolunteers: integer('max_volunteers').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.validFrom] })],
);

export const dayCalendars = sqliteTable('day_calendars', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The unit whose coordinators keep this calendar; units below it may follow it. */
  unitId: integer('unit_id').references(() => units.id),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const dayCalendarDays = sqliteTable(
  'day_calendar_days',
  {
    calendarId: text('calendar_id').notNull().references(() => dayCalendars.id),
    date: text('date').notNull(),
    kind: text('kind', { enum: ['closed', 'open'] }).notNull(),
    label: text('label'),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

/** Which calendars a series follows. Preset ids (`cn-mainland`) have no row in day_calendars. */
export const seriesCalendars = sqliteTable(
  'series_calendars',
  {
    seriesId: integer('series_id').notNull().references(() => series.id),
    calendarId: text('calendar_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.calendarId] })],
);

/** A single occurrence cancelled, moved or resized; keyed by its original local start. */
export const shiftOverrides = sqliteTable(
  'shift_overrides',
  {
    seriesId: integer('series_id').notNull().references(() => series.id),
    key: text('key').notNull(),
    cancelled: integer('cancelled', { mode: 'boolean' }).notNull().default(false),
    start: text('start'),
    durationMinutes: integer('duration_minutes'),
    minVolunteers: integer('min_volunteers'),
    maxVolunteers: integer('max_volunteers'),
    note: text('note'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.key] })],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: integer('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** The unit that owns the thing the entry is about, when it was written (issue 13): who may read the entry. */
    unitId: integer('unit_id'),
  },
  (t) => [index('audit_log_entity').on(t.entity, t.entityId), index('audit_log_at').on(t.at), index('audit_log_unit').on(t.unitId, t.id)],
);

/**
 * Auto-fill dry runs (issue 16: in the database, so that any node applies what another showed):
 * the proposal as answered and each proposed shift's state then. The newest 100 are kept.
 */
export const autofillProposals = sqliteTable(
  'autofill_proposals',
  {
    id: text('id').primaryKey(),
    rotaId: integer('rota_id')
      .notNull()
      .references(() => rotas.id),
    body: text('body', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('autofill_proposals_created').on(t.createdAt)],
);

/** Teams a rota is restricted to; a rota with none is open to everyone. */
export const rotaTeams = sqliteTable(
  'rota_teams',
  {
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    teamId: integer('team_id').notNull().references(() => teams.id),
  },
  (t) => [primaryKey({ columns: [t.rotaId, t.teamId] })],
);

/**
 * A person on a shift. The shift's UTC start/end and local date are copied here, so collisions
 * and statistics need no recurrence expansion.
 */
export const signups = sqliteTable(
  'signups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    shiftId: text('shift_id').notNull(),
    seriesId: integer('series_id').notNull().references(() => series.id),
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    personId: integer('person_id').notNull().references(() => people.id),
    status: text('status', { enum: ['confirmed', 'waitlisted', 'cancelled'] }).notNull(),
    attendance: text('attendance', { enum: ['attended', 'no_show'] }),
    walkIn: integer('walk_in', { mode: 'boolean' }).notNull().default(false),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at').notNull(),
    localDate: text('local_date').notNull(),
    createdBy: integer('created_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    cancelledAt: integer('cancelled_at'),
    /**
     * Why a cancelled sign-up ended: the person left, a coordinator took them off, the place was
     * given to a claimer, or the shift was cancelled, moved or removed (feeds show only the last).
     */
    cancelReason: text('cancel_reason', { enum: ['left', 'removed', 'given_away', 'shift_changed'] }),
    /** Check-in at the post (issue 15): when the person checked in and out, UTC ms. */
    checkedInAt: integer('checked_in_at'),
    checkedOutAt: integer('checked_out_at'),
    /** How far from the post the phone said it was, in whole metres; never the location itself. */
    checkinDistanceM: integer('checkin_distance_m'),
    /** Why the coordinator should look at this check-in: `walk-in`, `far`, `no-location`. */
    checkinFlags: text('checkin_flags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  },
  (t) => [
    index('signups_shift').on(t.shiftId, t.status),
    // With rota_id, a person's rotas since an instant (each personal feed's version) are read from the index alone.
    index('signups_person_start').on(t.personId, t.startAt, t.rotaId),
    index('signups_rota_date').on(t.rotaId, t.localDate),
    // Covers the person-shift statistics query (window, counting rule, grouping, and service time
    // from start, check-in and check-out) without touching rows.
    index('signups_stats').on(t.localDate, t.status, t.attendance, t.endAt, t.rotaId, t.personId, t.startAt, t.checkedInAt, t.checkedOutAt),
    uniqueIndex('signups_one_live_per_person').on(t.shiftId, t.personId).where(sql`status <> 'cancelled'`),
  ],
);

export const offers = sqliteTable(
  'offers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    signupId: integer('signup_id').notNull().references(() => signups.id),
    personId: integer('person_id').notNull().references(() => people.id),
    status: text('status', { enum: ['open', 'pending_approval', 'claimed', 'withdrawn', 'lapsed', 'rejected'] }).notNull(),
    claimedBy: integer('claimed_by').references(() => people.id),
    claimSignupId: integer('claim_signup_id').references(() => signups.id),
    createdAt: integer('created_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    index('offers_status').on(t.status),
    uniqueIndex('offers_one_open_per_signup').on(t.signupId).where(sql`status in ('open', 'pending_approval')`),
  ],
);

export const trades = sqliteTable(
  'trades',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    signupId: integer('signup_id').notNull().references(() => signups.id),
    withSignupId: integer('with_signup_id').notNull().references(() => signups.id),
    proposerId: integer('proposer_id').notNull().references(() => people.id),
    responderId: integer('responder_id').notNull().references(() => people.id),
    status: text('status', { enum: ['proposed', 'pending_approval', 'accepted', 'declined', 'withdrawn', 'rejected', 'lapsed'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
    decidedBy: integer('decided_by'),
  },
  (t) => [index('trades_responder').on(t.responderId, t.status), index('trades_proposer').on(t.proposerId, t.status)],
);

export const unavailability = sqliteTable(
  'unavailability',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id').notNull().references(() => people.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('unavailability_person').on(t.personId, t.fromDate)],
);

/**
 * One row counting every committed change to scheduling data (kept by triggers, see
 * migrations/0001_revision_triggers.sql), so feeds and caches can tell "nothing changed" with one
 * read, across processes sharing the file.
 */
export const dataRevision = sqliteTable('data_revision', {
  id: integer('id').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * A counter per rota, bumped by triggers on every change to that rota's own data (the rota, its
 * teams, series, versions, calendars, overrides and sign-ups; migrations/0004), so a listing or
 * feed cache keyed by it survives changes in other rotas. `data_revision` row 2 counts changes to
 * day calendars, row 3 to people and teams (what rotas share), row 4 to units, the unit tree and
 * unit roles (what each person's reach is computed from; migrations/0009).
 */
export const rotaRevisions = sqliteTable('rota_revisions', {
  rotaId: integer('rota_id').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * A counter per person, bumped by triggers on every change to their sign-ups (migrations/0009):
 * a personal feed's version reads it to know, without reading the sign-ups, that the rotas the
 * person is on are still the ones it found last time.
 */
export const personRevisions = sqliteTable('person_revisions', {
  personId: integer('person_id').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * Where and when a rota's notices go (issue 8): its group robot or webhook (the URL and secret
 * are secrets: never logged, masked in the API), the group's language, the daily roster post,
 * reminders and quiet hours. A rota without a row has the defaults and no group channel.
 * Not scheduling data: no revision triggers, so feeds do not change when it does.
 */
export const rotaNoticeSettings = sqliteTable('rota_notice_settings', {
  rotaId: integer('rota_id').primaryKey().references(() => rotas.id),
  kind: text('kind', { enum: ['wecom', 'dingtalk', 'webhook'] }),
  url: text('url'),
  secret: text('secret'),
  locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
  /** Local `HH:MM` of the daily post of tomorrow's duties; null for none. */
  rosterAt: text('roster_at'),
  remindHoursBefore: integer('remind_hours_before').notNull().default(18),
  /** Local `HH:MM`; no notice goes out from quietFrom to quietTo (both null: no quiet hours). */
  quietFrom: text('quiet_from'),
  quietTo: text('quiet_to'),
  updatedAt: integer('updated_at').notNull(),
});

/** A person's choice of where their own notices go: their email, or the rota's group (default). */
export const noticePreferences = sqliteTable('notice_preferences', {
  personId: integer('person_id').primaryKey().references(() => people.id),
  channel: text('channel', { enum: ['email', 'group'] }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * The outbox: every notice is written in the transaction of the change that causes it, and a
 * worker delivers it at least once. `key` (unique) makes writing it twice harmless and goes out
 * with every message, so receivers can drop duplicates. A row is leased by one worker at a time.
 */
export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    /** The person it is for; null for a post to the rota's group. */
    personId: integer('person_id').references(() => people.id),
    channel: text('channel', { enum: ['email', 'group'] }).notNull(),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [uniqueIndex('notices_key').on(t.key), index('notices_due').on(t.status, t.nextAttemptAt)],
);

/**
 * A series' check-in code (the poster's QR code opens `/checkin#<code>`; 192 random bits, replaced
 * on request) and the secret its shift leader's rotating code is derived from. Both grant nothing
 * but checking oneself in, so they are stored retrievably, like feed tokens.
 */
export const seriesCheckin = sqliteTable(
  'series_checkin',
  {
    seriesId: integer('series_id').primaryKey().references(() => series.id),
    code: text('code').notNull(),
    leaderSecret: text('leader_secret').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('series_checkin_code').on(t.code)],
);

/** How a rota's posts take check-ins; a rota without a row has the defaults. */
export const rotaCheckinSettings = sqliteTable('rota_checkin_settings', {
  rotaId: integer('rota_id').primaryKey().references(() => rotas.id),
  /** The window opens this many minutes before a shift starts and closes when it ends. */
  windowMinutesBefore: integer('window_minutes_before').notNull().default(30),
  walkIns: integer('walk_ins', { mode: 'boolean' }).notNull().default(false),
  requireLeaderCode: integer('require_leader_code', { mode: 'boolean' }).notNull().default(false),
  /** People (besides coordinators) whose phones show the rotating leader code. */
  leaderIds: text('leader_ids', { mode: 'json' }).$type<number[]>().notNull().default(sql`'[]'`),
  /** The post's own position (a public place, not a person's), for the distance check. */
  latitude: real('latitude'),
  longitude: real('longitude'),
  radiusMetres: integer('radius_metres').notNull().default(200),
  updatedAt: integer('updated_at').notNull(),
});
