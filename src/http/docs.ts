// The API reference (/docs): built on the first request, not at start-up. Every route's schema is
// noted as it is added; the first visit loads @fastify/swagger and its UI into a separate Fastify
// instance that carries the same routes (validation off), and later visits are answered by it.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type HTTPMethods, type RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * This instance describes routes and validates nothing. Its compilers are given to the schema
 * controller, so Fastify loads neither of its default ones (which the build leaves out of the
 * bundle). Fastify types these factories by Ajv's and fast-json-stringify's own functions.
 */
const describeOnly = {
  buildValidator: () => () => () => true,
  buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
} as unknown as CompilersFactory;

async function reference(routes: Pick<RouteOptions, 'method' | 'url' | 'schema'>[]): Promise<FastifyInstance> {
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
  const docs = Fastify({ logger: false, exposeHeadRoutes: false, schemaController: { compilersFactory: describeOnly } });
  await docs.register(swagger, {
    openapi: {
      info: { title: 'Rota API', version: '1', description: 'Volunteer duty rotas: recurring shifts, sign-ups, person-shift counts and calendar feeds.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await docs.register(swaggerUi, { routePrefix: '/docs' });
  for (const r of routes) docs.route({ method: r.method, url: r.url, ...(r.schema ? { schema: r.schema } : {}), handler: async () => null });
  await docs.ready();
  return docs;
}

export default fp(async function docs(app: FastifyInstance) {
  const routes: Pick<RouteOptions, 'method' | 'url' | 'schema'>[] = [];
  app.addHook('onRoute', (r) => {
    if (r.method !== 'HEAD' && !r.url.startsWith('/docs') && r.schema && !r.schema.hide) routes.push({ method: r.method, url: r.url, schema: r.schema });
  });
  let built: Promise<FastifyInstance> | null = null;
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    built ??= reference(routes);
    const res = await (await built).inject({ method: request.method as HTTPMethods, url: request.url, headers: request.headers as Record<string, string> });
    const headers = { ...res.headers };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers.connection;
    return reply.status(res.statusCode).headers(headers).send(res.rawPayload);
  };
  for (const url of ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/*']) {
    app.get(url, { schema: { hide: true }, config: { public: true } }, answer);
  }
});
