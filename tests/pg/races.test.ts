// Issue 16, item 2, on PostgreSQL: with three API processes on one database, no shift goes over its
// maximum, nobody holds two overlapping shifts, and claims and trades move places all or nothing.
// Every race here sends its requests at the same moment, spread over the three compiled servers
// (`node dist/cli.js serve` with ROTA_DB=postgres://...), and reads the result back through
// another one. Real clock: every shift lies in 2027.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillOf, makePeople, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, type RealServer } from '../helpers/server.js';
import { createDatabase, type TestDatabase } from './postgres.js';

const PEOPLE = 40;
const RACES = 30;
const OVERLAP_ROUNDS = 10;
/** People in each round of overlapping sign-ups, each sending both of theirs at once. */
const DOUBLE_BOOKERS = 20;
const CLAIMERS = 21;
const CLAIM_ROUNDS = 10;
const TRADE_ROUNDS = 9;

let db: TestDatabase;
let nodes: RealServer[] = [];
let people: PersonSetup[];
let refusing: RotaSetup;
let waiting: RotaSetup;
let north: RotaSetup;
let south: RotaSetup;
let covers: RotaSetup;
let swaps: RotaSetup;

beforeAll(async () => {
  db = await createDatabase();
  // The first node migrates the empty database and makes its coordinator; the other two join it.
  nodes.push(await startServer(db.url));
  nodes.push(...(await Promise.all([startServer(db.url), startServer(db.url)])));
  const call = nodes[0]!.call;
  // Different times of day, so nobody's places in one rota collide with those in another, but for
  // North and South gate, whose shifts overlap by half an hour (09:00-10:00 and 09:30-10:30).
  refusing = await makeRota(call, { name: 'Refuses when full', waitlist: false, startDate: '2027-01-04', startTime: '07:15', maxVolunteers: 2 });
  waiting = await makeRota(call, { name: 'Keeps a waitlist', waitlist: true, startDate: '2027-01-04', startTime: '12:00', maxVolunteers: 2 });
  north = await makeRota(call, { name: 'North gate', waitlist: false, startDate: '2027-01-04', startTime: '09:00', maxVolunteers: PEOPLE });
  south = await makeRota(call, { name: 'South gate', waitlist: false, startDate: '2027-01-04', startTime: '09:30', maxVolunteers: PEOPLE });
  covers = await makeRota(call, { name: 'Cover offers', waitlist: false, startDate: '2027-01-04', startTime: '19:00', maxVolunteers: 2 });
  swaps = await makeRota(call, { name: 'Swaps', waitlist: false, startDate: '2027-01-04', startTime: '15:00', maxVolunteers: 1 });
  people = await makePeople(call, PEOPLE, 'Racer');
}, 300_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await db?.drop();
});

const day = (n: number) => new Date(Date.UTC(2027, 0, 4 + n)).toISOString().slice(0, 10);
const tally = (codes: string[]) => Object.fromEntries([...new Set(codes)].sort().map((c) => [c, codes.filter((x) => x === c).length]));
const codeOf = (a: { status: number; body: any }) => (a.status === 200 || a.status === 201 ? String(a.body.status) : String(a.body?.error?.code ?? a.status));
const node = (i: number) => nodes[i % nodes.length]!;
const signUp = (server: RealServer, shiftId: string, p: PersonSetup) => server.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token: p.token, body: {} });

