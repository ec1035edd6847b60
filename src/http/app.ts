// The Fastify app factory: the same for tests and the server; it never listens by itself.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import auth from './auth.js';
import errors from './errors.js';
import calendarRoutes from './routes/calendars.js';
import peopleRoutes from './routes/people.js';
import rotaRoutes from './routes/rotas.js';
import shiftRoutes from './routes/shifts.js';
import systemRoutes from './routes/system.js';
import teamRoutes from './routes/teams.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Hides tokens in logged URLs: feed tokens sit in feed paths. */
export function redactUrl(url: string): string {
  return url.replace(/(\/feeds\/[a-z]+\/)[^/?#]+/g, '$1[token]');
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
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', db);
  app.decorate('config', config);
  await app.register(errors);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Rota API', version: '1', description: 'Volunteer duty rotas: recurring shifts, sign-ups, person-shift counts and calendar feeds.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(auth);
  await app.register(
    async (api) => {
      await api.register(systemRoutes);
      await api.register(peopleRoutes);
      await api.register(teamRoutes);
      await api.register(rotaRoutes);
      await api.register(calendarRoutes);
      await api.register(shiftRoutes);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
