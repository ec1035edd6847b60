// The benchmark's data set: a district (unit) of 10 streets and 500 communities, each community a
// unit with its team of 100 people homed in it, its one rota with four series (2,000 in all), and
// about a million sign-ups; the district coordinator coordinates the district unit. Rows are written
// with raw prepared statements in one transaction, but they are valid rows: shift ids come from
// shiftId(), starts and ends from the real expansion, capacities are respected and nobody holds
// two overlapping shifts.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { NO_DAYS, PRESET_CALENDARS, mergeCalendars, type DayRules } from '../src/domain/day-calendar.js';
import { expandSeries, type SeriesDef, type Shift } from '../src/domain/recurrence.js';

/** Bump when the data set changes, so a cached seeded file is not reused. */
export const SEED_VERSION = 2;

export const TEAMS = 500;
const STREETS = 10;
/** Unit ids: the migration's starting unit becomes the district, then the streets, then one community per team. */
const DISTRICT_UNIT = 1;
const streetUnit = (street: number) => DISTRICT_UNIT + street;
const communityUnit = (team: number) => DISTRICT_UNIT + STREETS + team;
const streetOf = (team: number) => Math.ceil((team * STREETS) / TEAMS);
const PEOPLE_PER_TEAM = 100;
/** People per series group: each series of a community has its own 25 regulars. */
const GROUP = 25;
const SIGNUPS_PER_SERIES = 500;
const ZONE = 'Asia/Shanghai';
export const COORDINATOR_ID = 1;

/** The seeded sign-ups cover these local dates; later shifts are left empty for the load. */
const SEEDED = { from: '2026-01-01', to: '2027-02-28' };
/** Shifts the load signs people up for (in the real server) or inserts (in the ceiling route). */
const TARGETS = { from: '2027-03-01', to: '2027-06-30' };
/** Every captain holds exactly this many live sign-ups in this window (inside any feed window around 2026-11-27). */
export const CAPTAIN_FEED = { events: 50, from: '2026-10-01', to: '2027-02-28' };
/** Sign-ups of shifts that ended before this count as past (attendance recorded for some). */
const SEEDED_AT = Date.parse('2026-11-27T00:00:00Z');

interface SeriesTemplate {
  label: string;
  rrule: string;
  startMinutes: number;
  durationMinutes: number;
  min: number;
  max: number;
  calendar: 'cn-mainland' | null;
}

