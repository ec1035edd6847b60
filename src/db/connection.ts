// Opens the SQLite file with the pragmas every connection needs and applies pending migrations.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { RotaError } from '../domain/errors.js';
import { isPostgresUrl, safeUrl } from './pg/url.js';
import { PgSyncClient } from './pg/sync-client.js';

/**
 * Drizzle without its relational query API (`db.query.*`), which Rota does not use: given the
 * schema, drizzle() works out every table's relations for each connection it opens (2 to 6 ms of
 * the start).
 */
export type Db = BetterSQLite3Database & { $client: Database.Database };
/** The database or a transaction on it: query functions take either. */
export type Conn = BaseSQLiteDatabase<'sync', Database.RunResult>;

export type SynchronousMode = 'FULL' | 'NORMAL';

/**
 * The migrations folder at the project's top, found by walking up from this module: it sits two
 * levels up from src/db and dist/db, and more from a bundled benchmark.
 */
function migrationsDir(): string {
  for (let dir = new URL('./', import.meta.url), i = 0; i < 6; dir = new URL('../', dir), i++) {
    const candidate = new URL('migrations/', dir);
    if (existsSync(new URL('meta/_journal.json', candidate))) return fileURLToPath(candidate);
  }
  throw new Error('Cannot find the migrations folder above Rota\'s code.');
}

const MIGRATIONS_DIR = migrationsDir();

/**
 * Pragmas, on every connection:
 * - journal_mode=WAL: readers never block the writer, and a crash cannot corrupt the file.
 * - synchronous=FULL (default): an acknowledged write survives a power cut, at one extra fsync per
 *   commit; NORMAL survives a process crash but may lose the last commits on power loss.
 * - busy_timeout=5000: a second process waits for the write lock instead of failing at once.
 * - foreign_keys=ON: SQLite leaves them off unless asked.
 * - cache_size=-4096: a 4 MiB page cache, not better-sqlite3's 16 MiB. The hot paths read a few
 *   index pages each, and the operating system's file cache serves the rest almost as fast, while
 *   a full 16 MiB cache was 12 MB of the service's resident memory on the district data set
 *   (bench/, issue 12).
 * - wal_autocheckpoint=4000: the write-ahead log is copied back into the file once it holds 4,000
 *   pages (16 MiB), not SQLite's 1,000. The commit that crosses the mark runs the copy and waits for
 *   it; a sign-up writes about 16 pages, so at 1,000 one sign-up in 60 waited several milliseconds
 *   more, which was the slowest percent of them. Pages written again and again (the revisions,
 *   the indexes' upper levels) are also copied once per checkpoint, so fewer checkpoints copy less.
 * - journal_size_limit: after a checkpoint, a log that grew past 32 MiB (a long report's read
 *   kept the copy from finishing) is cut back instead of keeping its size.
 */
export function openDb(file: string, synchronous: SynchronousMode = 'FULL'): Db {
  if (isPostgresUrl(file)) return openPostgres(file);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const client = new Database(file);
  client.pragma('journal_mode = WAL');
  client.pragma(`synchronous = ${synchronous}`);
  client.pragma('busy_timeout = 5000');
  client.pragma('foreign_keys = ON');
  client.pragma('cache_size = -4096');
  client.pragma('wal_autocheckpoint = 4000');
  client.pragma('journal_size_limit = 33554432');
  migrate(client);
  return drizzle(client);
}

/**
 * PostgreSQL by URL (issue 16): the same drizzle driver over a client of better-sqlite3's shape
 * (pg/sync-client.ts), with migrations/pg applied. A server that cannot be reached, or a
 * migration that fails, is a refusal a person can act on.
 */
function openPostgres(url: string): Db {
  let client: PgSyncClient | null = null;
  try {
    client = new PgSyncClient(url);
    client.migrate();
  } catch (error) {
    client?.close();
    const message = (error as Error).message;
    throw new RotaError('VALIDATION', /migrat/i.test(message) ? message : `Cannot connect to PostgreSQL at ${safeUrl(url)}: ${message}. Check the URL, that the server runs and that the database exists (createdb).`);
  }
  return drizzle(client as unknown as Database.Database);
}

/** The ORM over a connection opened elsewhere: a report thread's read-only one (read-only.ts), for jobs that need it. */
export function ormOver(client: Database.Database): Db {
  return drizzle(client);
}

/** Throws when the database cannot answer (the health check). */
export function ping(db: Db): void {
  db.$client.prepare('SELECT 1').get();
}

interface JournalEntry {
  idx: number;
  tag: string;
}

/**
 * Applies drizzle-kit's migrations in journal order inside one IMMEDIATE transaction, so two
 * processes starting on a fresh file cannot both apply the same one, and history stays linear.
 */
function migrate(client: Database.Database): void {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}meta/_journal.json`, 'utf8')) as { entries: JournalEntry[] };
  const entries = [...journal.entries].sort((a, b) => a.idx - b.idx);
  // The usual start, on a database already up to date: one read, without taking the write lock.
  if (client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rota_migrations'").get()) {
    const applied = client.prepare('SELECT tag FROM rota_migrations ORDER BY tag').pluck().all() as string[];
    if (applied.length === entries.length && applied.every((tag, i) => entries[i]!.tag === tag)) return;
  }
  const run = client.transaction(() => {
    client.exec('CREATE TABLE IF NOT EXISTS rota_migrations (tag TEXT PRIMARY KEY, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = client.prepare('SELECT tag FROM rota_migrations ORDER BY tag').pluck().all() as string[];
    applied.forEach((tag, i) => {
      if (entries[i]?.tag !== tag) {
        throw new Error(`The database has migration ${tag}, which this version of Rota does not know at that place; refusing to start.`);
      }
    });
    for (const entry of entries.slice(applied.length)) {
      const text = readFileSync(`${MIGRATIONS_DIR}${entry.tag}.sql`, 'utf8');
      for (const statement of text.split('--> statement-breakpoint')) {
        if (statement.trim()) client.exec(statement);
      }
      client
        .prepare('INSERT INTO rota_migrations (tag, hash, applied_at) VALUES (?, ?, ?)')
        .run(entry.tag, createHash('sha256').update(text).digest('hex'), Date.now());
    }
  });
  run.immediate();
}
