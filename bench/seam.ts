// `npm run bench:seam`: what awaiting the data seam costs on better-sqlite3, the measurement behind
// the two-engine decision in the README (Performance). On a copy of the district (npm run bench
// seeds it), the same sign-ups go through the service as it is (synchronous, one IMMEDIATE
// transaction) and through an async twin: every store call awaited, the transaction opened and
// closed by an async helper that queues writers, as a pooled PostgreSQL driver would need.
// synchronous=NORMAL, so that the fsync does not hide the CPU difference.
import { copyFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb, type Db } from '../src/db/connection.js';
import { storeOf } from '../src/db/store.js';
import { decideSignUp, refusalError, shiftDates } from '../src/domain/signup-rules.js';
import { signUp } from '../src/services/signups.js';
import { getShiftOnly } from '../src/services/shifts.js';
import type { Manifest, Target } from './district.js';

const RESULTS = 'bench/results';
const PER_ROUND = 1500;
const ROUNDS = 4;

/** The async transaction helper: one writer at a time per connection, BEGIN IMMEDIATE … COMMIT around awaited work. */
function asyncTransactions(db: Db) {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(async () => {
      db.$client.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.$client.exec('COMMIT');
        return result;
      } catch (error) {
        db.$client.exec('ROLLBACK');
        throw error;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The sign-up of src/services/signups.ts with each store call awaited. */
async function signUpAsync(db: Db, transaction: ReturnType<typeof asyncTransactions>, t: Target, now: Date): Promise<number> {
  const store = storeOf(db);
  const at = now.getTime();
  return transaction(async () => {
    const { shift, rota } = await Promise.resolve(getShiftOnly(db, t.shiftId));
    const person = (await Promise.resolve(store.person(t.personId)))!;
    const schedule = (await Promise.resolve(store.schedule(rota.id)))!;
    const dates = shiftDates(shift);
    const facts = await Promise.resolve(store.placeFacts(shift.id, person.id));
    const bookings = await Promise.resolve(store.bookingsDuring(person.id, shift));
    const unavailable = await Promise.resolve(store.unavailableBetween(person.id, dates.first, dates.last));
    const { waitlist, cancelClosesHoursBefore, requireApproval, archived } = schedule.rota;
    const outcome = decideSignUp({
      actor: { id: person.id, role: 'volunteer' },
      person,
      shift,
      rota: { waitlist, cancelClosesHoursBefore, requireApproval, archived, teamIds: schedule.teamIds },
      ...facts,
      bookings,
      unavailable,
      now: at,
    });
    if ('refusal' in outcome) throw refusalError(outcome.refusal);
    const id = await Promise.resolve(
      store.insertSignup({ shiftId: shift.id, seriesId: shift.seriesId, rotaId: shift.rotaId, personId: person.id, status: outcome.status, startAt: shift.start, endAt: shift.end, localDate: shift.localDate, createdBy: person.id, now: at }),
    );
    await Promise.resolve(store.audit(at, person.id, 'signup.create', 'signup', id, { shiftId: shift.id, personId: person.id, status: outcome.status }, rota.unitId));
    return id;
  });
}

async function main(): Promise<void> {
  const base = readdirSync(RESULTS).find((f) => /^district-.*\.sqlite$/.test(f));
  if (!base) throw new Error('Seed the district first: npm run bench.');
  const manifest = JSON.parse(readFileSync(join(RESULTS, base.replace('.sqlite', '.manifest.json')), 'utf8')) as Manifest;
  const file = join(RESULTS, 'seam.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  copyFileSync(join(RESULTS, base), file);
  const db = openDb(file, 'NORMAL');
  const transaction = asyncTransactions(db);
  const now = new Date('2026-11-28T07:00:00+08:00');
  let next = 0;
  const take = () => manifest.signupTargets[next++]!;
  const sync: number[] = [];
  const async: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let began = performance.now();
    for (let i = 0; i < PER_ROUND; i++) {
      const t = take();
      signUp(db, { id: t.personId, role: 'volunteer' }, t.shiftId, t.personId, now);
    }
    sync.push(((performance.now() - began) * 1000) / PER_ROUND);
    began = performance.now();
    for (let i = 0; i < PER_ROUND; i++) await signUpAsync(db, transaction, take(), now);
    async.push(((performance.now() - began) * 1000) / PER_ROUND);
  }
  db.$client.close();
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  // The first round warms the schedule cache and the statements for both; it is not counted.
  const s = median(sync.slice(1));
  const a = median(async.slice(1));
  process.stdout.write(`sign-up, synchronous: ${s.toFixed(0)} µs; awaited through an async transaction helper: ${a.toFixed(0)} µs (${((a / s - 1) * 100).toFixed(0)} % more)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
