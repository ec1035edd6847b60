// The real compiled server (`node dist/cli.js serve`) on a free loopback port, called over HTTP.
// Several may share one database file, as two processes of a real deployment would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBuilt } from './build.js';
import type { Call } from './signup-fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

export const BOOTSTRAP_TOKEN = 'coordinator-token-for-real-servers-01';

export interface RealServer {
  url: string;
  /** The server's process id (for reading its memory from /proc). */
  pid: number;
  /** Calls the API as makeApp's `call` does; the token defaults to the bootstrap coordinator's. */
  call: Call;
  stop(): Promise<void>;
  /** Ends the process with SIGKILL, as a crash or a power cut would, and waits until it is gone. */
  kill(): Promise<void>;
}

/** A temporary folder for a database file, removed with `remove()`. */
export function tempDatabase(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rota-server-'));
  return { file: join(dir, 'rota.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts a server on `dbFile` (with `env` added to its environment) and waits until it answers its health check. */
export async function startServer(dbFile: string, env: Record<string, string> = {}): Promise<RealServer> {
  await ensureBuilt();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ROTA_DB: dbFile, ROTA_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  const call: Call = async (method, path, opts = {}) => {
    const token = opts.token === undefined ? BOOTSTRAP_TOKEN : opts.token;
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, body };
  };

  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output}`);
    if (waited > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer within 30 s:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }

  return {
    url,
    pid: child.pid!,
    call,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}
