// The reports a worker thread computes (src/workers/report-worker.ts), as plain messages: what to
// compute goes in, the finished answer (a table, a rendered file, a plan) comes out.
import type { Db } from '../db/connection.js';
import { statsTable, type StatsPlan, type StatsReport } from '../db/stats.js';
import { statsCsv } from '../domain/person-shifts.js';
import type { FillTarget } from '../domain/fairness.js';
import type { Proposal } from './fairness.js';
import type { Body } from './report-pool.js';
import { statsXlsx } from './stats-xlsx.js';
import type { Locale } from '../domain/types.js';

export type StatsFormat = 'json' | 'csv' | 'xlsx';
export type SheetFormat = 'html' | 'text' | 'xlsx';

export type ReportJob =
  | { kind: 'stats'; plan: StatsPlan; format: StatsFormat; locale: Locale }
  | { kind: 'sheet'; rotaId: number; query: { from?: string | undefined; to?: string | undefined }; locale: Locale; now: number; format: SheetFormat }
  | { kind: 'autofill-plan'; proposalId: string; rotaId: number; window: { from: string; to: string }; target: FillTarget; now: number };

interface Results {
  stats: { table: StatsReport; body: Body | null };
  sheet: { rotaId: number; from: string; to: string; body: Body };
  'autofill-plan': Proposal;
}

export type JobResult<J extends ReportJob> = Results[J['kind']];

/**
 * The connection a job runs on: statistics need only the bare client; the other jobs, whose
 * services (loaded on first use) read through the ORM, ask for it.
 */
export interface JobConnection {
  client: Db['$client'];
  db(): Promise<Db>;
}

export async function runJob<J extends ReportJob>(conn: JobConnection, job: J): Promise<JobResult<J>> {
  return (await run(conn, job)) as JobResult<J>;
}

async function run(conn: JobConnection, job: ReportJob): Promise<Results[ReportJob['kind']]> {
  switch (job.kind) {
    case 'stats': {
      const table = statsTable(conn.client, job.plan);
      const body = job.format === 'json' ? null : job.format === 'csv' ? statsCsv(table, job.locale) : await statsXlsx(table, job.locale);
      return { table, body };
    }
    case 'sheet': {
      const [{ buildSheet, sheetHtml, sheetText, sheetXlsx }, db] = await Promise.all([import('./sheets.js'), conn.db()]);
      const sheet = buildSheet(db, job.rotaId, job.query, job.locale, new Date(job.now));
      const body = job.format === 'text' ? sheetText(sheet) : job.format === 'xlsx' ? await sheetXlsx(sheet) : sheetHtml(sheet);
      return { rotaId: sheet.rotaId, from: sheet.from, to: sheet.to, body };
    }
    case 'autofill-plan': {
      const [{ planProposal }, db] = await Promise.all([import('./fairness.js'), conn.db()]);
      return planProposal(db, job.proposalId, job.rotaId, job.window, job.target, new Date(job.now));
    }
  }
}
