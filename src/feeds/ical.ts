// Writes a feed as iCalendar text (RFC 5545) with ical-generator, one VEVENT per shift.
// Traps avoided here (see STACK.md): a plain Date with an event zone would be written in the
// server's own zone, so starts and ends are TZDates; a calendar-level zone would strip the Z from
// DTSTAMP, so the calendar has none and each event names its own zone.
import { TZDate } from '@date-fns/tz';
import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventTransparency, escape } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { DAY_MS, instantToWall } from '../domain/time.js';

export type EventStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

export interface FeedEvent {
  uid: string;
  /** UTC instants (ms) and the IANA zone the times are shown in. */
  start: number;
  end: number;
  timezone: string;
  summary: string;
  description: string;
  location: string | null;
  status: EventStatus;
  /** TRANSPARENT: the event does not make the subscriber busy (others' duties, open shifts). */
  transparent: boolean;
  /** The last change to anything the event shows (ms): DTSTAMP, LAST-MODIFIED and SEQUENCE. */
  lastModified: number;
}

export interface FeedDocument {
  name: string;
  events: FeedEvent[];
}

/** Clients may poll this often (REFRESH-INTERVAL, X-PUBLISHED-TTL); Google ignores it. */
const REFRESH_SECONDS = 3600;

/**
 * SEQUENCE must grow whenever an event changes (RFC 5545 §3.8.7.4). The last change in whole
 * seconds since this epoch only ever grows, and needs no stored counter.
 */
const SEQUENCE_EPOCH = Date.UTC(2024, 0, 1);

function sequenceOf(lastModified: number): number {
  return Math.max(0, Math.floor((lastModified - SEQUENCE_EPOCH) / 1000));
}

interface ZoneBlock {
  tzid: string;
  vtimezone: string;
}

const zoneBlocks = new Map<string, ZoneBlock | null>();

/**
 * The VTIMEZONE for an IANA zone, under the TZID the library files it as (it maps links such as
 * PRC or Asia/Chongqing to their canonical zone), or null when the library does not know it.
 */
function zoneBlock(zone: string): ZoneBlock | null {
  let found = zoneBlocks.get(zone);
  if (found === undefined) {
    const answer = tzlib_get_ical_block(zone);
    const [vtimezone, tzidLine] = Array.isArray(answer) ? answer : [];
    found = vtimezone && tzidLine?.startsWith('TZID=') ? { tzid: tzidLine.slice('TZID='.length), vtimezone } : null;
    zoneBlocks.set(zone, found);
  }
  return found;
}

/**
 * Folds content lines at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character: a
 * continuation line is a space and up to 74 more octets. Linear in the text's length, unlike
 * ical-generator's folding, which allocates a TextEncoder per character (about half a second for
 * a 300 KB rota feed).
 */
function foldLines(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\r\n')) {
    let octets = 0;
    let from = 0;
    for (let i = 0; i < line.length; ) {
      const cp = line.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (octets + size > 75) {
        out.push(line.slice(from, i), '\r\n ');
        from = i;
        octets = 1;
      }
      octets += size;
      i += units;
    }
    out.push(line.slice(from), '\r\n');
  }
  out.pop();
  return out.join('');
}

/**
 * Does the wall time this instant shows in `zone` happen twice (the hour repeated when clocks go
 * back)? Then `TZID=…:20261025T023000` is ambiguous: RFC 5545 §3.3.5 says the first occurrence,
 * but libical, python-icalendar, ical.js and others read the second, vobject the first.
 */
function occursTwice(instant: number, zone: string): boolean {
  const wall = instantToWall(instant, zone);
  const offset = wall - instant;
  // Any other offset the zone has within a day either side, and whether it shows the same wall time.
  return [instant - DAY_MS, instant + DAY_MS].some((probe) => {
    const other = instantToWall(probe, zone) - probe;
    return other !== offset && instantToWall(wall - other, zone) === wall;
  });
}

const utcForm = (instant: number) => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/**
 * Writes DTSTART or DTEND in UTC (`DTSTART:20261025T003000Z`) where its local time happens twice,
 * so every parser reads the same instant; the other property keeps its TZID (RFC 5545 allows each
 * its own form). ical-generator writes both in the event's zone, so its line is replaced.
 */
function unambiguous(eventText: string, name: 'DTSTART' | 'DTEND', instant: number, zone: string): string {
  if (!occursTwice(instant, zone)) return eventText;
  return eventText.replace(new RegExp(`^${name};TZID=[^:\r\n]*:\\d{8}T\\d{6}\r\n`, 'm'), `${name}:${utcForm(instant)}\r\n`);
}

export function renderCalendar(doc: FeedDocument): string {
  const calendar = ical({
    prodId: { company: 'Rota', product: 'Rota feeds', language: 'EN' },
    // ical-generator writes NAME and X-WR-CALNAME as given, without escaping; a name is one line.
    name: escape(doc.name.replace(/\s*[\r\n]+\s*/g, ' '), false),
    scale: 'GREGORIAN',
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
  });
  const vtimezones = new Map<string, string>();
  const events: string[] = [];
  for (const e of doc.events) {
    // UTC zones need no VTIMEZONE; a zone the library does not know is written in UTC, which every
    // client reads right, rather than as a TZID that Outlook could not resolve.
    const block = e.timezone === 'UTC' || e.timezone === 'Etc/UTC' ? null : zoneBlock(e.timezone);
    const event = calendar.createEvent({
      id: e.uid,
      sequence: sequenceOf(e.lastModified),
      stamp: new Date(e.lastModified),
      lastModified: new Date(e.lastModified),
      start: block ? new TZDate(e.start, e.timezone) : new Date(e.start),
      end: block ? new TZDate(e.end, e.timezone) : new Date(e.end),
      summary: e.summary,
      description: e.description,
      status: ICalEventStatus[e.status],
      ...(e.transparent ? { transparency: ICalEventTransparency.TRANSPARENT } : {}),
      ...(e.location ? { location: e.location } : {}),
    });
    if (block) {
      event.timezone(block.tzid);
      vtimezones.set(block.tzid, block.vtimezone.replace(/\r?\n/g, '\r\n').trim() + '\r\n');
    }
    // An event's own text is unfolded; the calendar's would be folded by ical-generator (slowly).
    const text = event.toString();
    events.push(block ? unambiguous(unambiguous(text, 'DTSTART', e.start, e.timezone), 'DTEND', e.end, e.timezone) : text);
  }
  // The calendar without its events is the envelope: properties, then END:VCALENDAR. Zones go
  // between them and the events, in the order first used (ical-generator's own VTIMEZONE
  // generator would write them before REFRESH-INTERVAL and X-PUBLISHED-TTL, a component before
  // calendar properties, which RFC 5545 §3.4 does not allow).
  calendar.clear();
  const envelope = calendar.toString();
  const end = envelope.lastIndexOf('END:VCALENDAR');
  // Every content line ends with CRLF, the last one too (RFC 5545 §3.1).
  return `${envelope.slice(0, end)}${foldLines([...vtimezones.values(), ...events].join(''))}${envelope.slice(end).trimEnd()}\r\n`;
}
