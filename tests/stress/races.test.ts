// Invariant 1 and the single winner of a claim, many times over: a hundred races of forty
// simultaneous sign-ups for a two-person shift on one compiled server, a hundred more spread over
// two server processes sharing one database file, and twenty simultaneous claims of one offer.
// Real clock: every shift lies in 2027.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillOf, makePeople, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, tempDatabase, type RealServer } from '../helpers/server.js';

const PEOPLE = 40;
const RACES = 100;
const CLAIMERS = 20;

let database: ReturnType<typeof tempDatabase>;
let one: RealServer;
let two: RealServer;
let people: PersonSetup[];
let refusing: RotaSetup;
let waiting: RotaSetup;
let covers: RotaSetup;

beforeAll(async () => {
  database = tempDatabase();
  one = await startServer(database.file);
  two = await startServer(database.file);
  // Different times of day, so nobody's places in one rota collide with those in another.
  refusing = await makeRota(one.call, { name: 'Refuses when full', waitlist: false, startDate: '2027-01-04', startTime: '07:15', maxVolunteers: 2 });
  waiting = await makeRota(one.call, { name: 'Keeps a waitlist', waitlist: true, startDate: '2027-01-04', startTime: '12:00', maxVolunteers: 2 });
  covers = await makeRota(one.call, { name: 'Cover offers', waitlist: false, startDate: '2027-01-04', startTime: '19:00', maxVolunteers: 2 });
  people = await makePeople(one.call, PEOPLE, 'Racer');
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  database?.remove();
});

const day = (n: number) => new Date(Date.UTC(2027, 0, 4 + n)).toISOString().slice(0, 10);

/** Forty people sign up for one shift at the same moment, through the given servers in turn. */
async function race(rota: RotaSetup, date: string, servers: RealServer[]): Promise<{ codes: string[]; confirmed: number[] }> {
  const shift = rota.shiftOn(date);
  const answers = await Promise.all(
    people.map((p, i) => servers[i % servers.length]!.call('POST', `/api/v1/shifts/${shift}/signups`, { token: p.token, body: {} })),
  );
  const codes = answers.map((a) => (a.status === 201 ? String(a.body.status) : String(a.body?.error?.code ?? a.status)));
  const confirmed = answers.filter((a) => a.status === 201 && a.body.status === 'confirmed').map((a) => a.body.personId as number);
  const fill = await fillOf(servers[0]!.call, shift);
  expect(fill.confirmed.sort()).toEqual([...confirmed].sort());
  return { codes, confirmed };
}

const tally = (codes: string[]) => Object.fromEntries([...new Set(codes)].sort().map((c) => [c, codes.filter((x) => x === c).length]));

describe('a hundred races of forty simultaneous sign-ups for two places', () => {
  it('confirm exactly two every time on one server, refusing or waitlisting the other thirty-eight', async () => {
    for (let i = 0; i < RACES; i++) {
      const rota = i % 2 === 0 ? refusing : waiting;
      const { codes } = await race(rota, day(i), [one]);
      expect(tally(codes)).toEqual(rota === refusing ? { SHIFT_FULL: PEOPLE - 2, confirmed: 2 } : { confirmed: 2, waitlisted: PEOPLE - 2 });
    }
  }, 300_000);

  it('confirm exactly two every time when two server processes share the database file', async () => {
    for (let i = 0; i < RACES; i++) {
      const rota = i % 2 === 0 ? refusing : waiting;
      const { codes } = await race(rota, day(RACES + i), [one, two]);
      expect(tally(codes)).toEqual(rota === refusing ? { SHIFT_FULL: PEOPLE - 2, confirmed: 2 } : { confirmed: 2, waitlisted: PEOPLE - 2 });
    }
  }, 300_000);
});

describe('twenty simultaneous claims of one offered place', () => {
  it('give it to exactly one claimer, in ten rounds over two processes; everyone else hears OFFER_CLOSED', async () => {
    for (let round = 0; round < 10; round++) {
      const owner = people[round]!;
      const claimers = people.filter((p) => p !== owner).slice(round, round + CLAIMERS);
      const shift = covers.shiftOn(day(round));
      const mine = await one.call('POST', `/api/v1/shifts/${shift}/signups`, { token: owner.token, body: {} });
      expect(mine.status).toBe(201);
      const offer = await two.call('POST', `/api/v1/signups/${mine.body.id}/offer`, { token: owner.token });
      expect(offer.body.status).toBe('open');
      const answers = await Promise.all(
        claimers.map((p, i) => (i % 2 === 0 ? one : two).call('POST', `/api/v1/offers/${offer.body.id}/claim`, { token: p.token, body: {} })),
      );
      const winners = answers.filter((a) => a.status === 200);
      expect(winners).toHaveLength(1);
      expect(tally(answers.filter((a) => a.status !== 200).map((a) => a.body.error.code))).toEqual({ OFFER_CLOSED: CLAIMERS - 1 });
      expect(await fillOf(two.call, shift)).toEqual({ confirmed: [winners[0]!.body.personId], waitlisted: [] });
    }
  }, 120_000);
});

describe('the database file after all the races', () => {
  it('holds no shift with more confirmed people than places, and nobody twice on one shift', () => {
    const db = new Database(database.file, { readonly: true });
    try {
      const over = db.prepare("SELECT shift_id, count(*) AS n FROM signups WHERE status = 'confirmed' GROUP BY shift_id HAVING n > 2").all();
      expect(over).toEqual([]);
      const twice = db.prepare("SELECT shift_id, person_id FROM signups WHERE status <> 'cancelled' GROUP BY shift_id, person_id HAVING count(*) > 1").all();
      expect(twice).toEqual([]);
      const full = db.prepare("SELECT count(*) FROM (SELECT shift_id FROM signups WHERE status = 'confirmed' AND rota_id IN (?, ?) GROUP BY shift_id HAVING count(*) = 2)").pluck().get(refusing.rotaId, waiting.rotaId);
      expect(full).toBe(2 * RACES);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
