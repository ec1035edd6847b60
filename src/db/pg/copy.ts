// `rota copy-to` (issue 16): a SQLite database into an empty PostgreSQL one, every row and id as
// they are, in one PostgreSQL transaction (all or nothing), checked by counting before commit.
import Database from 'better-sqlite3';
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { RotaError } from '../../domain/errors.js';
import * as schema from './schema.js';

interface CopiedTable {
  table: string;
  rows: number;
}

/**
 * Tables `rota migrate` fills on a fresh database, and how to tell nothing else is there; a copy
 * replaces these rows, deleting them in this order (the closure points at the unit).
 */
const SEEDED: Record<string, (rows: Record<string, unknown>[]) => boolean> = {
  unit_closure: (rows) => rows.length === 0 || (rows.length === 1 && Number(rows[0]!.ancestor_id) === 1 && Number(rows[0]!.descendant_id) === 1),
  units: (rows) => rows.length === 0 || (rows.length === 1 && Number(rows[0]!.id) === 1 && rows[0]!.parent_id === null),
  // Its rows are counters, not data: whatever they hold, the copy brings SQLite's.
  data_revision: () => true,
};

/** Rows per INSERT: few round trips, well under PostgreSQL's 65,535 parameters a statement. */
const BATCH_ROWS = 500;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of the PostgreSQL schema, each after the tables its foreign keys point to. */
function tablesInKeyOrder(): PgTable[] {
  const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
  const ordered: PgTable[] = [];
  const placed = new Set<string>();
  const place = (table: PgTable, path: string[]) => {
    const name = getTableName(table);
    if (placed.has(name)) return;
    if (path.includes(name)) throw new Error(`Foreign keys form a cycle through ${[...path, name].join(' → ')}.`);
    for (const key of getTableConfig(table).foreignKeys) {
      const target = key.reference().foreignTable;
      if (getTableName(target) !== name) place(target, [...path, name]);
    }
    placed.add(name);
    ordered.push(table);
  };
  tables.sort((a, b) => getTableName(a).localeCompare(getTableName(b))).forEach((table) => place(table, []));
  return ordered;
}

