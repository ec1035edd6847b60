// An existing database (made by the 2026-11 release: the demo community, then tokens, feed links,
// sign-ups, cancellations, a check-in and walk-ins through its API) migrates into one root unit
// with nothing lost: every row of every table is still there as it was, every coordinator
// coordinates the root, tokens still sign in, and every feed answers the events it answered
// before (tests/fixtures/release-2026-11-feeds.json, taken from the release at 2026-11-29 05:33 UTC).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { buildApp, type App } from '../../src/http/app.js';

const FIXTURE = new URL('../fixtures/release-2026-11.sqlite', import.meta.url);
const FEEDS = JSON.parse(readFileSync(new URL('../fixtures/release-2026-11-feeds.json', import.meta.url), 'utf8')) as Record<string, string[]>;
/** The coordinator's personal link, made with `rota token 1` when the fixture was built. */
const COORDINATOR_TOKEN = '8Wp-LA6ZTvwgdY9MpuhMmOoOePA4MrRV';
/** Counters the triggers bump on every write; the migration writes, so they change by design. */
const COUNTERS = new Set(['data_revision', 'rota_revisions', 'rota_migrations']);

/** The events of a feed as the fixture keeps them: UID, start, status and a digest of what a calendar shows. */
function eventLines(ics: string): string[] {
  const keep = new Set(['UID', 'DTSTART', 'DTEND', 'SUMMARY', 'STATUS', 'DESCRIPTION', 'LOCATION']);
  const text = ics.replace(/\r\n[ \t]/g, '');
  const events = text
    .split('BEGIN:VEVENT')
    .slice(1)
    .map((block) =>
      block
        .split('END:VEVENT')[0]!
        .split('\r\n')
        .filter((line) => line && keep.has(line.split(/[;:]/, 1)[0]!))
        .sort()
        .join('\n'),
    )
    .sort();
  return events.map((event) => {
    const lines = event.split('\n');
    const get = (prefix: string) => lines.find((l) => l.startsWith(prefix)) ?? '';
    const digest = createHash('sha256').update(event).digest('hex').slice(0, 16);
    return `${get('UID:').slice(4)} ${get('DTSTART').split(':').slice(1).join(':')} ${get('STATUS:').slice(7)} ${digest}`;
  });
}

type Rows = Record<string, unknown>[];

