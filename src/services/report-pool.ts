// Heavy read-only reports (statistics and their exports, duty sheets, auto-fill planning) run on a
// small pool of worker threads, each with its own read-only connection to the same database file,
// so that no such request holds the event loop: the service keeps answering while one is computed.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import { RotaError, type ErrorCode } from '../domain/errors.js';
import { runJob, type JobResult, type ReportJob } from './report-jobs.js';

/** What a worker answers for one job. */
export type JobAnswer =
  | { ok: true; result: unknown }
  | { ok: false; code: ErrorCode | null; message: string; details: Record<string, unknown> };

/**
 * The worker's module beside this one's kind: `workers/report-worker.js` from dist/ (tsc's tree,
 * or esbuild's bundle, whose shared code sits one folder down in dist/chunks), and
 * `workers/report-worker.ts` from the sources under vitest, where tsx's loader is registered in the
 * thread first (Node 20 does not pass `--import` loaders on to worker threads).
 */
function workerBootstrap(): string {
  const ext = extname(fileURLToPath(import.meta.url));
  for (let dir = new URL('./', import.meta.url), i = 0; i < 4; dir = new URL('../', dir), i++) {
    const url = new URL(`workers/report-worker${ext}`, dir);
    if (!existsSync(url)) continue;
    const load = `import(${JSON.stringify(url.href)})`;
    return ext === '.ts' ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return ${load}; })` : load;
  }
  throw new Error(`Cannot find workers/report-worker${ext} above ${fileURLToPath(import.meta.url)}.`);
}

interface Pending {
  job: ReportJob;
  resolve(answer: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
}

const CRASHED =
  'The report stopped unexpectedly before it was finished (its worker thread ended); nothing was changed. Try again, or ask for a shorter period.';

/** One or two threads: the machine's cores less the one the service runs on. */
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));

export class ReportPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly size = POOL_SIZE,
  ) {}

  run(job: ReportJob): Promise<unknown> {
    if (this.closed) return Promise.reject(new RotaError('SHUTTING_DOWN', 'The service is stopping; try again in a moment.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** The threads now computing a report (a test ends one to see the pool recover). */
  busyThreads(): Worker[] {
    return [...this.slots].filter((s) => s.current !== null).map((s) => s.worker);
  }

  /** Ends the threads; reports still running answer SHUTTING_DOWN. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new RotaError('SHUTTING_DOWN', 'The service is stopping; try again in a moment.'));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = [...this.slots].find((s) => s.current === null) ?? (this.slots.size < this.size ? this.spawn() : null);
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(workerBootstrap(), { eval: true, workerData: { file: this.file } });
    const slot: Slot = { worker, current: null };
    this.slots.add(slot);
    worker.on('message', (answer: JobAnswer) => {
      const pending = slot.current;
      slot.current = null;
      worker.unref();
      if (pending) {
        if (answer.ok) pending.resolve(answer.result);
        else pending.reject(answer.code ? new RotaError(answer.code, answer.message, answer.details) : new Error(answer.message));
      }
      this.dispatch();
    });
    // An uncaught error ends the thread: 'exit' follows and answers the job.
    worker.on('error', () => {});
    worker.on('exit', () => {
      this.slots.delete(slot);
      const pending = slot.current;
      slot.current = null;
      if (pending) pending.reject(this.closed ? new RotaError('SHUTTING_DOWN', 'The service is stopping; try again in a moment.') : new RotaError('REPORT_FAILED', CRASHED));
      if (!this.closed) this.dispatch();
    });
    return slot;
  }
}

const pools = new WeakMap<Database.Database, ReportPool>();

/** The pool of a database: made on the first report, one per open database. */
export function reportPool(db: Db): ReportPool {
  let pool = pools.get(db.$client);
  if (!pool) pools.set(db.$client, (pool = new ReportPool(db.$client.name)));
  return pool;
}

/**
 * Runs a report job on the pool and answers its result; a refusal inside the worker comes back as
 * the same RotaError. An in-memory database cannot be opened from another thread, so its reports
 * run here, in the calling thread, through the same job function.
 */
export async function runReport<J extends ReportJob>(db: Db, job: J): Promise<JobResult<J>> {
  if (db.$client.memory) return runJob(db, job);
  return (await reportPool(db).run(job)) as JobResult<J>;
}

/** Stops a database's report threads (the app's onClose). */
export async function closeReports(db: Db): Promise<void> {
  const pool = pools.get(db.$client);
  pools.delete(db.$client);
  await pool?.close();
}
