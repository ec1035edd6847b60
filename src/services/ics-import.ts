// Reads a school's term calendar (.ics): every all-day event becomes closed days.
// A file comes from outside, so reading it is bounded: the text is cut into events here and each
// event is parsed on its own, the work yields to other requests every few milliseconds, rules are
// expanded by the domain's bounded expansion (never by a library's open-ended iterator), and a
// rule that never happens, an event that lasts for ages or a file that needs too much work is
// refused with a 400 that names the event and its line.
import { RotaError } from '../domain/errors.js';
import { occurrences, parseRule, type RuleSpec } from '../domain/rule.js';
import { DAY_MS, formatDate, parseDate } from '../domain/time.js';
import type { DayInput } from './calendars.js';

export interface IcsDays {
  days: DayInput[];
  /** Events that are not all-day (a timed meeting) and so close nothing. */
  skipped: string[];
}

/** What one import may cost; documented in README "Recurrence → Limits". */
const LIMITS = {
  /** Distinct days one file may close. */
  maxDays: 3660,
  /** Days one event may last (DTEND or DURATION). */
  maxEventDays: 3660,
  /** Repeats of one recurring event that are read (an open-ended rule stops here). */
  maxRepeats: 400,
  /** Years after its start within which a recurring event's repeats are read. */
  repeatYears: 10,
  /** Event-days (each day of each repeat of each event) one file may spell out. */
  maxSteps: 100_000,
  /** Events one file may hold. */
  maxEvents: 5_000,
  /** Time spent working on one file (waiting for other requests not counted). */
  budgetMs: 5_000,
  /** Longest stretch of work before other requests get their turn. */
  sliceMs: 10,
} as const;

function refuse(message: string, line?: number): never {
  throw new RotaError('VALIDATION', message, line === undefined ? { field: 'body' } : { field: 'body', line });
}

/** Gives other requests their turn every `sliceMs` of work; stops when the budget is spent or the server is closing. */
class Pacer {
  private sliceStart = performance.now();
  private spent = 0;

  constructor(private readonly signal: AbortSignal | undefined) {}

  async tick(): Promise<void> {
    const now = performance.now();
    if (now - this.sliceStart < LIMITS.sliceMs) return;
    this.spent += now - this.sliceStart;
    if (this.spent > LIMITS.budgetMs) {
      refuse(`The file takes too long to read (more than ${LIMITS.budgetMs / 1000} s of work); import one term or year at a time.`);
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (this.signal?.aborted) throw new RotaError('SHUTTING_DOWN', 'The server is restarting; send the file again in a minute.');
    this.sliceStart = performance.now();
  }
}

interface Block {
  /** Physical line (1-based) where each unfolded line of the block begins. */
  lines: { text: string; line: number }[];
}

/** Unfolds lines (RFC 5545 §3.1) and cuts out the VEVENT blocks, checking the calendar's frame. */
async function splitEvents(text: string, pacer: Pacer): Promise<Block[]> {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const logical: { text: string; line: number }[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && logical.length > 0) logical[logical.length - 1]!.text += raw.slice(1);
    else if (raw.trim() !== '') logical.push({ text: raw, line: i + 1 });
    if (i % 2000 === 0) await pacer.tick();
  }
  if (!/^BEGIN:VCALENDAR$/i.test(logical[0]?.text.trim() ?? '')) {
    refuse('The file is not an iCalendar (.ics) file: it does not start with BEGIN:VCALENDAR.');
  }
  const events: Block[] = [];
  const open: { name: string; line: number }[] = [];
  let current: Block | null = null;
  for (let i = 0; i < logical.length; i++) {
    const entry = logical[i]!;
    const begin = /^BEGIN:(.+)$/i.exec(entry.text.trim());
    const end = /^END:(.+)$/i.exec(entry.text.trim());
    if (begin) {
      const name = begin[1]!.toUpperCase();
      if (open.length === 0 && i > 0) refuse(`The iCalendar (.ics) file has ${entry.text.trim()} outside its VCALENDAR on line ${entry.line}.`, entry.line);
      open.push({ name, line: entry.line });
      if (name === 'VEVENT' && open.length === 2) {
        if (events.length >= LIMITS.maxEvents) refuse(`The file has more than ${LIMITS.maxEvents} events; import one term or year at a time.`, entry.line);
        current = { lines: [] };
      }
    }
    if (current) current.lines.push(entry);
    if (end) {
      const name = end[1]!.toUpperCase();
      const top = open.pop();
      if (!top || top.name !== name) {
        refuse(`The iCalendar (.ics) file is not well formed: line ${entry.line} ends ${name}${top ? `, but ${top.name} began on line ${top.line}` : ' that never began'}.`, entry.line);
      }
      if (name === 'VEVENT' && open.length === 1 && current) {
        events.push(current);
        current = null;
      }
      if (open.length === 0 && i < logical.length - 1) refuse(`The iCalendar (.ics) file goes on after END:VCALENDAR on line ${entry.line}.`, logical[i + 1]!.line);
    }
    if (i % 500 === 0) await pacer.tick();
  }
  if (open.length > 0) refuse(`The iCalendar (.ics) file is cut off: ${open[open.length - 1]!.name} begun on line ${open[open.length - 1]!.line} never ends.`);
  return events;
}

