// `rota migrate` on PostgreSQL builds what SQLite has: every table, column, key and index (so the
// two schemas cannot drift apart unnoticed), and revision triggers that move as SQLite's do.
import { readFileSync } from 'node:fs';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import * as sqliteSchema from '../../src/db/schema.js';
import { tempDatabase } from '../helpers/server.js';
import { createDatabase, rota, type TestDatabase } from './postgres.js';

let database: TestDatabase;
let client: pg.Client;
let sqliteFile: ReturnType<typeof tempDatabase>;
let sqlite: Db;

beforeAll(async () => {
  database = await createDatabase();
  const migrated = await rota({ ROTA_DB: database.url }, 'migrate');
  expect(migrated).toMatchObject({ code: 0, stderr: '' });
  expect(migrated.stdout).toContain('is up to date');
  client = await database.connect();
  sqliteFile = tempDatabase();
  sqlite = openDb(sqliteFile.file);
});

afterAll(async () => {
  sqlite?.$client.close();
  sqliteFile?.remove();
  await database?.drop();
});

interface ColumnShape {
  type: string;
  nullable: boolean;
  default: string | null;
  identity: boolean;
}

/** SQLite's tables as drizzle declares them, for the modes (boolean, json) its DDL does not show. */
const sqliteTables = new Map(
  (Object.values(sqliteSchema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable)).map((t) => [getTableConfig(t).name, getTableConfig(t)]),
);

