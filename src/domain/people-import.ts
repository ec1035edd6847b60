// Bulk import of people: a pasted list (one name a line, optionally ", phone" and ", team") or a
// CSV file with a header row (name, phone, email, team, locale). Pure: text in, rows or
// row-numbered problems out; the whole import is refused when any row is bad.
import { NAME_MAX, nameProblem, phoneProblem } from './validate.js';
import type { Locale } from './types.js';

export const IMPORT_MAX_ROWS = 1000;
const EMAIL_MAX = 200;

export interface ImportRow {
  /** The line of the text the row came from (1-based, counting the header). */
  line: number;
  name: string;
  phone: string | null;
  email: string | null;
  team: string | null;
  locale: Locale | null;
}

export interface ImportProblem {
  line: number;
  message: string;
}

export type ParsedImport = { ok: true; format: 'list' | 'csv'; rows: ImportRow[] } | { ok: false; format: 'list' | 'csv'; problems: ImportProblem[] };

/** Column names understood in a CSV header, with the Chinese ones a committee's sheet may use. */
const COLUMNS: Record<string, keyof Omit<ImportRow, 'line'>> = {
  name: 'name',
  姓名: 'name',
  名字: 'name',
  phone: 'phone',
  电话: 'phone',
  手机: 'phone',
  email: 'email',
  邮箱: 'email',
  team: 'team',
  building: 'team',
  楼栋: 'team',
  小组: 'team',
  locale: 'locale',
  language: 'locale',
  语言: 'locale',
};

const isPhone = (value: string): boolean => phoneProblem(value) === null;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes and newlines). */
function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

function readLocale(value: string): Locale | null | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  if (v === 'zh' || v === 'zh-cn' || v === '中文') return 'zh-CN';
  if (v === 'en' || v === 'english' || v === '英文') return 'en';
  return undefined;
}

/** Checks one row's values; answers the problems found (empty when it is fine). */
function check(row: ImportRow, localeText: string | null): string[] {
  const problems: string[] = [];
  if (row.name === '') problems.push('the name is missing');
  else if (row.name.length > NAME_MAX) problems.push(`the name is longer than ${NAME_MAX} characters`);
  else if (nameProblem(row.name)) problems.push(`the name ${nameProblem(row.name)}`);
  if (row.phone !== null && !isPhone(row.phone)) problems.push(`"${row.phone}" is not a phone number`);
  if (row.email !== null && (row.email.length > EMAIL_MAX || !EMAIL_RE.test(row.email))) problems.push(`"${row.email}" is not an email address`);
  if (row.team !== null && row.team.length > NAME_MAX) problems.push(`the team name is longer than ${NAME_MAX} characters`);
  else if (row.team !== null && nameProblem(row.team)) problems.push(`the team name ${nameProblem(row.team)}`);
  if (localeText !== null && row.locale === null && localeText.trim() !== '') problems.push(`language "${localeText}" is neither zh-CN nor en`);
  return problems;
}

const nullIfEmpty = (value: string | undefined): string | null => {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
};

/** A quoted cell may span lines (Alt+Enter in Excel); a name or a team name is one line, so its breaks become spaces. */
const oneLine = (value: string): string => value.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ');

function parseCsv(lines: { line: number; fields: string[] }[], header: (keyof Omit<ImportRow, 'line'> | null)[]): { rows: ImportRow[]; problems: ImportProblem[] } {
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  for (const { line, fields } of lines) {
    const value = (key: keyof Omit<ImportRow, 'line'>) => {
      const i = header.indexOf(key);
      return i < 0 ? undefined : fields[i];
    };
    const localeText = nullIfEmpty(value('locale'));
    const row: ImportRow = {
      line,
      name: oneLine(value('name') ?? '').trim(),
      phone: nullIfEmpty(value('phone')),
      email: nullIfEmpty(value('email')),
      team: nullIfEmpty(oneLine(value('team') ?? '')),
      locale: localeText === null ? null : (readLocale(localeText) ?? null),
    };
    const found = check(row, localeText);
    if (fields.length > header.length && fields.slice(header.length).some((f) => f.trim() !== '')) found.push(`it has ${fields.length} values but the header names ${header.length} columns`);
    if (found.length) problems.push({ line, message: `Row ${line}: ${found.join('; ')}.` });
    else rows.push(row);
  }
  return { rows, problems };
}

/** A pasted line: "name", "name, phone", "name, team" or "name, phone, team" (Chinese commas too). */
function parseListLine(text: string, line: number): { row: ImportRow; problems: string[] } {
  // \uFF0C is the full-width comma, written as an escape: one character above U+00FF in the bundle
  // makes V8 keep its whole source (megabytes, for the life of the process) two bytes a character,
  // slower to decode and parse at every start.
  const parts = text.split(/[,\uFF0C\t]/).map((p) => p.trim());
  const row: ImportRow = { line, name: parts[0] ?? '', phone: null, email: null, team: null, locale: null };
  const problems: string[] = [];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (row.phone === null && isPhone(part)) row.phone = part;
    else if (row.email === null && EMAIL_RE.test(part)) row.email = part;
    else if (row.team === null) row.team = part;
    else problems.push(`"${part}" is one value too many (a line is: name, phone, team)`);
  }
  return { row, problems: [...check(row, null), ...problems] };
}

/**
 * Reads a pasted list or a CSV file. It is CSV when its first line is a header naming a `name`
 * column (or 姓名); a UTF-8 byte-order mark (Excel's "CSV UTF-8") is ignored.
 */
export function parsePeopleImport(input: string): ParsedImport {
  const text = input.replace(/^\uFEFF/, '');
  const records = csvRecords(text);
  const first = records[0];
  const header = first?.fields.map((f) => COLUMNS[f.trim().toLowerCase()] ?? null);
  const isCsv = header !== undefined && header.includes('name');
  const format = isCsv ? 'csv' : 'list';
  let rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  if (isCsv) {
    const unknown = first!.fields.map((f) => f.trim()).filter((f, i) => header[i] === null && f !== '');
    if (unknown.length) problems.push({ line: first!.line, message: `Row ${first!.line}: unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; use name, phone, email, team, locale.` });
    const parsed = parseCsv(records.slice(1), header);
    rows = parsed.rows;
    problems.push(...parsed.problems);
  } else {
    text.split(/\r\n|\r|\n/).forEach((content, i) => {
      if (content.trim() === '') return;
      const { row, problems: found } = parseListLine(content, i + 1);
      if (found.length) problems.push({ line: i + 1, message: `Row ${i + 1}: ${found.join('; ')}.` });
      else rows.push(row);
    });
  }
  if (rows.length + problems.length === 0) problems.push({ line: 1, message: 'There is nobody to import: paste one name a line, or a CSV file with a header row.' });
  if (rows.length + problems.length > IMPORT_MAX_ROWS) problems.push({ line: 1, message: `At most ${IMPORT_MAX_ROWS} people can be imported at once.` });
  // The same person twice is almost always a list pasted twice: refuse rather than guess.
  const seen = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.name}|${row.phone ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push({ line: row.line, message: `Row ${row.line}: ${row.name}${row.phone ? ` (${row.phone})` : ''} is already on row ${earlier}.` });
    else seen.set(key, row.line);
  }
  problems.sort((a, b) => a.line - b.line);
  return problems.length ? { ok: false, format, problems } : { ok: true, format, rows };
}
