// A report thread (src/services/report-pool.ts): its own read-only connection to the database
// file, one job at a time; a refusal goes back as its code, message and details.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlyDb } from '../db/connection.js';
import { RotaError } from '../domain/errors.js';
import type { JobAnswer } from '../services/report-pool.js';
import { runJob, type ReportJob } from '../services/report-jobs.js';

const db = openReadOnlyDb((workerData as { file: string }).file);
const port = parentPort!;

port.on('message', (job: ReportJob) => {
  runJob(db, job).then(
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
