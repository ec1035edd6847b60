// The PostgreSQL twin of src/db/schema.ts (issue 16): the same tables, columns (same names),
// keys and indexes, so `rota copy-to` moves every value unchanged. Integer ids are identities
// (BY DEFAULT, so a copy keeps them); UTC epoch-ms times are bigint (read as JS numbers); SQLite's
// boolean-mode 0/1 integers are booleans; its JSON text columns are `json`, which keeps the text
// exactly as written; text enums stay text, as on SQLite. tests/pg/schema.test.ts compares both.
import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, json, pgTable, primaryKey, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { UNIT_KINDS, type PersonPreferences } from '../../domain/types.js';

/** A UTC instant in epoch milliseconds: beyond int4, within a JS number. */
const ms = (name: string) => bigint(name, { mode: 'number' });
const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

export const people = pgTable(
  'people',
  {
    id: id(),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
    role: text('role', { enum: ['volunteer', 'coordinator'] }).notNull().default('volunteer'),
    homeTeamId: integer('home_team_id').references(() => teams.id),
    unitId: integer('unit_id').references(() => units.id),
    accessTokenHash: text('access_token_hash').notNull(),
    feedToken: text('feed_token').notNull(),
    preferences: json('preferences').$type<PersonPreferences>().notNull().default(sql`'{}'`),
    archivedAt: ms('archived_at'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('people_access_token_hash').on(t.accessTokenHash), uniqueIndex('people_feed_token').on(t.feedToken), index('people_unit').on(t.unitId)],
);

export const units = pgTable(
  'units',
  {
    id: id(),
    name: text('name').notNull(),
    kind: text('kind', { enum: UNIT_KINDS }).notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => units.id),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('units_parent').on(t.parentId)],
);

export const unitClosure = pgTable(
  'unit_closure',
  {
    ancestorId: integer('ancestor_id').notNull().references(() => units.id),
    descendantId: integer('descendant_id').notNull().references(() => units.id),
    depth: integer('depth').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ancestorId, t.descendantId] }), index('unit_closure_descendant').on(t.descendantId, t.depth)],
);

export const unitRoles = pgTable(
  'unit_roles',
  {
    personId: integer('person_id').notNull().references(() => people.id),
    unitId: integer('unit_id').notNull().references(() => units.id),
    role: text('role', { enum: ['coordinator', 'viewer'] }).notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.unitId] }), index('unit_roles_unit').on(t.unitId)],
);

