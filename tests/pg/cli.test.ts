// The `rota` command with PostgreSQL: `copy-to` moves the demo district with every value, token,
// id and counter intact, refuses a database that holds data (changing nothing), rolls back a copy
// that cannot be lossless; `serve` on the copy answers every feed link, listing and report as it
// did on SQLite.
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pgSchema from '../../src/db/pg/schema.js';
import { startServer, tempDatabase, type RealServer } from '../helpers/server.js';
import { createDatabase, rota, type TestDatabase } from './postgres.js';

const TABLES = (Object.values(pgSchema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));
const BOOTSTRAP = { ROTA_BOOTSTRAP_TOKEN: 'coordinator-token-for-pg-tests-0001' };

let sqliteDir: ReturnType<typeof tempDatabase>;
let target: TestDatabase;
let client: pg.Client;
let copyOutput: string;

type Rows = Record<string, unknown[][]>;

/** Sorted so both engines' rows line up whatever their collation; ordering by text keys differs between them. */
const sorted = (rows: unknown[][]) => rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** Every row of every table in the SQLite file, each value as PostgreSQL's text form would show it (exact integers, booleans as true/false). */
function sqliteRows(file: string): Rows {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((table) => {
        const columns = getTableConfig(table).columns;
        const rows = db.prepare(`SELECT ${columns.map((c) => `"${c.name}"`).join(', ')} FROM "${getTableName(table)}"`).raw(true).safeIntegers(true).all() as unknown[][];
        const shown = rows.map((row) =>
          row.map((value, i) => {
            if (value === null) return null;
            if (columns[i]!.columnType === 'PgBoolean') return value === 1n ? 'true' : value === 0n ? 'false' : `not a boolean: ${String(value)}`;
            return typeof value === 'bigint' ? value.toString() : value;
          }),
        );
        return [getTableName(table), sorted(shown)];
      }),
    );
  } finally {
    db.close();
  }
}

/** Every row of every table in PostgreSQL, as text (doubles as numbers). */
async function postgresRows(pgClient: pg.Client): Promise<Rows> {
  const all: Rows = {};
  for (const table of TABLES) {
    const columns = getTableConfig(table).columns;
    const list = columns.map((c) => (c.columnType === 'PgDoublePrecision' ? `"${c.name}"` : `"${c.name}"::text`)).join(', ');
    const { rows } = await pgClient.query<unknown[]>({ text: `SELECT ${list} FROM "${getTableName(table)}"`, rowMode: 'array' });
    all[getTableName(table)] = sorted(rows);
  }
  return all;
}

beforeAll(async () => {
  sqliteDir = tempDatabase();
  const demo = await rota({ ROTA_DB: sqliteDir.file, ...BOOTSTRAP }, 'demo');
  expect(demo).toMatchObject({ code: 0, stderr: '' });
  // What the demo does not make, so every kind of value crosses: a check-in post with its position
  // (doubles), walk-ins on (a true boolean), a leader list (JSON), an open offer, a queued notice,
  // a cancelled shift; and a deleted last audit row, so SQLite's AUTOINCREMENT high-water mark is
  // above the highest id left.
  const db = new Database(sqliteDir.file);
  db.exec(`
    INSERT INTO rota_checkin_settings (rota_id, walk_ins, leader_ids, latitude, longitude, radius_metres, updated_at) VALUES (1, 1, '[3,5]', 22.543096, 113.934528, 150, 1795900000123);
    INSERT INTO shift_overrides (series_id, key, cancelled, note, updated_at) VALUES (1, '2026-12-01T07:15', 1, '校运会 停岗', 1795900000456);
    INSERT INTO offers (signup_id, person_id, status, created_at) SELECT id, person_id, 'open', 1795900000789 FROM signups WHERE status = 'confirmed' ORDER BY id DESC LIMIT 1;
    INSERT INTO notices (key, kind, rota_id, person_id, channel, locale, subject, text, next_attempt_at, created_at) VALUES ('reminder:1:x', 'reminder', 1, 2, 'email', 'zh-CN', '明早护学岗', '7:15 东门', 1795900001000, 1795900001000);
    DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);
  `);
  db.close();
  target = await createDatabase();
  const copy = await rota({ ROTA_DB: sqliteDir.file }, 'copy-to', target.url);
  expect(copy, copy.stderr).toMatchObject({ code: 0, stderr: '' });
  copyOutput = copy.stdout;
  client = await target.connect();
}, 180_000);

afterAll(async () => {
  sqliteDir?.remove();
  await target?.drop();
});

