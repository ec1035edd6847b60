// The thread behind PgSyncClient (sync-client.ts): one PostgreSQL connection, one statement at a
// time. It answers on its port, then writes the answer's number into the shared signal, which
// wakes the waiting caller.
import { workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import type { PgAnswer, PgMessage, PgRequest } from './sync-client.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

/** The database the thread's current client named (`open`). */
let url = '';

/**
 * Values as better-sqlite3 hands SQLite's over, so that the same code reads both engines: bigint
 * (epoch milliseconds, counts) and numeric (sums) as numbers, booleans as 1 and 0, JSON as its text.
 */
const parsers = new Map<number, (text: string) => unknown>([
  [20, Number],
  [1700, Number],
  [16, (text) => (text === 't' ? 1 : 0)],
  [114, (text) => text],
  [3802, (text) => text],
]);
const types = {
  getTypeParser: ((oid: number, format?: string) => parsers.get(oid) ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

let client: pg.Client | null = null;
let broken: Error | null = null;
/** Whether the connection is inside a transaction (BEGIN sent, COMMIT or ROLLBACK not yet). */
let inTransaction = false;

const LOST = 'The connection to PostgreSQL was lost inside a transaction, which the server rolled back';

/**
 * The connection, opened again after it broke; but not inside a transaction, whose statements would
 * then commit one by one on the new connection: those fail until the caller's ROLLBACK.
 */
async function connected(): Promise<pg.Client> {
  if (client && !broken) return client;
  if (client && inTransaction) throw new Error(LOST);
  if (client) await client.end().catch(() => undefined);
  broken = null;
  const fresh = new pg.Client({ connectionString: url, application_name: 'rota', types });
  fresh.on('error', (error) => {
    broken = error;
  });
  client = fresh;
  await fresh.connect();
  return fresh;
}

async function answer(request: PgRequest): Promise<PgAnswer> {
  try {
    if ('open' in request) {
      await client?.end().catch(() => undefined);
      client = null;
      inTransaction = false;
      url = request.open;
      await connected();
      return { rows: [], rowCount: 0 };
    }
    if ('close' in request) {
      await client?.end().catch(() => undefined);
      client = null;
      inTransaction = false;
      return { rows: [], rowCount: 0 };
    }
    if ('exec' in request) return await exec(request.exec);
    const c = await connected();
    if ('migrate' in request) {
      // Loaded when asked: drizzle's migrator is not needed by a report thread's connection.
      const { migratePostgres } = await import('./connection.js');
      await migratePostgres(c);
      return { rows: [], rowCount: 0 };
    }
    const query = { name: request.name, text: request.text, values: request.values };
    const result = request.array ? await c.query({ ...query, rowMode: 'array' }) : await c.query(query);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  } catch (error) {
    const e = error as Error & { code?: string; detail?: string };
    return { error: { message: e.message, code: e.code ?? null, detail: e.detail ?? null } };
  }
}

/** BEGIN, COMMIT, ROLLBACK and savepoints (sync-client.ts's transactions), and SET. */
async function exec(text: string): Promise<PgAnswer> {
  const word = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
  const ends = word === 'COMMIT' || (word === 'ROLLBACK' && !/^\s*ROLLBACK\s+TO\b/i.test(text));
  if (ends && broken && inTransaction) {
    // Nothing to roll back on a connection that is gone; a COMMIT there committed nothing.
    inTransaction = false;
    if (word === 'ROLLBACK') return { rows: [], rowCount: 0 };
    throw new Error(LOST);
  }
  const c = await connected();
  try {
    await c.query(text);
  } finally {
    // A BEGIN followed by a failing statement in the same text still began the transaction.
    if (word === 'BEGIN') inTransaction = true;
    if (ends) inTransaction = false;
  }
  return { rows: [], rowCount: 0 };
}

port.on('message', ({ seq, request }: PgMessage) => {
  void answer(request).then((reply) => {
    port.postMessage({ seq, answer: reply });
    Atomics.store(signal, 0, seq);
    Atomics.notify(signal, 0);
  });
});
