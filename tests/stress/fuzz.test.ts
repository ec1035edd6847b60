// Requests generated from the API's own OpenAPI document: for every operation, valid and broken
// parameters, queries and bodies (fast-check), sent by coordinators, volunteers, feed tokens and
// nobody. The app never answers 5xx, and a refused request (4xx) leaves every table as it was.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

interface Schema {
  type?: string;
  nullable?: boolean;
  anyOf?: Schema[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  example?: unknown;
}

interface Parameter {
  in: 'path' | 'query';
  name: string;
  required?: boolean;
  schema: Schema;
}

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  parameters: Parameter[];
  body: { type: string; schema: Schema } | null;
}

type Who = 'coordinator' | 'volunteer' | 'feed' | 'anonymous';

interface Generated {
  who: Who;
  path: Record<string, string>;
  query: Record<string, string>;
  body: { payload: string; type: string } | null;
}

/** The ids that exist, so generated requests reach past "not found" into the real checks. */
interface Pools {
  ints: number[];
  shiftIds: string[];
  calendarIds: string[];
}

const RULES = ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'FREQ=WEEKLY;BYDAY=SA,SU;COUNT=10', 'FREQ=MONTHLY;BYMONTHDAY=1', 'FREQ=MINUTELY', 'FREQ=DAILY;UNTIL=20261231'];
const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC', 'Mars/Olympus', '+08:00'];

const date = fc.oneof(
  fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-02-30', '0000-00-00', '2026-13-01', '1969-12-31', '2200-01-02'),
);
const time = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  fc.constantFrom('24:00', '7:15', '99:99'),
);

/** Values a schema accepts, with the named fields steered towards meaningful ones. */
function valid(schema: Schema, pools: Pools, name = ''): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => valid(s, pools, name)));
  const plain = validPlain(schema, pools, name);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: fc.constant(null) }) : plain;
}

function validPlain(schema: Schema, pools: Pools, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31;
      const any = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) });
      return /id$|Id$|Ids$/.test(name) || name === 'id' ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pools.ints) }, { weight: 1, arbitrary: any }) : any;
    }
    case 'string': {
      if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return date;
      if (schema.pattern === '^\\d{2}:\\d{2}$') return time;
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      const text = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 60), unit: 'grapheme' });
      if (name === 'rrule') return fc.oneof(fc.constantFrom(...RULES), text);
      if (name === 'timezone') return fc.oneof(fc.constantFrom(...ZONES), text);
      if (name === 'startTime') return time;
      if (name === 'start') return fc.tuple(date, time).map(([d, t]) => `${d}T${t}`);
      if (name === 'shiftId') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pools.shiftIds) }, { weight: 1, arbitrary: text });
      if (name === 'id' && schema.maxLength === 64) return fc.oneof(fc.constantFrom(...pools.calendarIds), text);
      if (name === 'text') return fc.oneof(fc.constant('https://rota.example.org/me'), text);
      return text;
    }
    case 'array': {
      const items = valid(schema.items ?? {}, pools, name);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    }
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, s] of Object.entries(props)) shape[key] = valid(s, pools, key);
      return fc.record(shape, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values a schema refuses, or values of no schema at all. */
function broken(schema: Schema, pools: Pools): fc.Arbitrary<unknown> {
  const wrongType = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
  if (schema.type !== 'object' || !schema.properties) return wrongType;
  const props = Object.keys(schema.properties);
  const base = valid(schema, pools) as fc.Arbitrary<Record<string, unknown>>;
  const mutations: fc.Arbitrary<unknown>[] = [
    wrongType,
    base.map((b) => ({ ...b, unexpected: 'field' })),
    fc.tuple(base, fc.constantFrom(...props), wrongType).map(([b, key, value]) => ({ ...b, [key]: value })),
    fc.tuple(base, fc.constantFrom(...props), fc.string({ minLength: 2001, maxLength: 2100 })).map(([b, key, value]) => ({ ...b, [key]: value })),
    fc.tuple(base, fc.constantFrom(...props), fc.constantFrom(-1, 0, 2 ** 53, 1.5, -1e308)).map(([b, key, value]) => ({ ...b, [key]: value })),
  ];
  if (schema.required?.length) mutations.push(fc.tuple(base, fc.constantFrom(...schema.required)).map(([b, key]) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== key))));
  return fc.oneof(...mutations);
}

