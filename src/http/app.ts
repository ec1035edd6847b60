// The Fastify app factory: the same for tests and the server; it never listens by itself.
import type { Ajv, ValidateFunction } from 'ajv';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type buildSerializer from 'fast-json-stringify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifySchema, type FastifySchemaCompiler, type FastifyServerOptions, type FastifyReply, type FastifyRequest, type onSendHookHandler, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { destination } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../services/data.js';
import { closeReports } from '../services/report-pool.js';
import auth, { isApiPath } from './auth.js';
import docs from './docs.js';
import errors, { badUrl } from './errors.js';
import limits from './limits.js';
import rateLimits from './rate-limit.js';
import auditRoutes from './routes/audit.js';
import calendarRoutes from './routes/calendars.js';
import checkinRoutes from './routes/checkins.js';
import dayRoutes from './routes/days.js';
import fairnessRoutes from './routes/fairness.js';
import feedRoutes from './routes/feeds.js';
import noticeRoutes from './routes/notices.js';
import offerRoutes from './routes/offers.js';
import overviewUnitRoutes from './routes/overview-units.js';
import peopleImportRoutes from './routes/people-import.js';
import peopleRoutes from './routes/people.js';
import rotaRoutes from './routes/rotas.js';
import sheetRoutes from './routes/sheets.js';
import shiftRoutes from './routes/shifts.js';
import signupRoutes from './routes/signups.js';
import statsRoutes from './routes/stats.js';
import systemRoutes from './routes/system.js';
import teamRoutes from './routes/teams.js';
import tradeRoutes from './routes/trades.js';
import unavailabilityRoutes from './routes/unavailability.js';
import unitRoutes from './routes/units.js';
import webRoutes from './routes/web.js';
import text from './text.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
  }
}

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Percent-decodes until nothing changes (a twice-encoded path is still logged readably); a malformed escape stays as it is. */
function decoded(url: string): string {
  let text = url;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(text);
    } catch {
      return text;
    }
    if (next === text) break;
    text = next;
  }
  return text;
}

/** Hides each run of 24 or more URL-safe characters, as `/[A-Za-z0-9_-]{24,}/g` would, in one pass without a regex (this runs on every request). */
function hideTokenShaped(text: string): string {
  let out = '';
  let kept = 0;
  let runStart = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95) continue;
    if (i - runStart >= 24) {
      out += `${text.slice(kept, runStart)}[token]`;
      kept = i;
    }
    runStart = i + 1;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * Hides tokens in logged URLs, whichever way they are written: feed tokens sit in feed paths
 * (maybe percent-encoded, as `/%66eeds/...`), a pasted link may carry one as a query parameter,
 * and anything shaped like a token (24 or more URL-safe characters in a row) is hidden wherever
 * it is. Each pattern runs only where it can match: this runs on every request.
 */