describe('thirty races of forty simultaneous sign-ups for two places, over three server processes', () => {
  it('confirm exactly two every time, refusing or waitlisting the other thirty-eight; each other node reads the same two', async () => {
    for (let i = 0; i < RACES; i++) {
      const rota = i % 2 === 0 ? refusing : waiting;
      const shift = rota.shiftOn(day(i));
      // Person k goes through node (k + i) mod 3, so each node gets a different third each time.
      const answers = await Promise.all(people.map((p, k) => signUp(node(k + i), shift, p)));
      const codes = answers.map(codeOf);
      expect(tally(codes), `race ${i}`).toEqual(rota === refusing ? { SHIFT_FULL: PEOPLE - 2, confirmed: 2 } : { confirmed: 2, waitlisted: PEOPLE - 2 });
      const confirmed = answers.filter((a) => a.status === 201 && a.body.status === 'confirmed').map((a) => a.body.personId as number).sort();
      const waitlisted = answers.filter((a) => a.status === 201 && a.body.status === 'waitlisted').map((a) => a.body.personId as number).sort();
      for (const reader of nodes) {
        const fill = await fillOf(reader.call, shift);
        expect(fill.confirmed.sort(), `race ${i}`).toEqual(confirmed);
        expect(fill.waitlisted.sort(), `race ${i}`).toEqual(waitlisted);
      }
    }
  }, 120_000);
});

describe('one person signing up for two overlapping shifts at once, through two server processes', () => {
  it('gets exactly one of them and COLLIDES for the other, for twenty people at a time in ten rounds', async () => {
    for (let round = 0; round < OVERLAP_ROUNDS; round++) {
      const date = day(100 + round);
      const racers = people.slice(round, round + DOUBLE_BOOKERS);
      // Each person's two requests leave together, North through one node and South through the next.
      const answers = await Promise.all(
        racers.map((p, k) => Promise.all([signUp(node(k + round), north.shiftOn(date), p), signUp(node(k + round + 1), south.shiftOn(date), p)])),
      );
      for (const [k, p] of racers.entries()) {
        const [n, s] = answers[k]!;
        expect([codeOf(n), codeOf(s)].sort(), `round ${round}, person ${p.id}`).toEqual(['COLLIDES', 'confirmed']);
        const won = n.status === 201 ? n : s;
        // Read back through the third node: the person holds that one place that day, nothing else.
        const held = await node(k + round + 2).call('GET', `/api/v1/people/${p.id}/signups?from=${date}&to=${date}`, { token: p.token });
        expect(held.status).toBe(200);
        expect(held.body.signups.map((x: { id: number; status: string }) => [x.id, x.status]), `round ${round}, person ${p.id}`).toEqual([[won.body.id, 'confirmed']]);
      }
    }
  }, 120_000);

  it('a claim of an offered place and a sign-up for an overlapping shift, sent together: each claimer ends with exactly one of them', async () => {
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const date = day(150 + round);
      const owner = people[PEOPLE - 1 - round]!;
      const claimers = people.slice(round, round + 10);
      const mine = await signUp(node(round), north.shiftOn(date), owner);
      expect(mine.status).toBe(201);
      const offer = await node(round + 1).call('POST', `/api/v1/signups/${mine.body.id}/offer`, { token: owner.token });
      expect(offer.body.status).toBe('open');
      const answers = await Promise.all(
        claimers.map((p, k) =>
          Promise.all([
            node(k + round).call('POST', `/api/v1/offers/${offer.body.id}/claim`, { token: p.token, body: {} }),
            signUp(node(k + round + 1), south.shiftOn(date), p),
          ]),
        ),
      );
      const winners = answers.filter(([c]) => c.status === 200).map(([c]) => c.body.personId as number);
      expect(winners.length, `round ${round}`).toBeLessThanOrEqual(1);
      for (const [k, p] of claimers.entries()) {
        const [c, s] = answers[k]!;
        const outcome = [c.status === 200 ? 'claimed' : codeOf(c), codeOf(s)];
        // Won the claim (South then collides), or lost it to someone else (South is free), or South came first (the claim collides).
        expect([['claimed', 'COLLIDES'], ['OFFER_CLOSED', 'confirmed'], ['COLLIDES', 'confirmed']], `round ${round}, person ${p.id}`).toContainEqual(outcome);
        const held = await node(k + round + 2).call('GET', `/api/v1/people/${p.id}/signups?from=${date}&to=${date}`, { token: p.token });
        expect(held.body.signups.filter((x: { status: string }) => x.status === 'confirmed'), `round ${round}, person ${p.id}`).toHaveLength(1);
      }
      // The North place is the winner's, or still the owner's with the offer open when every claimer was on South first.
      const fill = await fillOf(node(round + 2).call, north.shiftOn(date));
      expect(fill).toEqual({ confirmed: winners.length === 1 ? winners : [owner.id], waitlisted: [] });
    }
  }, 120_000);
});

