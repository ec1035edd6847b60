// A report thread (src/services/report-pool.ts): a read-only connection per database file it is
// asked about, one job at a time; a refusal goes back as its code, message and details.
import { parentPort } from 'node:worker_threads';
import { openReadOnlyDb, type Db } from '../db/connection.js';
import { RotaError } from '../domain/errors.js';
import type { JobAnswer, WorkerMessage } from '../services/report-pool.js';
import { runJob } from '../services/report-jobs.js';

const connections = new Map<string, Db>();
const port = parentPort!;

function connection(file: string): Db {
  let db = connections.get(file);
  if (!db) connections.set(file, (db = openReadOnlyDb(file)));
  return db;
}

port.on('message', (message: WorkerMessage) => {
  if ('close' in message) {
    connections.get(message.close)?.$client.close();
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
