// Issue 8, at least once: the compiled server's notice worker posts to a webhook receiver that
// answers slowly, and the server is killed with SIGKILL while that delivery is in flight. Started
// again on the same file, the server sends the notice once its lease runs out: the notice arrives,
// any duplicate carries the same idempotency key, and the outbox ends with it marked sent.
import Database from 'better-sqlite3';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_TOKEN, startServer, tempDatabase } from '../helpers/server.js';
import { makePerson, makeRota } from '../helpers/signup-fixtures.js';

// The worker ticks every 15 s and a lease lasts 2 minutes: a restarted server sends within ~2.5 minutes.
const REDELIVERY_BOUND_MS = 200_000;

/** A webhook receiver on loopback that never answers its first call (it is still "in flight" when the sender dies) and answers later ones at once. */
async function slowReceiver() {
  const calls: { headers: IncomingHttpHeaders; body: { key: string; kind: string; text: string } }[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body: JSON.parse(raw) });
      if (calls.length === 1) held.push(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rota?token=receiver-secret-0001`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(what: string, boundMs: number, ready: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${boundMs / 1000} s waiting for ${what}.`);
    await sleep(250);
  }
}

// The receiver is on loopback, which channels may call only in tests.
const LOOPBACK = { ROTA_ALLOW_LOOPBACK_TARGETS: '1' };

const database = tempDatabase();
const receivers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
  database.remove();
});

describe('a server killed with SIGKILL while a notice is being delivered', () => {
  it('sends the notice again after a restart on the same file: it arrives, with one idempotency key, and ends marked sent', async () => {
    const receiver = await slowReceiver();
    receivers.push(receiver);
    // A week ahead of the real clock: no shift is short within 48 hours, so the only notice is the cancellation.
    const startDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

    const setup = await startServer(database.file, LOOPBACK);
    const rota = await makeRota(setup.call, { name: 'Night patrol', startDate, startTime: '21:00', maxVolunteers: 2 });
    const channel = await fetch(`${setup.url}/api/v1/rotas/${rota.rotaId}/channel`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'webhook', url: receiver.url, quietHours: null }),
    });
    expect(channel.status).toBe(200);
    const patroller = await makePerson(setup.call, 'Patroller');
    const signup = await setup.call('POST', `/api/v1/shifts/${rota.shiftOn(startDate)}/signups`, { body: { personId: patroller.id } });
    expect(signup.status).toBe(201);
    await setup.stop();

    // A coordinator takes the patroller off: the notice is written with the change, and the worker starts sending it.
    const first = await startServer(database.file, LOOPBACK);
    expect((await first.call('DELETE', `/api/v1/signups/${signup.body.id}`)).status).toBe(200);
    await until('the first delivery to reach the receiver', 40_000, () => receiver.calls.length >= 1);
    await first.kill();

    const file = new Database(database.file, { readonly: true });
    try {
      expect(file.prepare("SELECT status, attempts, lease_owner IS NOT NULL AS leased FROM notices WHERE kind = 'signup-cancelled'").all()).toEqual([{ status: 'pending', attempts: 1, leased: 1 }]);
    } finally {
      file.close();
    }

    const again = await startServer(database.file, LOOPBACK);
    try {
      await until('the notice to be delivered again', REDELIVERY_BOUND_MS, () => receiver.calls.length >= 2);
      let sent: { key: string; status: string; attempts: number } | undefined;
      await until('the notice to be marked sent', 30_000, async () => {
        const res = await again.call('GET', '/api/v1/notices');
        sent = res.body.notices.find((n: { kind: string }) => n.kind === 'signup-cancelled');
        return sent?.status === 'sent';
      });
      expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
      expect(receiver.calls).toHaveLength(2);
      expect(receiver.calls.map((c) => c.headers['idempotency-key'])).toEqual([sent!.key, sent!.key]);
      expect(receiver.calls.map((c) => c.body.key)).toEqual([sent!.key, sent!.key]);
      expect(receiver.calls[1]!.body).toMatchObject({ kind: 'signup-cancelled', personId: patroller.id });
    } finally {
      await again.stop();
    }
  }, 300_000);
});
