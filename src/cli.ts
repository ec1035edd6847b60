#!/usr/bin/env node
// The `rota` command: serve, migrate, demo data, new personal links, online backup, a copy to PostgreSQL.
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDb, type Db } from './db/connection.js';
import { isPostgresUrl, safeUrl } from './db/pg/url.js';
import type { FastifyRequest } from 'fastify';
import type { App } from './http/app.js';
import { accessUrl } from './http/links.js';
import { seedDemo } from './services/demo.js';
import { ensureCoordinator, requirePerson, rotateToken } from './services/people.js';

const USAGE = `Usage: rota <command> [options]

Commands:
  serve                 start the service (creates the first coordinator on a fresh database)
  migrate               apply pending database migrations and exit
  demo                  add the demo street: 风华社区 (33 buildings, 75 captains, a school-gate rota) and two neighbours
  token <personId>      replace a person's personal link and print the new one
  backup <file>         write a consistent copy of the database to <file> while it runs
  copy-to <url>         copy the SQLite database into an empty PostgreSQL database (postgres://…)

Environment: PORT (3000), HOST (127.0.0.1), ROTA_DB (./data/rota.sqlite; a postgres:// URL for
migrate only, for now), ROTA_PUBLIC_URL, ROTA_BOOTSTRAP_TOKEN, ROTA_SYNCHRONOUS (FULL or NORMAL),
LOG_LEVEL (info), ROTA_SMTP_URL, ROTA_MAIL_FROM.`;

/** A fresh database gets its first coordinator, whose link is printed once to the terminal, never through the request log. */
function ensureFirstCoordinator(config: Config, db: Db): void {
  const created = ensureCoordinator(db, config.bootstrapToken, config.now());
  if (created) {
    process.stdout.write(`\nA coordinator was created for this new database. Sign in with this link (shown only once):\n  ${accessUrl(config, created.accessToken)}\n\n`);
  }
}

async function serve(config: Config): Promise<void> {
  const db = openDb(config.dbPath, config.synchronous);
  ensureFirstCoordinator(config, db);
  // Loaded here, not at the top: the other commands need neither Fastify nor the routes and start faster without them.
  const [{ buildApp }, { default: closeWithGrace }] = await Promise.all([import('./http/app.js'), import('close-with-grace')]);
  const [app, { deliveryWorker }] = await Promise.all([buildApp({ config, db }), import('./services/delivery.js')]);
  // The notice worker runs inside the service: it starts with it and stops before the database closes.
  const worker = deliveryWorker({ db, config, log: app.log });
  app.addHook('onClose', () => worker.stop());
  // The benchmark's measure of how long any request held the event loop, from listening to closing.
  const loopDelay = config.reportLoopDelay ? monitorEventLoopDelay({ resolution: 10 }) : null;
  const requests = loopDelay ? trackRequests(app) : null;
  let stalls: NodeJS.Timeout | undefined;
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    if (loopDelay) {
      loopDelay.disable();
      clearInterval(stalls);
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      process.stdout.write(`${JSON.stringify({ eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) } })}\n`);
    }
    await app.close();
    db.$client.close();
  });
  await app.listen({ port: config.port, host: config.host });
  loopDelay?.enable();
  if (requests) stalls = watchStalls(app, requests);
  worker.start(config.noticeIntervalSeconds * 1000);
}

/** Most the event loop may lag before the requests then running are logged (with ROTA_REPORT_LOOP_DELAY=1). */
const STALL_MS = 50;

/** The requests being answered, and every one that was at some moment since the last look. */
interface Requests {
  running: Set<FastifyRequest>;
  seen: Set<FastifyRequest>;
}

/** Hooks added before listening; a stall names the routes (never the raw URLs, which may carry tokens) of the requests it held. */
function trackRequests(app: App): Requests {
  const requests: Requests = { running: new Set(), seen: new Set() };
  // Callback hooks, not async ones, that only file the request: they run on every request the
  // benchmark measures, and its route is looked up only when a stall is logged.
  app.addHook('onRequest', (request, _reply, done) => {
    requests.running.add(request);
    requests.seen.add(request);
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    requests.running.delete(request);
    done();
  });
  return requests;
}

/**
 * Logs each stall of the event loop over STALL_MS with the routes of the requests running during
 * it, and how much of it the loop was busy (`activeMs`): a stall with little activity was the
 * machine not giving the process a core (other processes' load), not a request holding the loop.
 */
