// Invariants 1 and 2 under real concurrency: simultaneous requests over loopback to the compiled
// server, and to two server processes sharing one database file. The servers use the real clock,
// so every shift here lies in 2027.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillOf, makePeople, makeRota, type PersonSetup, type RotaSetup } from '../helpers/signup-fixtures.js';
import { startServer, tempDatabase, type RealServer } from '../helpers/server.js';

const PEOPLE = 40;
const RACES = 20;

let database: ReturnType<typeof tempDatabase>;
let one: RealServer;
let two: RealServer;
let people: PersonSetup[];
let noWaitlist: RotaSetup;
let withWaitlist: RotaSetup;

beforeAll(async () => {
  database = tempDatabase();
  // The second process starts once the first has created the database and its coordinator.
  one = await startServer(database.file);
  two = await startServer(database.file);
  noWaitlist = await makeRota(one.call, { name: 'East gate', waitlist: false, startDate: '2027-01-04', maxVolunteers: 2 });
  withWaitlist = await makeRota(two.call, { name: 'West gate', waitlist: true, startDate: '2027-01-04', maxVolunteers: 2 });
  people = await makePeople(one.call, PEOPLE, 'Captain');
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  database?.remove();
});

/** The n-th day from `first` (`YYYY-MM-DD`), as a date string. */
const day = (first: string, n: number) => new Date(Date.parse(`${first}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const signUp = (server: RealServer, shiftId: string, p: PersonSetup) => server.call('POST', `/api/v1/shifts/${shiftId}/signups`, { token: p.token, body: {} });

describe('simultaneous sign-ups', () => {
  it('never confirm more than two of forty for a two-person shift, in twenty races', async () => {
    for (let race = 0; race < RACES; race++) {
      const shift = noWaitlist.shiftOn(day('2027-01-04', race));
      const answers = await Promise.all(people.map((p) => signUp(one, shift, p)));
      const codes = answers.map((a) => (a.status === 201 ? a.body.status : a.body.error.code));
      expect(codes.filter((c) => c === 'confirmed')).toHaveLength(2);
      expect(codes.filter((c) => c === 'SHIFT_FULL')).toHaveLength(PEOPLE - 2);
      expect((await fillOf(one.call, shift)).confirmed).toHaveLength(2);
    }
  }, 60_000);

  it('never confirm more than two when two server processes share the database file', async () => {
    for (let race = 0; race < RACES; race++) {
      const shift = withWaitlist.shiftOn(day('2027-02-01', race));
      const answers = await Promise.all(people.map((p, i) => signUp(i % 2 === 0 ? one : two, shift, p)));
      expect(answers.every((a) => a.status === 201)).toBe(true);
      const confirmed = answers.filter((a) => a.body.status === 'confirmed').map((a) => a.body.personId);
      expect(confirmed).toHaveLength(2);
      const fill = await fillOf(two.call, shift);
      expect(fill.confirmed.sort()).toEqual(confirmed.sort());
      expect(fill.waitlisted).toHaveLength(PEOPLE - 2);
    }
  }, 60_000);
});

describe('simultaneous claims', () => {
  it('give an offered place to exactly one of twenty claimers; every other claim gets OFFER_CLOSED', async () => {
    const [owner, ...rest] = people;
    const claimers = rest.slice(0, 20);
    for (let round = 0; round < 5; round++) {
      const shift = noWaitlist.shiftOn(day('2027-03-01', round));
      const mine = await signUp(one, shift, owner!);
      const offer = await two.call('POST', `/api/v1/signups/${mine.body.id}/offer`, { token: owner!.token });
      expect(offer.body.status).toBe('open');
      const answers = await Promise.all(
        claimers.map((p, i) => (i % 2 === 0 ? one : two).call('POST', `/api/v1/offers/${offer.body.id}/claim`, { token: p.token, body: {} })),
      );
      const won = answers.filter((a) => a.status === 200);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409 && a.body.error.code === 'OFFER_CLOSED')).toHaveLength(claimers.length - 1);
      expect(await fillOf(one.call, shift)).toEqual({ confirmed: [won[0]!.body.personId], waitlisted: [] });
    }
  }, 60_000);
});

describe('a trade meeting a cancellation', () => {
  it('either exchanges both places or leaves the cancellation alone; no shift is left one short', async () => {
    const ann = people[PEOPLE - 2]!;
    const bob = people[PEOPLE - 1]!;
    for (let round = 0; round < 10; round++) {
      const x = noWaitlist.shiftOn(day('2027-04-01', 2 * round));
      const y = noWaitlist.shiftOn(day('2027-04-01', 2 * round + 1));
      const mine = await signUp(one, x, ann);
      const theirs = await signUp(one, y, bob);
      const trade = await one.call('POST', `/api/v1/signups/${mine.body.id}/trade`, { token: ann.token, body: { withSignupId: theirs.body.id } });
      expect(trade.status).toBe(201);
      const accept = () => one.call('POST', `/api/v1/trades/${trade.body.id}/accept`, { token: bob.token });
      const cancel = () => two.call('DELETE', `/api/v1/signups/${mine.body.id}`, { token: ann.token });
      // Sent together, in alternating order, to the two processes.
      const [accepted, cancelled] = round % 2 === 0 ? await Promise.all([accept(), cancel()]) : (await Promise.all([cancel(), accept()])).reverse();
      const fills = [await fillOf(one.call, x), await fillOf(one.call, y)];
      if (accepted!.status === 200) {
        // The trade came first: Ann's old sign-up now holds Bob, so it is no longer hers to cancel.
        expect(cancelled!.status).toBe(403);
        expect(fills).toEqual([{ confirmed: [bob.id], waitlisted: [] }, { confirmed: [ann.id], waitlisted: [] }]);
      } else {
        expect(accepted!.body.error.code).toBe('TRADE_CLOSED');
        expect(cancelled!.status).toBe(200);
        expect(fills).toEqual([{ confirmed: [], waitlisted: [] }, { confirmed: [bob.id], waitlisted: [] }]);
      }
    }
  }, 60_000);
});
