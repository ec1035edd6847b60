// The statistics table as an Excel workbook (exceljs is loaded on first use, to keep start-up fast).
import { safeCell, statsHeaders, totalLabel, type StatsTable } from '../domain/person-shifts.js';
import type { Locale } from '../domain/types.js';

export async function statsXlsx(table: StatsTable & { from: string; to: string }, locale: Locale): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(locale === 'zh-CN' ? '人次统计' : 'Person-shifts');
  sheet.addRow([`${table.from} – ${table.to}`]);
  const header = sheet.addRow(statsHeaders(table.groupBy, locale));
  header.font = { bold: true };
  for (const r of table.rows) sheet.addRow([safeCell(r.key), safeCell(r.label), r.personShifts, r.people, r.hours]);
  const total = sheet.addRow(['', totalLabel(locale), table.total.personShifts, table.total.people, table.total.hours]);
  total.font = { bold: true };
  sheet.columns.forEach((c, i) => {
    c.width = i === 1 ? 28 : 14;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
