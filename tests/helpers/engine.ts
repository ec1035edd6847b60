// The engine a test's database is on: a SQLite file in a temporary folder, or, when `npm run
// test:pg` runs the API suite (ROTA_TEST_ENGINE=postgres), a PostgreSQL database of its own made
// from the migrated template that tests/pg/setup.ts prepares on the server at 127.0.0.1:5432.
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export const onPostgres = process.env.ROTA_TEST_ENGINE === 'postgres';

export const PG_SERVER = `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}`;

let made = 0;
/** The next test's database, made while the current test runs. */
let next: Promise<string> | null = null;

function make(): Promise<string> {
  const template = inject('pgTemplate');
  const name = `${template}_${process.pid}_${++made}`;
  return onServer((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)).then(() => name);
}

/** Runs `work` with a client on the server's `postgres` database. */
export async function onServer<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Where a test's database lives (ROTA_DB), and how it is removed: `dir` holds the SQLite file. A
 * PostgreSQL database is dropped in the background (tests/pg/setup.ts drops any left at the end).
 */
export async function testDatabase(dir: string): Promise<{ location: string; drop(): Promise<void> }> {
  if (!onPostgres) return { location: join(dir, 'rota.sqlite'), drop: async () => undefined };
  const name = await (next ?? make());
  next = make();
  next.catch(() => undefined);
  return {
    location: `${PG_SERVER}/${name}`,
    drop: async () => {
      onServer((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    },
  };
}
