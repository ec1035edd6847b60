// Day calendars: dated exceptions shared by series. `closed` removes a day's shifts,
// `open` (a make-up working day, 调休) adds one at the series' usual time; closed wins.
import cnMainland from './cn-mainland.json' with { type: 'json' };
import { dateRange } from './time.js';

export type DayKind = 'closed' | 'open';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  label: string | null;
}

/** The days every calendar of one series says, merged: a date closed in any calendar is closed. */
export interface DayRules {
  closed: ReadonlySet<string>;
  open: ReadonlySet<string>;
}

export const NO_DAYS: DayRules = { closed: new Set(), open: new Set() };

export function mergeCalendars(calendars: readonly (readonly CalendarDay[])[]): DayRules {
  const closed = new Set<string>();
  const open = new Set<string>();
  for (const days of calendars) {
    for (const day of days) (day.kind === 'closed' ? closed : open).add(day.date);
  }
  for (const date of closed) open.delete(date);
  return { closed, open };
}

export interface PresetCalendar {
  id: string;
  name: string;
  timezone: string;
  years: number[];
  sources: Record<string, string>;
  days: CalendarDay[];
}

function cnMainlandDays(): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (const year of Object.values(cnMainland.years)) {
    for (const holiday of year.closed) {
      for (const date of dateRange(holiday.from, holiday.to)) days.push({ date, kind: 'closed', label: holiday.name });
    }
    for (const makeUp of year.open) days.push({ date: makeUp.date, kind: 'open', label: makeUp.name });
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

function buildCnMainland(): PresetCalendar {
  let days: CalendarDay[] | null = null;
  return {
    id: 'cn-mainland',
    name: '中国大陆法定节假日及调休 Mainland China public holidays and make-up working days',
    timezone: 'Asia/Shanghai',
    years: Object.keys(cnMainland.years).map(Number),
    sources: cnMainland.sources,
    // Listed on first use, not when the module loads: the start of the service does not need them.
    get days() {
      return (days ??= cnMainlandDays());
    },
  };
}

/** Built-in read-only calendars, by id. */
export const PRESET_CALENDARS: ReadonlyMap<string, PresetCalendar> = new Map([['cn-mainland', buildCnMainland()]]);

/** Years in [fromYear, toYear] that a preset calendar has no data for. */
export function missingPresetYears(preset: PresetCalendar, fromYear: number, toYear: number): number[] {
  const missing: number[] = [];
  for (let y = fromYear; y <= toYear; y++) if (!preset.years.includes(y)) missing.push(y);
  return missing;
}
