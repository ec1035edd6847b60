// Every route × every kind of caller: the status each gets. The routes come from the app's own
// route table, so a new route without a row here fails this test until someone decides who may
// call it (invariant 8: a feed token reads one feed; an access token acts for one person; only
// coordinators act for others).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

type Who = 'anonymous' | 'volunteer' | 'other' | 'coordinator' | 'feed';
const WHO: Who[] = ['anonymous', 'volunteer', 'other', 'coordinator', 'feed'];
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

interface Member {
  id: number;
  token: string;
  feedToken: string;
}

interface Request {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whose resource this is: "volunteer" and "feed" act with this person's tokens (default: the shared volunteer). */
  owner?: Member;
  /** The token travels in the path (feeds), not in an Authorization header. */
  tokenInPath?: boolean;
}

/** Statuses in the order anonymous, volunteer (the owner), another volunteer, coordinator, feed token. */
type Row = [number, number, number, number, number];

interface Case {
  build(w: World, who: Who): Promise<Request> | Request;
  expect: Row;
  /**
   * For /api routes: what a viewer of the street above community A gets on A's things (issue 13):
   * reads answer 200, changes 403; only calls that hand out a check-in code, or prepare the
   * owner's own trade, stay closed to a viewer.
   */
  viewer?: 200 | 403;
}

// The calls that answer the same to everyone signed in, and only to coordinators.
const READ: Row = [401, 200, 200, 200, 401];
const COORDINATOR: Row = [401, 403, 403, 200, 401];
const COORDINATOR_CREATES: Row = [401, 403, 403, 201, 401];
const OWNER: Row = [401, 200, 403, 200, 401];
const PUBLIC: Row = [200, 200, 200, 200, 200];
const FEED: Row = [404, 404, 404, 404, 200];

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261225\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