function sqliteTableNames(): string[] {
  return (sqlite.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'rota_migrations' ORDER BY name").pluck().all() as string[]);
}

/** What the PostgreSQL type of a SQLite column must be: booleans and JSON by drizzle mode, epoch-ms times as bigint. */
function expectedPgType(table: string, column: string, declared: string): string {
  const mode = sqliteTables.get(table)?.columns.find((c) => c.name === column)?.columnType;
  if (mode === 'SQLiteBoolean') return 'boolean';
  if (mode === 'SQLiteTextJson') return 'json';
  if (declared.toLowerCase() === 'real') return 'double precision';
  if (declared.toLowerCase() === 'text') return 'text';
  if (/(^|_)(at|until)$/.test(column) || (column === 'value' && /_revisions?$/.test(table))) return 'bigint';
  return 'integer';
}

describe('rota migrate on PostgreSQL', () => {
  it('creates every table SQLite has, and no other but the rate-limit windows that several nodes share', async () => {
    const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    expect(rows.map((r) => r.table_name)).toEqual([...sqliteTableNames(), 'rate_limits'].sort());
    expect(sqliteTableNames()).toHaveLength(sqliteTables.size);
  });

  it('gives every table the same columns, each with the matching type, nullability, default and identity', async () => {
    for (const table of sqliteTableNames()) {
      const autoincrement = /AUTOINCREMENT/i.test(sqlite.$client.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table) as string);
      const fromSqlite = Object.fromEntries(
        (sqlite.$client.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(table) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[]).map(
          (c): [string, ColumnShape] => [c.name, { type: expectedPgType(table, c.name, c.type), nullable: c.notnull === 0 && c.pk === 0, default: c.dflt_value, identity: autoincrement && c.pk === 1 }],
        ),
      );
      const { rows } = await client.query<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string }>(
        "SELECT column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [table],
      );
      const fromPostgres = Object.fromEntries(
        rows.map((c): [string, ColumnShape] => [
          c.column_name,
          { type: c.data_type, nullable: c.is_nullable === 'YES', default: c.column_default?.replace(/::[a-z ]+$/, '') ?? null, identity: c.is_identity === 'YES' },
        ]),
      );
      expect(fromPostgres, table).toEqual(fromSqlite);
    }
  });

  it('has the same primary keys, foreign keys and indexes (unique and partial alike)', async () => {
    const db = sqlite.$client;
    const sqliteKeys: string[] = [];
    const sqliteIndexes: string[] = [];
    for (const table of sqliteTableNames()) {
      const pk = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(table) as string[]).join(',');
      sqliteKeys.push(`${table} pk(${pk})`);
      for (const fk of db.prepare('SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)').all(table) as { from: string; table: string; to: string }[]) {
        sqliteKeys.push(`${table}.${fk.from} -> ${fk.table}.${fk.to}`);
      }
      for (const index of db.prepare("SELECT name, \"unique\", partial FROM pragma_index_list(?) WHERE origin = 'c'").all(table) as { name: string; unique: number; partial: number }[]) {
        const columns = (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index.name) as string[]).join(',');
        sqliteIndexes.push(`${index.name} on ${table}(${columns})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`);
      }
    }
    const primary = await client.query<{ line: string }>(
      `SELECT t.relname || ' pk(' || string_agg(a.attname, ',' ORDER BY k.n) || ')' AS line
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid
         JOIN unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) ON true
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE ix.indisprimary AND t.relnamespace = 'public'::regnamespace GROUP BY t.relname`,
    );
    const foreign = await client.query<{ line: string }>(
      `SELECT cl.relname || '.' || a.attname || ' -> ' || rcl.relname || '.' || ra.attname AS line
         FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rcl ON rcl.oid = c.confrelid
         JOIN unnest(c.conkey, c.confkey) AS k(att, ratt) ON true
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.ratt
        WHERE c.contype = 'f' AND cl.relnamespace = 'public'::regnamespace`,
    );
    const indexes = await client.query<{ line: string }>(
      `SELECT i.relname || ' on ' || t.relname || '(' || string_agg(a.attname, ',' ORDER BY k.n) || ')'
              || CASE WHEN ix.indisunique THEN ' unique' ELSE '' END || CASE WHEN ix.indpred IS NOT NULL THEN ' partial' ELSE '' END AS line
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
         JOIN unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) ON true
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE NOT ix.indisprimary AND t.relnamespace = 'public'::regnamespace GROUP BY i.relname, t.relname, ix.indisunique, ix.indpred`,
    );
    expect([...primary.rows, ...foreign.rows].map((r) => r.line).sort()).toEqual([...sqliteKeys, 'rate_limits pk(key)'].sort());
    expect(indexes.rows.map((r) => r.line).sort()).toEqual(sqliteIndexes.sort());
    expect(sqliteIndexes.length).toBeGreaterThan(20);
  });

  it('starts a fresh database as SQLite does: the counters at zero and one root community', async () => {
    const counters = await client.query('SELECT id, value::text AS value FROM data_revision ORDER BY id');
    expect(counters.rows).toEqual(sqlite.$client.prepare('SELECT id, CAST(value AS TEXT) AS value FROM data_revision ORDER BY id').all());
    const units = await client.query('SELECT id, name, kind, parent_id FROM units');
    expect(units.rows).toEqual(sqlite.$client.prepare('SELECT id, name, kind, parent_id FROM units').all());
    const closure = await client.query('SELECT ancestor_id, descendant_id, depth FROM unit_closure');
    expect(closure.rows).toEqual(sqlite.$client.prepare('SELECT ancestor_id, descendant_id, depth FROM unit_closure').all());
    // The root was inserted with its id: the next unit must not collide with it.
    const next = await client.query<{ id: number }>("INSERT INTO units (name, kind, parent_id, created_at, updated_at) VALUES ('楼', 'building', 1, 0, 0) RETURNING id");
    expect(next.rows[0]!.id).toBe(2);
    await client.query('DELETE FROM units WHERE id = 2');
  });

  it('is a no-op the second time', async () => {
    const again = await rota({ ROTA_DB: database.url }, 'migrate');
    expect(again).toMatchObject({ code: 0, stderr: '' });
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(2);
  });
});