/** A SQLite value as PostgreSQL should receive it for this column; integers arrive as BigInt and leave as exact decimal text. */
function toPostgres(value: unknown, column: PgColumn, table: string): unknown {
  if (value === null) return null;
  if (column.columnType === 'PgBoolean') {
    if (value === 0n || value === 1n) return value === 1n;
    throw new RotaError('VALIDATION', `${table}.${column.name} holds ${String(value)}, which is neither 0 nor 1; a boolean column cannot take it without loss.`);
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

/** What stops a lossless copy from this SQLite file: tables or columns the two schemas do not share. */
function schemaDifferences(source: Database.Database, tables: PgTable[]): string[] {
  const problems: string[] = [];
  const sqliteTables = new Set(
    source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'rota_migrations'").pluck().all() as string[],
  );
  for (const table of tables) {
    const name = getTableName(table);
    if (!sqliteTables.delete(name)) {
      problems.push(`table ${name} is missing`);
      continue;
    }
    const sqliteColumns = new Set((source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]));
    for (const column of getTableConfig(table).columns) {
      if (!sqliteColumns.delete(column.name)) problems.push(`column ${name}.${column.name} is missing`);
    }
    for (const extra of sqliteColumns) problems.push(`column ${name}.${extra} is not in this version's PostgreSQL schema`);
  }
  for (const extra of sqliteTables) problems.push(`table ${extra} is not in this version's PostgreSQL schema`);
  return problems;
}

/** Refuses unless every table is empty but for what `rota migrate` put there. */
async function requireEmpty(target: pg.Client, tables: PgTable[]): Promise<void> {
  const filled: string[] = [];
  for (const table of tables) {
    const name = getTableName(table);
    const seeded = SEEDED[name];
    const { rows } = await target.query<Record<string, unknown>>(`SELECT * FROM ${quote(name)} LIMIT 4`);
    if (seeded ? !seeded(rows) : rows.length > 0) {
      const { rows: counted } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(name)}`);
      filled.push(`${name} (${counted[0]!.n} ${counted[0]!.n === '1' ? 'row' : 'rows'})`);
    }
  }
  if (filled.length > 0) {
    throw new RotaError(
      'CONFLICT',
      `The PostgreSQL database already holds data in ${filled.join(', ')}; copy-to only fills an empty database, and changed nothing. Create a new database (createdb) and copy into that.`,
    );
  }
}

async function copyTable(source: Database.Database, target: pg.Client, table: PgTable): Promise<number> {
  const name = getTableName(table);
  const columns = getTableConfig(table).columns;
  const list = columns.map((c) => quote(c.name)).join(', ');
  // rowid order: a unit's parent was made before it, so self-references always find their row.
  const rows = source.prepare(`SELECT ${list} FROM ${quote(name)} ORDER BY rowid`).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>;
  let batch: unknown[] = [];
  let copied = 0;
  const flush = async () => {
    const count = batch.length / columns.length;
    if (count === 0) return;
    const tuples = Array.from({ length: count }, (_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await target.query(`INSERT INTO ${quote(name)} (${list}) VALUES ${tuples.join(', ')}`, batch);
    copied += count;
    batch = [];
  };
  for (const row of rows) {
    row.forEach((value, i) => batch.push(toPostgres(value, columns[i]!, name)));
    if (batch.length >= BATCH_ROWS * columns.length) await flush();
  }
  await flush();
  return copied;
}

/**
 * Moves identity sequences past the highest id, or past SQLite's AUTOINCREMENT high-water mark
 * when rows were deleted at the end, so no id is ever handed out twice.
 */
async function advanceIdentities(source: Database.Database, target: pg.Client, tables: PgTable[]): Promise<void> {
  const highWater = new Map(
    (source.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[]).map((r) => [r.name, Number(r.seq)]),
  );
  for (const table of tables) {
    const name = getTableName(table);
    for (const column of getTableConfig(table).columns.filter((c) => c.generatedIdentity)) {
      const { rows } = await target.query<{ max: string | null }>(`SELECT max(${quote(column.name)}) AS max FROM ${quote(name)}`);
      const last = Math.max(Number(rows[0]!.max ?? 0), highWater.get(name) ?? 0);
      await target.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)', [quote(name), column.name, Math.max(last, 1), last > 0]);
    }
  }
}

/**
 * Copies the SQLite file into the (already migrated) PostgreSQL database behind `target`. SQLite is
 * read in one read transaction, a consistent snapshot even while a server writes to the file.
 * Revision triggers are off during the copy so the counters arrive as they were, not bumped.
 */
export async function copySqliteToPostgres(sqliteFile: string, target: pg.Client): Promise<CopiedTable[]> {
  let source: Database.Database;
  try {
    source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RotaError('VALIDATION', `Cannot open the SQLite database ${sqliteFile} (ROTA_DB): ${(error as Error).message}.`);
  }
  try {
    source.pragma('busy_timeout = 5000');
    const tables = tablesInKeyOrder();
    const differences = schemaDifferences(source, tables);
    if (differences.length > 0) {
      throw new RotaError('VALIDATION', `${sqliteFile} does not match this version's schema (${differences.join('; ')}); migrate it with this version first (\`rota migrate\` with ROTA_DB set to it).`);
    }
    source.exec('BEGIN');
    await target.query('BEGIN');
    try {
      // Nobody else writes these tables until the copy commits or rolls back.
      await target.query(`LOCK TABLE ${tables.map((t) => quote(getTableName(t))).join(', ')} IN EXCLUSIVE MODE`);
      await requireEmpty(target, tables);
      for (const name of Object.keys(SEEDED)) await target.query(`DELETE FROM ${quote(name)}`);
      for (const table of tables) await target.query(`ALTER TABLE ${quote(getTableName(table))} DISABLE TRIGGER USER`);
      const copied: CopiedTable[] = [];
      for (const table of tables) copied.push({ table: getTableName(table), rows: await copyTable(source, target, table) });
      await advanceIdentities(source, target, tables);
      for (const { table } of copied) {
        const expected = Number(source.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get());
        const { rows } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
        if (Number(rows[0]!.n) !== expected) throw new Error(`${table} has ${expected} rows in SQLite but ${rows[0]!.n} in PostgreSQL`);
      }
      for (const table of tables) await target.query(`ALTER TABLE ${quote(getTableName(table))} ENABLE TRIGGER USER`);
      await target.query('COMMIT');
      // Planner statistics for the rows just copied: without them (where autovacuum is off, or has
      // not come round yet) PostgreSQL scans a million sign-ups for a feed an index answers in 2 ms.
      await target.query('ANALYZE');
      return copied;
    } catch (error) {
      await target.query('ROLLBACK').catch(() => undefined);
      if (error instanceof RotaError && error.code === 'CONFLICT') throw error;
      throw new RotaError('VALIDATION', `The copy failed and was rolled back; the PostgreSQL database is unchanged: ${(error as Error).message.replace(/\.$/, '')}.`);
    } finally {
      source.exec('COMMIT');
    }
  } finally {
    source.close();
  }
}