type ICALModule = typeof import('ical.js').default;
type ICALTime = InstanceType<ICALModule['Time']>;

const toMs = (t: { year: number; month: number; day: number }) => Date.UTC(t.year, t.month - 1, t.day);

function lineOf(block: Block, property: string): number {
  const re = new RegExp(`^${property}[;:]`, 'i');
  return block.lines.find((l) => re.test(l.text))?.line ?? block.lines[0]!.line;
}

/** The days an all-day event lasts, refusing absurd lengths before any day is spelt out. */
function lengthDays(ICAL: ICALModule, component: InstanceType<ICALModule['Component']>, start: ICALTime, where: string, block: Block): number {
  const end = component.getFirstPropertyValue('dtend') as ICALTime | null;
  const duration = component.getFirstPropertyValue('duration') as InstanceType<ICALModule['Duration']> | null;
  let days = 1;
  let line = block.lines[0]!.line;
  if (end && typeof end.year === 'number') {
    line = lineOf(block, 'DTEND');
    days = Math.round((toMs(end) - toMs(start)) / DAY_MS);
  } else if (duration instanceof ICAL.Duration) {
    line = lineOf(block, 'DURATION');
    days = Math.ceil(duration.toSeconds() / 86_400);
  }
  if (!Number.isFinite(days)) refuse(`The event ${where} has an unreadable end on line ${line}.`, line);
  if (days > LIMITS.maxEventDays) {
    refuse(`The event ${where} lasts ${days} days (line ${line}); an event may close at most ${LIMITS.maxEventDays} days. Check its end date.`, line);
  }
  return Math.max(1, days);
}

/** All-day dates a property such as EXDATE or RDATE lists (a PERIOD counts by its start). */
function listedDates(component: InstanceType<ICALModule['Component']>, name: string): number[] {
  const out: number[] = [];
  for (const prop of component.getAllProperties(name)) {
    for (const value of prop.getValues()) {
      const t = (value as { start?: ICALTime }).start ?? (value as ICALTime);
      if (typeof t?.year === 'number') out.push(toMs(t));
    }
  }
  return out;
}

/**
 * The starts of a recurring all-day event, read with the domain's bounded rule expansion one year
 * at a time, so that a rule that never matches costs at most a year's walk between pauses. COUNT
 * keeps the first repeats of the open-ended rule, which is what it means (RFC 5545 §3.3.10).
 */
async function repeats(rawRule: string, dtstart: number, where: string, line: number, pacer: Pacer): Promise<number[]> {
  let spec: RuleSpec;
  try {
    spec = parseRule(rawRule);
  } catch (error) {
    if (error instanceof RotaError) refuse(`The event ${where} has a rule on line ${line} that cannot be used: ${error.message}`, line);
    throw error;
  }
  if (spec.freq === 'HOURLY') refuse(`The event ${where} is all-day but repeats hourly (line ${line}); an all-day event repeats at most daily.`, line);
  const until = spec.until === null ? null : spec.until.kind === 'date' ? spec.until.value + DAY_MS - 1 : spec.until.value;
  const open: RuleSpec = { ...spec, count: null, options: { ...spec.options, count: null } };
  const limit = Math.min(spec.count ?? Infinity, LIMITS.maxRepeats);
  const start = new Date(dtstart);
  const found: number[] = [];
  for (let year = 0; year < LIMITS.repeatYears && found.length < limit; year++) {
    const from = Date.UTC(start.getUTCFullYear() + year, start.getUTCMonth(), start.getUTCDate());
    const to = Date.UTC(start.getUTCFullYear() + year + 1, start.getUTCMonth(), start.getUTCDate()) - 1;
    if (until !== null && from > until) break;
    found.push(...occurrences(open, dtstart, until, from, to, limit - found.length));
    await pacer.tick();
  }
  if (found.length === 0 && (until === null || until >= dtstart)) {
    refuse(
      `The event ${where} repeats by RRULE:${spec.body} (line ${line}), which names a day that never comes (such as 30 February) within ${LIMITS.repeatYears} years; correct or remove the rule.`,
      line,
    );
  }
  return found;
}

