// Issue 11, item 2: a notice channel cannot be aimed inside. The compiled server (`node dist/cli.js
// serve`) delivers through its own worker to receivers on loopback: one with
// ROTA_ALLOW_LOOPBACK_TARGETS=1, as tests run it, and then one without, as a deployment runs it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { BOOTSTRAP_TOKEN, startServer, tempDatabase, type RealServer } from '../helpers/server.js';
import { makePerson, makeRota, type RotaSetup } from '../helpers/signup-fixtures.js';

const KEY = 'robot-key-never-shown-0001';
const MiB = 1024 * 1024;
const HUGE = 256 * MiB;

interface Receiver {
  /** Requests it got. */
  count: number;
  /** Answer bytes it managed to hand to the connection before the caller closed it. */
  written: number;
  url(host?: string): string;
  close(): Promise<void>;
}

/** A receiver on loopback: `answer` writes the response to each request, after its body was read. */
async function receiver(answer: (res: ServerResponse, self: Receiver) => void): Promise<Receiver> {
  const self: Receiver = { count: 0, written: 0, url: () => '', close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      self.count++;
      answer(res, self);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  self.url = (host = '127.0.0.1') => `http://${host}:${port}/cgi-bin/webhook/send?key=${KEY}`;
  self.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return self;
}

/** Streams `HUGE` bytes of a 200 answer, as fast as the caller reads them, until it hangs up. */
function streamHuge(res: ServerResponse, self: Receiver): void {
  const chunk = Buffer.alloc(MiB, 'x');
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(HUGE) });
  const pump = () => {
    while (!closed && self.written < HUGE) {
      self.written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  pump();
}

/** Peak resident memory of a process, in bytes (Linux). */
function peakMemory(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kib) * 1024;
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  // The servers here run the worker every second (ROTA_NOTICE_INTERVAL=1); a busy machine may still take a while.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await sleep(250);
  }
}

// Compiling dist/ can take minutes on a busy machine: not part of the test's own time.
beforeAll(() => ensureBuilt(), 600_000);

const database = tempDatabase();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  database.remove();
}, 60_000);

// A week ahead of the real clock: no shift is short within 48 hours, so the only notices are the cancellations.
const startDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

async function channel(server: RealServer, rotaId: number, url: string) {
  const res = await fetch(`${server.url}/api/v1/rotas/${rotaId}/channel`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'webhook', url, quietHours: null }),
  });
  return { status: res.status, text: await res.text() };
}

/** A rota pointed at `url` with one person signed up; `cancel()` has a coordinator take them off, which writes a notice. */
async function rotaWithSignup(server: RealServer, name: string, url: string): Promise<RotaSetup & { cancel(s: RealServer): Promise<void> }> {
  const rota = await makeRota(server.call, { name, startDate, startTime: '18:00' });
  expect((await channel(server, rota.rotaId, url)).status).toBe(200);
  const person = await makePerson(server.call, `${name} volunteer`);
  const signup = await server.call('POST', `/api/v1/shifts/${rota.shiftOn(startDate)}/signups`, { body: { personId: person.id } });
  expect(signup.status).toBe(201);
  return { ...rota, cancel: async (s) => expect((await s.call('DELETE', `/api/v1/signups/${signup.body.id}`)).status).toBe(200) };
}

/** The rota's notice once the worker has tried it (sent, or failed with its error; a leased one is in flight). */
function tried(server: RealServer, rotaId: number) {
  return until(`the notice of rota ${rotaId} to be tried`, async () => {
    const res = await server.call('GET', `/api/v1/notices?rotaId=${rotaId}`);
    const [n] = res.body.notices as { status: string; lastError: string | null }[];
    return n && (n.status !== 'pending' || n.lastError !== null) ? n : undefined;
  });
}

