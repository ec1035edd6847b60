// Duty sheets (issue 6, item 5): a rota's shifts over a week or a month as dates × posts with
// names, in the reader's language — as a print-ready HTML page, an Excel workbook, or plain text
// to paste into a chat group ("3月2日 周一 07:15 校园门口：张三、李四；小区门口：还缺 1 人").
import type { Db } from '../db/connection.js';
import type { Locale } from '../db/people.js';
import { safeCell } from '../domain/person-shifts.js';
import { checkWindow, shiftDate } from '../domain/recurrence.js';
import { DAY_MS, formatDate, isoWeekday, localToday, parseDate } from '../domain/time.js';
import { bytesOf, type SheetFormat } from './report-jobs.js';
import { runReport } from './report-pool.js';
import { requireRota } from './schedule.js';
import { listShifts } from './shifts.js';

export interface SheetCell {
  shiftId: string;
  people: string[];
  /** Places still needed to reach the minimum. */
  missing: number;
  cancelled: boolean;
}

export interface SheetRow {
  date: string;
  /** Local start `HH:MM`. */
  time: string;
  /** One per post (column); null where that post has no shift at this date and time. */
  cells: (SheetCell | null)[];
}

export interface Sheet {
  rotaId: number;
  rotaName: string;
  location: string | null;
  from: string;
  to: string;
  locale: Locale;
  /** Column headings: the series' labels ("校园门口"), or "Post 1" … when a series has none. */
  posts: string[];
  rows: SheetRow[];
}

/** Most shifts one duty sheet holds: a year of eight daily posts. */
const SHEET_LIMIT = 3000;

/** Without dates: the current week, Monday to Sunday, in the rota's zone. */
export function buildSheet(db: Db, rotaId: number, query: { from?: string; to?: string }, locale: Locale, now: Date): Sheet {
  const rota = requireRota(db, rotaId);
  const today = localToday(now, rota.timezone);
  const monday = formatDate(today - (isoWeekday(today) - 1) * DAY_MS);
  const from = query.from ?? (query.to !== undefined ? shiftDate(query.to, -6) : monday);
  const to = query.to ?? shiftDate(from, 6);
  checkWindow({ from, to });
  const views = listShifts(db, { rotaId, from, to, maxShifts: SHEET_LIMIT }, now).shifts;
  const seriesIds = [...new Set(views.map((v) => v.series.id))].sort((a, b) => a - b);
  const column = new Map(seriesIds.map((id, i) => [id, i]));
  const posts = seriesIds.map((id, i) => views.find((v) => v.series.id === id)!.series.label ?? (locale === 'zh-CN' ? `岗位 ${i + 1}` : `Post ${i + 1}`));
  const rows = new Map<string, SheetRow>();
  for (const v of views) {
    const key = v.shift.localStart;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { date: v.shift.localDate, time: key.slice(11, 16), cells: seriesIds.map(() => null) }));
    row.cells[column.get(v.series.id)!] = {
      shiftId: v.shift.id,
      people: v.confirmed.map((p) => p.name),
      missing: v.shift.cancelled ? 0 : Math.max(0, v.shift.min - v.confirmed.length),
      cancelled: v.shift.cancelled,
    };
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  return { rotaId, rotaName: rota.name, location: rota.location, from, to, locale, posts, rows: sorted };
}

/**
 * A duty sheet rendered as a file (up to a year of eight posts), on a report thread: the service
 * keeps answering meanwhile.
 */
export async function renderSheet(
  db: Db,
  rotaId: number,
  query: { from?: string | undefined; to?: string | undefined },
  locale: Locale,
  now: Date,
  format: SheetFormat,
): Promise<{ rotaId: number; from: string; to: string; body: string | Buffer }> {
  const sheet = await runReport(db, { kind: 'sheet', rotaId, query, locale, now: now.getTime(), format });
  return { ...sheet, body: bytesOf(sheet.body) };
}

// ---- Words ---------------------------------------------------------------------------------