/** The first line of an event that ical.js cannot read on its own. */
async function unreadableLine(ICAL: ICALModule, block: Block, pacer: Pacer): Promise<number> {
  for (const entry of block.lines.slice(1, -1)) {
    try {
      ICAL.parse(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n${entry.text}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`);
    } catch {
      return entry.line;
    }
    await pacer.tick();
  }
  return block.lines[0]!.line;
}

/**
 * Parses ICS text (ical.js, loaded on first use to keep start-up fast) into closed days.
 * `signal` ends the work early when the server is closing.
 */
export async function parseIcsDays(text: string, signal?: AbortSignal): Promise<IcsDays> {
  const { default: ICAL } = await import('ical.js');
  const pacer = new Pacer(signal);
  const blocks = await splitEvents(text, pacer);
  const byDate = new Map<string, DayInput>();
  const skipped: string[] = [];
  let steps = 0;
  for (const block of blocks) {
    await pacer.tick();
    const first = block.lines[0]!.line;
    let component: InstanceType<typeof ICAL.Component>;
    try {
      const root = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${block.lines.map((l) => l.text).join('\r\n')}\r\nEND:VCALENDAR\r\n`));
      component = root.getFirstSubcomponent('vevent')!;
    } catch (error) {
      const bad = await unreadableLine(ICAL, block, pacer);
      const name = block.lines.find((l) => /^SUMMARY[;:]/i.test(l.text))?.text.replace(/^[^:]*:/, '').trim().slice(0, 200);
      refuse(`The event ${name ? `"${name}" ` : ''}beginning on line ${first} is not readable iCalendar (.ics) on line ${bad}: ${(error as Error).message}`, bad);
    }
    const summary = String(component.getFirstPropertyValue('summary') ?? '').trim().slice(0, 200) || null;
    const where = `${summary ? `"${summary}"` : '(untitled)'} beginning on line ${first}`;
    const start = component.getFirstPropertyValue('dtstart') as ICALTime | null;
    if (!start || typeof start.year !== 'number' || !start.isDate) {
      skipped.push(summary ?? '(untitled)');
      continue;
    }
    const length = lengthDays(ICAL, component, start, where, block);
    const dtstart = toMs(start);
    const starts = new Set<number>([dtstart]);
    for (const prop of component.getAllProperties('rrule')) {
      const line = block.lines.find((l) => /^RRULE[;:]/i.test(l.text))?.line ?? first;
      for (const at of await repeats(String(prop.getFirstValue()), dtstart, where, line, pacer)) starts.add(at);
    }
    for (const at of listedDates(component, 'rdate')) starts.add(at);
    for (const at of listedDates(component, 'exdate')) starts.delete(at);
    for (const at of [...starts].sort((a, b) => a - b)) {
      for (let i = 0; i < length; i++) {
        if (++steps > LIMITS.maxSteps) {
          refuse(`The file spells out more than ${LIMITS.maxSteps} event-days (the event ${where} was being read); import one term or year at a time.`, first);
        }
        const date = formatDate(at + i * DAY_MS);
        if (parseDate(date) === null) continue;
        byDate.set(date, { date, kind: 'closed', label: summary });
        if (byDate.size > LIMITS.maxDays) refuse(`The file closes more than ${LIMITS.maxDays} days; import one term or year at a time.`, first);
        if (steps % 1000 === 0) await pacer.tick();
      }
    }
  }
  return { days: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), skipped };
}
