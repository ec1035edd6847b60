// PostgreSQL under the same seam as SQLite (issue 16): a client with the synchronous shape of
// better-sqlite3's Database (prepare, statements' run/get/all/pluck/raw, exec, transaction), so
// drizzle's better-sqlite3 driver, the Store's prepared statements and every service run over it
// unchanged. Each statement is handed to a worker thread holding a node-postgres connection, and
// the caller waits for its answer (Atomics.wait), as it waits for SQLite's: one statement at a
// time per process, which is what the services were written for. Several processes on one
// database are several connections, and the write lock below keeps their transactions apart.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Memo } from '../../domain/memo.js';
import { workerBootstrap } from '../../workers/bootstrap.js';

export type PgRequest =
  | { open: string }
  | { name: string | undefined; text: string; values: unknown[]; array: boolean }
  | { exec: string }
  | { migrate: true }
  | { close: true };

/** What the thread is sent: a request and its number, which its answer carries back. */
export interface PgMessage {
  seq: number;
  request: PgRequest;
}

export type PgAnswer = { rows: unknown[]; rowCount: number } | { error: { message: string; code: string | null; detail: string | null } };

/** A statement's SQL as PostgreSQL takes it: `$n` for SQLite's `?` and `@name`. */
interface Translated {
  name: string | undefined;
  text: string;
  /** Named parameters in `$n` order; null when the statement takes positional ones. */
  names: string[] | null;
}

/** How long a statement may take, the server's wait for a lock included, before the caller gives up. */
const STATEMENT_WAIT_MS = 120_000;

/**
 * Statements kept prepared on the server (by name), for the connection's life; any beyond run
 * unnamed, parsed each time. A text forgotten by the memo below and met again takes a new name.
 */
const NAMED_MAX = 2000;
const STATEMENTS_KEPT = 4000;

/**
 * The key of the advisory lock every write transaction takes at its start, on every node:
 * PostgreSQL's twin of SQLite's BEGIN IMMEDIATE ('rotw' in ASCII).
 */
const WRITE_LOCK = 0x726f7477;

/** A failed statement, with PostgreSQL's SQLSTATE as `code`. */
class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/**
 * SQLite's SQL as PostgreSQL takes it. Outside quotes and comments, `?` becomes `$1`, `$2`...,
 * and `@name` the same `$n` wherever it appears. drizzle's SQLite inserts of several rows give a
 * table's id `null` when none is set (SQLite then numbers the row); PostgreSQL's identity needs
 * `default`.
 */
export function translate(source: string): Omit<Translated, 'name'> {
  let text = '';
  let positional = 0;
  const names: string[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"') {
      const end = source.indexOf(ch, i + 1);
      const stop = end === -1 ? source.length : end + 1;
      text += source.slice(i, stop);
      i = stop - 1;
    } else if (ch === '-' && source[i + 1] === '-') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      text += source.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      text += `$${++positional}`;
    } else if (ch === '@' && /[A-Za-z_]/.test(source[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i + 1))![0];
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      text += `$${index + 1}`;
      i += name.length;
    } else {
      text += ch;
    }
  }
  if (/^insert into "\w+" \("id", /.test(text)) text = text.replace(/(values |\), )\(null, /g, '$1(default, ');
  // PostgreSQL folds a bare name to lower case: the camelCase names given to columns keep theirs quoted.
  text = text.replace(/\b(AS|as) ([a-z][a-z0-9]*[A-Z]\w*)\b/g, '$1 "$2"');
  // drizzle names a conflict's columns with their table, which PostgreSQL does not take there.
  text = text.replace(/ on conflict \(([^)]*)\)/, (_, columns: string) => ` on conflict (${columns.replace(/"\w+"\./g, '')})`);
  return { text, names: names.length > 0 ? names : null };
}

class PgStatement {
  private pluckMode = false;
  private rawMode = false;

  constructor(
    private readonly client: PgSyncClient,
    private readonly q: Translated,
  ) {}

  pluck(on = true): this {
    this.pluckMode = on;
    if (on) this.rawMode = false;
    return this;
  }

  raw(on = true): this {
    this.rawMode = on;
    if (on) this.pluckMode = false;
    return this;
  }

  run(...args: unknown[]): { changes: number; lastInsertRowid: number } {
    return { changes: this.client.query(this.q, args, false).rowCount, lastInsertRowid: 0 };
  }

  get(...args: unknown[]): unknown {
    return this.all(...args)[0];
  }

  all(...args: unknown[]): unknown[] {
    const { rows } = this.client.query(this.q, args, this.pluckMode || this.rawMode);
    return this.pluckMode ? (rows as unknown[][]).map((r) => r[0]) : rows;
  }

  iterate(...args: unknown[]): IterableIterator<unknown> {
    return this.all(...args)[Symbol.iterator]();
  }
}

/**
 * A worker thread (sync-worker.ts), the port it answers on, the signal holding the number of its
 * latest answer (which wakes the caller), and the number of the latest request.
 */
interface Thread {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  seq: number;
}

/** Threads whose client closed, kept for the next one: starting a thread costs more than connecting. */
const idleThreads: Thread[] = [];
const IDLE_THREADS = 2;

