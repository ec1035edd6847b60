// The reports a worker thread computes (src/workers/report-worker.ts), as plain messages: what to
// compute goes in, the finished answer (a table, a rendered file, a plan) comes out.
import type { Db } from '../db/connection.js';
import type { Locale } from '../db/people.js';
import { statsCsv } from '../domain/person-shifts.js';
import type { FillTarget } from '../domain/fairness.js';
import { planProposal, type Proposal } from './fairness.js';
import { buildSheet, sheetHtml, sheetText, sheetXlsx } from './sheets.js';
import { personShiftStats, type StatsQuery, type StatsReport } from './stats.js';
import { statsXlsx } from './stats-xlsx.js';

export type StatsFormat = 'json' | 'csv' | 'xlsx';
export type SheetFormat = 'html' | 'text' | 'xlsx';

export type ReportJob =
  | { kind: 'stats'; query: StatsQuery; now: number; format: StatsFormat; locale: Locale }
  | { kind: 'sheet'; rotaId: number; query: { from?: string | undefined; to?: string | undefined }; locale: Locale; now: number; format: SheetFormat }
  | { kind: 'autofill-plan'; proposalId: string; rotaId: number; window: { from: string; to: string }; target: FillTarget; now: number };

/** A rendered file: text, or bytes (which cross threads as a Uint8Array). */
export type Body = string | Uint8Array;

/** A body as Fastify sends it: text as it is, bytes as a Buffer (without copying them). */
export function bytesOf(body: Body): string | Buffer {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

interface Results {
  stats: { table: StatsReport; body: Body | null };
  sheet: { rotaId: number; from: string; to: string; body: Body };
  'autofill-plan': Proposal;
}

export type JobResult<J extends ReportJob> = Results[J['kind']];

export async function runJob<J extends ReportJob>(db: Db, job: J): Promise<JobResult<J>> {
  return (await run(db, job)) as JobResult<J>;
}

async function run(db: Db, job: ReportJob): Promise<Results[ReportJob['kind']]> {
  switch (job.kind) {
    case 'stats': {
      const table = personShiftStats(db, job.query, new Date(job.now));
      const body = job.format === 'json' ? null : job.format === 'csv' ? statsCsv(table, job.locale) : await statsXlsx(table, job.locale);
      return { table, body };
    }
    case 'sheet': {
      const sheet = buildSheet(db, job.rotaId, job.query, job.locale, new Date(job.now));
      const body = job.format === 'text' ? sheetText(sheet) : job.format === 'xlsx' ? await sheetXlsx(sheet) : sheetHtml(sheet);
      return { rotaId: sheet.rotaId, from: sheet.from, to: sheet.to, body };
    }
    case 'autofill-plan':
      return planProposal(db, job.proposalId, job.rotaId, job.window, job.target, new Date(job.now));
  }
}
