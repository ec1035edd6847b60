// A real app on a real SQLite file in a temporary folder (or its own PostgreSQL database: engine.ts),
// with a coordinator and a movable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { buildApp, type App } from '../../src/http/app.js';
import { ensureCoordinator } from '../../src/services/people.js';
import { testDatabase } from './engine.js';

export interface TestApp {
  app: App;
  db: Db;
  file: string;
  coordinatorToken: string;
  /** Moves the app's clock. */
  setNow(iso: string): void;
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** `options` set configuration as `loadConfig`'s options do (the environment is not read). */
export async function makeApp(nowIso = '2026-03-01T00:00:00Z', options: Partial<Config> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'rota-test-'));
  const database = await testDatabase(dir);
  const file = database.location;
  let now = new Date(nowIso);
  const config = loadConfig({ dbPath: file, publicUrl: 'https://rota.example.org', now: () => now, ...options }, {});
  const db = openDb(file);
  const coordinatorToken = 'coordinator-token-for-tests-000001';
  ensureCoordinator(db, coordinatorToken, now);
  const app = await buildApp({ config, db, logger: false });
  return {
    app,
    db,
    file,
    coordinatorToken,
    setNow(iso) {
      now = new Date(iso);
    },
    async call(method, url, opts = {}) {
      const token = opts.token === undefined ? coordinatorToken : opts.token;
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await app.inject({
        method,
        url,
        headers,
        ...(opts.body === undefined ? {} : typeof opts.body === 'string' ? { payload: opts.body } : { payload: opts.body as object }),
      });
      let body: unknown = null;
      try {
        body = res.json();
      } catch {
        body = null;
      }
      return { status: res.statusCode, body, text: res.body, headers: res.headers };
    },
    async close() {
      await app.close();
      db.$client.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