describe('two processes migrating a fresh database at once', () => {
  it('both succeed and each migration is applied once', async () => {
    const fresh = await createDatabase();
    try {
      const both = await Promise.all([rota({ ROTA_DB: fresh.url }, 'migrate'), rota({ ROTA_DB: fresh.url }, 'migrate')]);
      expect(both.map((r) => [r.code, r.stderr])).toEqual([[0, ''], [0, '']]);
      const freshClient = await fresh.connect();
      const applied = await freshClient.query('SELECT hash FROM drizzle.__drizzle_migrations');
      const journal = JSON.parse(readFileSync(new URL('../../migrations/pg/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
      expect(applied.rowCount).toBe(journal.entries.length);
      expect((await freshClient.query('SELECT id FROM units')).rowCount).toBe(1);
    } finally {
      await fresh.drop();
    }
  });
});

/**
 * The same statements on both engines, in order. After each, what readers see of the counters:
 * data_revision row 1 (a count), whether rows 2 and 3 changed, and which rotas' revisions
 * exist and changed (those are random, so only change is comparable).
 */
const STEPS = [
  "INSERT INTO units (id, name, kind, parent_id, created_at, updated_at) VALUES (2, '1号楼', 'building', 1, 1, 1)",
  "INSERT INTO people (id, name, access_token_hash, feed_token, unit_id, created_at, updated_at) VALUES (1, '张', 'h1', 'f1', 1, 1, 1)",
  "INSERT INTO teams (id, name, feed_token, unit_id, created_at, updated_at) VALUES (1, '1号楼', 'tf1', 1, 1, 1)",
  'INSERT INTO team_members (team_id, person_id, joined_at) VALUES (1, 1, 1)',
  "INSERT INTO rotas (id, name, timezone, feed_token, unit_id, created_at, updated_at) VALUES (1, '护学岗', 'Asia/Shanghai', 'rf1', 1, 1, 1)",
  "INSERT INTO rotas (id, name, timezone, feed_token, unit_id, created_at, updated_at) VALUES (2, '巡逻', 'Asia/Shanghai', 'rf2', 1, 1, 1)",
  'INSERT INTO series (id, rota_id, created_at, updated_at) VALUES (1, 1, 1, 1)',
  "INSERT INTO series_versions (series_id, valid_from, rrule, start_time, duration_minutes, min_volunteers, max_volunteers, created_at) VALUES (1, '2026-01-01', 'FREQ=DAILY', '07:15', 60, 1, 2, 1)",
  "INSERT INTO shift_overrides (series_id, key, updated_at) VALUES (1, '2026-01-02T07:15', 1)",
  "UPDATE shift_overrides SET note = '改到东门'",
  "INSERT INTO series_calendars (series_id, calendar_id) VALUES (1, 'cn-mainland')",
  "INSERT INTO day_calendars (id, name, unit_id, created_at, updated_at) VALUES ('school', '学期', 1, 1, 1)",
  "INSERT INTO day_calendar_days (calendar_id, date, kind) VALUES ('school', '2026-02-01', 'closed'), ('school', '2026-02-02', 'closed')",
  "INSERT INTO signups (id, shift_id, series_id, rota_id, person_id, status, start_at, end_at, local_date, created_at, updated_at) VALUES (1, '1:2026-01-02T07:15', 1, 1, 1, 'confirmed', 1, 2, '2026-01-02', 1, 1)",
  "INSERT INTO people (id, name, access_token_hash, feed_token, unit_id, created_at, updated_at) VALUES (2, '李', 'h2', 'f2', 2, 1, 1)",
  "INSERT INTO unit_roles (person_id, unit_id, role, created_at) VALUES (2, 2, 'viewer', 1)",
  'UPDATE signups SET person_id = 2 WHERE id = 1',
  'UPDATE signups SET person_id = 1 WHERE id = 1',
  "UPDATE unit_roles SET role = 'coordinator'",
  'DELETE FROM unit_roles',
  "INSERT INTO offers (id, signup_id, person_id, status, created_at) VALUES (1, 1, 1, 'open', 1)",
  "UPDATE offers SET status = 'withdrawn'",
  "INSERT INTO unavailability (id, person_id, from_date, to_date, created_at) VALUES (1, 1, '2026-03-01', '2026-03-02', 1)",
  'INSERT INTO rota_teams (rota_id, team_id) VALUES (2, 1)',
  "UPDATE signups SET status = 'cancelled'",
  "INSERT INTO audit_log (at, action, entity, entity_id) VALUES (1, 'signup.cancel', 'signup', '1')",
  'INSERT INTO rota_notice_settings (rota_id, updated_at) VALUES (1, 1)',
  'DELETE FROM rota_teams',
  'DELETE FROM series_calendars',
  "DELETE FROM day_calendar_days WHERE date = '2026-02-01'",
  "UPDATE people SET name = '张三'",
  'DELETE FROM team_members',
  "UPDATE rotas SET name = '夜巡' WHERE id = 2",
  'DELETE FROM offers',
  'DELETE FROM signups',
];

interface Seen {
  step: string;
  count: string;
  calendarsChanged: boolean;
  peopleChanged: boolean;
  unitsChanged: boolean;
  rotas: string[];
  rotasChanged: string[];
  persons: string[];
  personsChanged: string[];
}

interface Counters {
  revisions: Record<string, string>;
  rotas: Record<string, string>;
  persons: Record<string, string>;
}

const changedKeys = (now: Record<string, string>, last: Record<string, string> | undefined) => Object.keys(now).filter((k) => last !== undefined && now[k] !== last[k]).sort();

function observe(read: () => Promise<Counters>) {
  let last: Counters | null = null;
  return async (step: string): Promise<Seen> => {
    const now = await read();
    const seen = {
      step,
      count: now.revisions['1']!,
      calendarsChanged: last !== null && now.revisions['2'] !== last.revisions['2'],
      peopleChanged: last !== null && now.revisions['3'] !== last.revisions['3'],
      unitsChanged: last !== null && now.revisions['4'] !== last.revisions['4'],
      rotas: Object.keys(now.rotas).sort(),
      rotasChanged: changedKeys(now.rotas, last?.rotas),
      persons: Object.keys(now.persons).sort(),
      personsChanged: changedKeys(now.persons, last?.persons),
    };
    last = now;
    return seen;
  };
}

describe('the revision triggers on PostgreSQL', () => {
  it('move as they do on SQLite, statement by statement', async () => {
    const pgDatabase = await createDatabase();
    const file = tempDatabase();
    const lite = openDb(file.file);
    try {
      expect((await rota({ ROTA_DB: pgDatabase.url }, 'migrate')).code).toBe(0);
      const pgClient = await pgDatabase.connect();
      const entries = (rows: { key: string; value: string }[]) => Object.fromEntries(rows.map((r) => [r.key, r.value]));
      const onSqlite = observe(async () => ({
        revisions: entries(lite.$client.prepare('SELECT CAST(id AS TEXT) AS key, CAST(value AS TEXT) AS value FROM data_revision').all() as { key: string; value: string }[]),
        rotas: entries(lite.$client.prepare('SELECT CAST(rota_id AS TEXT) AS key, CAST(value AS TEXT) AS value FROM rota_revisions').all() as { key: string; value: string }[]),
        persons: entries(lite.$client.prepare('SELECT CAST(person_id AS TEXT) AS key, CAST(value AS TEXT) AS value FROM person_revisions').all() as { key: string; value: string }[]),
      }));
      const onPostgres = observe(async () => ({
        revisions: entries((await pgClient.query<{ key: string; value: string }>('SELECT id::text AS key, value::text AS value FROM data_revision')).rows),
        rotas: entries((await pgClient.query<{ key: string; value: string }>('SELECT rota_id::text AS key, value::text AS value FROM rota_revisions')).rows),
        persons: entries((await pgClient.query<{ key: string; value: string }>('SELECT person_id::text AS key, value::text AS value FROM person_revisions')).rows),
      }));
      const sqliteSeen = [await onSqlite('start')];
      const pgSeen = [await onPostgres('start')];
      for (const step of STEPS) {
        lite.$client.exec(step);
        await pgClient.query(step);
        sqliteSeen.push(await onSqlite(step));
        pgSeen.push(await onPostgres(step));
      }
      expect(pgSeen).toEqual(sqliteSeen);
      // And the story itself, so two engines without triggers could not agree on nothing.
      const at = (step: string) => pgSeen.find((s) => s.step === step)!;
      expect(at(STEPS[0]!)).toMatchObject({ count: '0', peopleChanged: false, unitsChanged: true, rotas: [] });
      expect(at(STEPS[1]!)).toMatchObject({ count: '1', peopleChanged: true });
      expect(at(STEPS[4]!)).toMatchObject({ rotas: ['1'], rotasChanged: ['1'] });
      expect(at(STEPS[12]!)).toMatchObject({ count: '13', calendarsChanged: true, rotasChanged: [] });
      expect(at('DELETE FROM series_calendars')).toMatchObject({ rotasChanged: ['1'], peopleChanged: false });
      expect(at('INSERT INTO rota_notice_settings (rota_id, updated_at) VALUES (1, 1)')).toMatchObject({ rotasChanged: [], calendarsChanged: false, peopleChanged: false, unitsChanged: false });
      expect(at('UPDATE signups SET person_id = 2 WHERE id = 1')).toMatchObject({ persons: ['1', '2'], personsChanged: ['1', '2'], rotasChanged: ['1'] });
      expect(at("UPDATE unit_roles SET role = 'coordinator'")).toMatchObject({ unitsChanged: true, personsChanged: [], peopleChanged: false });
    } finally {
      lite.$client.close();
      file.remove();
      await pgDatabase.drop();
    }
  });
});
