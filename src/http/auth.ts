// Bearer tokens: an access token acts for one person; feed tokens never open the API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Person } from '../db/people.js';
import { RotaError } from '../domain/errors.js';
import { authenticate } from '../services/people.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Person | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

export default fp(async function auth(app: FastifyInstance) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.routeOptions.config?.public) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{8,200})$/i.exec(header);
    if (!match) throw new RotaError('UNAUTHENTICATED', 'Sign in with your personal link, or send Authorization: Bearer <token>.');
    const person = authenticate(app.db, match[1]!);
    if (!person) throw new RotaError('UNAUTHENTICATED', 'This link or token is not valid (it may have been replaced). Ask your coordinator for a new link.');
    request.actor = person;
  });
});

/** The signed-in person (routes under /api/v1 always have one). */
export function actorOf(request: FastifyRequest): Person {
  if (!request.actor) throw new RotaError('UNAUTHENTICATED', 'Sign in with your personal link.');
  return request.actor;
}

export function requireCoordinator(request: FastifyRequest): Person {
  const actor = actorOf(request);
  if (actor.role !== 'coordinator') throw new RotaError('FORBIDDEN', 'Only a coordinator can do this.');
  return actor;
}

/** A person may act for themselves; only coordinators act for others. */
export function requireSelfOrCoordinator(request: FastifyRequest, personId: number): Person {
  const actor = actorOf(request);
  if (actor.id !== personId && actor.role !== 'coordinator') throw new RotaError('FORBIDDEN', 'You can only do this for yourself; a coordinator can do it for others.');
  return actor;
}
