// The Fastify app factory: the same for tests and the server; it never listens by itself.
import rateLimit from '@fastify/rate-limit';
import { Ajv, type ValidateFunction } from 'ajv';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import type { Db } from '../services/data.js';
import { hashToken } from '../services/tokens.js';
import { closeReports } from '../services/report-pool.js';
import auth, { isApiRoute } from './auth.js';
import docs from './docs.js';
import errors, { badUrl } from './errors.js';
import limits from './limits.js';
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

/**
 * Hides tokens in logged URLs, whichever way they are written: feed tokens sit in feed paths
 * (maybe percent-encoded, as `/%66eeds/...`), a pasted link may carry one as a query parameter,
 * and anything shaped like a token (24 or more URL-safe characters in a row) is hidden wherever it is.
 */
function redactUrl(url: string): string {
  return decoded(url)
    .replace(/(\/feeds\/+[a-z]+\/+)[^/?#]+/gi, '$1[token]')
    .replace(/([?&][\w-]*(?:token|key|secret|auth)[\w-]*=)[^&#]*/gi, '$1[token]')
    .replace(/[A-Za-z0-9_-]{24,}/g, '[token]');
}

/** The token a request carries: a bearer token, or the feed token in a feed's routed path. */
function tokenOf(request: FastifyRequest): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1]!;
  if (!request.routeOptions.url?.startsWith('/feeds/')) return null;
  const params = request.params as { file?: string; token?: string };
  const token = params.token ?? params.file?.replace(/\.ics$/, '');
  return token || null;
}

export interface AppOptions {
  config: Config;
  db: Db;
  /** false for silent tests; otherwise pino options. */
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream };
}

export async function buildApp({ config, db, logger }: AppOptions): Promise<App> {
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            level: typeof logger === 'object' ? logger.level : config.logLevel,
            ...(typeof logger === 'object' && logger.stream ? { stream: logger.stream } : {}),
            redact: ['req.headers.authorization'],
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
            },
          },
    bodyLimit: 1024 * 1024,
    frameworkErrors: badUrl,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Query strings and path parameters are text, so they are coerced to the schema's types. Bodies
  // are JSON with real types: coercing them would turn 0 into null in a nullable field (clearing a
  // home team) and null into 0, so a body must match its schema as sent.
  const ajvOptions = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false } as const;
  const forText = new Ajv({ ...ajvOptions, coerceTypes: 'array' });
  const forJson = new Ajv({ ...ajvOptions, coerceTypes: false });
  // Compiled on a route's first request, not at start-up: most of some ninety routes are not
  // called in a process's first minutes, and compiling them all took about half the start.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    let compiled: ValidateFunction | null = null;
    const validate = (data: unknown) => {
      compiled ??= (httpPart === 'body' ? forJson : forText).compile(schema);
      const ok = compiled(data);
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  });

  app.decorate('db', db);
  app.decorate('config', config);
  // The report threads (statistics, sheets, auto-fill planning) end with the app.
  app.addHook('onClose', () => closeReports(db));
  await app.register(errors);
  if (config.rateLimitPerMinute > 0) {
    // Counted per token, not per address: a whole chat group may share one address. Requests
    // without a token are not counted. Keys are hashes, so no store ever holds a usable token.
    await app.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => {
        const token = tokenOf(request);
        return token === null ? '' : hashToken(token);
      },
      allowList: (_request, key) => key === '',
    });
    await app.register(limits);
  }
  // Answers of the API (tokens, names, exports) are for the caller only: no cache keeps them, and
  // no browser guesses another type for them. Pages and feeds set their own caching, and so may an
  // API route that is stricter still (the duty sheet's `private, no-store`).
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if ((isApiRoute(request) || !request.routeOptions.url) && !reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
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
