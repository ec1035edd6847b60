// Reads a school's term calendar (.ics): every all-day event becomes closed days.
import { RotaError } from '../domain/errors.js';
import { DAY_MS, formatDate, parseDate } from '../domain/time.js';
import type { DayInput } from './calendars.js';

export interface IcsDays {
  days: DayInput[];
  /** Events that are not all-day (a timed meeting) and so close nothing. */
  skipped: string[];
}

const MAX_DAYS = 3660;

/** Parses ICS text with ical.js (loaded on first use, to keep start-up fast). */
export async function parseIcsDays(text: string): Promise<IcsDays> {
  const { default: ICAL } = await import('ical.js');
  let root: InstanceType<typeof ICAL.Component>;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new RotaError('VALIDATION', `The file is not a readable iCalendar (.ics) file: ${(error as Error).message}`, { field: 'body' });
  }
  if (root.name !== 'vcalendar') throw new RotaError('VALIDATION', 'The file is not an iCalendar file: it has no VCALENDAR.', { field: 'body' });
  const byDate = new Map<string, DayInput>();
  const skipped: string[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const summary = (event.summary ?? '').trim().slice(0, 200) || null;
    if (!event.startDate || !event.startDate.isDate) {
      skipped.push(summary ?? '(untitled)');
      continue;
    }
    const starts: InstanceType<typeof ICAL.Time>[] = [];
    if (event.isRecurring()) {
      const it = event.iterator();
      for (let next = it.next(), n = 0; next && n < 400; next = it.next(), n++) starts.push(next);
    } else {
      starts.push(event.startDate);
    }
    const lengthDays = event.endDate && event.endDate.isDate ? Math.max(1, Math.round((toMs(event.endDate) - toMs(event.startDate)) / DAY_MS)) : 1;
    for (const start of starts) {
      for (let i = 0; i < lengthDays; i++) {
        const date = formatDate(toMs(start) + i * DAY_MS);
        if (parseDate(date) === null) continue;
        byDate.set(date, { date, kind: 'closed', label: summary });
      }
      if (byDate.size > MAX_DAYS) throw new RotaError('VALIDATION', `The file closes more than ${MAX_DAYS} days; import one term or year at a time.`, { field: 'body' });
    }
  }
  return { days: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), skipped };
}

function toMs(t: { year: number; month: number; day: number }): number {
  return Date.UTC(t.year, t.month - 1, t.day);
}