const brokenParam = fc.oneof(
  fc.constantFrom('-1', '0', '1.5', '1e3', 'abc', '99999999999999999999', '%00', '..%2F..', '', ' ', 'null', '[]', '12.20261301T0715', '12.20260230T0700'),
  fc.string({ maxLength: 80, unit: 'grapheme' }),
);

function requestFor(op: Operation, pools: Pools, mode: 'valid' | 'broken'): fc.Arbitrary<Generated> {
  const who = fc.constantFrom<Who>('coordinator', 'coordinator', 'coordinator', 'volunteer', 'feed', 'anonymous');
  const param = (p: Parameter) => (mode === 'broken' ? fc.oneof(valid(p.schema, pools, p.name), brokenParam) : valid(p.schema, pools, p.name)).map((v) => String(v));
  const path = fc.record(Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, param(p)])));
  const queries = op.parameters.filter((p) => p.in === 'query');
  const query = fc.record(Object.fromEntries(queries.map((p) => [p.name, param(p)])), { requiredKeys: queries.filter((p) => p.required).map((p) => p.name) });
  const extraQuery = mode === 'broken' ? fc.option(fc.constant({ unexpected: '1' }), { nil: {} }) : fc.constant({});
  let body: fc.Arbitrary<Generated['body']> = fc.constant(null);
  if (op.body?.type === 'application/json') {
    const json = (mode === 'valid' ? valid(op.body.schema, pools) : broken(op.body.schema, pools)).map((v) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json' }));
    body =
      mode === 'valid'
        ? json
        : fc.oneof(json, fc.constantFrom('{', '{"a":', 'null', '', '\u0000').map((payload) => ({ payload, type: 'application/json' })), fc.constant({ payload: 'name=x', type: 'application/x-www-form-urlencoded' }));
  } else if (op.body) {
    body = fc.oneof(
      fc.constant({ payload: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270105\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', type: op.body.type }),
      fc.string({ maxLength: 300 }).map((payload) => ({ payload, type: op.body!.type })),
    );
  }
  return fc.record({ who, path, query: fc.tuple(query, extraQuery).map(([q, e]) => ({ ...q, ...e }) as Record<string, string>), body });
}

/** Every row of every table, hashed: a refused request must leave it unchanged. */
function fingerprint(t: TestApp): string {
  const client = t.db.$client;
  const tables = client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const hash = createHash('sha256');
  for (const table of tables) hash.update(table).update(JSON.stringify(client.prepare(`SELECT * FROM "${table}"`).raw().all()));
  return hash.digest('hex');
}

describe('requests generated from the API description', () => {
  let t: TestApp;
  let operations: Operation[];
  let pools: Pools;
  let tokens: Record<Who, string | null>;
  let protectedIds: Set<string>;

  beforeAll(async () => {
    t = await makeApp('2026-11-27T02:00:00Z');
    const ok = async (method: Operation['method'], url: string, body?: unknown) => {
      const res = await t.call(method, url, body === undefined ? {} : { body });
      expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
      return res.body;
    };
    const me = await ok('GET', '/api/v1/me');
    const team = await ok('POST', '/api/v1/teams', { name: 'Building 1' });
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await ok('POST', '/api/v1/people', { name: `Captain ${i}`, teamIds: [team.id] }));
    const rota = await ok('POST', '/api/v1/rotas', { name: 'East gate', timezone: 'Asia/Shanghai', cancelClosesHoursBefore: 0 });
    const series = await ok('POST', `/api/v1/rotas/${rota.id}/series`, {
      rrule: 'FREQ=DAILY', startDate: '2026-11-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2, dayCalendarIds: ['cn-mainland'],
    });
    const calendar = await ok('POST', '/api/v1/day-calendars', { name: 'School breaks' });
    const shiftIds = ['2026-11-20', '2026-12-01', '2026-12-02', '2026-12-03', '2027-01-04'].map((d) => `${series.id}.${d.replace(/-/g, '')}T0715`);
    const signups = [];
    for (const [i, p] of people.entries()) signups.push(await ok('POST', `/api/v1/shifts/${shiftIds[1 + (i % 3)]}/signups`, { personId: p.id }));
    const offer = await t.call('POST', `/api/v1/signups/${signups[0].id}/offer`, { token: people[0].accessToken });
    const trade = await t.call('POST', `/api/v1/signups/${signups[1].id}/trade`, { token: people[1].accessToken, body: { withSignupId: signups[2].id } });
    pools = {
      ints: [...new Set([1, 2, 3, 4, 5, 6, rota.id, series.id, team.id, ...people.map((p) => p.id), ...signups.map((s) => s.id), offer.body?.id ?? 1, trade.body?.id ?? 1])],
      shiftIds,
      calendarIds: ['cn-mainland', calendar.id],
    };
    tokens = { coordinator: t.coordinatorToken, volunteer: people[3].accessToken, feed: /\/feeds\/people\/([^/]+)\.ics$/.exec(people[3].feedUrl)![1]!, anonymous: null };
    // The callers themselves stay who they are: no generated request archives, demotes or re-keys them.
    protectedIds = new Set([String(me.id), String(people[3].id)]);

    const doc = (await t.call('GET', '/docs/json', { token: null })).body as { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const content = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
        return { method: method.toUpperCase() as Operation['method'], path, parameters: op.parameters ?? [], body: content ? { type: content[0], schema: content[1].schema } : null };
      }),
    );
  });
  afterAll(() => t.close());

  it('covers every operation the API describes', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it('never answers 5xx, and a refused request changes nothing that is stored', async () => {
    const failures: string[] = [];
    let refused = 0;
    let accepted = 0;
    for (const op of operations) {
      for (const mode of ['valid', 'broken'] as const) {
        await fc.assert(
          fc.asyncProperty(requestFor(op, pools, mode), async (g) => {
            let url = op.path;
            for (const [name, value] of Object.entries(g.path)) {
              const safe = op.path.startsWith('/api/v1/people/{id}') && name === 'id' && protectedIds.has(value) ? String(pools.ints[0]! + 1000) : value;
              url = url.replace(`{${name}}`, encodeURIComponent(safe));
            }
            const query = new URLSearchParams(g.query).toString();
            if (query) url += `?${query}`;
            const before = fingerprint(t);
            const res = await t.app.inject({
              method: op.method,
              url,
              headers: { ...(tokens[g.who] ? { authorization: `Bearer ${tokens[g.who]}` } : {}), ...(g.body ? { 'content-type': g.body.type } : {}) },
              ...(g.body ? { payload: g.body.payload } : {}),
            });
            const line = `${op.method} ${url} as ${g.who} with ${g.body?.payload.slice(0, 200) ?? 'no body'} → ${res.statusCode} ${res.body.slice(0, 200)}`;
            if (res.statusCode >= 500) failures.push(line);
            if (res.statusCode >= 400 && res.statusCode < 500) {
              refused++;
              if (fingerprint(t) !== before) failures.push(`stored change from a refused request: ${line}`);
            } else accepted++;
          }),
          { numRuns: 16, endOnFailure: true },
        );
      }
    }
    expect(failures).toEqual([]);
    // Both kinds happened: the generator reached past validation and was refused too.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(500);
  });
});
