// A report thread (src/services/report-pool.ts): a read-only connection per database file it is
// asked about, one job at a time; a refusal goes back as its code, message and details.
import { parentPort } from 'node:worker_threads';
import { openReadOnly } from '../db/read-only.js';
import type { Db } from '../db/connection.js';
import { RotaError } from '../domain/errors.js';
import type { JobAnswer, WorkerMessage } from '../services/report-pool.js';
import { runJob, type JobConnection } from '../services/report-jobs.js';

const connections = new Map<string, JobConnection>();
const port = parentPort!;

/** The thread's connection to a file; the ORM (and its modules) is loaded only for the jobs that read through it. */
function connection(file: string): JobConnection {
  let conn = connections.get(file);
  if (!conn) {
    const client = openReadOnly(file);
    let db: Promise<Db> | null = null;
    connections.set(file, (conn = { client, db: () => (db ??= import('../db/connection.js').then((m) => m.ormOver(client))) }));
  }
  return conn;
}

port.on('message', (message: WorkerMessage) => {
  if ('close' in message) {
    connections.get(message.close)?.client.close();
    connections.delete(message.close);
    return;
  }
  Promise.resolve()
    .then(() => runJob(connection(message.file), message.job))
    .then(
      (result) => port.postMessage({ ok: true, result } satisfies JobAnswer),
      (error: unknown) => {
        const answer: JobAnswer =
          error instanceof RotaError
            ? { ok: false, code: error.code, message: error.message, details: error.details }
            : { ok: false, code: null, message: error instanceof Error ? error.message : String(error), details: {} };
        port.postMessage(answer);
      },
    );
});
