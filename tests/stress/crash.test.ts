// Invariant 5: every acknowledged write survives a crash. The compiled server takes sign-ups from
// twenty simultaneous callers, is killed with SIGKILL at a random moment, and is started again on
// the same file: every sign-up that was answered 201 is there, and SQLite finds the file intact.
// Repeated, so kills land in different places (mid-transaction, mid-checkpoint, between requests).
// The kill moments come from a seeded generator: the seed is printed, and CRASH_SEED=<seed> replays it.
import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePeople, makeRota, type Call, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, tempDatabase } from '../helpers/server.js';
import { crashSeed, seeded } from '../helpers/seeded.js';

const CALLERS = 20;
const ROUNDS = 4;

const SEED = crashSeed();

interface Acknowledged {
  id: number;
  personId: number;
  shiftId: string;
}

let database: ReturnType<typeof tempDatabase>;
let people: PersonSetup[];
let rota: RotaSetup;

beforeAll(async () => {
  database = tempDatabase();
  const setup = await startServer(database.file);
  rota = await makeRota(setup.call, { name: 'Night patrol', waitlist: false, startDate: '2027-01-01', startTime: '21:00', maxVolunteers: CALLERS });
  people = await makePeople(setup.call, CALLERS, 'Patroller');
  await setup.stop();
}, 120_000);

afterAll(() => database?.remove());

const day = (n: number) => new Date(Date.UTC(2027, 0, 1 + n)).toISOString().slice(0, 10);

describe('a server killed with SIGKILL under sign-up load', () => {
  it('keeps every acknowledged sign-up and an intact file, in four rounds of kill and restart', async () => {
    console.log(`crash test seed ${SEED} (replay with CRASH_SEED=${SEED})`);
    const random = seeded(SEED);
    const acknowledged: Acknowledged[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startServer(database.file);
      const { url } = server;
      let stopped = false;
      const thisRound: Acknowledged[] = [];
      /** Answers other than 201 from a live server: each one fails the test (after the round). */
      const unexpected: string[] = [];
      // Each caller signs up for its own run of nights; at most 150 requests each.
      const callers = people.map(async (p) => {
        for (let n = 0; n < 150 && !stopped; n++) {
          const shiftId = rota.shiftOn(day(round * 150 + n));
          let status: number;
          let body: { id: number };
          try {
            const res = await fetch(`${url}/api/v1/shifts/${shiftId}/signups`, {
              method: 'POST',
              headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
              body: '{}',
            });
            status = res.status;
            body = (await res.json()) as { id: number };
          } catch {
            return; // The server is gone: this request may or may not have been stored.
          }
          if (status !== 201) {
            unexpected.push(`${p.id} on ${shiftId}: ${status} ${JSON.stringify(body)}`);
            return;
          }
          thisRound.push({ id: body.id, personId: p.id, shiftId });
        }
      });
      // Kill once some sign-ups have been acknowledged, at a moment that differs from round to round.
      const waitFor = 20 + Math.floor(random() * 80);
      for (let waited = 0; thisRound.length < waitFor && waited < 20_000; waited += 10) await sleep(10);
      await sleep(random() * 50);
      await server.kill();
      stopped = true;
      await Promise.all(callers);
      expect(unexpected, `seed ${SEED}, round ${round}`).toEqual([]);
      expect(thisRound.length, `seed ${SEED}, round ${round}`).toBeGreaterThanOrEqual(waitFor);
      acknowledged.push(...thisRound);

      // Started again on the same file, the server answers for every acknowledged sign-up.
      const again = await startServer(database.file);
      const call: Call = again.call;
      for (const a of thisRound.slice(-10)) {
        const res = await call('GET', `/api/v1/signups/${a.id}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ personId: a.personId, shiftId: a.shiftId, status: 'confirmed' });
      }
      await again.stop();

      const db = new Database(database.file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare('SELECT id, person_id AS personId, shift_id AS shiftId, status FROM signups').all() as (Acknowledged & { status: string })[];
        const stored = new Map(rows.map((r) => [r.id, r]));
        const missing = acknowledged.filter((a) => {
          const row = stored.get(a.id);
          return !row || row.personId !== a.personId || row.shiftId !== a.shiftId || row.status !== 'confirmed';
        });
        expect(missing, `seed ${SEED}, round ${round}`).toEqual([]);
      } finally {
        db.close();
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS * 20);
  }, 300_000);
});
