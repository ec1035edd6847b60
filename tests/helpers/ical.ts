// Two independent iCalendar parsers, read into one shape so tests can compare them: ical.js (the
// parser our web page uses) and Debian's python3-icalendar. ical.js resolves TZIDs with the feed's
// own VTIMEZONEs; python-icalendar resolves them with pytz's Olson data, and we also convert each
// time with the feed's VTIMEZONE through python-icalendar (`utcByVtimezone`), a third opinion.
// Debian's python3-vobject (`instantsByVobject`) is a fourth, with its own reading of VTIMEZONE:
// it takes an ambiguous local time as its first occurrence, where the others take the second.
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import ICAL from 'ical.js';

export interface ParsedTime {
  /** The instant, `YYYY-MM-DDTHH:MM:SSZ`. */
  utc: string;
  tzid: string | null;
  /** The wall time as written, `YYYY-MM-DDTHH:MM:SS` (in `tzid`, or in UTC for a Z time). */
  local: string;
}

export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  location: string | null;
  status: string | null;
  transp: string | null;
  sequence: number;
  dtstamp: string;
  lastModified: string | null;
  start: ParsedTime;
  end: ParsedTime;
}

export interface ParsedCalendar {
  name: string | null;
  refreshInterval: string | null;
  publishedTtl: string | null;
  timezones: string[];
  events: ParsedEvent[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function icalTime(t: InstanceType<typeof ICAL.Time>, tzid: string | undefined): ParsedTime {
  const local = `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  return { utc: new Date(t.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z'), tzid: tzid ?? null, local };
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Parses with ical.js 1.5, resolving TZIDs only with the VTIMEZONEs in the text itself. */
export function parseWithIcalJs(ics: string): ParsedCalendar {
  // ical.js keeps unknown properties raw; calendar clients read X-WR-CALNAME as TEXT.
  ICAL.design.defaultSet.property['x-wr-calname'] = { defaultType: 'text' };
  const root = new ICAL.Component(ICAL.parse(ics));
  // The zone registry is global: start empty so that a feed missing a VTIMEZONE cannot pass.
  ICAL.TimezoneService.reset();
  const timezones = root.getAllSubcomponents('vtimezone');
  for (const zone of timezones) ICAL.TimezoneService.register(zone);
  const events = root.getAllSubcomponents('vevent').map((c): ParsedEvent => {
    const start = c.getFirstProperty('dtstart')!;
    const end = c.getFirstProperty('dtend')!;
    const stamp = c.getFirstPropertyValue('dtstamp') as InstanceType<typeof ICAL.Time>;
    const modified = c.getFirstPropertyValue('last-modified') as InstanceType<typeof ICAL.Time> | null;
    return {
      uid: String(c.getFirstPropertyValue('uid')),
      summary: String(c.getFirstPropertyValue('summary')),
      description: String(c.getFirstPropertyValue('description')),
      location: text(c.getFirstPropertyValue('location')),
      status: text(c.getFirstPropertyValue('status')),
      transp: text(c.getFirstPropertyValue('transp')),
      sequence: Number(c.getFirstPropertyValue('sequence')),
      dtstamp: icalTime(stamp, undefined).utc,
      lastModified: modified ? icalTime(modified, undefined).utc : null,
      start: icalTime(start.getFirstValue() as InstanceType<typeof ICAL.Time>, start.getParameter('tzid')),
      end: icalTime(end.getFirstValue() as InstanceType<typeof ICAL.Time>, end.getParameter('tzid')),
    };
  });
  return {
    name: text(root.getFirstPropertyValue('x-wr-calname')),
    refreshInterval: text(root.getFirstPropertyValue('refresh-interval')),
    publishedTtl: text(root.getFirstPropertyValue('x-published-ttl')),
    timezones: timezones.map((z) => String(z.getFirstPropertyValue('tzid'))),
    events,
  };
}

const PYTHON = String.raw`
import json, sys
from datetime import timezone
import icalendar

cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
zones = {str(z['TZID']): z.to_tz() for z in cal.walk('VTIMEZONE')}

def utc(dt):
    return dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')

def when(prop):
    dt = prop.dt
    tzid = prop.params.get('TZID')
    local = dt.replace(tzinfo=None).strftime('%Y-%m-%dT%H:%M:%S')
    out = {'utc': utc(dt), 'tzid': str(tzid) if tzid else None, 'local': local}
    if tzid:
        out['utcByVtimezone'] = utc(zones[str(tzid)].localize(dt.replace(tzinfo=None))) if str(tzid) in zones else None
    return out

def opt(component, name):
    value = component.get(name)
    return None if value is None else str(value)

events = []
for ev in cal.walk('VEVENT'):
    events.append({
        'uid': str(ev['UID']),
        'summary': str(ev['SUMMARY']),
        'description': str(ev['DESCRIPTION']),
        'location': opt(ev, 'LOCATION'),
        'status': opt(ev, 'STATUS'),
        'transp': opt(ev, 'TRANSP'),
        'sequence': int(ev['SEQUENCE']),
        'dtstamp': utc(ev['DTSTAMP'].dt),
        'lastModified': utc(ev['LAST-MODIFIED'].dt) if 'LAST-MODIFIED' in ev else None,
        'start': when(ev['DTSTART']),
        'end': when(ev['DTEND']),
    })
json.dump({
    'name': opt(cal, 'X-WR-CALNAME'),
    'refreshInterval': opt(cal, 'REFRESH-INTERVAL'),
    'publishedTtl': opt(cal, 'X-PUBLISHED-TTL'),
    'timezones': [str(z['TZID']) for z in cal.walk('VTIMEZONE')],
    'events': events,
}, sys.stdout, ensure_ascii=False)
`;

interface PythonTime extends ParsedTime {
  /** The wall time converted with the feed's own VTIMEZONE (only for TZID times). */
  utcByVtimezone?: string | null;
}

type PythonCalendar = Omit<ParsedCalendar, 'events'> & { events: (Omit<ParsedEvent, 'start' | 'end'> & { start: PythonTime; end: PythonTime })[] };

/** Parses with Debian's python3-icalendar, run by /usr/bin/python3 (the python3 on PATH lacks it). */
function parseWithPython(ics: string): PythonCalendar {
  const out = execFileSync('/usr/bin/python3', ['-c', PYTHON], { input: Buffer.from(ics, 'utf8'), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as PythonCalendar;
}

/** Python's answer in the shared shape, once its VTIMEZONE conversions were checked. */
function withoutVtimezoneCheck(cal: PythonCalendar): ParsedCalendar {
  const strip = ({ utcByVtimezone: _checked, ...time }: PythonTime): ParsedTime => time;
  return { ...cal, events: cal.events.map((e) => ({ ...e, start: strip(e.start), end: strip(e.end) })) };
}

/** Both parsers' readings; throws unless they agree with each other and with the VTIMEZONEs. */
export function parseBoth(ics: string): ParsedCalendar {
  const js = parseWithIcalJs(ics);
  const py = parseWithPython(ics);
  for (const e of py.events) {
    for (const t of [e.start, e.end]) {
      if (t.tzid !== null && t.utcByVtimezone !== t.utc) {
        throw new Error(`${e.uid}: the VTIMEZONE of ${t.tzid} puts ${t.local} at ${t.utcByVtimezone}, pytz at ${t.utc}`);
      }
    }
  }
  const pyShared = withoutVtimezoneCheck(py);
  if (!isDeepStrictEqual(js, pyShared)) {
    throw new Error(`ical.js and python-icalendar read the feed differently:\n${JSON.stringify(js, null, 1)}\n---\n${JSON.stringify(pyShared, null, 1)}`);
  }
  return js;
}

const VOBJECT = String.raw`
import json, sys
from datetime import timezone
import vobject

cal = vobject.readOne(sys.stdin.buffer.read().decode('utf-8'))
def utc(dt):
    return dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
json.dump([{'uid': ev.uid.value, 'start': utc(ev.dtstart.value), 'end': utc(ev.dtend.value)} for ev in getattr(cal, 'vevent_list', [])], sys.stdout)
`;

/** Each event's UID and instants as Debian's python3-vobject reads them (TZIDs through the feed's VTIMEZONEs). */
export function instantsByVobject(ics: string): { uid: string; start: string; end: string }[] {
  const out = execFileSync('/usr/bin/python3', ['-c', VOBJECT], { input: Buffer.from(ics, 'utf8'), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as { uid: string; start: string; end: string }[];
}
