// `rota backup` on a live database under write load: the copy is a consistent snapshot holding
// every write acknowledged before the backup began, and a copy restored into a new file serves the
// same data as the original.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePeople, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, tempDatabase, type RealServer } from '../helpers/server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CALLERS = 10;

let database: ReturnType<typeof tempDatabase>;
let live: RealServer;
let people: PersonSetup[];
let rota: RotaSetup;

beforeAll(async () => {
  database = tempDatabase();
  live = await startServer(database.file);
  rota = await makeRota(live.call, { name: 'School gate', waitlist: false, startDate: '2027-01-01', startTime: '07:15', maxVolunteers: CALLERS });
  people = await makePeople(live.call, CALLERS, 'Captain');
}, 120_000);

afterAll(async () => {
  await live?.stop();
  database?.remove();
});

const backup = (target: string) => promisify(execFile)(process.execPath, ['dist/cli.js', 'backup', target], { cwd: ROOT, env: { ...process.env, ROTA_DB: database.file } });

/** Every row of every table, in a stable order. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all()]));
  } finally {
    db.close();
  }
}

describe('a backup taken while people sign up', () => {
  it('holds every sign-up acknowledged before it began, each with its audit entry, in an intact file', async () => {
    const acknowledged: number[] = [];
    let stop = false;
    const callers = people.map(async (p, i) => {
      for (let n = 0; n < 200 && !stop; n++) {
        const res = await live.call('POST', `/api/v1/shifts/${rota.shiftOn(new Date(Date.UTC(2027, 0, 1 + n)).toISOString().slice(0, 10))}/signups`, { token: p.token, body: {} });
        expect(res.status, `caller ${i}: ${JSON.stringify(res.body)}`).toBe(201);
        acknowledged.push(res.body.id);
      }
    });
    for (let waited = 0; acknowledged.length < 50 && waited < 30_000; waited += 10) await sleep(10);
    const before = [...acknowledged];
    const copy = join(database.file, '..', 'during-load.sqlite');
    await backup(copy);
    const after = acknowledged.length;
    await sleep(200);
    stop = true;
    await Promise.all(callers);
    // The load really ran on both sides of the backup.
    expect(before.length).toBeGreaterThanOrEqual(50);
    expect(acknowledged.length).toBeGreaterThan(after);

    const db = new Database(copy, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set(db.prepare('SELECT id FROM signups').pluck().all() as number[]);
      expect(before.filter((id) => !ids.has(id))).toEqual([]);
      // A snapshot, not a torn copy: each sign-up and its audit entry were written in one transaction.
      const audited = new Set((db.prepare("SELECT entity_id FROM audit_log WHERE action = 'signup.create'").pluck().all() as string[]).map(Number));
      expect([...ids].sort((a, b) => a - b)).toEqual([...audited].sort((a, b) => a - b));
    } finally {
      db.close();
    }
    // Everything in the copy is in the live file, unchanged.
    const copied = dump(copy).signups!;
    const current = new Map((dump(database.file).signups as unknown[][]).map((row) => [row[0], row]));
    for (const row of copied as unknown[][]) expect(current.get(row[0])).toEqual(row);
  }, 180_000);

  it('restores into a new file that serves exactly the same data', async () => {
    const copy = join(database.file, '..', 'final.sqlite');
    await backup(copy);
    const restoredFile = join(database.file, '..', 'restored.sqlite');
    copyFileSync(copy, restoredFile);
    expect(dump(restoredFile)).toEqual(dump(database.file));

    const restored = await startServer(restoredFile);
    try {
      const urls = [
        '/api/v1/people',
        '/api/v1/teams',
        '/api/v1/rotas',
        `/api/v1/shifts?rotaId=${rota.rotaId}&from=2027-01-01&to=2027-07-31`,
        '/api/v1/stats/person-shifts?groupBy=person&from=2027-01-01&to=2027-12-31',
        ...people.map((p) => `/api/v1/people/${p.id}/signups?from=2027-01-01&to=2027-12-31`),
      ];
      for (const url of urls) {
        const [a, b] = await Promise.all([live.call('GET', url), restored.call('GET', url)]);
        expect(a.status, url).toBe(200);
        // Links name the server they came from; the two listen on different ports.
        const same = (answer: { body: unknown }) => JSON.stringify(answer.body).replace(/127\.0\.0\.1:\d+/g, 'host');
        expect(same(b), url).toBe(same(a));
      }
    } finally {
      await restored.stop();
    }
  }, 120_000);
});
