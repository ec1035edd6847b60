// PostgreSQL (issue 16): one client for a command (`rota migrate`, `rota copy-to`) and the
// migrations in migrations/pg, applied by drizzle's node-postgres migrator.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { RotaError } from '../../domain/errors.js';
import { safeUrl } from './url.js';

/** migrations/pg at the project's top, found by walking up from this module (src/db/pg, dist/db/pg, or a bundle). */
function migrationsDir(): string {
  for (let dir = new URL('./', import.meta.url), i = 0; i < 7; dir = new URL('../', dir), i++) {
    const candidate = new URL('migrations/pg/', dir);
    if (existsSync(new URL('meta/_journal.json', candidate))) return fileURLToPath(candidate);
  }
  throw new Error("Cannot find the migrations/pg folder above Rota's code.");
}


/** A connected client; a server that cannot be reached is a refusal a person can act on, not a stack trace. */
export async function connectPostgres(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'rota' });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new RotaError('VALIDATION', `Cannot connect to PostgreSQL at ${safeUrl(url)}: ${(error as Error).message}. Check the URL, that the server runs and that the database exists (createdb).`);
  }
  return client;
}

/** Any key will do, as long as every Rota process uses the same one: 'rota' in ASCII. */
const MIGRATION_LOCK = 0x726f7461;

/**
 * Applies pending migrations. drizzle's migrator reads the last applied migration before its own
 * transaction, so two processes migrating a fresh database could both apply it: a session-level
 * advisory lock makes the second wait and then find nothing to do.
 */
export async function migratePostgres(client: pg.Client): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await migrate(drizzle({ client }), { migrationsFolder: migrationsDir() });
  } catch (error) {
    // drizzle wraps the server's answer ("Failed query: <the whole migration>"); the answer is what helps.
    const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
    throw new RotaError('VALIDATION', `Migrating the PostgreSQL database failed and none of the pending migrations was applied: ${cause.message.replace(/\.$/, '')}.`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