function startThread(): Thread {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(workerBootstrap(import.meta.url, 'db/pg/sync-worker'), {
    eval: true,
    workerData: { port: port2, signal },
    transferList: [port2],
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // Neither keeps the process alive: a client is closed by its owner, an idle thread is not waited for.
  worker.unref();
  port1.unref();
  return { worker, port: port1, signal, seq: 0 };
}

function stopThread(thread: Thread): void {
  void thread.worker.terminate();
  thread.port.close();
}

type TransactionFn = ((...args: unknown[]) => unknown) & { deferred: TransactionFn; immediate: TransactionFn; exclusive: TransactionFn };

/** One PostgreSQL connection with better-sqlite3's synchronous shape; see the top of this file. */
export class PgSyncClient {
  readonly dialect = 'postgres';
  /** better-sqlite3's: a database in memory cannot be opened by another thread. Never so here. */
  readonly memory = false;
  readonly readonly = false;
  inTransaction = false;
  open = true;

  private readonly thread: Thread;
  /** Statements' SQL as sent, by their text: bounded, since drizzle spells a list of n values with n parameters. */
  private readonly statements = new Memo<string, Translated>(STATEMENTS_KEPT);
  private named = 0;
  private savepoints = 0;

  /** `name` is the database's URL: report threads open their own client by it. */
  constructor(readonly name: string) {
    this.thread = idleThreads.pop() ?? startThread();
    try {
      this.call({ open: name }, 'connecting');
    } catch (error) {
      stopThread(this.thread);
      throw error;
    }
  }

  private call(request: PgRequest, what: string): { rows: unknown[]; rowCount: number } {
    if (!this.open) throw new TypeError('The database connection is not open');
    const thread = this.thread;
    const seq = (thread.seq = (thread.seq + 1) | 0);
    thread.port.postMessage({ seq, request } satisfies PgMessage);
    // The thread writes each answer's number into the signal: wait for this one's.
    const until = Date.now() + STATEMENT_WAIT_MS;
    for (let seen = Atomics.load(thread.signal, 0); seen !== seq; seen = Atomics.load(thread.signal, 0)) {
      if (Atomics.wait(thread.signal, 0, seen, Math.max(0, until - Date.now())) === 'timed-out') {
        throw new PgError(`PostgreSQL did not answer within ${STATEMENT_WAIT_MS / 1000} s: ${what}`, null);
      }
    }
    // An answer that came after its caller gave up is passed over.
    let reply: { seq: number; answer: PgAnswer } | undefined;
    do reply = receiveMessageOnPort(thread.port)?.message as typeof reply;
    while (reply && reply.seq !== seq);
    const answer = reply?.answer;
    if (!answer) throw new PgError(`PostgreSQL's thread gave no answer: ${what}`, null);
    if ('error' in answer) {
      throw new PgError(`${answer.error.message}${answer.error.detail ? ` (${answer.error.detail})` : ''}`, answer.error.code);
    }
    return answer;
  }

  query(q: Translated, args: unknown[], array: boolean): { rows: unknown[]; rowCount: number } {
    const named = q.names;
    const values = named ? named.map((n) => (args[0] as Record<string, unknown>)[n]) : args;
    return this.call({ name: q.name, text: q.text, values, array }, q.text);
  }

  prepare(source: string): PgStatement {
    const q = this.statements.get(source, (text) => ({ ...translate(text), name: this.named < NAMED_MAX ? `r${++this.named}` : undefined }));
    return new PgStatement(this, q);
  }

  /** Runs statements without parameters, as one round trip. */
  exec(text: string): this {
    this.call({ exec: text }, text);
    return this;
  }

  /** Applies migrations/pg (the thread runs drizzle's node-postgres migrator under the migration lock). */
  migrate(): void {
    this.call({ migrate: true }, 'the migrations');
  }

  /**
   * better-sqlite3's transaction function. IMMEDIATE and EXCLUSIVE take the write lock at BEGIN,
   * as SQLite's do: two writers on any nodes never both read the same state and then write.
   * DEFERRED reads one snapshot (REPEATABLE READ), as SQLite's read transaction does. Inside a
   * transaction, a savepoint.
   */
  transaction(fn: (...args: unknown[]) => unknown): TransactionFn {
    const wrap = (begin: string) => (...args: unknown[]) => {
      if (this.inTransaction) {
        const name = `rota_sp${++this.savepoints}`;
        this.exec(`SAVEPOINT ${name}`);
        try {
          const result = settled(fn(...args));
          this.exec(`RELEASE SAVEPOINT ${name}`);
          return result;
        } catch (error) {
          this.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
          throw error;
        } finally {
          this.savepoints--;
        }
      }
      try {
        this.exec(begin);
      } catch (error) {
        // BEGIN may have run and the lock not (a cancelled wait): the connection must not stay in it.
        if (this.open) this.exec('ROLLBACK');
        throw error;
      }
      this.inTransaction = true;
      try {
        const result = settled(fn(...args));
        this.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.open) this.exec('ROLLBACK');
        throw error;
      } finally {
        this.inTransaction = false;
      }
    };
    const write = wrap(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
    const fnWithModes = wrap('BEGIN ISOLATION LEVEL REPEATABLE READ') as TransactionFn;
    fnWithModes.deferred = fnWithModes;
    fnWithModes.immediate = write as TransactionFn;
    fnWithModes.exclusive = write as TransactionFn;
    return fnWithModes;
  }

  /** better-sqlite3's pragma(): SQLite's settings have no meaning here. */
  pragma(): unknown[] {
    return [];
  }

  close(): this {
    if (!this.open) return this;
    try {
      this.call({ close: true }, 'closing');
      // Its connection closed, the thread waits for the next client (a test suite opens hundreds).
      if (idleThreads.length < IDLE_THREADS) idleThreads.push(this.thread);
      else stopThread(this.thread);
    } catch (error) {
      stopThread(this.thread);
      throw error;
    } finally {
      this.open = false;
    }
    return this;
  }
}

function settled(result: unknown): unknown {
  if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
  return result;
}

/** Whether a connection is PostgreSQL's (statements that differ between the engines ask). */
export function isPostgres(client: unknown): client is PgSyncClient {
  return client instanceof PgSyncClient;
}