describe('notice channels cannot reach inside the network (a real server, receivers on loopback)', () => {
  it('follows no redirect, reads only the start of a huge answer, and refuses internal addresses when saved and when connecting', { timeout: 300_000 }, async () => {
    const target = await receiver((res) => res.writeHead(200).end('{}'));
    const redirector = await receiver((res) => res.writeHead(307, { location: target.url() }).end());
    const huge = await receiver(streamHuge);
    const local = await receiver((res) => res.writeHead(200).end('{}'));
    for (const r of [target, redirector, huge, local]) cleanups.push(r.close);

    // As tests run it: loopback receivers may be called.
    const testing = await startServer(database.file, { ROTA_ALLOW_LOOPBACK_TARGETS: '1', ROTA_NOTICE_INTERVAL: '1' });
    cleanups.push(testing.stop);
    const redirected = await rotaWithSignup(testing, 'Redirected', redirector.url());
    const flooded = await rotaWithSignup(testing, 'Flooded', huge.url());
    // Saved by name while loopback was allowed: later, `localhost` is what a rebound name looks like.
    const rebound = await rotaWithSignup(testing, 'Rebound', local.url('localhost'));
    await redirected.cancel(testing);
    await flooded.cancel(testing);

    const bounced = await tried(testing, redirected.rotaId);
    expect(bounced.status).toBe('pending');
    expect(bounced.lastError).toBe('the receiver answered HTTP 307, a redirect, which is not followed');
    expect(redirector.count).toBe(1);
    expect(target.count).toBe(0);

    const sent = await tried(testing, flooded.rotaId);
    expect(sent.status).toBe('sent');
    // The worker hung up after a few KiB: what the receiver could hand over is what the sockets buffer, not the answer.
    expect(huge.written).toBeLessThan(32 * MiB);
    expect(peakMemory(testing.pid)).toBeLessThan(HUGE);
    await testing.stop();

    // As a deployment runs it: no loopback either.
    const deployed = await startServer(database.file, { ROTA_NOTICE_INTERVAL: '1' });
    cleanups.push(deployed.stop);
    const inside = [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:22/',
      'http://[::1]/hook',
      'http://localhost:8080/hook',
      'http://api.localhost/hook',
      'http://0x7f000001/hook',
      'http://2130706433/hook',
      'http://0177.0.0.1/hook',
      'http://127.1/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://0.0.0.0/hook',
      'http://[::]/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.1/hook',
      'http://100.64.0.1/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://224.0.0.1/hook',
      'http://[ff02::1]/hook',
      'http://255.255.255.255/hook',
    ];
    for (const url of inside) {
      const refused = await channel(deployed, rebound.rotaId, `${url}?key=${KEY}`);
      expect(refused.status, url).toBe(400);
      expect(JSON.parse(refused.text).error, url).toMatchObject({ code: 'VALIDATION', field: 'url', message: expect.stringMatching(/^url must be an address on the public internet; it leads to .*(loopback|private|link-local|multicast|unspecified|reserved)/) });
      expect(refused.text).not.toContain(KEY);
    }
    const withCredentials = await channel(deployed, rebound.rotaId, `https://user:pass@example.org/hook?key=${KEY}`);
    expect(withCredentials.status).toBe(400);
    expect(JSON.parse(withCredentials.text).error).toMatchObject({ code: 'VALIDATION', field: 'url', message: expect.stringContaining('user name or password') });
    expect(withCredentials.text).not.toContain('pass@');
    // None of these replaced the saved channel.
    expect((await deployed.call('GET', `/api/v1/rotas/${rebound.rotaId}/channel`)).body.url).toMatch(/^http:\/\/localhost:\d+\/…\?key=\*\*\*\*0001$/);

    // At connect time: the saved name now resolves to 127.0.0.1, and the worker will not connect to it.
    await rebound.cancel(deployed);
    const refused = await tried(deployed, rebound.rotaId);
    expect(refused.lastError).toBe('the address leads to a private or internal network address, which is not allowed');
    expect(local.count).toBe(0);
  });
});
