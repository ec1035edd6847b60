// Heavy read-only reports (statistics and their exports, duty sheets, auto-fill planning) run on a
// small pool of worker threads, each with its own read-only connection to the same database file,
// so that no such request holds the event loop: the service keeps answering while one is computed.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/connection.js';
import { RotaError, type ErrorCode } from '../domain/errors.js';
import { workerBootstrap } from '../workers/bootstrap.js';
import type { JobResult, ReportJob } from './report-jobs.js';

/** A rendered file: text, or bytes (which cross threads as a Uint8Array). */
export type Body = string | Uint8Array;

/** A body as Fastify sends it: text as it is, bytes as a Buffer (without copying them). */
export function bytesOf(body: Body): string | Buffer {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** What a worker answers for one job. */
export type JobAnswer =
  | { ok: true; result: unknown }
  | { ok: false; code: ErrorCode | null; message: string; details: Record<string, unknown> };

/** What a worker is sent: a job on a database file, or to close its connection to one. */
export type WorkerMessage = { file: string; job: ReportJob } | { close: string };

interface Pending {
  message: WorkerMessage;
  resolve(answer: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  /** Ends the thread once it has been idle for IDLE_MS. */
  idle: NodeJS.Timeout | null;
}

/**
 * How long a thread waits for its next report before it ends. A thread with its heap and database
 * connection holds ~25 MB of the process's resident memory (bench/, issue 12), and reports come
 * rarely: starting a thread again costs ~0.1 s, against the 0.3–1 s of a quarter's statistics.
 * Reports asked for one after another still share one thread.
 */
const IDLE_MS = 1_000;

const CRASHED =
  'The report stopped unexpectedly before it was finished (its worker thread ended); nothing was changed. Try again, or ask for a shorter period.';

/** One or two threads: the machine's cores less the one the service runs on. */
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));

/**
 * The process's report threads. Each keeps a read-only connection per database file it has been
 * asked about (a process normally has one; tests open many), closed when that database closes.
 * Idle threads do not keep the process alive.
 */
export class ReportPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];

  constructor(private readonly size = POOL_SIZE) {}

  run(file: string, job: ReportJob): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message: { file, job }, resolve, reject });
      this.dispatch();
    });
  }

  /** The threads now computing a report (a test ends one to see the pool recover). */
  busyThreads(): Worker[] {
    return [...this.slots].filter((s) => s.current !== null).map((s) => s.worker);
  }

  /** Each thread closes its connection to `file`; reports already asked for still run. */
  forget(file: string): void {
    for (const s of this.slots) s.worker.postMessage({ close: file } satisfies WorkerMessage);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = [...this.slots].find((s) => s.current === null) ?? (this.slots.size < this.size ? this.spawn() : null);
      if (!slot) return;
      const pending = this.queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.message);
    }
  }

  private spawn(): Slot {
    // A report streams its rows and keeps little alive: a young generation of 4 MB (V8 would give
    // it the service's 4 MB semi-spaces, three times over) costs it more collections, not speed
    // anyone waits on, and keeps its memory, counted in the service's, small.
    const worker = new Worker(workerBootstrap(import.meta.url, 'workers/report-worker'), { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    const slot: Slot = { worker, current: null, idle: null };
    this.slots.add(slot);
    worker.on('message', (answer: JobAnswer) => {
      const pending = slot.current;
      slot.current = null;
      worker.unref();
      slot.idle = setTimeout(() => {
        // Out of the pool first, so that no report is handed to a thread on its way out.
        this.slots.delete(slot);
        void worker.terminate();
      }, IDLE_MS).unref();
      if (pending) {
        if (answer.ok) pending.resolve(answer.result);
        else pending.reject(answer.code ? new RotaError(answer.code, answer.message, answer.details) : new Error(answer.message));
      }
      this.dispatch();
    });
    // An uncaught error ends the thread: 'exit' follows and answers the job.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (slot.idle) clearTimeout(slot.idle);
      this.slots.delete(slot);
      const pending = slot.current;
      slot.current = null;
      if (pending) pending.reject(new RotaError('REPORT_FAILED', CRASHED));
      this.dispatch();
    });
    return slot;
  }
}

let pool: ReportPool | null = null;

/** The process's report threads, started on the first report. */
export function reportPool(): ReportPool {
  return (pool ??= new ReportPool());
}

/**
 * Runs a report job on the pool and answers its result; a refusal inside the worker comes back as
 * the same RotaError. An in-memory database cannot be opened from another thread, so its reports
 * run here, in the calling thread, through the same job function.
 */
export async function runReport<J extends ReportJob>(db: Db, job: J): Promise<JobResult<J>> {
  // Loaded when first needed: the jobs import the services that call this pool.
  if (db.$client.memory) return (await import('./report-jobs.js')).runJob({ client: db.$client, db: async () => db }, job);
  return (await reportPool().run(db.$client.name, job)) as JobResult<J>;
}

/** The report threads close their connections to a database that closes (the app's onClose). */
export function closeReports(db: Db): void {
  pool?.forget(db.$client.name);
}