function watchStalls(app: App, requests: Requests): NodeJS.Timeout {
  const TICK = 10;
  let last = performance.now();
  let usage = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.now();
    const lag = now - last - TICK;
    const busy = performance.eventLoopUtilization(usage);
    if (lag > STALL_MS) app.log.warn({ stalledMs: Math.round(lag), activeMs: Math.round(busy.active), running: [...new Set([...requests.seen].map((r) => `${r.method} ${r.routeOptions.url ?? '(no route)'}`))] }, 'event loop stalled');
    last = now;
    usage = performance.eventLoopUtilization();
    requests.seen = new Set(requests.running);
  }, TICK);
  timer.unref();
  return timer;
}

/** `rota copy-to <url>`: migrates the target, copies every table into it and prints the rows of each. */
async function copyTo(config: Config, url: string | undefined): Promise<void> {
  if (!url || !isPostgresUrl(url)) throw new ConfigError('rota copy-to needs a PostgreSQL URL, e.g. `rota copy-to postgres://rota@db.example.org/rota`.');
  if (isPostgresUrl(config.dbPath)) throw new ConfigError('rota copy-to reads the SQLite database named by ROTA_DB; set ROTA_DB to that file, not to a PostgreSQL URL.');
  const [{ connectPostgres, migratePostgres }, { copySqliteToPostgres }] = await Promise.all([import('./db/pg/connection.js'), import('./db/pg/copy.js')]);
  const client = await connectPostgres(url);
  try {
    await migratePostgres(client);
    const copied = await copySqliteToPostgres(config.dbPath, client);
    const width = Math.max(...copied.map((c) => c.table.length));
    const total = copied.reduce((sum, c) => sum + c.rows, 0);
    process.stdout.write(`Copied ${config.dbPath} to ${safeUrl(url)}; every table has as many rows as in SQLite:\n`);
    process.stdout.write(`${copied.map((c) => `  ${c.table.padEnd(width)}  ${c.rows}`).join('\n')}\n  ${'total'.padEnd(width)}  ${total}\n`);
  } finally {
    await client.end();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  const [command, arg] = positionals;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate': {
      openDb(config.dbPath, config.synchronous).$client.close();
      process.stdout.write(`Database ${isPostgresUrl(config.dbPath) ? safeUrl(config.dbPath) : config.dbPath} is up to date.\n`);
      return 0;
    }
    case 'demo': {
      const db = openDb(config.dbPath, config.synchronous);
      // Without this, demo would make the coordinator itself and `serve` would never show a link.
      ensureFirstCoordinator(config, db);
      const { summary, links } = seedDemo(db, config.now());
      process.stdout.write(`${summary}\n`);
      if (links.length > 0) process.stdout.write(`\nPersonal links to try each role (shown only once):\n${links.map((l) => `  ${l.label}, person ${l.personId}:\n    ${accessUrl(config, l.token)}`).join('\n')}\n`);
      db.$client.close();
      return 0;
    }
    case 'token': {
      const id = Number(arg);
      if (!Number.isInteger(id) || id < 1) throw new ConfigError('rota token needs a person id, e.g. `rota token 12`.');
      const db = openDb(config.dbPath, config.synchronous);
      const person = requirePerson(db, id);
      const token = rotateToken(db, null, id, 'access', config.now());
      process.stdout.write(`New personal link for ${person.name} (the old one no longer works):\n  ${accessUrl(config, token)}\n`);
      db.$client.close();
      return 0;
    }
    case 'backup': {
      if (isPostgresUrl(config.dbPath)) {
        throw new ConfigError('rota backup copies a SQLite file. Back up PostgreSQL with its own tools: `pg_dump --format=custom --file=rota.dump <url>` (see the README, "Backups").');
      }
      if (!arg) throw new ConfigError('rota backup needs a target file, e.g. `rota backup ./backups/rota-2026-11-27.sqlite`.');
      if (existsSync(arg)) throw new ConfigError(`${arg} already exists; choose a new file name.`);
      const db = openDb(config.dbPath, config.synchronous);
      // VACUUM INTO copies a consistent snapshot in one statement, even while others write.
      db.$client.prepare('VACUUM INTO ?').run(arg);
      db.$client.close();
      process.stdout.write(`Backed up ${config.dbPath} to ${arg}.\n`);
      return 0;
    }
    case 'copy-to':
      await copyTo(config, arg);
      return 0;
    default:
      process.stdout.write(`${USAGE}\n`);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || (error instanceof Error && error.name === 'RotaError');
    process.stderr.write(`rota: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
