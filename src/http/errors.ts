// One error handler: coded refusals become `{ error: { code, message, ... } }` with their status;
// anything unexpected is a 500 whose message is hidden (and logged).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { RotaError, type ErrorCode } from '../domain/errors.js';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  RANGE_TOO_LONG: 400,
  RULE_TOO_FINE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  READ_ONLY: 409,
  SHIFT_FULL: 409,
  ALREADY_SIGNED_UP: 409,
  COLLIDES: 409,
  UNAVAILABLE: 409,
  LOCKED: 409,
  PAST: 409,
  SHIFT_CANCELLED: 409,
  OFFER_CLOSED: 409,
  TRADE_CLOSED: 409,
  NOT_SIGNED_UP: 409,
  NOT_IN_TEAM: 409,
  PERSON_ARCHIVED: 409,
  ALREADY_OFFERED: 409,
  NOT_STARTED: 409,
  NOT_A_SHIFT: 404,
  SIGNUPS_AFFECTED: 409,
  OVER_LIMIT: 409,
  SHIFT_CHANGED: 409,
  CONFLICT: 409,
  CHECKIN_WINDOW: 409,
  CHECKIN_CODE: 404,
  LEADER_CODE: 409,
  RATE_LIMITED: 429,
  SHUTTING_DOWN: 503,
  REPORT_FAILED: 503,
};

function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string } | undefined)?.missingProperty;
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return [path, missing].filter(Boolean).join('.') || undefined;
}

/** Errors raised before routing (the app's `frameworkErrors`), such as `/%E0%A4%A`, answered in our shape. */
export function badUrl(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The address could not be read: it has a broken percent-escape (%) in it. Check the link, or copy it again.'
      : 'The address could not be read: a part of it is too long. Check the link, or copy it again.';
  reply.status(400).header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff').send({ error: { code: 'BAD_REQUEST', message } });
}

export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | RotaError, request, reply) => {
    if (error instanceof RotaError) {
      // The connection would otherwise stay open and hold up the server's close.
      if (error.code === 'SHUTTING_DOWN') reply.header('connection', 'close');
      return reply.status(STATUS[error.code]).send({ error: { code: error.code, message: error.message, ...error.details } });
    }
    if (error.validation) {
      const field = fieldOf(error);
      const where = error.validationContext === 'querystring' ? 'query' : error.validationContext;
      return reply.status(400).send({
        error: { code: 'VALIDATION', message: `Invalid ${where ?? 'request'}: ${field ? `${field} ` : ''}${error.validation[0]?.message ?? error.message}.`, field },
      });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ error: { code: 'BODY_TOO_LARGE', message: 'The request body is too large (at most 1 MiB).' } });
    if (status === 415) return reply.status(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send JSON with Content-Type: application/json.' } });
    if (status === 429) return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: 'Too many requests; wait a moment and try again.' } });
    if (status >= 400 && status < 500) {
      const code = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'VALIDATION' : 'BAD_REQUEST';
      return reply.status(status).send({ error: { code, message: `The request could not be read: ${error.message}` } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side; nothing was changed. Please try again.' } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No such page or API route: ${request.method} ${request.url.split('?')[0]}.` } });
  });
});
