// Issue 16, item 2, on PostgreSQL: kill -9 of one API process under load loses no acknowledged
// write. Three compiled servers share one database; twenty-four people sign up through all three
// at once, each for two overlapping shifts a day (North and South gate, four places each), so
// full shifts and collisions are decided under load. One node is killed with SIGKILL at a random
// moment while requests are in flight; the other two keep answering; the killed one is started
// again and answers too. Then every sign-up any node acknowledged (201) is there, read through the
// API, no shift holds more than its places, and nobody holds two overlapping places.
// The kill moments and victims come from a seeded generator: the seed is printed, and
// CRASH_SEED=<seed> replays it.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillOf, makePeople, makeRota, type Call, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, type RealServer } from '../helpers/server.js';
import { createDatabase, type TestDatabase } from './postgres.js';
import { crashSeed, seeded } from '../helpers/seeded.js';

const CALLERS = 24;
/** Shortest time one caller takes per day's two requests: 2,400 a minute at most. */
const PACE_MS = 50;
const PLACES = 4;
const ROUNDS = 3;
/** Days each round's callers may walk through (each round has its own); they stop well before. */
const DAYS_PER_ROUND = 3000;
/** Acknowledgements the survivors must give after the kill, and the restarted node after its start. */
const AFTER_KILL = 40;
const AFTER_RESTART = 10;
/** How long the survivors, and the restarted node, have to acknowledge that many (a restart may rebuild dist/ first). */
const WAIT_LIMIT_MS = 120_000;

const SEED = crashSeed();

interface Acknowledged {
  id: number;
  personId: number;
  shiftId: string;
}

let db: TestDatabase;
/** The three nodes by slot; a killed node's slot is null until it is started again. */
const nodes: (RealServer | null)[] = [];
let people: PersonSetup[];
let north: RotaSetup;
let south: RotaSetup;

beforeAll(async () => {
  db = await createDatabase();
  nodes.push(await startServer(db.url));
  nodes.push(...(await Promise.all([startServer(db.url), startServer(db.url)])));
  const call = nodes[0]!.call;
  // 09:00-10:00 and 09:30-10:30: one person can hold at most one of each day's two.
  north = await makeRota(call, { name: 'North gate', waitlist: false, startDate: '2027-01-01', startTime: '09:00', maxVolunteers: PLACES });
  south = await makeRota(call, { name: 'South gate', waitlist: false, startDate: '2027-01-01', startTime: '09:30', maxVolunteers: PLACES });
  people = await makePeople(call, CALLERS, 'Gatekeeper');
}, 300_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n?.stop()));
  await db?.drop();
});

const day = (n: number) => new Date(Date.UTC(2027, 0, 1 + n)).toISOString().slice(0, 10);

/** Waits until `done()` holds, for at most WAIT_LIMIT_MS; answers whether it does. */
async function until(done: () => boolean): Promise<boolean> {
  for (let waited = 0; !done() && waited < WAIT_LIMIT_MS; waited += 10) await sleep(10);
  return done();
}

