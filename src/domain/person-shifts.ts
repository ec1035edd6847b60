// Person-shifts (人次): the unit of every report. One person on one shift counts 1 when
// attended (walk-ins included), or when confirmed, ended and not marked no-show on a rota that
// counts unmarked shifts. Distinct people (人数) are counted on their own: they do not add up.
// Service time (服务时长) comes with each person-shift: check-in to check-out where both exist, else
// the shift's length (src/domain/checkin.ts, serviceMinutes), in whole minutes that add up.

/** `unit`: one row per unit of a level (community, street, …) below an ancestor, counted by the rota's unit (issue 13). */
export type GroupBy = 'person' | 'team' | 'rota' | 'month' | 'unit';

export const GROUP_BYS: readonly GroupBy[] = ['person', 'team', 'rota', 'month', 'unit'];

export interface CountedSignup {
  personId: number;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  attendance: 'attended' | 'no_show' | null;
  endAt: number;
}

/** The counting rule, for one sign-up. The statistics query states the same rule in SQL. */
export function countsAsPersonShift(s: CountedSignup, countUnmarked: boolean, now: number): boolean {
  if (s.status === 'cancelled') return false;
  if (s.attendance === 'attended') return true;
  return s.status === 'confirmed' && s.attendance === null && countUnmarked && s.endAt <= now;
}

export interface StatsRow {
  key: string;
  label: string;
  personShifts: number;
  people: number;
  /** Service time (服务时长) of the counted sign-ups: whole minutes add up over rows; hours is minutes / 60 to 2 places. */
  minutes: number;
  hours: number;
}

export interface StatsTable {
  groupBy: GroupBy;
  rows: StatsRow[];
  total: { personShifts: number; people: number; minutes: number; hours: number };
}

/** Hours from whole minutes, to two decimal places. */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** Header words for exports, in the reader's language. */
export function statsHeaders(groupBy: GroupBy, locale: 'zh-CN' | 'en'): [string, string, string, string, string] {
  const zh = locale === 'zh-CN';
  const group = {
    person: zh ? '志愿者' : 'Volunteer',
    team: zh ? '楼栋/团队' : 'Team',
    rota: zh ? '值守任务' : 'Rota',
    month: zh ? '月份' : 'Month',
    unit: zh ? '单位' : 'Unit',
  }[groupBy];
  return [zh ? '编号' : 'Key', group, zh ? '人次' : 'Person-shifts', zh ? '人数' : 'People', zh ? '服务时长（小时）' : 'Hours'];
}

export function totalLabel(locale: 'zh-CN' | 'en'): string {
  return locale === 'zh-CN' ? '合计' : 'Total';
}

/**
 * A spreadsheet cell that cannot run as a formula: text starting with = + - @ (or a tab or
 * carriage return) is prefixed with an apostrophe (OWASP CSV injection guidance).
 */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens Chinese text correctly. */
export function statsCsv(table: StatsTable, locale: 'zh-CN' | 'en'): string {
  const quote = (v: string | number) => {
    const s = typeof v === 'number' ? String(v) : safeCell(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [statsHeaders(table.groupBy, locale).map(quote).join(',')];
  for (const r of table.rows) lines.push([r.key, r.label, r.personShifts, r.people, r.hours].map(quote).join(','));
  lines.push(['', totalLabel(locale), table.total.personShifts, table.total.people, table.total.hours].map(quote).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