describe('simultaneous claims of one offered place, through three server processes', () => {
  it('give it to exactly one of twenty-one claimers in ten rounds; everyone else hears OFFER_CLOSED', async () => {
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const owner = people[round]!;
      const claimers = people.filter((p) => p !== owner).slice(round, round + CLAIMERS);
      const shift = covers.shiftOn(day(200 + round));
      const mine = await signUp(node(round), shift, owner);
      expect(mine.status).toBe(201);
      const offer = await node(round + 1).call('POST', `/api/v1/signups/${mine.body.id}/offer`, { token: owner.token });
      expect(offer.body.status).toBe('open');
      const answers = await Promise.all(claimers.map((p, k) => node(k).call('POST', `/api/v1/offers/${offer.body.id}/claim`, { token: p.token, body: {} })));
      const winners = answers.filter((a) => a.status === 200);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(tally(answers.filter((a) => a.status !== 200).map((a) => a.body.error.code)), `round ${round}`).toEqual({ OFFER_CLOSED: CLAIMERS - 1 });
      for (const reader of nodes) expect(await fillOf(reader.call, shift)).toEqual({ confirmed: [winners[0]!.body.personId], waitlisted: [] });
      const closed = await node(round + 2).call('GET', `/api/v1/signups/${mine.body.id}`, { token: owner.token });
      expect(closed.body.status).toBe('cancelled');
    }
  }, 120_000);
});

describe('trades racing across server processes', () => {
  it('a trade accepted while its place is cancelled elsewhere: both places move, or the cancellation stands and nothing moves', async () => {
    const ann = people[PEOPLE - 2]!;
    const bob = people[PEOPLE - 1]!;
    const seen = new Set<string>();
    for (let round = 0; round < TRADE_ROUNDS; round++) {
      const x = swaps.shiftOn(day(300 + 2 * round));
      const y = swaps.shiftOn(day(300 + 2 * round + 1));
      const mine = await signUp(node(round), x, ann);
      const theirs = await signUp(node(round + 1), y, bob);
      const trade = await node(round + 2).call('POST', `/api/v1/signups/${mine.body.id}/trade`, { token: ann.token, body: { withSignupId: theirs.body.id } });
      expect(trade.status).toBe(201);
      const accept = () => node(round).call('POST', `/api/v1/trades/${trade.body.id}/accept`, { token: bob.token });
      const cancel = () => node(round + 1).call('DELETE', `/api/v1/signups/${mine.body.id}`, { token: ann.token });
      // Sent together, in alternating order, to two different processes.
      const [accepted, cancelled] = round % 2 === 0 ? await Promise.all([accept(), cancel()]) : (await Promise.all([cancel(), accept()])).reverse();
      const reader = node(round + 2).call;
      const fills = [await fillOf(reader, x), await fillOf(reader, y)];
      if (accepted!.status === 200) {
        seen.add('traded');
        // The trade came first: Ann's old sign-up now holds Bob, so it is no longer hers to cancel.
        expect(cancelled!.status, `round ${round}`).toBe(403);
        expect(fills, `round ${round}`).toEqual([{ confirmed: [bob.id], waitlisted: [] }, { confirmed: [ann.id], waitlisted: [] }]);
      } else {
        seen.add('cancelled');
        expect(accepted!.body.error.code, `round ${round}`).toBe('TRADE_CLOSED');
        expect(cancelled!.status, `round ${round}`).toBe(200);
        expect(fills, `round ${round}`).toEqual([{ confirmed: [], waitlisted: [] }, { confirmed: [bob.id], waitlisted: [] }]);
      }
      const state = await reader('GET', `/api/v1/trades/${trade.body.id}`, { token: ann.token });
      expect(state.body.status).toBe(accepted!.status === 200 ? 'accepted' : 'withdrawn');
    }
    console.log(`trade against cancellation: outcomes seen ${[...seen].sort().join(', ')}`);
  }, 120_000);

  it('two trades for one place accepted at once through two processes: exactly one exchange happens, the other is TRADE_CLOSED', async () => {
    for (let round = 0; round < TRADE_ROUNDS; round++) {
      const [ann, bob, cai] = [people[3 * round]!, people[3 * round + 1]!, people[3 * round + 2]!];
      const [x, y, z] = [0, 1, 2].map((k) => swaps.shiftOn(day(400 + 3 * round + k)));
      const mine = await signUp(node(round), x!, ann);
      const bobs = await signUp(node(round + 1), y!, bob);
      const cais = await signUp(node(round + 2), z!, cai);
      const withBob = await node(round).call('POST', `/api/v1/signups/${mine.body.id}/trade`, { token: ann.token, body: { withSignupId: bobs.body.id } });
      const withCai = await node(round + 1).call('POST', `/api/v1/signups/${mine.body.id}/trade`, { token: ann.token, body: { withSignupId: cais.body.id } });
      expect([withBob.status, withCai.status]).toEqual([201, 201]);
      const [byBob, byCai] = await Promise.all([
        node(round + 1).call('POST', `/api/v1/trades/${withBob.body.id}/accept`, { token: bob.token }),
        node(round + 2).call('POST', `/api/v1/trades/${withCai.body.id}/accept`, { token: cai.token }),
      ]);
      expect([byBob.status, byCai.status].sort(), `round ${round}`).toEqual([200, 409]);
      expect((byBob.status === 409 ? byBob : byCai).body.error.code, `round ${round}`).toBe('TRADE_CLOSED');
      const [winner, loser, wonShift, lostShift] = byBob.status === 200 ? [bob, cai, y!, z!] : [cai, bob, z!, y!];
      const reader = node(round).call;
      // Ann's place went to the winner and the winner's to Ann; the loser keeps theirs.
      expect([await fillOf(reader, x!), await fillOf(reader, wonShift), await fillOf(reader, lostShift)], `round ${round}`).toEqual([
        { confirmed: [winner.id], waitlisted: [] },
        { confirmed: [ann.id], waitlisted: [] },
        { confirmed: [loser.id], waitlisted: [] },
      ]);
    }
  }, 120_000);
});