export const teams = pgTable(
  'teams',
  {
    id: id(),
    name: text('name').notNull(),
    feedToken: text('feed_token').notNull(),
    unitId: integer('unit_id').references(() => units.id),
    archivedAt: ms('archived_at'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('teams_feed_token').on(t.feedToken), index('teams_unit').on(t.unitId)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: integer('team_id').notNull().references(() => teams.id),
    personId: integer('person_id').notNull().references(() => people.id),
    joinedAt: ms('joined_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index('team_members_person').on(t.personId)],
);

export const rotas = pgTable(
  'rotas',
  {
    id: id(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    location: text('location'),
    description: text('description'),
    waitlist: boolean('waitlist').notNull().default(true),
    countUnmarked: boolean('count_unmarked').notNull().default(true),
    cancelClosesHoursBefore: integer('cancel_closes_hours_before').notNull().default(12),
    requireApproval: boolean('require_approval').notNull().default(false),
    contactPersonId: integer('contact_person_id').references(() => people.id),
    feedToken: text('feed_token').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    unitId: integer('unit_id').references(() => units.id),
    archivedAt: ms('archived_at'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('rotas_feed_token').on(t.feedToken), index('rotas_unit').on(t.unitId)],
);

export const series = pgTable(
  'series',
  {
    id: id(),
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    label: text('label'),
    endDate: text('end_date'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('series_rota').on(t.rotaId)],
);

export const seriesVersions = pgTable(
  'series_versions',
  {
    seriesId: integer('series_id').notNull().references(() => series.id),
    validFrom: text('valid_from').notNull(),
    rrule: text('rrule').notNull(),
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    minVolunteers: integer('min_volunteers').notNull(),
    maxVolunteers: integer('max_volunteers').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.validFrom] })],
);

export const dayCalendars = pgTable('day_calendars', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  unitId: integer('unit_id').references(() => units.id),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const dayCalendarDays = pgTable(
  'day_calendar_days',
  {
    calendarId: text('calendar_id').notNull().references(() => dayCalendars.id),
    date: text('date').notNull(),
    kind: text('kind', { enum: ['closed', 'open'] }).notNull(),
    label: text('label'),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

export const seriesCalendars = pgTable(
  'series_calendars',
  {
    seriesId: integer('series_id').notNull().references(() => series.id),
    calendarId: text('calendar_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.calendarId] })],
);

export const shiftOverrides = pgTable(
  'shift_overrides',
  {
    seriesId: integer('series_id').notNull().references(() => series.id),
    key: text('key').notNull(),
    cancelled: boolean('cancelled').notNull().default(false),
    start: text('start'),
    durationMinutes: integer('duration_minutes'),
    minVolunteers: integer('min_volunteers'),
    maxVolunteers: integer('max_volunteers'),
    note: text('note'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.key] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    at: ms('at').notNull(),
    actorId: integer('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    detail: json('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    unitId: integer('unit_id'),
  },
  (t) => [index('audit_log_entity').on(t.entity, t.entityId), index('audit_log_at').on(t.at), index('audit_log_unit').on(t.unitId, t.id)],
);

export const autofillProposals = pgTable(
  'autofill_proposals',
  {
    id: text('id').primaryKey(),
    rotaId: integer('rota_id')
      .notNull()
      .references(() => rotas.id),
    body: json('body').$type<Record<string, unknown>>().notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('autofill_proposals_created').on(t.createdAt)],
);

export const rotaTeams = pgTable(
  'rota_teams',
  {
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    teamId: integer('team_id').notNull().references(() => teams.id),
  },
  (t) => [primaryKey({ columns: [t.rotaId, t.teamId] })],
);

export const signups = pgTable(
  'signups',
  {
    id: id(),
    shiftId: text('shift_id').notNull(),
    seriesId: integer('series_id').notNull().references(() => series.id),
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    personId: integer('person_id').notNull().references(() => people.id),
    status: text('status', { enum: ['confirmed', 'waitlisted', 'cancelled'] }).notNull(),
    attendance: text('attendance', { enum: ['attended', 'no_show'] }),
    walkIn: boolean('walk_in').notNull().default(false),
    startAt: ms('start_at').notNull(),
    endAt: ms('end_at').notNull(),
    localDate: text('local_date').notNull(),
    createdBy: integer('created_by'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    cancelledAt: ms('cancelled_at'),
    cancelReason: text('cancel_reason', { enum: ['left', 'removed', 'given_away', 'shift_changed'] }),
    checkedInAt: ms('checked_in_at'),
    checkedOutAt: ms('checked_out_at'),
    checkinDistanceM: integer('checkin_distance_m'),
    checkinFlags: json('checkin_flags').$type<string[]>().notNull().default(sql`'[]'`),
  },
  (t) => [
    index('signups_shift').on(t.shiftId, t.status),
    index('signups_person_start').on(t.personId, t.startAt, t.rotaId),
    index('signups_rota_date').on(t.rotaId, t.localDate),
    index('signups_stats').on(t.localDate, t.status, t.attendance, t.endAt, t.rotaId, t.personId, t.startAt, t.checkedInAt, t.checkedOutAt),
    uniqueIndex('signups_one_live_per_person').on(t.shiftId, t.personId).where(sql`status <> 'cancelled'`),
  ],
);

export const offers = pgTable(
  'offers',
  {
    id: id(),
    signupId: integer('signup_id').notNull().references(() => signups.id),
    personId: integer('person_id').notNull().references(() => people.id),
    status: text('status', { enum: ['open', 'pending_approval', 'claimed', 'withdrawn', 'lapsed', 'rejected'] }).notNull(),
    claimedBy: integer('claimed_by').references(() => people.id),
    claimSignupId: integer('claim_signup_id').references(() => signups.id),
    createdAt: ms('created_at').notNull(),
    closedAt: ms('closed_at'),
  },
  (t) => [index('offers_status').on(t.status), uniqueIndex('offers_one_open_per_signup').on(t.signupId).where(sql`status in ('open', 'pending_approval')`)],
);

export const trades = pgTable(
  'trades',
  {
    id: id(),
    signupId: integer('signup_id').notNull().references(() => signups.id),
    withSignupId: integer('with_signup_id').notNull().references(() => signups.id),
    proposerId: integer('proposer_id').notNull().references(() => people.id),
    responderId: integer('responder_id').notNull().references(() => people.id),
    status: text('status', { enum: ['proposed', 'pending_approval', 'accepted', 'declined', 'withdrawn', 'rejected', 'lapsed'] }).notNull(),
    createdAt: ms('created_at').notNull(),
    decidedAt: ms('decided_at'),
    decidedBy: integer('decided_by'),
  },
  (t) => [index('trades_responder').on(t.responderId, t.status), index('trades_proposer').on(t.proposerId, t.status)],
);

export const unavailability = pgTable(
  'unavailability',
  {
    id: id(),
    personId: integer('person_id').notNull().references(() => people.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    note: text('note'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('unavailability_person').on(t.personId, t.fromDate)],
);

/** Change counters kept by triggers (migrations/pg/0001_revision_triggers.sql, 0002); values are 64-bit like SQLite's. */
export const dataRevision = pgTable('data_revision', {
  id: integer('id').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

export const rotaRevisions = pgTable('rota_revisions', {
  rotaId: integer('rota_id').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

export const personRevisions = pgTable('person_revisions', {
  personId: integer('person_id').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

export const rotaNoticeSettings = pgTable('rota_notice_settings', {
  rotaId: integer('rota_id').primaryKey().references(() => rotas.id),
  kind: text('kind', { enum: ['wecom', 'dingtalk', 'webhook'] }),
  url: text('url'),
  secret: text('secret'),
  locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
  rosterAt: text('roster_at'),
  remindHoursBefore: integer('remind_hours_before').notNull().default(18),
  quietFrom: text('quiet_from'),
  quietTo: text('quiet_to'),
  updatedAt: ms('updated_at').notNull(),
});

export const noticePreferences = pgTable('notice_preferences', {
  personId: integer('person_id').primaryKey().references(() => people.id),
  channel: text('channel', { enum: ['email', 'group'] }).notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const notices = pgTable(
  'notices',
  {
    id: id(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    rotaId: integer('rota_id').notNull().references(() => rotas.id),
    personId: integer('person_id').references(() => people.id),
    channel: text('channel', { enum: ['email', 'group'] }).notNull(),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    leaseUntil: ms('lease_until'),
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    createdAt: ms('created_at').notNull(),
    sentAt: ms('sent_at'),
  },
  (t) => [uniqueIndex('notices_key').on(t.key), index('notices_due').on(t.status, t.nextAttemptAt)],
);

export const seriesCheckin = pgTable(
  'series_checkin',
  {
    seriesId: integer('series_id').primaryKey().references(() => series.id),
    code: text('code').notNull(),
    leaderSecret: text('leader_secret').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('series_checkin_code').on(t.code)],
);

export const rotaCheckinSettings = pgTable('rota_checkin_settings', {
  rotaId: integer('rota_id').primaryKey().references(() => rotas.id),
  windowMinutesBefore: integer('window_minutes_before').notNull().default(30),
  walkIns: boolean('walk_ins').notNull().default(false),
  requireLeaderCode: boolean('require_leader_code').notNull().default(false),
  leaderIds: json('leader_ids').$type<number[]>().notNull().default(sql`'[]'`),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  radiusMetres: integer('radius_metres').notNull().default(200),
  updatedAt: ms('updated_at').notNull(),
});