describe('migrating a database made by the 2026-11 release', () => {
  let dir: string;
  let before: Map<string, { columns: string[]; rows: Rows }>;
  let db: Db;
  let app: App;

  const call = async (method: 'GET' | 'POST', url: string, token: string | null = COORDINATOR_TOKEN, body?: object) => {
    const res = await app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body } : {}) });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : null, text: res.body };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rota-migrate-'));
    const file = join(dir, 'rota.sqlite');
    copyFileSync(FIXTURE, file);
    const raw = new Database(file, { readonly: true });
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    before = new Map(
      tables.map((table) => {
        const columns = (raw.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
        return [table, { columns, rows: raw.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`).all() as Rows }];
      }),
    );
    raw.close();
    db = openDb(file);
    const config = loadConfig({ dbPath: file, publicUrl: 'http://127.0.0.1:3918', now: () => new Date('2026-11-29T05:33:00Z'), rateLimitPerMinute: 0 }, {});
    app = await buildApp({ config, db, logger: false });
  });

  afterAll(async () => {
    await app.close();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every row of every table, column by column', () => {
    expect(before.get('people')!.rows).toHaveLength(77);
    expect(before.get('signups')!.rows.length).toBeGreaterThan(200);
    for (const [table, { columns, rows }] of before) {
      if (COUNTERS.has(table)) continue;
      const after = db.$client.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`).all();
      expect(after, table).toEqual(rows);
    }
  });

  it('puts everything into one root community, and makes every coordinator its coordinator', () => {
    const q = (text: string) => db.$client.prepare(text).all();
    expect(q('SELECT id, kind, parent_id FROM units')).toEqual([{ id: 1, kind: 'community', parent_id: null }]);
    expect(q('SELECT ancestor_id, descendant_id, depth FROM unit_closure')).toEqual([{ ancestor_id: 1, descendant_id: 1, depth: 0 }]);
    for (const table of ['people', 'rotas', 'teams', 'day_calendars']) {
      expect(q(`SELECT count(*) AS n FROM ${table} WHERE unit_id IS NOT 1`), table).toEqual([{ n: 0 }]);
    }
    const coordinators = before.get('people')!.rows.filter((p) => p.role === 'coordinator').map((p) => p.id);
    expect(coordinators).toEqual([1, 77]);
    expect(q('SELECT person_id, unit_id, role FROM unit_roles ORDER BY person_id')).toEqual(coordinators.map((id) => ({ person_id: id, unit_id: 1, role: 'coordinator' })));
  });

  it('answers every person\'s, team\'s and rota\'s feed with the same events as before', async () => {
    const feeds: [string, string][] = [];
    for (const [kind, table] of [['people', 'people'], ['teams', 'teams'], ['rotas', 'rotas']] as const) {
      for (const row of before.get(table)!.rows.filter((r) => r.archived_at === null)) {
        feeds.push([`${kind}/${row.id}`, `/feeds/${kind}/${row.feed_token}.ics`]);
        if (kind === 'rotas') feeds.push([`${kind}/${row.id}/open`, `/feeds/rotas/${row.feed_token}/open.ics`]);
      }
    }
    expect(feeds.map(([key]) => key).sort()).toEqual(Object.keys(FEEDS).sort());
    let events = 0;
    for (const [key, url] of feeds) {
      const res = await call('GET', url, null);
      expect(res.status, key).toBe(200);
      expect(eventLines(res.text), key).toEqual(FEEDS[key]);
      events += FEEDS[key]!.length;
    }
    expect(events).toBeGreaterThan(2000);
  });

  it('gives every audit entry the unit of the thing it is about (the root), so the root\'s coordinators still read them all', async () => {
    const entries = before.get('audit_log')!.rows;
    expect(new Set(entries.map((e) => e.entity))).toEqual(new Set(['calendar', 'person', 'rota', 'series', 'signup', 'team']));
    expect(db.$client.prepare('SELECT count(*) AS n FROM audit_log WHERE unit_id IS NOT 1').get()).toEqual({ n: 0 });
    const listed = await call('GET', '/api/v1/audit?limit=500');
    expect(listed.body.entries.map((e: { id: number }) => e.id).sort((x: number, y: number) => x - y)).toEqual(entries.map((e) => e.id));
  });

  it('still signs the coordinator in with their old link, and they still reach everything', async () => {
    const me = await call('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 1, role: 'coordinator' });
    const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE archived_at IS NULL`).get() as { n: number }).n;
    expect((await call('GET', '/api/v1/people')).body.people).toHaveLength(count('people'));
    expect((await call('GET', '/api/v1/rotas')).body.rotas).toHaveLength(count('rotas'));
    expect((await call('GET', '/api/v1/teams')).body.teams).toHaveLength(count('teams'));
    // Every sign-up is where it was: each person's list through the API matches the table.
    for (const person of before.get('people')!.rows) {
      const listed = await call('GET', `/api/v1/people/${person.id}/signups?from=2026-01-01&to=2026-12-31&includeCancelled=true`);
      expect(listed.status).toBe(200);
      const want = before.get('signups')!.rows.filter((s) => s.person_id === person.id).map((s) => s.id);
      expect(listed.body.signups.map((s: { id: number }) => s.id).sort((a: number, b: number) => a - b), `person ${person.id}`).toEqual(want);
    }
    // The check-in and the walk-ins still count as attended person-shifts.
    const stats = await call('GET', '/api/v1/stats/person-shifts?groupBy=person&from=2026-03-01&to=2026-11-30');
    expect(stats.status).toBe(200);
    const attended = before.get('signups')!.rows.filter((s) => s.attendance === 'attended' && (s.local_date as string) <= '2026-11-30').length;
    expect(stats.body.total.personShifts).toBe(attended);
  });

  it('keeps every access token working: the hashes are the ones the tokens were issued with', () => {
    const hashes = db.$client.prepare('SELECT id, access_token_hash FROM people ORDER BY id').all();
    expect(hashes).toEqual(before.get('people')!.rows.map((p) => ({ id: p.id, access_token_hash: p.access_token_hash })));
    expect(createHash('sha256').update(COORDINATOR_TOKEN).digest('hex')).toBe(before.get('people')!.rows[0]!.access_token_hash);
  });
});