describe('the PostgreSQL database after all the races', () => {
  it('holds no shift over its places, nobody twice on one shift and nobody on two overlapping shifts', async () => {
    const client: pg.Client = await db.connect();
    const places = new Map([refusing, waiting, covers, swaps, north, south].map((r) => [r.rotaId, r === north || r === south ? PEOPLE : r === swaps ? 1 : 2]));
    const counts = await client.query<{ rota_id: number; shift_id: string; n: string }>(
      "SELECT rota_id, shift_id, count(*) AS n FROM signups WHERE status = 'confirmed' AND NOT walk_in GROUP BY rota_id, shift_id",
    );
    expect(counts.rows.filter((r) => Number(r.n) > places.get(r.rota_id)!)).toEqual([]);
    const twice = await client.query("SELECT shift_id, person_id FROM signups WHERE status <> 'cancelled' GROUP BY shift_id, person_id HAVING count(*) > 1");
    expect(twice.rows).toEqual([]);
    const overlapping = await client.query(
      `SELECT a.person_id, a.shift_id AS one, b.shift_id AS other FROM signups a JOIN signups b
         ON b.person_id = a.person_id AND b.id > a.id AND b.start_at < a.end_at AND a.start_at < b.end_at
       WHERE a.status = 'confirmed' AND b.status = 'confirmed'`,
    );
    expect(overlapping.rows).toEqual([]);
    const full = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM (SELECT shift_id FROM signups WHERE status = 'confirmed' AND rota_id IN ($1, $2) GROUP BY shift_id HAVING count(*) = 2) f",
      [refusing.rotaId, waiting.rotaId],
    );
    expect(Number(full.rows[0]!.n)).toBe(RACES);
  });
});
