// The compiled `rota` command: the README's path for a new user (demo, then the server lists the
// 2026 school-gate shifts), a new personal link, and a backup that opens with the same rows.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schoolDays } from '../fixtures/cn-school-days.js';
import { ensureBuilt } from '../helpers/build.js';
import { BOOTSTRAP_TOKEN, startServer, tempDatabase, type RealServer } from '../helpers/server.js';

const ROOT = join(import.meta.dirname, '..', '..');

let database: ReturnType<typeof tempDatabase>;
let server: RealServer;
let demoOutput: string;

/** Runs `node dist/cli.js ...args` on the test database: exit code and output. */
async function rota(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['dist/cli.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, ROTA_DB: database.file, ROTA_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, ROTA_PUBLIC_URL: 'https://rota.example.org' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every row of every table of a database file. */
function rows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all()]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  await ensureBuilt();
  database = tempDatabase();
  const demo = await rota('demo');
  expect(demo).toMatchObject({ code: 0, stderr: '' });
  demoOutput = demo.stdout;
  server = await startServer(database.file);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  database?.remove();
});

describe('rota demo', () => {
  it('adds the founding community and prints the new coordinator\'s sign-in link once', async () => {
    expect(demoOutput).toContain(`https://rota.example.org/me#${BOOTSTRAP_TOKEN}`);
    expect(demoOutput).toMatch(/33 buildings \(teams\), 75 building captains/);
    const again = await rota('demo');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already in this database; nothing was added/);
    expect(again.stdout).not.toContain('/me#');
  });

  it('has 33 buildings with 75 captains among them', async () => {
    const teams = (await server.call('GET', '/api/v1/teams')).body.teams as { memberIds: number[] }[];
    expect(teams).toHaveLength(33);
    expect(teams.flatMap((t) => t.memberIds)).toHaveLength(75);
    const people = (await server.call('GET', '/api/v1/people')).body.people as { role: string }[];
    expect(people.filter((p) => p.role === 'volunteer')).toHaveLength(75);
  });

  it('lists, through the running server, every 2026 school day at 07:15 for each of the two posts: none on holidays, one on each make-up day', async () => {
    const rotas = (await server.call('GET', '/api/v1/rotas')).body.rotas as { id: number; name: string; timezone: string }[];
    const schoolRoute = rotas.find((r) => r.name.includes('护学岗'))!;
    expect(schoolRoute.timezone).toBe('Asia/Shanghai');
    const series = (await server.call('GET', `/api/v1/rotas/${schoolRoute.id}/series`)).body.series as { id: number; dayCalendarIds: string[] }[];
    expect(series).toHaveLength(2);
    const res = await server.call('GET', `/api/v1/shifts?rotaId=${schoolRoute.id}&from=2026-01-01&to=2026-12-31`);
    expect(res.status).toBe(200);
    const shifts = res.body.shifts as { seriesId: number; localDate: string; start: string; origin: string }[];
    const expected = schoolDays(2026);
    for (const s of series) {
      expect(s.dayCalendarIds).toContain('cn-mainland');
      const mine = shifts.filter((x) => x.seriesId === s.id);
      expect(mine.map((x) => x.localDate)).toEqual(expected.days);
      expect(mine.every((x) => x.start === `${x.localDate}T07:15:00+08:00`)).toBe(true);
      for (const date of expected.makeUp) expect(mine.filter((x) => x.localDate === date)).toHaveLength(1);
    }
    expect(shifts).toHaveLength(2 * expected.days.length);
    expect(res.body.warnings).toEqual([]);
  });
});

describe('rota token', () => {
  it('replaces a person\'s personal link and prints the new one; the old one stops working', async () => {
    const captain = (await server.call('POST', '/api/v1/people', { body: { name: 'Lost link' } })).body;
    const res = await rota('token', String(captain.id));
    expect(res.code).toBe(0);
    const token = /https:\/\/rota\.example\.org\/me#([A-Za-z0-9_-]+)/.exec(res.stdout)![1]!;
    expect((await server.call('GET', '/api/v1/me', { token })).body).toMatchObject({ id: captain.id, name: 'Lost link' });
    expect((await server.call('GET', '/api/v1/me', { token: captain.accessToken })).status).toBe(401);
  });

  it('says which person does not exist, with exit code 2', async () => {
    const res = await rota('token', '99999');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/No person has id 99999/);
  });
});

describe('rota backup', () => {
  it('writes a copy that opens and holds the same rows, and never overwrites a file', async () => {
    const copy = join(database.file, '..', 'backup.sqlite');
    const res = await rota('backup', copy);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(copy);
    const original = rows(database.file);
    const backedUp = rows(copy);
    expect(backedUp).toEqual(original);
    expect(Object.keys(backedUp)).toEqual(expect.arrayContaining(['people', 'teams', 'rotas', 'series', 'audit_log']));
    expect(backedUp.teams).toHaveLength(33);
    const check = new Database(copy, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const before = readFileSync(copy);
    const again = await rota('backup', copy);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(readFileSync(copy).equals(before)).toBe(true);
  });
});

describe('rota without a known command', () => {
  it('prints its usage with exit code 2', async () => {
    const unknown = await rota('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/Usage: rota <command>/);
  });
});