const CASES: Record<string, Case> = {
  'GET /': { build: () => ({ url: '/' }), expect: PUBLIC },
  'GET /me': { build: () => ({ url: '/me' }), expect: PUBLIC },
  'GET /desk': { build: () => ({ url: '/desk' }), expect: PUBLIC },
  'GET /checkin': { build: () => ({ url: '/checkin' }), expect: PUBLIC },
  'GET /vendor/:file': { build: () => ({ url: '/vendor/ical.js' }), expect: PUBLIC },
  // The page's files, /assets/* (find-my-way prints this wildcard route as "/*").
  'GET /*': { build: () => ({ url: '/assets/style.css' }), expect: PUBLIC },
  'GET /docs': { build: () => ({ url: '/docs' }), expect: PUBLIC },
  'GET /docs/': { build: () => ({ url: '/docs/' }), expect: PUBLIC },
  'GET /docs/json': { build: () => ({ url: '/docs/json' }), expect: PUBLIC },
  'GET /docs/yaml': { build: () => ({ url: '/docs/yaml' }), expect: PUBLIC },
  'GET /docs/*': { build: () => ({ url: '/docs/static/index.css' }), expect: PUBLIC },

  // A feed opens with its own feed token in the path; an access token there opens nothing.
  'GET /feeds/people/:file': { build: () => ({ url: '/feeds/people/{token}.ics', tokenInPath: true }), expect: FEED },
  'GET /feeds/teams/:file': { build: (w) => ({ url: '/feeds/teams/{token}.ics', tokenInPath: true, owner: { ...w.v, feedToken: w.teamFeed } }), expect: FEED },
  'GET /feeds/rotas/:file': { build: (w) => ({ url: '/feeds/rotas/{token}.ics', tokenInPath: true, owner: { ...w.v, feedToken: w.rotaFeed } }), expect: FEED },
  'GET /feeds/rotas/:token/open.ics': { build: (w) => ({ url: '/feeds/rotas/{token}/open.ics', tokenInPath: true, owner: { ...w.v, feedToken: w.rotaFeed } }), expect: FEED },

  'GET /api/v1/health': { build: () => ({ url: '/api/v1/health' }), expect: PUBLIC },
  'GET /api/v1/me': { build: () => ({ url: '/api/v1/me' }), viewer: 200, expect: READ },
  'GET /api/v1/me/overview': { build: () => ({ url: '/api/v1/me/overview' }), viewer: 200, expect: READ },
  'POST /api/v1/qr': { build: () => ({ url: '/api/v1/qr', body: { text: 'https://rota.example.org/me' } }), viewer: 200, expect: READ },

  'POST /api/v1/people': { build: () => ({ url: '/api/v1/people', body: { name: 'New captain' } }), viewer: 403, expect: COORDINATOR_CREATES },
  'GET /api/v1/people': { build: () => ({ url: '/api/v1/people' }), viewer: 200, expect: COORDINATOR },
  'POST /api/v1/people/import': { build: () => ({ url: '/api/v1/people/import', body: { text: '林小芳, 13800000001, 9栋', dryRun: true } }), viewer: 403, expect: COORDINATOR },
  // A day far from the dates the other rows use.
  'POST /api/v1/days/:date/cancel': { build: () => ({ url: '/api/v1/days/2031-01-01/cancel', body: {} }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/people/:id': { build: (w) => ({ url: `/api/v1/people/${w.v.id}` }), viewer: 200, expect: OWNER },
  'PATCH /api/v1/people/:id': { build: (w) => ({ url: `/api/v1/people/${w.v.id}`, body: { phone: '13800000000' } }), viewer: 403, expect: OWNER },
  'DELETE /api/v1/people/:id': { build: async (w) => ({ url: `/api/v1/people/${(await w.member()).id}`, owner: w.last }), viewer: 403, expect: [401, 403, 403, 200, 401] },
  'POST /api/v1/people/:id/tokens': {
    build: async (w) => ({ url: `/api/v1/people/${(await w.member()).id}/tokens`, body: { kind: 'access' }, owner: w.last }),
    viewer: 403,
    expect: [401, 201, 403, 201, 401],
  },
  'GET /api/v1/people/:id/signups': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/signups` }), viewer: 200, expect: OWNER },

  'POST /api/v1/teams': { build: () => ({ url: '/api/v1/teams', body: { name: 'Building 9' } }), viewer: 403, expect: COORDINATOR_CREATES },
  'GET /api/v1/teams': { build: () => ({ url: '/api/v1/teams' }), viewer: 200, expect: COORDINATOR },
  // A member may read their own team; the other volunteer is not in it.
  'GET /api/v1/teams/:id': { build: (w) => ({ url: `/api/v1/teams/${w.teamId}` }), viewer: 200, expect: OWNER },
  'PATCH /api/v1/teams/:id': { build: (w) => ({ url: `/api/v1/teams/${w.teamId}`, body: { name: 'Building 1' } }), viewer: 403, expect: COORDINATOR },
  'DELETE /api/v1/teams/:id': { build: async (w) => ({ url: `/api/v1/teams/${await w.team()}` }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/teams/:id/feed-token': { build: async (w) => ({ url: `/api/v1/teams/${await w.team()}/feed-token` }), viewer: 403, expect: COORDINATOR_CREATES },

  // Units (issue 13): everyone signed in sees their home unit (the root here) and its ancestors;
  // a building below it is out of a volunteer's reach (404), and only its coordinators change it.
  'POST /api/v1/units': { build: (w) => ({ url: '/api/v1/units', body: { name: 'Building 9', kind: 'building', parentId: w.homeUnitId } }), viewer: 403, expect: COORDINATOR_CREATES },
  'GET /api/v1/units': { build: () => ({ url: '/api/v1/units' }), viewer: 200, expect: READ },
  'GET /api/v1/units/:unitId': { build: (w) => ({ url: `/api/v1/units/${w.homeUnitId}` }), viewer: 200, expect: READ },
  'PATCH /api/v1/units/:unitId': { build: async (w) => ({ url: `/api/v1/units/${await w.unit()}`, body: { name: 'Building 10' } }), viewer: 403, expect: [401, 404, 404, 200, 401] },
  'POST /api/v1/units/:unitId/roles': {
    build: async (w) => ({ url: `/api/v1/units/${await w.unit()}/roles`, body: { personId: (await w.member()).id, role: 'viewer' } }),
    viewer: 403,
    expect: [401, 404, 404, 201, 401],
  },
  'DELETE /api/v1/units/:unitId/roles/:personId': {
    build: async (w) => {
      const unit = await w.unit();
      const viewer = await w.member();
      await w.ok('POST', `/api/v1/units/${unit}/roles`, { personId: viewer.id, role: 'viewer' });
      return { url: `/api/v1/units/${unit}/roles/${viewer.id}` };
    },
    viewer: 403,
    expect: [401, 404, 404, 200, 401],
  },

  'POST /api/v1/rotas': { build: () => ({ url: '/api/v1/rotas', body: { name: 'North gate', timezone: 'Asia/Shanghai' } }), viewer: 403, expect: COORDINATOR_CREATES },
  'GET /api/v1/rotas': { build: () => ({ url: '/api/v1/rotas' }), viewer: 200, expect: READ },
  'GET /api/v1/rotas/:id': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}` }), viewer: 200, expect: READ },
  'PATCH /api/v1/rotas/:id': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}`, body: { location: 'East gate' } }), viewer: 403, expect: COORDINATOR },
  'DELETE /api/v1/rotas/:id': { build: async (w) => ({ url: `/api/v1/rotas/${(await w.rota()).rotaId}` }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/rotas/:id/feed-token': { build: async (w) => ({ url: `/api/v1/rotas/${(await w.rota()).rotaId}/feed-token` }), viewer: 403, expect: COORDINATOR_CREATES },
  'POST /api/v1/rotas/:rotaId/series': {
    build: (w) => ({
      url: `/api/v1/rotas/${w.rotaId}/series`,
      body: { rrule: 'FREQ=WEEKLY;BYDAY=SA', startDate: '2027-01-02', startTime: '09:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2 },
    }),
    viewer: 403,
    expect: COORDINATOR_CREATES,
  },
  'GET /api/v1/rotas/:rotaId/series': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/series` }), viewer: 200, expect: READ },
  'GET /api/v1/series/:id': { build: (w) => ({ url: `/api/v1/series/${w.seriesId}` }), viewer: 200, expect: READ },
  'PATCH /api/v1/series/:id': { build: async (w) => ({ url: `/api/v1/series/${(await w.rota()).seriesId}`, body: { label: 'Mornings' } }), viewer: 403, expect: COORDINATOR },

  'GET /api/v1/shifts': { build: (w) => ({ url: `/api/v1/shifts?rotaId=${w.rotaId}&from=2026-12-01&to=2026-12-07` }), viewer: 200, expect: READ },
  'GET /api/v1/shifts/:shiftId': { build: (w) => ({ url: `/api/v1/shifts/${w.shift(1)}` }), viewer: 200, expect: READ },
  'PATCH /api/v1/shifts/:shiftId': { build: (w) => ({ url: `/api/v1/shifts/${w.nextShift()}`, body: { note: 'Bring a vest' } }), viewer: 403, expect: COORDINATOR },
  // Signing someone up: oneself, or anyone for a coordinator; the other volunteer may not sign the owner up.
  'POST /api/v1/shifts/:shiftId/signups': { build: (w) => ({ url: `/api/v1/shifts/${w.nextShift()}/signups`, body: { personId: w.v.id } }), viewer: 403, expect: [401, 201, 403, 201, 401] },
  'POST /api/v1/shifts/:shiftId/attendance': {
    build: async (w) => ({ url: `/api/v1/shifts/${await w.pastSignup()}/attendance`, body: { personId: w.v.id, status: 'attended' } }),
    viewer: 403,
    expect: COORDINATOR,
  },
  'GET /api/v1/signups/:signupId': { build: (w) => ({ url: `/api/v1/signups/${w.signupId}` }), viewer: 200, expect: OWNER },
  'DELETE /api/v1/signups/:signupId': { build: async (w) => ({ url: `/api/v1/signups/${await w.signup()}` }), viewer: 403, expect: OWNER },

  'POST /api/v1/people/:id/unavailability': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/unavailability`, body: { from: '2027-09-01', to: '2027-09-02' } }), viewer: 403, expect: [401, 201, 403, 201, 401] },
  'GET /api/v1/people/:id/unavailability': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/unavailability` }), viewer: 200, expect: OWNER },
  'DELETE /api/v1/people/:id/unavailability/:unavailabilityId': {
    build: async (w) => ({ url: `/api/v1/people/${w.v.id}/unavailability/${(await w.ok('POST', `/api/v1/people/${w.v.id}/unavailability`, { from: '2027-09-10', to: '2027-09-10' })).id}` }),
    viewer: 403,
    expect: OWNER,
  },
  'GET /api/v1/people/:id/preferences': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/preferences` }), viewer: 200, expect: OWNER },
  'PUT /api/v1/people/:id/preferences': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/preferences`, body: { weekdays: [1, 3, 5] } }), viewer: 403, expect: OWNER },

  'POST /api/v1/signups/:signupId/offer': { build: async (w) => ({ url: `/api/v1/signups/${await w.signup()}/offer` }), viewer: 403, expect: [401, 201, 403, 201, 401] },
  // Lists the caller's own offers (or, for a coordinator, anyone's).
  'GET /api/v1/offers': { build: () => ({ url: '/api/v1/offers' }), viewer: 200, expect: READ },
  'GET /api/v1/offers/pending': { build: () => ({ url: '/api/v1/offers/pending' }), viewer: 200, expect: COORDINATOR },
  // The owner's own offers still waiting (her page marks those duties); not another volunteer's.
  'GET /api/v1/people/:id/offers': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/offers?status=open` }), viewer: 200, expect: OWNER },
  'GET /api/v1/offers/:offerId': { build: async (w) => ({ url: `/api/v1/offers/${await w.offer()}` }), viewer: 200, expect: READ },
  'DELETE /api/v1/offers/:offerId': { build: async (w) => ({ url: `/api/v1/offers/${await w.offer()}` }), viewer: 403, expect: OWNER },
  // Anyone else may claim the owner's offer for themselves; the owner cannot claim their own.
  'POST /api/v1/offers/:offerId/claim': { build: async (w) => ({ url: `/api/v1/offers/${await w.offer()}/claim`, body: {} }), viewer: 403, expect: [401, 409, 200, 200, 401] },
  'POST /api/v1/offers/:offerId/approve': { build: async (w) => ({ url: `/api/v1/offers/${await w.pendingOffer()}/approve` }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/offers/:offerId/reject': { build: async (w) => ({ url: `/api/v1/offers/${await w.pendingOffer()}/reject` }), viewer: 403, expect: COORDINATOR },

  'POST /api/v1/signups/:signupId/trade': {
    build: async (w) => ({ url: `/api/v1/signups/${await w.signup()}/trade`, body: { withSignupId: await w.signup(await w.member()) } }),
    viewer: 403,
    expect: [401, 201, 403, 201, 401],
  },
  'GET /api/v1/trades/pending': { build: () => ({ url: '/api/v1/trades/pending' }), viewer: 200, expect: COORDINATOR },
  'GET /api/v1/people/:id/trades': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/trades` }), viewer: 200, expect: OWNER },
  // What the owner could swap her place for: another volunteer may not look.
  'GET /api/v1/signups/:signupId/swap-options': { build: (w) => ({ url: `/api/v1/signups/${w.signupId}/swap-options` }), viewer: 403, expect: OWNER },
  // The owner proposed these: they may read and withdraw them, the other volunteer may not.
  'GET /api/v1/trades/:tradeId': { build: async (w) => ({ url: `/api/v1/trades/${await w.trade('proposer')}` }), viewer: 200, expect: OWNER },
  'DELETE /api/v1/trades/:tradeId': { build: async (w) => ({ url: `/api/v1/trades/${await w.trade('proposer')}` }), viewer: 403, expect: OWNER },
  // The owner was asked: they may accept or decline, the other volunteer may not.
  'POST /api/v1/trades/:tradeId/accept': { build: async (w) => ({ url: `/api/v1/trades/${await w.trade('responder')}/accept` }), viewer: 403, expect: OWNER },
  'POST /api/v1/trades/:tradeId/decline': { build: async (w) => ({ url: `/api/v1/trades/${await w.trade('responder')}/decline` }), viewer: 403, expect: OWNER },
  'POST /api/v1/trades/:tradeId/approve': { build: async (w) => ({ url: `/api/v1/trades/${await w.pendingTrade()}/approve` }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/trades/:tradeId/reject': { build: async (w) => ({ url: `/api/v1/trades/${await w.pendingTrade()}/reject` }), viewer: 403, expect: COORDINATOR },

  'GET /api/v1/gaps': { build: (w) => ({ url: `/api/v1/gaps?rotaId=${w.rotaId}` }), viewer: 200, expect: READ },
  'GET /api/v1/shifts/:shiftId/candidates': { build: (w) => ({ url: `/api/v1/shifts/${w.shift(2)}/candidates` }), viewer: 200, expect: COORDINATOR },
  'POST /api/v1/rotas/:rotaId/autofill': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/autofill`, body: { from: '2026-12-01', to: '2026-12-03', dryRun: true } }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/rotas/:rotaId/sheet': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/sheet?from=2026-11-30&to=2026-12-06` }), viewer: 200, expect: READ },
  'GET /api/v1/rotas/:rotaId/channel': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/channel` }), viewer: 200, expect: COORDINATOR },
  'PUT /api/v1/rotas/:rotaId/channel': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/channel`, body: { kind: 'none', rosterAt: '19:00' } }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/people/:id/notice-channel': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/notice-channel` }), viewer: 200, expect: OWNER },
  'PUT /api/v1/people/:id/notice-channel': { build: (w) => ({ url: `/api/v1/people/${w.v.id}/notice-channel`, body: { channel: 'group' } }), viewer: 403, expect: OWNER },
  'GET /api/v1/notices': { build: () => ({ url: '/api/v1/notices' }), viewer: 200, expect: COORDINATOR },
  // Past the coordinator check, an unknown notice is simply not found.
  'POST /api/v1/notices/:id/retry': { build: () => ({ url: '/api/v1/notices/999999/retry' }), viewer: 403, expect: [401, 403, 403, 404, 401] },
  'GET /api/v1/audit': { build: () => ({ url: '/api/v1/audit' }), viewer: 200, expect: COORDINATOR },

  // Check-in at the post: codes, posters and settings are the coordinators'; a leader named by the
  // rota also sees the leader code (tests/api/checkins.test.ts). Scanning is for everyone signed in,
  // for themselves; outside the window it is refused, and only one's own (or, for a coordinator,
  // anyone's) check-in can be closed.
  'GET /api/v1/series/:seriesId/checkin': { build: (w) => ({ url: `/api/v1/series/${w.seriesId}/checkin` }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/series/:seriesId/checkin': { build: async (w) => ({ url: `/api/v1/series/${(await w.rota()).seriesId}/checkin` }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/series/:seriesId/poster': { build: (w) => ({ url: `/api/v1/series/${w.seriesId}/poster?size=a5` }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/series/:seriesId/leader-code': { build: (w) => ({ url: `/api/v1/series/${w.seriesId}/leader-code` }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/rotas/:rotaId/checkin-settings': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/checkin-settings` }), viewer: 200, expect: COORDINATOR },
  'PATCH /api/v1/rotas/:rotaId/checkin-settings': { build: (w) => ({ url: `/api/v1/rotas/${w.rotaId}/checkin-settings`, body: { radiusMetres: 150 } }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/checkins/lookup': { build: async (w) => ({ url: '/api/v1/checkins/lookup', body: { code: (await w.ok('GET', `/api/v1/series/${w.seriesId}/checkin`)).code } }), viewer: 403, expect: READ },
  'POST /api/v1/checkins': { build: async (w) => ({ url: '/api/v1/checkins', body: { code: (await w.ok('GET', `/api/v1/series/${w.seriesId}/checkin`)).code } }), viewer: 403, expect: [401, 409, 409, 409, 401] },
  'POST /api/v1/checkins/:signupId/out': { build: (w) => ({ url: `/api/v1/checkins/${w.signupId}/out` }), viewer: 403, expect: [401, 409, 403, 409, 401] },
  'PATCH /api/v1/checkins/:signupId': { build: (w) => ({ url: `/api/v1/checkins/${w.signupId}`, body: { clearFlags: true } }), viewer: 403, expect: COORDINATOR },
  'GET /api/v1/checkins/today': { build: () => ({ url: '/api/v1/checkins/today' }), viewer: 200, expect: COORDINATOR },

  // A unit's overview (the desk at each level) is for those who read it, and as if absent to others.
  'GET /api/v1/overview/units/:unitId': { build: (w) => ({ url: `/api/v1/overview/units/${w.homeUnitId}` }), viewer: 200, expect: [401, 404, 404, 200, 401] },
  'GET /api/v1/stats/person-shifts': { build: () => ({ url: '/api/v1/stats/person-shifts?groupBy=person&from=2026-01-01&to=2026-12-31' }), viewer: 200, expect: COORDINATOR },

  'GET /api/v1/day-calendars': { build: () => ({ url: '/api/v1/day-calendars' }), viewer: 200, expect: READ },
  'POST /api/v1/day-calendars': { build: () => ({ url: '/api/v1/day-calendars', body: { name: 'School breaks' } }), viewer: 403, expect: COORDINATOR_CREATES },
  'GET /api/v1/day-calendars/:id': { build: (w) => ({ url: `/api/v1/day-calendars/${w.calendarId}` }), viewer: 200, expect: READ },
  'POST /api/v1/day-calendars/:id/days': {
    build: (w) => ({ url: `/api/v1/day-calendars/${w.calendarId}/days`, body: { days: [{ date: '2027-02-10', kind: 'closed' }] } }),
    viewer: 403,
    expect: COORDINATOR_CREATES,
  },
  'DELETE /api/v1/day-calendars/:id/days/:date': { build: (w) => ({ url: `/api/v1/day-calendars/${w.calendarId}/days/2027-02-11` }), viewer: 403, expect: COORDINATOR },
  'POST /api/v1/day-calendars/:id/import': {
    build: (w) => ({ url: `/api/v1/day-calendars/${w.calendarId}/import`, body: ICS, headers: { 'content-type': 'text/calendar' } }),
    viewer: 403,
    expect: COORDINATOR_CREATES,
  },
};

/** Static files: every file under these folders answers everyone. */
/** "METHOD /path" for every route, read from Fastify's route tree (HEAD mirrors GET and is left out). */
function routeTable(tree: string): string[] {
  const routes: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    paths.length = depth;
    const path = `${depth === 0 ? '' : paths[depth - 1]!}${m[2]}`;
    paths[depth] = path;
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

const feedTokenIn = (feedUrl: string) => /\/feeds\/[a-z]+\/([^/]+)\.ics$/.exec(feedUrl)![1]!;

/** Parameter names differ between routes sharing a node (":id|:rotaId"); compare shapes only. */
const shape = (route: string) => route.replace(/:[A-Za-z]+(\|:[A-Za-z]+)*/g, ':');

/** The data every case works on, and makers for fresh objects when a call would change or end them. */
class World {
  v!: Member;
  w!: Member;
  last!: Member;
  teamId!: number;
  teamFeed!: string;
  rotaId!: number;
  rotaFeed!: string;
  seriesId!: number;
  calendarId!: string;
  signupId!: number;
  private approval: { rotaId: number; seriesId: number } | undefined;
  private day = 0;

  /** The community everything is made in: the root of a fresh database, unless told otherwise. */
  constructor(
    private t: TestApp,
    readonly homeUnitId = 1,
  ) {}

  async setUp(): Promise<void> {
    this.v = await this.member();
    this.w = await this.member();
    const team = await this.ok('POST', '/api/v1/teams', { name: 'Building 1', memberIds: [this.v.id] });
    this.teamId = team.id;
    this.teamFeed = feedTokenIn(team.feedUrl);
    ({ rotaId: this.rotaId, seriesId: this.seriesId } = await this.rota());
    this.rotaFeed = feedTokenIn((await this.ok('GET', `/api/v1/rotas/${this.rotaId}`)).feedUrl);
    this.calendarId = (await this.ok('POST', '/api/v1/day-calendars', { name: 'School term' })).id;
    this.signupId = await this.signup();
  }

  async ok(method: Method, url: string, body?: unknown, token?: string): Promise<any> {
    const res = await this.t.call(method, url, { ...(body === undefined ? {} : { body }), ...(token ? { token } : {}) });
    expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
    return res.body;
  }

  async member(): Promise<Member> {
    const p = await this.ok('POST', '/api/v1/people', { name: `Volunteer ${Math.random().toString(36).slice(2, 8)}` });
    this.last = { id: p.id, token: p.accessToken, feedToken: feedTokenIn(p.feedUrl) };
    return this.last;
  }

  /** A fresh building in the world's community. */
  async unit(): Promise<number> {
    return (await this.ok('POST', '/api/v1/units', { name: 'Spare building', kind: 'building', parentId: this.homeUnitId })).id;
  }

  async team(): Promise<number> {
    return (await this.ok('POST', '/api/v1/teams', { name: 'Spare team' })).id;
  }

  /** A rota with a daily 09:00 Shanghai series of five places from 2026-12-01. */
  async rota(requireApproval = false): Promise<{ rotaId: number; seriesId: number }> {
    const rota = await this.ok('POST', '/api/v1/rotas', { name: 'East gate', timezone: 'Asia/Shanghai', requireApproval });
    const series = await this.ok('POST', `/api/v1/rotas/${rota.id}/series`, {
      rrule: 'FREQ=DAILY', startDate: '2026-11-01', startTime: '09:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 5,
    });
    return { rotaId: rota.id, seriesId: series.id };
  }

  /** The shared series' shift `days` days after 2026-12-01. */
  shift(days: number): string {
    const d = new Date(Date.UTC(2026, 11, 1 + days));
    return `${this.seriesId}.${d.toISOString().slice(0, 10).replace(/-/g, '')}T0900`;
  }

  /** A future shift no other call has used. */
  nextShift(): string {
    return this.shift(10 + this.day++);
  }

  /** A fresh confirmed sign-up of the shared volunteer (or someone else); its id. */
  async signup(who: Member = this.v, rota: { seriesId: number } = this): Promise<number> {
    return (await this.ok('POST', `/api/v1/shifts/${rota.seriesId}.${this.nextShift().split('.')[1]}/signups`, { personId: who.id })).id;
  }

  /** An open offer of a fresh sign-up of the shared volunteer. */
  async offer(): Promise<number> {
    return (await this.ok('POST', `/api/v1/signups/${await this.signup()}/offer`, undefined, this.v.token)).id;
  }

  /** A trade in which the shared volunteer is the proposer or the person asked; the other side is someone new. */
  async trade(role: 'proposer' | 'responder'): Promise<number> {
    const stranger = await this.member();
    const [proposer, responder] = role === 'proposer' ? [this.v, stranger] : [stranger, this.v];
    const mine = await this.signup(proposer);
    const theirs = await this.signup(responder);
    return (await this.ok('POST', `/api/v1/signups/${mine}/trade`, { withSignupId: theirs }, proposer.token)).id;
  }

  /** On a rota that requires a coordinator's approval: an offer claimed by someone, waiting for approval. */
  async pendingOffer(): Promise<number> {
    this.approval ??= await this.rota(true);
    const offer = (await this.ok('POST', `/api/v1/signups/${await this.signup(this.v, this.approval)}/offer`, undefined, this.v.token)).id;
    const claimer = await this.member();
    await this.ok('POST', `/api/v1/offers/${offer}/claim`, {}, claimer.token);
    return offer;
  }

  /** On a rota that requires a coordinator's approval: a trade accepted by the person asked, waiting for approval. */
  async pendingTrade(): Promise<number> {
    this.approval ??= await this.rota(true);
    const other = await this.member();
    const mine = await this.signup(this.v, this.approval);
    const theirs = await this.signup(other, this.approval);
    const trade = (await this.ok('POST', `/api/v1/signups/${mine}/trade`, { withSignupId: theirs }, this.v.token)).id;
    await this.ok('POST', `/api/v1/trades/${trade}/accept`, undefined, other.token);
    return trade;
  }

  /** The shared volunteer on a shift that has already taken place (as a coordinator records history); its shift id. */
  async pastSignup(): Promise<string> {
    const d = new Date(Date.UTC(2026, 10, 1 + (this.day++ % 25)));
    const shiftId = `${this.seriesId}.${d.toISOString().slice(0, 10).replace(/-/g, '')}T0900`;
    await this.ok('POST', `/api/v1/shifts/${shiftId}/signups`, { personId: this.v.id });
    return shiftId;
  }

  tokenOf(who: Who, owner: Member, coordinatorToken: string): string | null {
    switch (who) {
      case 'anonymous':
        return null;
      case 'volunteer':
        return owner.token;
      case 'other':
        return owner === this.w ? this.v.token : this.w.token;
      case 'coordinator':
        return coordinatorToken;
      case 'feed':
        return owner.feedToken;
    }
  }
}

describe('the authorisation matrix', () => {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
    world = new World(t);
    await world.setUp();
  });
  afterAll(() => t.close());

  it('has a row for every route the app serves, and no row for a route it does not', async () => {
    await t.app.ready();
    const routes = routeTable(t.app.printRoutes({ commonPrefix: false }));
    const known = new Set(Object.keys(CASES).map(shape));
    const unlisted = routes.filter((r) => !known.has(shape(r)));
    expect(unlisted, 'routes without a row in CASES: decide who may call them').toEqual([]);
    const served = new Set(routes.map(shape));
    expect(Object.keys(CASES).filter((c) => !served.has(shape(c))), 'rows for routes that no longer exist').toEqual([]);
  });

  it('answers every route with the expected status for anonymous callers, the volunteer, another volunteer, a coordinator and a feed token', async () => {
    const got: Record<string, Row> = {};
    const want: Record<string, Row> = {};
    for (const [route, c] of Object.entries(CASES)) {
      const method = route.split(' ')[0] as Method;
      const row: number[] = [];
      for (const who of WHO) {
        const req = await c.build(world, who);
        const owner = req.owner ?? world.v;
        const token = world.tokenOf(who, owner, t.coordinatorToken);
        let url = req.url;
        if (req.tokenInPath) url = url.replace('{token}', token ?? 'made-up-token-000000000000000000');
        const res = await t.call(method, url, {
          token: req.tokenInPath ? null : token,
          ...(req.body === undefined ? {} : { body: req.body }),
          ...(req.headers ? { headers: req.headers } : {}),
        });
        expect(res.status, `${route} as ${who}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        row.push(res.status);
      }
      got[route] = row as Row;
      want[route] = c.expect;
    }
    expect(got).toEqual(want);
    // Some hundred routes times five callers, each building its own request: longer than one test's default.
  }, 120_000);

  it('opens each feed with its own feed token only: a person\'s, a team\'s or a rota\'s token opens nothing else', async () => {
    const tokens = { person: world.v.feedToken, team: world.teamFeed, rota: world.rotaFeed };
    const opened: string[] = [];
    for (const [whose, token] of Object.entries(tokens)) {
      for (const path of [`/feeds/people/${token}.ics`, `/feeds/teams/${token}.ics`, `/feeds/rotas/${token}.ics`, `/feeds/rotas/${token}/open.ics`]) {
        const res = await t.call('GET', path, { token: null });
        if (res.status === 200) opened.push(`${whose} ${path.split('/')[2]}${path.endsWith('open.ics') ? ' open' : ''}`);
        else expect(res.status).toBe(404);
      }
    }
    expect(opened).toEqual(['person people', 'team teams', 'rota rotas', 'rota rotas open']);
  });

  // The page's files and the API reference's are served by two wildcard routes (rows above); each
  // file they hold is for everyone, with or without a token.
  it('serves every file of the page and of the API reference to everyone', async () => {
    const assets = readdirSync(new URL('../../web/assets/', import.meta.url), { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => `/assets/${relative(fileURLToPath(new URL('../../web/assets/', import.meta.url)), join(f.parentPath, f.name))}`);
    expect(assets).toContain('/assets/style.css');
    const reference = ['/docs/static/index.css', '/docs/static/swagger-ui.css', '/docs/static/swagger-ui-bundle.js'];
    for (const url of [...assets, ...reference]) {
      for (const token of [null, world.v.token, t.coordinatorToken]) {
        expect((await t.call('GET', url, { token })).status, `${url}`).toBe(200);
      }
    }
  });
});