describe('rota copy-to <postgres-url>', () => {
  it('moves every row of every table, value by value', async () => {
    const before = sqliteRows(sqliteDir.file);
    const after = await postgresRows(client);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(before.people!.length).toBeGreaterThan(80);
    expect(before.signups!.length).toBeGreaterThan(100);
    expect(before.rota_checkin_settings).toHaveLength(1);
  });

  it('keeps every personal link, feed link and token hash', async () => {
    const lite = new Database(sqliteDir.file, { readonly: true });
    try {
      for (const [table, key, column] of [
        ['people', 'id', 'access_token_hash'],
        ['people', 'id', 'feed_token'],
        ['rotas', 'id', 'feed_token'],
        ['teams', 'id', 'feed_token'],
        ['series_checkin', 'series_id', 'code'],
      ] as const) {
        const fromSqlite = lite.prepare(`SELECT ${key} AS key, ${column} AS token FROM ${table} ORDER BY ${key}`).all();
        const { rows } = await client.query(`SELECT ${key} AS key, ${column} AS token FROM ${table} ORDER BY ${key}`);
        expect(rows, `${table}.${column}`).toEqual(fromSqlite);
      }
      expect((await client.query('SELECT 1 FROM people WHERE access_token_hash IS NOT NULL')).rowCount).toBeGreaterThan(80);
    } finally {
      lite.close();
    }
  });

  it('prints each table with as many rows as SQLite has', () => {
    const counts = sqliteRows(sqliteDir.file);
    for (const [table, rows] of Object.entries(counts)) expect(copyOutput).toMatch(new RegExp(`^  ${table} +${rows.length}$`, 'm'));
    const total = Object.values(counts).reduce((sum, rows) => sum + rows.length, 0);
    expect(copyOutput).toMatch(new RegExp(`^  total +${total}$`, 'm'));
  });

  it('hands out new ids after the highest SQLite ever gave, and the triggers count again', async () => {
    const lite = new Database(sqliteDir.file, { readonly: true });
    const highWater = (lite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as number);
    const maxPeople = lite.prepare('SELECT max(id) FROM people').pluck().get() as number;
    lite.close();
    const { rows: kept } = await client.query<{ max: number }>('SELECT max(id) AS max FROM audit_log');
    expect(kept[0]!.max).toBe(highWater - 1);
    const audit = await client.query<{ id: number }>("INSERT INTO audit_log (at, action, entity, entity_id) VALUES (1, 'test', 'test', '0') RETURNING id");
    expect(audit.rows[0]!.id).toBe(highWater + 1);
    const revision = async () => (await client.query<{ value: string }>('SELECT value::text AS value FROM data_revision WHERE id = 1')).rows[0]!.value;
    const rotaRevision = async () => (await client.query<{ value: string }>('SELECT value::text AS value FROM rota_revisions WHERE rota_id = 1')).rows[0]!.value;
    const [count, rotaValue] = [await revision(), await rotaRevision()];
    const person = await client.query<{ id: number }>(
      "INSERT INTO people (name, access_token_hash, feed_token, unit_id, created_at, updated_at) VALUES ('新人', 'hash-new', 'feed-new', 1, 1, 1) RETURNING id",
    );
    expect(person.rows[0]!.id).toBe(maxPeople + 1);
    await client.query("UPDATE rotas SET description = '改' WHERE id = 1");
    expect(BigInt(await revision())).toBe(BigInt(count) + 2n);
    expect(await rotaRevision()).not.toBe(rotaValue);
  });

  it('refuses a database that already holds data, and leaves it as it was', async () => {
    const before = await postgresRows(client);
    const again = await rota({ ROTA_DB: sqliteDir.file }, 'copy-to', target.url);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^rota: The PostgreSQL database already holds data in .*people \(\d+ rows\).*; copy-to only fills an empty database, and changed nothing\./);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stdout).toBe('');
    expect(await postgresRows(client)).toEqual(before);
  });

  it('refuses a migrated database with a single row of its own, and leaves that row alone', async () => {
    const other = await createDatabase();
    try {
      expect((await rota({ ROTA_DB: other.url }, 'migrate')).code).toBe(0);
      const otherClient = await other.connect();
      await otherClient.query("INSERT INTO teams (name, feed_token, unit_id, created_at, updated_at) VALUES ('已有的队', 'existing-feed', 1, 1, 1)");
      const before = await postgresRows(otherClient);
      const refused = await rota({ ROTA_DB: sqliteDir.file }, 'copy-to', other.url);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('already holds data in teams (1 row)');
      expect(await postgresRows(otherClient)).toEqual(before);
      expect(before.people).toEqual([]);
    } finally {
      await other.drop();
    }
  });

  it('rolls the whole copy back when a value cannot cross without loss', async () => {
    const broken = tempDatabase();
    const other = await createDatabase();
    try {
      expect((await rota({ ROTA_DB: sqliteDir.file }, 'backup', broken.file)).code).toBe(0);
      // SQLite takes anything in an integer column; a "boolean" of 2 has no PostgreSQL boolean.
      const db = new Database(broken.file);
      db.prepare('UPDATE rotas SET waitlist = 2 WHERE id = (SELECT max(id) FROM rotas)').run();
      db.close();
      const failed = await rota({ ROTA_DB: broken.file }, 'copy-to', other.url);
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toMatch(/^rota: The copy failed and was rolled back; the PostgreSQL database is unchanged: rotas\.waitlist holds 2, which is neither 0 nor 1/);
      const otherClient = await other.connect();
      // Units, teams and people come before rotas in key order; none of them stayed.
      const left = await postgresRows(otherClient);
      expect(Object.entries(left).filter(([, rows]) => rows.length > 0).map(([table]) => table).sort()).toEqual(['data_revision', 'unit_closure', 'units']);
      expect(left.units).toHaveLength(1);
      expect(left.data_revision).toEqual([['1', '0'], ['2', '0'], ['3', '0'], ['4', '0']]);
      // And once the file is right, the same database takes the copy.
      const fixed = new Database(broken.file);
      fixed.prepare('UPDATE rotas SET waitlist = 1 WHERE waitlist = 2').run();
      fixed.close();
      expect((await rota({ ROTA_DB: broken.file }, 'copy-to', other.url)).code).toBe(0);
      expect(await postgresRows(otherClient)).toEqual(sqliteRows(broken.file));
    } finally {
      broken.remove();
      await other.drop();
    }
  });

  it('refuses a SQLite file from an earlier release until it is migrated, then copies it', async () => {
    const old = tempDatabase();
    const other = await createDatabase();
    try {
      copyFileSync(new URL('../fixtures/release-2026-11.sqlite', import.meta.url), old.file);
      const refused = await rota({ ROTA_DB: old.file }, 'copy-to', other.url);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/does not match this version's schema \(.*table unit_closure is missing.*\); migrate it with this version first/);
      expect((await rota({ ROTA_DB: old.file }, 'migrate')).code).toBe(0);
      const copied = await rota({ ROTA_DB: old.file }, 'copy-to', other.url);
      expect(copied, copied.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(await postgresRows(await other.connect())).toEqual(sqliteRows(old.file));
    } finally {
      old.remove();
      await other.drop();
    }
  });

  it('names what is wrong when the server cannot be reached, hiding the password', async () => {
    const result = await rota({ ROTA_DB: sqliteDir.file }, 'copy-to', 'postgres://rota:s3cret@127.0.0.1:1/rota');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^rota: Cannot connect to PostgreSQL at postgres:\/\/rota:\*\*\*@127\.0\.0\.1:1\/rota/);
    expect(result.stderr).not.toContain('s3cret');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('rota serve with ROTA_DB=postgres://…', () => {
  it('serves the copied district as SQLite served it: every feed link, the listings, and writes that count', async () => {
    const file = `${sqliteDir.file}.served`;
    copyFileSync(sqliteDir.file, file);
    const [fromSqlite, fromPostgres] = await Promise.all([startServer(file, BOOTSTRAP), startServer(target.url, BOOTSTRAP)]);
    try {
      const token = BOOTSTRAP.ROTA_BOOTSTRAP_TOKEN;
      const copied = new Database(file, { readonly: true });
      const feeds = copied.prepare('SELECT feed_token FROM people WHERE archived_at IS NULL ORDER BY id').all() as { feed_token: string }[];
      copied.close();
      expect(feeds.length).toBeGreaterThan(10);
      // A calendar stamps the moment it was made (DTSTAMP); everything else must be the same.
      const feed = async (server: RealServer, path: string) => {
        const res = await fetch(`${server.url}${path}`);
        return { status: res.status, text: (await res.text()).replace(/^DTSTAMP:.*$/gm, '') };
      };
      for (const { feed_token } of feeds) {
        const path = `/feeds/people/${feed_token}.ics`;
        const [a, b] = await Promise.all([feed(fromSqlite, path), feed(fromPostgres, path)]);
        expect(b.status, path).toBe(200);
        expect(b.text, path).toBe(a.text);
      }
      const week = '/api/v1/shifts?rotaId=1&from=2026-11-30&to=2026-12-06';
      const [a, b] = await Promise.all([fromSqlite.call('GET', week, { token }), fromPostgres.call('GET', week, { token })]);
      expect(b.status).toBe(200);
      expect(b.body).toEqual(a.body);
      const stats = '/api/v1/stats/person-shifts?groupBy=person&from=2026-09-01&to=2026-12-31';
      const [sa, sb] = await Promise.all([fromSqlite.call('GET', stats, { token }), fromPostgres.call('GET', stats, { token })]);
      expect(sb.status).toBe(200);
      expect(sb.body).toEqual(sa.body);
      // A write lands in PostgreSQL: a new person, readable there.
      const made = await fromPostgres.call('POST', '/api/v1/people', { token, body: { name: '新楼长', phone: '13800000000' } });
      expect(made.status).toBe(201);
      expect((await client.query('SELECT name FROM people WHERE id = $1', [made.body.id])).rows).toEqual([{ name: '新楼长' }]);
    } finally {
      await Promise.all([fromSqlite.stop(), fromPostgres.stop()]);
    }
  });

  it('refuses rota backup with the PostgreSQL tools to use instead', async () => {
    const result = await rota({ ROTA_DB: target.url }, 'backup', '/tmp/never-written.sqlite');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^rota: rota backup copies a SQLite file\. Back up PostgreSQL with its own tools: `pg_dump/);
  });
});
