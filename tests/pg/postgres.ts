// The PostgreSQL server these machines run (127.0.0.1:5432, trust auth; PGHOST, PGPORT and PGUSER
// override): a database of its own for each test file, and the compiled `rota` command run on it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ensureBuilt } from '../helpers/build.js';
import { PG_SERVER, onServer } from '../helpers/engine.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface TestDatabase {
  url: string;
  /** A client on this database, closed by `drop()`. */
  connect(): Promise<pg.Client>;
  /** Closes the clients and drops the database. */
  drop(): Promise<void>;
}

/** A new, empty database `rota_test_<random>`. */
export async function createDatabase(): Promise<TestDatabase> {
  const name = `rota_test_${randomBytes(6).toString('hex')}`;
  await onServer((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = `${PG_SERVER}/${name}`;
  const clients: pg.Client[] = [];
  return {
    url,
    async connect() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    },
    async drop() {
      await Promise.all(clients.map((c) => c.end()));
      await onServer((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` as a user would, with ROTA_DB and the rest of `env`. */
export async function rota(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  await ensureBuilt();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