// School gate on school days, evening patrol, weekend clean-up, visits to elderly neighbours:
// times never overlap, so one person may hold places in several series of a community.
const TEMPLATES: SeriesTemplate[] = [
  { label: '护学岗 school gate', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startMinutes: 7 * 60 + 15, durationMinutes: 45, min: 2, max: 4, calendar: 'cn-mainland' },
  { label: '夜间巡逻 evening patrol', rrule: 'FREQ=DAILY', startMinutes: 19 * 60, durationMinutes: 120, min: 1, max: 3, calendar: null },
  { label: '周末清洁 weekend clean-up', rrule: 'FREQ=WEEKLY;BYDAY=SA,SU', startMinutes: 9 * 60, durationMinutes: 180, min: 4, max: 8, calendar: null },
  { label: '探访老人 elderly visits', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', startMinutes: 15 * 60, durationMinutes: 60, min: 1, max: 3, calendar: null },
];
const SERIES_PER_ROTA = TEMPLATES.length;

const derived = (kind: string, id: number) => createHash('sha256').update(`rota-bench:${kind}:${id}`).digest().subarray(0, 24).toString('base64url');

/** A person's personal (access) token, derivable by the load generator. */
export const accessToken = (personId: number) => derived('access', personId);
/** A person's calendar (feed) token. */
export const feedToken = (personId: number) => derived('feed', personId);

export const personId = (team: number, index: number) => 2 + (team - 1) * PEOPLE_PER_TEAM + index;
const seriesId = (team: number, template: number) => (team - 1) * SERIES_PER_ROTA + template + 1;
/** Each community's captain: the first of its school-gate regulars. */
export const captainOf = (team: number) => personId(team, 0);

export interface Target {
  personId: number;
  shiftId: string;
  seriesId: number;
  rotaId: number;
  startAt: number;
  endAt: number;
  localDate: string;
  max: number;
}

export interface Manifest {
  seedVersion: number;
  /** The district, its streets and its communities. */
  units: number;
  signups: number;
  people: number;
  series: number;
  /** Empty future school-gate places, one (person, shift) pair each, for the sign-up load. */
  signupTargets: Target[];
  /** Empty future clean-up places for the ceiling's raw insert, disjoint from the above. */
  insertTargets: Target[];
}

function seriesDef(team: number, template: number): SeriesDef {
  const t = TEMPLATES[template]!;
  // Communities start their duties at slightly different times: 0, 15 or 30 minutes later.
  const minutes = t.startMinutes + (team % 3) * 15;
  return {
    id: seriesId(team, template),
    rotaId: team,
    timezone: ZONE,
    endDate: null,
    versions: [
      {
        validFrom: SEEDED.from,
        rrule: t.rrule,
        startTime: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
        durationMinutes: t.durationMinutes,
        minVolunteers: t.min,
        maxVolunteers: t.max,
      },
    ],
  };
}

/** The series of the first communities with their day rules, as the expansion benchmark takes them. */
export function districtSeries(count: number): { def: SeriesDef; days: DayRules }[] {
  const cnDays = mergeCalendars([PRESET_CALENDARS.get('cn-mainland')!.days]);
  return Array.from({ length: count }, (_, i) => {
    const template = i % SERIES_PER_ROTA;
    return { def: seriesDef(Math.floor(i / SERIES_PER_ROTA) + 1, template), days: TEMPLATES[template]!.calendar ? cnDays : NO_DAYS };
  });
}

/** The shifts of a series over a range longer than one API window, expanded a year at a time. */
function shiftsOf(def: SeriesDef, days: DayRules, from: string, to: string): Shift[] {
  const out: Shift[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    const a = year === Number(from.slice(0, 4)) ? from : `${year}-01-01`;
    const b = year === Number(to.slice(0, 4)) ? to : `${year}-12-31`;
    out.push(...expandSeries(def, { from: a, to: b }, days));
  }
  return out;
}

/** Seeds the district into a migrated, empty database file; returns what the load needs. */
export function seedDistrict(file: string): Manifest {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  db.pragma('foreign_keys = ON');
  const cnDays = mergeCalendars([PRESET_CALENDARS.get('cn-mainland')!.days]);
  const created = Date.parse('2025-12-01T02:00:00Z');

  // The migration gave the empty database its starting unit (id 1, a community); it becomes the district.
  const makeDistrict = db.prepare("UPDATE units SET name = ?, kind = 'district' WHERE id = ?");
  const insertUnit = db.prepare('INSERT INTO units (id, name, kind, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertClosure = db.prepare('INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES (?, ?, ?)');
  const insertRole = db.prepare("INSERT INTO unit_roles (person_id, unit_id, role, created_at) VALUES (?, ?, 'coordinator', ?)");
  const insertTeam = db.prepare('INSERT INTO teams (id, name, unit_id, feed_token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertPerson = db.prepare(
    "INSERT INTO people (id, name, phone, locale, role, home_team_id, unit_id, access_token_hash, feed_token, created_at, updated_at) VALUES (?, ?, ?, 'zh-CN', ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertMember = db.prepare('INSERT INTO team_members (team_id, person_id, joined_at) VALUES (?, ?, ?)');
  const insertRota = db.prepare('INSERT INTO rotas (id, name, timezone, location, unit_id, feed_token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertRotaTeam = db.prepare('INSERT INTO rota_teams (rota_id, team_id) VALUES (?, ?)');
  const insertSeries = db.prepare('INSERT INTO series (id, rota_id, label, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const insertVersion = db.prepare(
    'INSERT INTO series_versions (series_id, valid_from, rrule, start_time, duration_minutes, min_volunteers, max_volunteers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertSeriesCalendar = db.prepare('INSERT INTO series_calendars (series_id, calendar_id) VALUES (?, ?)');
  const insertSignup = db.prepare(
    'INSERT INTO signups (shift_id, series_id, rota_id, person_id, status, attendance, start_at, end_at, local_date, created_by, created_at, updated_at, cancelled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const hash = (token: string) => createHash('sha256').update(token).digest('hex');
  const manifest: Manifest = { seedVersion: SEED_VERSION, units: 0, signups: 0, people: 0, series: 0, signupTargets: [], insertTargets: [] };

  const signUp = (shift: Shift, person: number, j: number) => {
    const ended = shift.end <= SEEDED_AT;
    const cancelled = j % 50 === 49;
    const attendance = !ended || cancelled ? null : j % 41 === 0 ? 'no_show' : j % 10 === 0 ? 'attended' : null;
    const at = shift.start - 7 * 86_400_000;
    insertSignup.run(shift.id, shift.seriesId, shift.rotaId, person, cancelled ? 'cancelled' : 'confirmed', attendance, shift.start, shift.end, shift.localDate, person, at, at, cancelled ? at + 86_400_000 : null);
    manifest.signups++;
    return !cancelled;
  };

  /** A unit below `parents` (nearest first), with its closure rows. */
  const addUnit = (id: number, name: string, kind: 'street' | 'community', parents: number[]) => {
    insertUnit.run(id, name, kind, parents[0], created, created);
    insertClosure.run(id, id, 0);
    parents.forEach((ancestor, depth) => insertClosure.run(ancestor, id, depth + 1));
    manifest.units++;
  };

  db.transaction(() => {
    makeDistrict.run('南山区 District', DISTRICT_UNIT);
    manifest.units++;
    for (let street = 1; street <= STREETS; street++) addUnit(streetUnit(street), `第${street}街道 Street ${street}`, 'street', [DISTRICT_UNIT]);
    insertPerson.run(COORDINATOR_ID, '区志愿者协会 District coordinator', null, 'coordinator', null, DISTRICT_UNIT, hash(accessToken(COORDINATOR_ID)), feedToken(COORDINATOR_ID), created, created);
    insertRole.run(COORDINATOR_ID, DISTRICT_UNIT, created);
    manifest.people++;
    for (let team = 1; team <= TEAMS; team++) {
      const name = `第${team}社区 Community ${team}`;
      const unit = communityUnit(team);
      addUnit(unit, name, 'community', [streetUnit(streetOf(team)), DISTRICT_UNIT]);
      insertTeam.run(team, name, unit, derived('team-feed', team), created, created);
      for (let i = 0; i < PEOPLE_PER_TEAM; i++) {
        const id = personId(team, i);
        insertPerson.run(id, `志愿者 ${team}-${i}`, `1380000${String(id).padStart(4, '0')}`, 'volunteer', team, unit, hash(accessToken(id)), feedToken(id), created, created);
        insertMember.run(team, id, created);
        manifest.people++;
      }
      insertRota.run(team, `${name} 值守`, ZONE, `${name} 东门`, unit, derived('rota-feed', team), created, created);
      insertRotaTeam.run(team, team);

      let captainInWindow = 0;
      const captainFree: Shift[] = [];
      TEMPLATES.forEach((template, t) => {
        const def = seriesDef(team, t);
        const version = def.versions[0]!;
        insertSeries.run(def.id, team, template.label, created, created);
        insertVersion.run(def.id, version.validFrom, version.rrule, version.startTime, version.durationMinutes, version.minVolunteers, version.maxVolunteers, created);
        if (template.calendar) insertSeriesCalendar.run(def.id, template.calendar);
        manifest.series++;
        const days = template.calendar ? cnDays : NO_DAYS;
        const shifts = shiftsOf(def, days, SEEDED.from, SEEDED.to);
        // SIGNUPS_PER_SERIES spread evenly over the shifts, the group's regulars taking turns.
        let j = 0;
        shifts.forEach((shift, k) => {
          const places = Math.floor(((k + 1) * SIGNUPS_PER_SERIES) / shifts.length) - Math.floor((k * SIGNUPS_PER_SERIES) / shifts.length);
          for (let p = 0; p < places; p++, j++) {
            const index = t * GROUP + (j % GROUP);
            const live = signUp(shift, personId(team, index), j);
            if (live && index === 0 && shift.localDate >= CAPTAIN_FEED.from && shift.localDate <= CAPTAIN_FEED.to) captainInWindow++;
          }
          // The evening patrol keeps a free place for the captain: at most 2 of its 3 are taken here.
          if (t === 1 && places < template.max && shift.localDate >= CAPTAIN_FEED.from && shift.localDate <= CAPTAIN_FEED.to) captainFree.push(shift);
        });
        if (t === 0 || t === 2) {
          const list = t === 0 ? manifest.signupTargets : manifest.insertTargets;
          shiftsOf(def, days, TARGETS.from, TARGETS.to).forEach((shift, round) => {
            const person = personId(team, t * GROUP + 1 + (round % (GROUP - 1)));
            list.push({ personId: person, shiftId: shift.id, seriesId: shift.seriesId, rotaId: team, startAt: shift.start, endAt: shift.end, localDate: shift.localDate, max: shift.max });
          });
        }
      });
      // Captains also walk the evening patrol, up to exactly CAPTAIN_FEED.events live places in the window.
      for (const shift of captainFree.slice(0, CAPTAIN_FEED.events - captainInWindow)) signUp(shift, captainOf(team), 0);
    }
  })();
  db.close();
  // Interleave communities, so consecutive requests of the load go to different shifts and people.
  const interleave = (list: Target[]) => list.sort((a, b) => a.startAt - b.startAt || a.rotaId - b.rotaId);
  interleave(manifest.signupTargets);
  interleave(manifest.insertTargets);
  return manifest;
}
