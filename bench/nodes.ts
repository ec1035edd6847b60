// `npm run bench:pg` (issue 16, item 6): the same endpoints on SQLite with one API node, on
// PostgreSQL with one node and on PostgreSQL with two, measured in alternating rounds in one run,
// with each PostgreSQL figure as a ratio of SQLite's. On a fresh PostgreSQL database (created here,
// filled by `rota copy-to` from a fresh copy of the cached district, dropped at the end). The two
// PostgreSQL setups share their first node: "one node" loads node 1 alone, "two nodes" loads node 1
// and node 2 at once, half the connections each, from two autocannon instances. Results go to
// bench/results/nodes.json. Absolute numbers drift on shared machines; the ratios are the point.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { COORDINATOR_ID, SEED_VERSION, TEAMS, accessToken, captainOf, feedToken, personId, type Target } from './district.js';
import { ROTA_LISTENING, SERVE, type Measured as RunMeasured, cachedDistrict, cycle, freshCopy, log, median, once, plainGet, rotaEnv, start, stop, type Server } from './run.js';

const RESULTS = 'bench/results';
/** Seconds per round; every endpoint runs ROUNDS rounds on each setup, the setups alternating within a round. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 1;
/** Connections in all, reads and sign-ups alike; with two nodes, half go to each. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** The PostgreSQL server, without a database name; the benchmark creates its own database there. */
const PG_SERVER = (process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const FEED_CAPTAINS = 100;
/**
 * ROTA_RATE_LIMIT for the servers: every request is still counted (on PostgreSQL in the shared
 * table, a statement per request), but none is refused. The default 3,000 a minute per token
 * refused the coordinator's listing (one token) within seconds on every setup.
 */
const RATE_LIMIT = '1000000000';
/** Unexpected answers kept per setup and endpoint, to show what went wrong. */
const SAMPLES = 3;

// ---------------------------------------------------------------------------------------------
// Load

type Request = { method?: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
/** The next request for a node (0 or 1): feeds and ETags differ by node, the rest does not. */
type Next = (node: number) => Request;

interface Unexpected {
  node: number;
  method: string;
  path: string;
  status: number;
  body: string;
}

/** run.ts's measure; with two nodes p99 is the higher of the two instances' (the p99 of all answers lies between theirs). */
interface Measured extends RunMeasured {
  /** With two nodes, each node's requests per second. */
  perNode: number[];
}

async function loadNode(base: string, node: number, next: Next, expect: number, connections: number, seconds: number, samples: Unexpected[]) {
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request, context) => {
          const r = next(node);
          Object.assign(context, { method: r.method ?? 'GET', path: r.path });
          return { ...request, method: r.method ?? 'GET', path: r.path, headers: r.headers ?? {}, ...(r.body !== undefined ? { body: r.body } : {}) };
        },
        onResponse: (status, body, context) => {
          if (status !== expect && samples.length < SAMPLES) {
            const c = context as { method: string; path: string };
            samples.push({ node, method: c.method, path: c.path, status, body: body.slice(0, 500) });
          }
        },
      },
    ],
  });
  const codes = result.statusCodeStats ?? {};
  const total = Object.values(codes).reduce((n, c) => n + (c.count ?? 0), 0);
  const good = codes[String(expect) as `${number}`]?.count ?? 0;
  return { rps: result.requests.average, p99: result.latency.p99, mean: result.latency.mean, requests: total, unexpected: total - good + result.errors + result.timeouts };
}

/** Loads every node of a setup at once, the connections split evenly between them. */
async function load(bases: string[], next: Next, expect: number, seconds: number, samples: Unexpected[]): Promise<Measured> {
  const per = Math.max(1, Math.round(CONNECTIONS / bases.length));
  const runs = await Promise.all(bases.map((base, node) => loadNode(base, node, next, expect, per, seconds, samples)));
  const sum = (f: (m: (typeof runs)[number]) => number) => runs.reduce((n, m) => n + f(m), 0);
  return {
    rps: sum((m) => m.rps),
    p99: Math.max(...runs.map((m) => m.p99)),
    mean: sum((m) => m.mean * m.requests) / Math.max(1, sum((m) => m.requests)),
    requests: sum((m) => m.requests),
    unexpected: sum((m) => m.unexpected),
    perNode: runs.map((m) => m.rps),
  };
}

// ---------------------------------------------------------------------------------------------
// Setups

interface Setup {
  key: 'sqlite1' | 'pg1' | 'pg2';
  label: string;
  /** Base URLs of its nodes. */
  bases: string[];
}

