// Weights for the per-token rate limit: an ordinary call costs 1 from the token's budget of
// ROTA_RATE_LIMIT a minute; a call that expands many shifts, builds a spreadsheet or imports a
// file costs about as many ordinary calls as the work it does, so one token cannot keep the
// server busy with a few hundred expensive calls a minute.
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/** What one call costs in ordinary calls. */
function weightOf(request: FastifyRequest): number {
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (route) {
    case 'GET /api/v1/shifts':
    case 'GET /api/v1/gaps':
      return months(query.from, query.to);
    case 'GET /api/v1/rotas/:rotaId/sheet':
      return (query.format === 'xlsx' ? 5 : 2) * months(query.from, query.to);
    case 'POST /api/v1/rotas/:rotaId/autofill':
      return 10 * months(body.from, body.to);
    case 'GET /api/v1/stats/person-shifts':
      return EXPORT_FORMATS.has(String(query.format)) || /text\/csv|spreadsheetml/.test(request.headers.accept ?? '') ? 10 : 5;
    case 'POST /api/v1/day-calendars/:id/import':
    case 'POST /api/v1/people/import':
      return 20;
    default:
      return 1;
  }
}

export default fp(async function limits(app: FastifyInstance) {
  // Shares the plugin's store and key: each extra charge is one more request from that token.
  const charge = app.createRateLimit();
  // After parsing (auto-fill's window is in its body) and before the handler does the work.
  app.addHook('preValidation', async (request, reply) => {
    for (let extra = weightOf(request) - 1; extra > 0; extra--) {
      const result = await charge(request);
      if (result.isAllowed) return;
      if (result.isExceeded) {
        reply.header('Retry-After', String(result.ttlInSeconds));
        throw Object.assign(new Error('Rate limit exceeded'), { statusCode: 429 });
      }
    }
  });
});