function redactUrl(url: string): string {
  let text = url.includes('%') ? decoded(url) : url;
  if (text.toLowerCase().includes('/feeds/')) text = text.replace(/(\/feeds\/+[a-z]+\/+)[^/?#]+/gi, '$1[token]');
  if (text.includes('?') || text.includes('&')) text = text.replace(/([?&][\w-]*(?:token|key|secret|auth)[\w-]*=)[^&#]*/gi, '$1[token]');
  return hideTokenShaped(text);
}

/**
 * One line per request at info: its completion, with method, redacted URL, status and time. The
 * arrival line is logged at debug (off by default): two lines a request cost a calendar poll
 * about a tenth of its time, and the second told nothing the first did not.
 *
 * A 304 (a calendar app's poll, or a page's revalidation, finding its copy current) is logged at
 * debug too, and counted: `summarise` writes one info line with the count. A district's phones
 * poll their feeds all day (50,000 subscribers every half hour are 2.4 million lines a day), the
 * answer is nearly always 304, and a line each was a fifth of such a poll's time.
 */
class RequestLog extends LogController {
  private notModified = 0;

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else if (reply.statusCode === 304) {
      this.notModified++;
      reply.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    } else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  /** Logs how many requests were answered 304 since the last summary, if any. */
  summarise(log: FastifyBaseLogger): void {
    if (this.notModified === 0) return;
    const n = this.notModified;
    log.info({ notModified: n }, `answered ${n} conditional ${n === 1 ? 'request' : 'requests'} 304 (not modified)`);
    this.notModified = 0;
  }
}

/** How often the count of 304 answers is logged. */
const SUMMARY_MS = 60_000;

type Compilers = typeof import('./compilers.js');
let compilers: Compilers | null = null;
let loadingCompilers: Promise<void> | null = null;

/**
 * Loads the schema compilers (Ajv, fast-json-stringify): started once the server listens, or by
 * the first request if sooner. Every request waits for them in its first hook, so validators and
 * serialisers, compiled on a route's first use, always find them loaded.
 */
function loadCompilers(): Promise<void> {
  return (loadingCompilers ??= import('./compilers.js').then((loaded) => {
    compilers = loaded;
  }));
}

function loadedCompilers(): Compilers {
  if (!compilers) throw new Error('The schema compilers are used before they were loaded.');
  return compilers;
}

export interface AppOptions {
  config: Config;
  db: Db;
  /** false for silent tests; otherwise pino options. */
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream };
}

export async function buildApp({ config, db, logger }: AppOptions): Promise<App> {
  // The server's own log goes to standard output in batches: a line written synchronously (pino's
  // default) cost a calendar poll about a quarter of its time, and one write per line still about
  // a tenth. Lines leave once 4 KiB are waiting, at least once a second, and when the app closes;
  // pino writes what is left when the process exits. Once the server listens, the lines so far
  // are written at once: whoever waits for "Server listening" gets it without delay.
  const requestLog = new RequestLog();
  const out = logger === false || (typeof logger === 'object' && logger.stream) ? null : destination({ dest: 1, sync: false, minLength: 4096 });
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            level: typeof logger === 'object' ? logger.level : config.logLevel,
            stream: out ?? (logger as { stream: NodeJS.WritableStream }).stream,
            // Requests are logged as method and redacted URL only, so no header (Authorization
            // among them) reaches the log.
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
            },
          },
    logController: requestLog,
    // Fastify's own serialiser (fast-json-stringify with the app's shared schemas), built for each
    // route and status on its first answer instead of when the app gets ready. Validators are
    // given here too (validatorCompiler below): Fastify then never loads its default compilers.
    // (Fastify types this factory by Ajv's own compile function; setValidatorCompiler installs any
    // schema compiler the same way.)
    schemaController: {
      compilersFactory: {
        buildValidator: (() => validatorCompiler) as unknown as ValidatorFactory,
        buildSerializer:
          (externalSchemas, serializerOpts) =>
          ({ schema }) => {
            let serialize: ((data: unknown) => string) | null = null;
            return (data) => (serialize ??= loadedCompilers().buildSerializer(schema as buildSerializer.AnySchema, { ...serializerOpts, schema: externalSchemas as Record<string, buildSerializer.Schema> }))(data);
          },
      },
    },
    bodyLimit: 1024 * 1024,
    frameworkErrors: badUrl,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Query strings and path parameters are text, so they are coerced to the schema's types. Bodies
  // are JSON with real types: coercing them would turn 0 into null in a nullable field (clearing a
  // home team) and null into 0, so a body must match its schema as sent.
  // Both made on the first request that needs them: making an Ajv instance costs tens of milliseconds.
  const ajvOptions = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false } as const;
  let forText: Ajv | null = null;
  let forJson: Ajv | null = null;
  const ajvFor = (httpPart: string | undefined): Ajv => {
    const { Ajv } = loadedCompilers();
    return httpPart === 'body' ? (forJson ??= new Ajv({ ...ajvOptions, coerceTypes: false })) : (forText ??= new Ajv({ ...ajvOptions, coerceTypes: 'array' }));
  };
  // Validators, like serialisers, are compiled on a route's first use, not at start-up: most of
  // some ninety routes are not called in a process's first minutes, and compiling them all took
  // most of the start.
  const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
    let compiled: ValidateFunction | null = null;
    const validate = (data: unknown) => {
      compiled ??= ajvFor(httpPart).compile(schema);
      const ok = compiled(data);
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  };

  app.addHook('onRequest', (_request, _reply, done) => {
    if (compilers) done();
    else loadCompilers().then(() => done(), done);
  });
  if (logger !== false) {
    const summaries = setInterval(() => requestLog.summarise(app.log), SUMMARY_MS).unref();
    app.addHook('onClose', async () => {
      clearInterval(summaries);
      requestLog.summarise(app.log);
    });
  }
  if (out) {
    const tick = setInterval(() => out.flush(), 1000).unref();
    app.addHook('onListen', async () => out.flushSync());
    app.addHook('onClose', async () => {
      clearInterval(tick);
      out.flush();
    });
  }
  // A failure to load is met again, and answered, by the first request.
  app.addHook('onListen', (done) => {
    loadCompilers().catch(() => undefined);
    done();
  });
  app.decorate('db', db);
  app.decorate('config', config);
  // The report threads (statistics, sheets, auto-fill planning) close their connections to this database with the app.
  app.addHook('onClose', async () => closeReports(db));
  await app.register(errors);
  await app.register(rateLimits);
  await app.register(limits);
  // Answers of the API (tokens, names, exports) are for the caller only: no cache keeps them, and
  // no browser guesses another type for them. Pages and feeds set their own caching, and so may an
  // API route that is stricter still (the duty sheet's `private, no-store`).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (request.is404 && !reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
  const noStore: onSendHookHandler = (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  };
  // Attached to the /api routes as each is added: a request does not ask Fastify for its route.
  app.addHook('onRoute', (route) => {
    if (isApiPath(route.url)) route.onSend = [...(route.onSend === undefined ? [] : [route.onSend].flat()), noStore];
  });
  await app.register(docs);
  await app.register(auth);
  await app.register(text);
  await app.register(
    async (api) => {
      await api.register(systemRoutes);
      await api.register(peopleRoutes);
      await api.register(peopleImportRoutes);
      await api.register(teamRoutes);
      await api.register(unitRoutes);
      await api.register(rotaRoutes);
      await api.register(calendarRoutes);
      await api.register(shiftRoutes);
      await api.register(dayRoutes);
      await api.register(signupRoutes);
      await api.register(unavailabilityRoutes);
      await api.register(offerRoutes);
      await api.register(tradeRoutes);
      await api.register(auditRoutes);
      await api.register(statsRoutes);
      await api.register(fairnessRoutes);
      await api.register(sheetRoutes);
      await api.register(noticeRoutes);
      await api.register(checkinRoutes);
      await api.register(overviewUnitRoutes);
    },
    { prefix: '/api/v1' },
  );
  // Feeds live outside /api: a feed token opens one calendar and nothing else.
  await app.register(feedRoutes);
  await app.register(webRoutes);
  return app;
}