interface SetupResult {
  rps: number;
  p99: number;
  mean: number;
  requests: number;
  unexpected: number;
  /** Median over the rounds of this setup's req/s ÷ SQLite's in the same round. */
  ratio: number | null;
  perNode?: number[];
  samples?: Unexpected[];
}

interface Row {
  endpoint: string;
  expect: number;
  setups: Record<Setup['key'], SetupResult>;
}

/**
 * One endpoint on every setup: a warm-up each, then ROUNDS rounds in which the setups take turns,
 * so load from other processes on a shared machine weighs on all of them alike.
 */
async function measure(endpoint: string, setups: Setup[], next: (setup: Setup) => Next, expect: number, warmUp = true): Promise<Row> {
  log(`${endpoint}...`);
  const runs = new Map<Setup['key'], Measured[]>(setups.map((s) => [s.key, []]));
  const samples = new Map<Setup['key'], Unexpected[]>(setups.map((s) => [s.key, []]));
  if (warmUp) for (const s of setups) await load(s.bases, next(s), expect, WARMUP_SECONDS, samples.get(s.key)!);
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of setups) runs.get(s.key)!.push(await load(s.bases, next(s), expect, SECONDS, samples.get(s.key)!));
  }
  const base = runs.get('sqlite1')!;
  const out = {} as Row['setups'];
  for (const s of setups) {
    const r = runs.get(s.key)!;
    const mid = (f: (m: Measured) => number) => median(r.map(f));
    out[s.key] = {
      rps: mid((m) => m.rps),
      p99: mid((m) => m.p99),
      mean: mid((m) => m.mean),
      requests: r.reduce((n, m) => n + m.requests, 0),
      unexpected: r.reduce((n, m) => n + m.unexpected, 0),
      ratio: s.key === 'sqlite1' ? null : median(r.map((m, i) => m.rps / base[i]!.rps)),
      ...(s.bases.length > 1 ? { perNode: s.bases.map((_, node) => median(r.map((m) => m.perNode[node]!))) } : {}),
      ...(samples.get(s.key)!.length > 0 ? { samples: samples.get(s.key)! } : {}),
    };
  }
  return { endpoint, expect, setups: out };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(name: string): Promise<string> {
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return `${PG_SERVER}/${name}`;
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * Planner statistics and the visibility map for the copied rows, as autovacuum would make them
 * soon after a copy. `rota copy-to` does not analyze, and where autovacuum is off (as on the
 * test machine's server) PostgreSQL plans without statistics: a captain's first feed render then
 * took 1 to 2 s, sequential scans of the million sign-ups.
 */
async function settle(url: string): Promise<{ autovacuum: string; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const began = performance.now();
    await client.query('VACUUM (ANALYZE)');
    const autovacuum = String((await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]?.autovacuum ?? '');
    return { autovacuum, seconds: (performance.now() - began) / 1000 };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The table

const SETUP_LABELS: Record<Setup['key'], string> = { sqlite1: 'SQLite, 1 node', pg1: 'PostgreSQL, 1 node', pg2: 'PostgreSQL, 2 nodes' };

function printTable(rows: Row[]): void {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const keys = ['sqlite1', 'pg1', 'pg2'] as const;
  const head = ['endpoint', ...keys.flatMap((k) => [`${SETUP_LABELS[k]}: req/s`, 'p99 ms', ...(k === 'sqlite1' ? [] : ['ratio'])])];
  const lines = rows.map((r) => [
    r.endpoint,
    ...keys.flatMap((k) => {
      const s = r.setups[k];
      return [`${fmt(s.rps)}${s.unexpected ? ' !' : ''}`, fmt(s.p99, 1), ...(s.ratio === null ? [] : [`${fmt(s.ratio, 2)}×`])];
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  process.stdout.write(`${[line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n')}\n`);
  for (const r of rows) {
    const two = r.setups.pg2.perNode;
    if (two) process.stdout.write(`  ${r.endpoint}, two nodes: ${two.map((n, i) => `node ${i + 1} ${fmt(n)}/s`).join(', ')}\n`);
    for (const k of keys) {
      const s = r.setups[k];
      if (s.unexpected === 0) continue;
      process.stdout.write(`  ${r.endpoint}, ${SETUP_LABELS[k]}: ${s.unexpected} of ${s.requests} answers were not ${r.expect} (or failed)\n`);
      for (const u of s.samples ?? []) process.stdout.write(`    node ${u.node + 1}: ${u.method} ${u.path} → ${u.status} ${u.body.replace(/\s+/g, ' ')}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Every captain's feed on a node, one at a time: renders it into the node's cache; its ETag and the median render time. */
async function warmFeeds(base: string, captains: number[]): Promise<{ etags: Map<number, string>; renderMs: number }> {
  const etags = new Map<number, string>();
  const times: number[] = [];
  for (const c of captains) {
    const first = await plainGet(`${base}/feeds/people/${feedToken(c)}.ics`);
    if (first.status !== 200) throw new Error(`${base}: captain ${c}'s feed answered ${first.status}: ${first.body.slice(0, 300)}`);
    etags.set(c, first.etag);
    times.push(first.ms);
  }
  return { etags, renderMs: median(times) };
}

async function main(): Promise<void> {
  if (!existsSync('dist/cli.js')) throw new Error('Build first: npm run build (npm run bench:pg does).');
  const began = performance.now();
  const phases: Record<string, number> = {};
  let mark = began;
  /** Seconds since the previous phase ended. */
  const phase = (what: string) => {
    const now = performance.now();
    phases[what] = Math.round((now - mark) / 1000);
    mark = now;
  };
  const { file: seeded, manifest } = cachedDistrict();
  const db = join(RESULTS, 'nodes-work.sqlite');
  freshCopy(seeded, db);

  phase('district');

  const name = `rota_bench_${process.pid}`;
  log(`Creating PostgreSQL database ${name} and copying the district into it...`);
  const url = await createDatabase(name);
  const servers: Server[] = [];
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log('Interrupted: stopping the servers and dropping the database...');
    void Promise.all(servers.map((s) => stop(s.child)))
      .then(() => dropDatabase(name))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const rows: Row[] = [];
  const renders: Record<string, number> = {};
  let settled = { autovacuum: '', seconds: 0 };
  try {
    execFileSync(process.execPath, ['dist/cli.js', 'copy-to', url], { env: { ...process.env, ROTA_DB: db }, stdio: ['ignore', 'ignore', 'inherit'] });
    phase('copy-to');
    log(`Copied in ${phases['copy-to']} s; VACUUM (ANALYZE)...`);
    settled = await settle(url);
    phase('vacuum analyze');

    log('Starting the servers...');
    const logs = { sqlite: join(RESULTS, 'nodes-sqlite.log'), pg1: join(RESULTS, 'nodes-pg-1.log'), pg2: join(RESULTS, 'nodes-pg-2.log') };
    const env = (target: string) => ({ ...rotaEnv(target), ROTA_RATE_LIMIT: RATE_LIMIT });
    const sqlite = await start(SERVE, env(db), ROTA_LISTENING, logs.sqlite);
    servers.push(sqlite);
    const pg1 = await start(SERVE, env(url), ROTA_LISTENING, logs.pg1);
    servers.push(pg1);
    const pg2 = await start(SERVE, env(url), ROTA_LISTENING, logs.pg2);
    servers.push(pg2);
    const setups: Setup[] = [
      { key: 'sqlite1', label: SETUP_LABELS.sqlite1, bases: [sqlite.url] },
      { key: 'pg1', label: SETUP_LABELS.pg1, bases: [pg1.url] },
      { key: 'pg2', label: SETUP_LABELS.pg2, bases: [pg1.url, pg2.url] },
    ];

    const teams = Array.from({ length: TEAMS }, (_, i) => i + 1);
    const coordinator = { authorization: `Bearer ${accessToken(COORDINATOR_ID)}` };

    // One rota's week, a different rota each request: as `npm run bench` asks it (a member of the
    // rota's team, 500 tokens), then as the district coordinator (one token for every request).
    const nextTeam = cycle(teams);
    const week = (team: number) => `/api/v1/shifts?rotaId=${team}&from=2026-11-30&to=2026-12-06`;
    rows.push(await measure('GET /api/v1/shifts (one rota, one week; team members)', setups, () => () => {
      const team = nextTeam();
      return { path: week(team), headers: { authorization: `Bearer ${accessToken(personId(team, 30))}` } };
    }, 200));
    rows.push(await measure('same week, the coordinator (one token)', setups, () => () => ({ path: week(nextTeam()), headers: coordinator }), 200));
    phase('weeks');

    // Feeds: each node renders and keeps its own; warm every node's cache first and keep its ETags.
    log('Rendering each captain\'s feed on each node...');
    const captains = teams.slice(0, FEED_CAPTAINS).map(captainOf);
    const etags = new Map<string, Map<number, string>>();
    for (const [label, base] of [['sqlite', sqlite.url], ['pg node 1', pg1.url], ['pg node 2', pg2.url]] as const) {
      const warmed = await warmFeeds(base, captains);
      etags.set(base, warmed.etags);
      renders[label] = warmed.renderMs;
    }
    phase('feed renders');
    const nextCaptain = cycle(captains);
    rows.push(await measure('GET /feeds/people/:token.ics (cached)', setups, () => () => ({ path: `/feeds/people/${feedToken(nextCaptain())}.ics` }), 200));
    rows.push(
      await measure('same feed, If-None-Match → 304', setups, (s) => (node) => {
        const c = nextCaptain();
        return { path: `/feeds/people/${feedToken(c)}.ics`, headers: { 'if-none-match': etags.get(s.bases[node]!)!.get(c)! } };
      }, 304),
    );
    phase('feeds');

    // Sign-ups last (they change the data the reads above would serve from cache). Each (person,
    // shift) pair once per database: SQLite's is its own, so it takes the same pairs as PostgreSQL's
    // one node; the two nodes share that database and take the pairs after.
    const json = { 'content-type': 'application/json' };
    const signup = (t: Target): Request => ({ method: 'POST', path: `/api/v1/shifts/${t.shiftId}/signups`, headers: { ...json, authorization: `Bearer ${accessToken(t.personId)}` }, body: '{}' });
    const half = Math.floor(manifest.signupTargets.length / 2);
    const forSqlite = once(manifest.signupTargets.slice(0, half), 'sign-up targets (SQLite)');
    const forPg1 = once(manifest.signupTargets.slice(0, half), 'sign-up targets (PostgreSQL, one node)');
    const forPg2 = once(manifest.signupTargets.slice(half), 'sign-up targets (PostgreSQL, two nodes)');
    const nextFor = { sqlite1: forSqlite, pg1: forPg1, pg2: forPg2 };
    // No warm-up: the sign-up pairs are few enough to count, and the write path is the same code as the reads' auth.
    rows.push(await measure('POST /api/v1/shifts/:id/signups', setups, (s) => () => signup(nextFor[s.key]()), 201, false));
    phase('sign-ups');
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!interrupted) {
      await Promise.all(servers.map((s) => stop(s.child)));
      await dropDatabase(name);
      log(`Dropped ${name}.`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
      phase('stop and drop');
    }
  }

  printTable(rows);
  const fmtMs = (ms: number | undefined) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`);
  process.stdout.write(`First render of a captain's feed (not cached), median of ${FEED_CAPTAINS}, one at a time: SQLite ${fmtMs(renders.sqlite)}, PostgreSQL node 1 ${fmtMs(renders['pg node 1'])}, node 2 ${fmtMs(renders['pg node 2'])}.\n`);
  process.stdout.write(`Phases (s): ${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(', ')}; PostgreSQL autovacuum: ${settled.autovacuum}.\n`);
  const seconds = (performance.now() - began) / 1000;
  const broken = rows.some((r) => Object.values(r.setups).some((s) => s.unexpected > 0));
  if (broken) process.exitCode = 1;
  process.stdout.write(`${broken ? 'Some answers were not the expected status (see above).' : 'Every answer had the expected status.'} Run took ${seconds.toFixed(0)} s.\n`);
  const report = {
    date: new Date().toISOString(),
    allAnswersExpected: !broken,
    runSeconds: Math.round(seconds),
    phaseSeconds: phases,
    firstRenderMs: renders,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: await serverVersion() },
    dataset: { seedVersion: SEED_VERSION, units: manifest.units, people: manifest.people, series: manifest.series, signups: manifest.signups, teams: TEAMS, sqliteMb: Math.round(statSync(seeded).size / 2 ** 20) },
    settings: { secondsPerRound: SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, connectionsPerNodeWithTwo: Math.round(CONNECTIONS / 2), synchronous: process.env.ROTA_SYNCHRONOUS ?? 'FULL', rateLimit: RATE_LIMIT, serverArgs: SERVE, postgresAutovacuum: settled.autovacuum, vacuumAnalyzeSeconds: Math.round(settled.seconds) },
    notes: [
      'Each figure is the median over the rounds; ratio is the median over the rounds of the setup\'s req/s ÷ SQLite (1 node) req/s in the same round.',
      'PostgreSQL, 2 nodes: two autocannon instances at once, half the connections each; req/s is their sum, p99 the higher of their two p99s.',
      'The load generator, both API nodes and PostgreSQL share this machine\'s cores.',
      'After copy-to the benchmark runs VACUUM (ANALYZE) on the new database, as autovacuum would soon after a copy; without statistics PostgreSQL scans the sign-ups sequentially.',
      'ROTA_RATE_LIMIT is raised so that nothing is refused; every request is still counted (on PostgreSQL, one statement in the shared rate_limits table).',
    ],
    rows,
  };
  writeFileSync(join(RESULTS, 'nodes.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`Wrote ${join(RESULTS, 'nodes.json')}.`);
}

async function serverVersion(): Promise<string> {
  try {
    return await admin(async (c) => String((await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? ''));
  } catch {
    return '';
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