describe('one of three server processes killed with SIGKILL under sign-up load', () => {
  it('loses no acknowledged sign-up, puts no shift over its places and nobody on two overlapping shifts, in three rounds', async () => {
    console.log(`pg crash test seed ${SEED} (replay with CRASH_SEED=${SEED})`);
    const random = seeded(SEED);
    const acknowledged: Acknowledged[] = [];
    /** The last day (from its round's first) each round's callers reached. */
    const lastDays: number[] = [];
    const firstVictim = Math.floor(random() * 3);
    for (let round = 0; round < ROUNDS; round++) {
      const where = `seed ${SEED}, round ${round}`;
      const victimSlot = (firstVictim + round) % 3;
      const victim = nodes[victimSlot]!;
      let stopped = false;
      const thisRound: Acknowledged[] = [];
      /** Acknowledgements by the node that gave them. */
      const ackedBy = new Map<RealServer, number>();
      /** Answers nobody should get: any other status from a live node, or a live node not answering. */
      const unexpected: string[] = [];
      /** Requests the killed node took and never answered: stored or not, either is right. */
      let lost = 0;

      const send = async (p: PersonSetup, slot: number, shiftId: string) => {
        // A dead slot's requests go to the next live node, as a load balancer would send them.
        let target = nodes[slot];
        for (let k = 1; !target && k < 3; k++) target = nodes[(slot + k) % 3];
        let res: { status: number; body: any };
        try {
          res = await target!.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token: p.token, body: {} });
        } catch (error) {
          if (target === victim) lost++;
          else unexpected.push(`${p.id} on ${shiftId}: no answer from a live node (${(error as Error).message})`);
          return;
        }
        if (res.status === 201 && res.body.status === 'confirmed') {
          thisRound.push({ id: res.body.id, personId: p.id, shiftId });
          ackedBy.set(target!, (ackedBy.get(target!) ?? 0) + 1);
        } else if (res.status !== 409 || !['SHIFT_FULL', 'COLLIDES'].includes(res.body?.error?.code)) {
          unexpected.push(`${p.id} on ${shiftId}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      };
      // Every caller walks the same days, asking for both of each day's shifts at once through two
      // nodes, a day each PACE_MS at most: no faster than the rate limit (ROTA_RATE_LIMIT's 3,000
      // a minute per token, which the nodes count together) lets one person go.
      let lastDay = 0;
      const callers = people.map(async (p, c) => {
        for (let n = 0; n < DAYS_PER_ROUND && !stopped; n++) {
          lastDay = Math.max(lastDay, n);
          const date = day(round * DAYS_PER_ROUND + n);
          const started = Date.now();
          await Promise.all([send(p, (c + n) % 3, north.shiftOn(date)), send(p, (c + n + 1) % 3, south.shiftOn(date))]);
          await sleep(Math.max(0, PACE_MS - (Date.now() - started)));
        }
      });

      // Kill once some sign-ups have been acknowledged, at a moment that differs from round to round.
      const waitFor = 20 + Math.floor(random() * 80);
      let atKill = 0;
      let survivorsAnswer = false;
      let restartedAnswers = false;
      let again: RealServer | undefined;
      try {
        expect(await until(() => thisRound.length >= waitFor), where).toBe(true);
        await sleep(random() * 50);
        await victim.kill();
        nodes[victimSlot] = null;
        atKill = thisRound.length;
        // The other two keep answering.
        survivorsAnswer = await until(() => thisRound.length >= atKill + AFTER_KILL);
        // Started again on the same database, the killed node takes its share once more.
        again = await startServer(db.url);
        nodes[victimSlot] = again;
        restartedAnswers = await until(() => (ackedBy.get(again!) ?? 0) >= AFTER_RESTART);
      } finally {
        stopped = true;
        await Promise.all(callers);
      }
      console.log(`${where}: killed node ${victimSlot} after ${atKill} acknowledged sign-ups (${lost} requests unanswered); ${thisRound.length} acknowledged in the round`);
      expect(unexpected, where).toEqual([]);
      expect(survivorsAnswer, `${where}: the two other nodes acknowledged ${thisRound.length - atKill} sign-ups after the kill`).toBe(true);
      expect(restartedAnswers, `${where}: the restarted node acknowledged ${ackedBy.get(again) ?? 0} sign-ups`).toBe(true);
      acknowledged.push(...thisRound);

      lastDays.push(lastDay);
      // Read through the API with each person's own token (as they would look at their duties),
      // spread over the nodes, so that no one token comes near the rate limit however long the round.
      const asPerson = (p: PersonSetup, i: number): Call => (method, path, opts = {}) => nodes[i % 3]!.call(method, path, { ...opts, token: p.token });

      // Each person's places in every round so far: every sign-up acknowledged to them is there,
      // confirmed, on its shift; and they hold no two overlapping places (one of each day's two at most).
      for (const [i, p] of people.entries()) {
        const listed = new Map<number, { id: number; shiftId: string; status: string; start: string; end: string; localDate: string }>();
        for (const [r, last] of lastDays.entries()) {
          for (let first = 0; first <= last; first += 366) {
            const from = day(r * DAYS_PER_ROUND + first);
            const to = day(r * DAYS_PER_ROUND + first + 365);
            const res = await asPerson(p, i + first)('GET', `/api/v1/people/${p.id}/signups?from=${from}&to=${to}`);
            expect(res.status, where).toBe(200);
            for (const s of res.body.signups) listed.set(s.id, s);
          }
        }
        const missing = acknowledged.filter((a) => a.personId === p.id).filter((a) => listed.get(a.id)?.status !== 'confirmed' || listed.get(a.id)?.shiftId !== a.shiftId);
        expect(missing, `${where}: acknowledged to person ${p.id} but not held`).toEqual([]);
        const held = [...listed.values()]
          .filter((s) => s.status === 'confirmed')
          .map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), localDate: s.localDate }))
          .sort((a, b) => a.start - b.start);
        const clashes = held.filter((s, k) => k > 0 && s.start < held[k - 1]!.end).map((s) => s.localDate);
        expect(clashes, `${where}: person ${p.id}`).toEqual([]);
      }

      // The last sign-ups of the round, one by one through the restarted node.
      for (const a of thisRound.slice(-10)) {
        const owner = people.find((p) => p.id === a.personId)!;
        const res = await again!.call('GET', `/api/v1/signups/${a.id}`, { token: owner.token });
        expect(res.status, where).toBe(200);
        expect(res.body, where).toMatchObject({ personId: a.personId, shiftId: a.shiftId, status: 'confirmed' });
      }

      // No shift of the round over its places, and each holds everyone it acknowledged.
      const shifts = new Map<string, number[]>();
      for (const a of thisRound) shifts.set(a.shiftId, [...(shifts.get(a.shiftId) ?? []), a.personId]);
      for (const [i, [shiftId, acked]] of [...shifts].entries()) {
        const fill = await fillOf(asPerson(people[i % CALLERS]!, i), shiftId);
        expect(fill.confirmed.length, `${where}: ${shiftId}`).toBeLessThanOrEqual(PLACES);
        expect(fill.confirmed, `${where}: ${shiftId}`).toEqual(expect.arrayContaining(acked));
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS * (20 + AFTER_KILL + AFTER_RESTART));

    // The same, asked of PostgreSQL itself, over every sign-up of the test.
    const client: pg.Client = await db.connect();
    const over = await client.query(`SELECT shift_id, count(*) AS n FROM signups WHERE status = 'confirmed' AND NOT walk_in GROUP BY shift_id HAVING count(*) > ${PLACES}`);
    expect(over.rows).toEqual([]);
    const overlapping = await client.query(
      `SELECT a.person_id, a.shift_id AS one, b.shift_id AS other FROM signups a JOIN signups b
         ON b.person_id = a.person_id AND b.id > a.id AND b.start_at < a.end_at AND a.start_at < b.end_at
       WHERE a.status = 'confirmed' AND b.status = 'confirmed'`,
    );
    expect(overlapping.rows).toEqual([]);
    const stored = await client.query<{ id: number }>("SELECT id FROM signups WHERE status = 'confirmed'");
    const ids = new Set(stored.rows.map((r) => Number(r.id)));
    expect(acknowledged.filter((a) => !ids.has(a.id))).toEqual([]);
  }, 300_000);
});
