// Heavy reports run on report threads (src/services/report-pool.ts): the service keeps answering
// while one is computed, refusals inside a thread are the usual 4xx, and a thread that dies is
// answered with a clear error and replaced.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportPool } from '../../src/services/report-pool.js';
import { makeApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp('2026-03-01T00:00:00Z');
});
afterEach(() => t.close());

const YEAR_SHEET = (rotaId: number) => `/api/v1/rotas/${rotaId}/sheet?from=2026-03-02&to=2027-03-01&format=xlsx&lang=en`;

/** A rota with eight daily posts: a year's duty sheet holds 2,920 shifts. */
async function busyRota(): Promise<number> {
  const rota = await t.call('POST', '/api/v1/rotas', { body: { name: 'Night patrol', timezone: 'Asia/Shanghai' } });
  expect(rota.status).toBe(201);
  for (let post = 0; post < 8; post++) {
    const series = await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label: `Gate ${post + 1}`, rrule: 'FREQ=DAILY', startDate: '2026-03-02', startTime: `${String(18 + (post % 4)).padStart(2, '0')}:00`, durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2 },
    });
    expect(series.status).toBe(201);
  }
  return rota.body.id;
}

/** A report as bytes, as the coordinator fetches it. */
async function fetchReport(url: string): Promise<{ status: number; bytes: Buffer; body: any }> {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.coordinatorToken}` } });
  return { status: res.statusCode, bytes: res.rawPayload, body: res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : null };
}

async function rowsOf(body: Buffer): Promise<number> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book.worksheets[0]!.rowCount;
}

/** Resolves once a report thread is computing something. */
async function aReportIsRunning(): Promise<void> {
  while (reportPool(t.db).busyThreads().length === 0) await new Promise((resolve) => setImmediate(resolve));
}

describe('reports on report threads', () => {
  it('the service answers health while a year\'s duty sheet is being built', async () => {
    const rotaId = await busyRota();
    const order: string[] = [];
    const report = fetchReport(YEAR_SHEET(rotaId)).then((res) => {
      order.push('report');
      return res;
    });
    await aReportIsRunning();
    const health = await t.call('GET', '/api/v1/health', { token: null });
    order.push('health');
    expect(health.body).toEqual({ ok: true });
    const sheet = await report;
    expect(sheet.status).toBe(200);
    expect(order).toEqual(['health', 'report']);
    // A title row, a heading row, and a row per date and start time: 365 dates × 4 start times.
    expect(await rowsOf(sheet.bytes)).toBe(2 + 365 * 4);
  });

  it('refusals made inside a report thread are the usual errors', async () => {
    const rotaId = await busyRota();
    const unknown = await t.call('GET', '/api/v1/rotas/9999/sheet?format=xlsx');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const tooLong = await t.call('GET', `/api/v1/rotas/${rotaId}/sheet?from=2026-03-02&to=2027-06-01`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('RANGE_TOO_LONG');
    const noTeam = await t.call('GET', '/api/v1/stats/person-shifts?groupBy=person&teamId=4242&format=csv');
    expect(noTeam.status).toBe(404);
    expect(noTeam.body.error.code).toBe('NOT_FOUND');
  });

  it('a report whose thread dies is answered with a clear error, and the next report works', async () => {
    const rotaId = await busyRota();
    const report = fetchReport(YEAR_SHEET(rotaId));
    await aReportIsRunning();
    // What an out-of-memory abort or a native crash does: the thread ends mid-report.
    await Promise.all(reportPool(t.db).busyThreads().map((thread) => thread.terminate()));
    const failed = await report;
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('REPORT_FAILED');
    expect(failed.body.error.message).toMatch(/stopped unexpectedly.*Try again/);
    const again = await fetchReport(YEAR_SHEET(rotaId));
    expect(again.status).toBe(200);
    expect(await rowsOf(again.bytes)).toBe(2 + 365 * 4);
  });
});