// Issue 13: two sibling communities under one street. Everything above is built again inside
// community A by A's coordinator; B's coordinator then calls every route of the route table on A's
// things and gets 404 NOT_FOUND, as if they did not exist. The few calls that name nothing of A
// (lists, creating one's own things) answer B, and nothing of A appears in them.
const NAMES_NOTHING = new Set([
  'GET /api/v1/me',
  'GET /api/v1/me/overview',
  'POST /api/v1/qr',
  'POST /api/v1/people',
  'GET /api/v1/people',
  'POST /api/v1/people/import',
  'POST /api/v1/teams',
  'GET /api/v1/teams',
  'POST /api/v1/rotas',
  'GET /api/v1/rotas',
  'GET /api/v1/offers',
  'GET /api/v1/offers/pending',
  'GET /api/v1/trades/pending',
  'GET /api/v1/notices',
  'GET /api/v1/audit',
  'GET /api/v1/checkins/today',
  'GET /api/v1/stats/person-shifts',
  'GET /api/v1/day-calendars',
  'POST /api/v1/day-calendars',
  'GET /api/v1/units',
  // A date is not a thing of A's: B cancels the day in B's rotas only (none here: 404 "no shift").
  'POST /api/v1/days/:date/cancel',
]);

describe('the authorisation matrix across two sibling communities', () => {
  let t: TestApp;
  let world: World;
  let coordinatorB: string;
  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
    const ok = async (url: string, body: object, token = t.coordinatorToken) => {
      const res = await t.call('POST', url, { body, token });
      expect(res.status, `${url}: ${res.text}`).toBe(201);
      return res.body;
    };
    const street = await ok('/api/v1/units', { name: '南山街道', kind: 'street' });
    const [a, b] = [await ok('/api/v1/units', { name: '风华社区', kind: 'community', parentId: street.id }), await ok('/api/v1/units', { name: '高新社区', kind: 'community', parentId: street.id })];
    const coordinatorOf = async (unitId: number) => {
      const person = await ok('/api/v1/people', { name: `Coordinator of ${unitId}`, unitId });
      await ok(`/api/v1/units/${unitId}/roles`, { personId: person.id, role: 'coordinator' });
      return person.accessToken as string;
    };
    const coordinatorA = await coordinatorOf(a.id);
    coordinatorB = await coordinatorOf(b.id);
    // A's world: every default token is A's coordinator, so people, teams, rotas and calendars are A's.
    const asA: TestApp = { ...t, coordinatorToken: coordinatorA, call: (method, url, opts = {}) => t.call(method, url, { ...opts, token: opts.token === undefined ? coordinatorA : opts.token }) };
    world = new World(asA, a.id);
    await world.setUp();
    expect((await t.call('GET', `/api/v1/rotas/${world.rotaId}`, { token: coordinatorA })).body.unitId).toBe(a.id);
  });
  afterAll(() => t.close());

  it('answers 404 NOT_FOUND to the other community\'s coordinator on every route that names a thing of A, and shows nothing of A anywhere', async () => {
    const leaks: string[] = [];
    const wrong: Record<string, string> = {};
    const api = Object.keys(CASES).filter((route) => route.split(' ')[1]!.startsWith('/api/v1/') && route !== 'GET /api/v1/health');
    for (const route of api) {
      const method = route.split(' ')[0] as Method;
      const req = await CASES[route]!.build(world, 'coordinator');
      const res = await t.call(method, req.url, { token: coordinatorB, ...(req.body === undefined ? {} : { body: req.body }), ...(req.headers ? { headers: req.headers } : {}) });
      if (NAMES_NOTHING.has(route)) {
        if (res.status >= 500 || res.status === 401 || res.status === 403) wrong[route] = `${res.status} ${res.text.slice(0, 120)}`;
        if (res.status === 404 && !route.includes(':date')) wrong[route] = `${res.status} ${res.text.slice(0, 120)}`;
        for (const name of ['East gate', 'Volunteer ', 'Building 1', 'School term', `Coordinator of ${world.homeUnitId}`]) {
          if (res.text.includes(name)) leaks.push(`${route} shows "${name}"`);
        }
      } else if (res.status !== 404 || res.body?.error?.code !== 'NOT_FOUND') {
        wrong[route] = `${res.status} ${res.text.slice(0, 120)}`;
      }
    }
    expect(wrong).toEqual({});
    expect(leaks).toEqual([]);
  }, 180_000);

  it('answers the street\'s viewer on every route as its viewer row says: 200 for reads of A\'s things, 403 for every change', async () => {
    const units = (await t.call('GET', '/api/v1/units')).body.units as { id: number; kind: string }[];
    const street = units.find((u) => u.kind === 'street')!;
    // Homed at the street office, so A is within their reach only as the street's viewer.
    const viewer = await t.call('POST', '/api/v1/people', { body: { name: 'Street office clerk', unitId: street.id } });
    expect((await t.call('POST', `/api/v1/units/${street.id}/roles`, { body: { personId: viewer.body.id, role: 'viewer' } })).status).toBe(201);
    const token = viewer.body.accessToken as string;
    const got: Record<string, number | string> = {};
    const want: Record<string, number | string> = {};
    for (const [route, c] of Object.entries(CASES)) {
      if (!route.split(' ')[1]!.startsWith('/api/v1/') || route === 'GET /api/v1/health') continue;
      const method = route.split(' ')[0] as Method;
      const req = await c.build(world, 'coordinator');
      const res = await t.call(method, req.url, { token, ...(req.body === undefined ? {} : { body: req.body }), ...(req.headers ? { headers: req.headers } : {}) });
      got[route] = res.status === 403 && res.body?.error?.code !== 'FORBIDDEN' ? `403 ${res.text.slice(0, 80)}` : res.status;
      want[route] = c.viewer ?? 'no viewer row';
    }
    expect(got).toEqual(want);
  }, 180_000);

  it('lets the street\'s viewer read both communities\' lists and reports, and change nothing', async () => {
    const viewer = await t.call('POST', '/api/v1/people', { body: { name: 'Street office' } });
    const units = (await t.call('GET', '/api/v1/units')).body.units as { id: number; kind: string }[];
    const street = units.find((u) => u.kind === 'street')!;
    expect((await t.call('POST', `/api/v1/units/${street.id}/roles`, { body: { personId: viewer.body.id, role: 'viewer' } })).status).toBe(201);
    const token = viewer.body.accessToken as string;
    const people = await t.call('GET', '/api/v1/people', { token });
    expect(people.status).toBe(200);
    expect(people.body.people.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([world.v.id, world.w.id]));
    expect((await t.call('GET', '/api/v1/stats/person-shifts?groupBy=rota&from=2026-01-01&to=2026-12-31', { token })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/rotas/${world.rotaId}`, { token })).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/rotas/${world.rotaId}`, { token, body: { location: 'Somewhere' } })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/rotas', { token, body: { name: 'Viewer rota', timezone: 'Asia/Shanghai' } })).status).toBe(403);
    // Nor do they put themselves on a community's shift: they read it, it is not their home's.
    const shiftId = world.nextShift();
    const self = await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token, body: {} });
    expect([self.status, self.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.call('GET', `/api/v1/shifts/${shiftId}`, { token })).body.confirmed).toBe(0);
  });
});