const WEEKDAY = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3月2日 周一" or "Mon 2 Mar". */
function dateLabel(date: string, locale: Locale): string {
  const d = parseDate(date)!;
  const [month, day] = [Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const weekday = WEEKDAY[locale][isoWeekday(d) - 1]!;
  return locale === 'zh-CN' ? `${month}月${day}日 ${weekday}` : `${weekday} ${day} ${MONTH[month - 1]}`;
}

function words(locale: Locale) {
  const zh = locale === 'zh-CN';
  return {
    title: (s: Sheet) => (zh ? `${s.rotaName} 值班表（${s.from} 至 ${s.to}）` : `${s.rotaName} — duty sheet, ${s.from} to ${s.to}`),
    date: zh ? '日期' : 'Date',
    time: zh ? '时间' : 'Time',
    names: (people: string[]) => people.join(zh ? '、' : ', '),
    missing: (n: number) => (zh ? `还缺 ${n} 人` : `${n} more needed`),
    cancelled: zh ? '取消' : 'cancelled',
    none: zh ? '无' : 'none',
    empty: zh ? '这段时间没有班次。' : 'No shifts in this period.',
    colon: zh ? '：' : ': ',
    between: zh ? '；' : '; ',
  };
}

/** A cell in words: "张三、李四", "张三（还缺 1 人）", "还缺 2 人", "取消". */
function cellText(cell: SheetCell, locale: Locale): string {
  const w = words(locale);
  if (cell.cancelled) return w.cancelled;
  const names = w.names(cell.people);
  if (cell.missing === 0) return names || w.none;
  if (!names) return w.missing(cell.missing);
  return locale === 'zh-CN' ? `${names}（${w.missing(cell.missing)}）` : `${names} (${w.missing(cell.missing)})`;
}

// ---- Plain text for a chat group -----------------------------------------------------------

export function sheetText(s: Sheet): string {
  const w = words(s.locale);
  const lines = [w.title(s)];
  if (s.rows.length === 0) lines.push(w.empty);
  for (const row of s.rows) {
    const parts = row.cells.flatMap((c, i) => (c ? [`${s.posts[i]}${w.colon}${cellText(c, s.locale)}`] : []));
    lines.push(`${dateLabel(row.date, s.locale)} ${row.time} ${parts.join(w.between)}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---- Print-ready HTML ----------------------------------------------------------------------

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Self-contained and script-free, so the desk can render it into a new window (or save it) and
// print it; only inline styles, which the page's Content-Security-Policy allows.
const STYLE = `
  @page { size: A4; margin: 12mm; }
  body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; color: #000; margin: 16px; }
  h1 { font-size: 18pt; margin: 0 0 4px; }
  p.meta { margin: 0 0 12px; color: #333; }
  table { border-collapse: collapse; width: 100%; font-size: 11pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th, td { border: 1px solid #555; padding: 4px 8px; text-align: left; vertical-align: top; }
  thead th { background: #eee; }
  td.gap { font-weight: bold; }
  td.cancelled { color: #555; text-decoration: line-through; }
  @media print { body { margin: 0; } }
`;

export function sheetHtml(s: Sheet): string {
  const w = words(s.locale);
  const head = [w.date, w.time, ...s.posts].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = s.rows
    .map((row) => {
      const cells = row.cells
        .map((c, i) => {
          if (!c) return `<td data-post="${i + 1}"></td>`;
          const cls = c.cancelled ? ' class="cancelled"' : c.missing > 0 ? ' class="gap"' : '';
          return `<td data-post="${i + 1}" data-shift-id="${escapeHtml(c.shiftId)}"${cls}>${escapeHtml(cellText(c, s.locale))}</td>`;
        })
        .join('');
      return `<tr data-date="${row.date}"><th scope="row">${escapeHtml(dateLabel(row.date, s.locale))}</th><td>${row.time}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${s.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(w.title(s))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(w.title(s))}</h1>
${s.location ? `<p class="meta">${escapeHtml(s.location)}</p>\n` : ''}${s.rows.length === 0 ? `<p>${escapeHtml(w.empty)}</p>` : `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`}
</body>
</html>
`;
}

// ---- Excel ---------------------------------------------------------------------------------

/** The sheet as a workbook (exceljs is loaded on first use, to keep start-up fast), set up to print on A4. */
export async function sheetXlsx(s: Sheet): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const w = words(s.locale);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(s.locale === 'zh-CN' ? '值班表' : 'Duty sheet', {
    pageSetup: { paperSize: 9, orientation: s.posts.length > 3 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' },
  });
  sheet.addRow([safeCell(w.title(s))]).font = { bold: true, size: 14 };
  const header = sheet.addRow([w.date, w.time, ...s.posts.map(safeCell)]);
  header.font = { bold: true };
  for (const row of s.rows) {
    const added = sheet.addRow([dateLabel(row.date, s.locale), row.time, ...row.cells.map((c) => (c ? safeCell(cellText(c, s.locale)) : ''))]);
    row.cells.forEach((c, i) => {
      if (c && c.missing > 0) added.getCell(i + 3).font = { bold: true, color: { argb: 'FFC00000' } };
    });
  }
  sheet.columns.forEach((col, i) => {
    col.width = i === 0 ? 14 : i === 1 ? 8 : 28;
    col.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
