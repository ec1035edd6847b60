// Weights for the per-token rate limit: an ordinary call costs 1 from the token's budget of
// ROTA_RATE_LIMIT a minute; a call that expands many shifts, builds a spreadsheet or imports a
// file costs about as many ordinary calls as the work it does, so one token cannot keep the
// server busy with a few hundred expensive calls a minute.
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { DAY_MS, parseDate } from '../domain/time.js';

/** Months (of 31 days, at least 1) in a [from, to] window of local dates; 1 when the window is missing or unreadable. */
function months(from: unknown, to: unknown): number {
  const start = typeof from === 'string' ? parseDate(from) : null;
  const end = typeof to === 'string' ? parseDate(to) : null;
  if (start === null || end === null || end < start) return 1;
  return Math.max(1, Math.ceil(((end - start) / DAY_MS + 1) / 31));
}

const EXPORT_FORMATS = new Set(['csv', 'xlsx']);

type Weight = (request: FastifyRequest) => number;
const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

/** What a call to each expensive route costs in ordinary calls; every other route costs 1. */
const WEIGHTS: Record<string, Weight> = {
  'GET /api/v1/shifts': (r) => months(query(r).from, query(r).to),
  'GET /api/v1/gaps': (r) => months(query(r).from, query(r).to),
  'GET /api/v1/rotas/:rotaId/sheet': (r) => (query(r).format === 'xlsx' ? 5 : 2) * months(query(r).from, query(r).to),
  'POST /api/v1/rotas/:rotaId/autofill': (r) => 10 * months(body(r).from, body(r).to),
  'GET /api/v1/stats/person-shifts': (r) => (EXPORT_FORMATS.has(String(query(r).format)) || /text\/csv|spreadsheetml/.test(r.headers.accept ?? '') ? 10 : 5),
  'POST /api/v1/day-calendars/:id/import': () => 20,
  'POST /api/v1/people/import': () => 20,
};

export default fp(async function limits(app: FastifyInstance) {
  const limits = app.limits;
  if (!limits) return;
  // Each extra charge counts under the request's token as more requests.
  const chargeFor =
    (weight: Weight): preValidationHookHandler =>
    (request, reply, done) => {
      const extra = weight(request) - 1;
      try {
        if (extra > 0) limits.charge(request, reply, extra);
      } catch (error) {
        return done(error as Error);
      }
      done();
    };
  // After parsing (auto-fill's window is in its body) and before the handler does the work; only
  // on the routes that weigh more, attached as each is added, so that other calls skip it.
  app.addHook('onRoute', (route) => {
    const weight = WEIGHTS[`${String(route.method)} ${route.url}`];
    if (weight) route.preValidation = [chargeFor(weight), ...(route.preValidation === undefined ? [] : [route.preValidation].flat())];
  });
});
