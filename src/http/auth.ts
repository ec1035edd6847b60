// Bearer tokens: an access token acts for one person; feed tokens never open the API.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler, preParsingAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { RotaError } from '../domain/errors.js';
import { authenticate } from '../services/people.js';
import { hashToken } from '../services/tokens.js';
import type { Person } from '../domain/types.js';
import { checkTargets, scopeOf, targetsOf, type Scope } from '../services/units.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Person | null;
    /** What the signed-in person can reach (issue 13), resolved once per request. */
    scope: Scope | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

/** Whether a route is an /api route; asked of its routed path, so a percent-encoded `/%61pi/...` request is one too. */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api/');
}

export default fp(async function auth(app: FastifyInstance) {
  app.decorateRequest('actor', null);
  // Failed sign-ins are also counted per address (the per-token limit alone never sees a new
  // made-up token twice); a wrong token gets 429 instead of 401 once its address is over the limit.
  const refuse = (request: FastifyRequest, reply: FastifyReply, message: string): never => {
    app.limits?.failedSignIn(request, reply);
    throw new RotaError('UNAUTHENTICATED', message);
  };
  // preParsing runs after every onRequest hook, so the per-token limit has counted this request
  // already, and no body is read for a caller who is not signed in.
  const signIn: preParsingAsyncHookHandler = async (request, reply, payload) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{8,200})$/i.exec(header);
    if (!match) return refuse(request, reply, 'Sign in with your personal link, or send Authorization: Bearer <token>.');
    // The rate limit has hashed this bearer token already (its key); the sign-ins kept and the
    // counters then share one string.
    const signedIn = authenticate(app.db, request.rateKey ?? hashToken(match[1]!));
    if (!signedIn) return refuse(request, reply, 'This link or token is not valid (it may have been replaced). Ask your coordinator for a new link.');
    request.actor = signedIn.person;
    // Their reach, checked against what the request names once it is parsed (resolveScope).
    request.scope = scopeOf(app.db, signedIn.person, signedIn.unitsRevision);
    return payload;
  };
  // Attached to each /api route as it is added (its routed path, so a percent-encoded
  // `/%61pi/...` is signed in too), except the public ones: other routes, such as calendar
  // polls, do not run it at all.
  // The scope check rides along the same way: a route without sign-in has no caller to scope.
  // Each route's own check knows its path, so a request does not ask Fastify for it.
  const scopedTo =
    (url: string): preHandlerHookHandler =>
    (request, _reply, done) => {
      try {
        resolveScope(app, request, url);
      } catch (error) {
        return done(error as Error);
      }
      done();
    };
  app.addHook('onRoute', (route) => {
    if (!isApiPath(route.url) || route.config?.public) return;
    route.preParsing = [...(route.preParsing === undefined ? [] : [route.preParsing].flat()), signIn];
    route.preHandler = [scopedTo(route.url), ...(route.preHandler === undefined ? [] : [route.preHandler].flat())];
  });
  app.decorateRequest('scope', null);
});

/** Methods that change nothing: a viewer may use them on what they only read. */
const READS = new Set(['GET', 'HEAD']);

/**
 * The one place scope is checked (issue 13): once the request is parsed, every thing it names (by
 * path, query or body) must be within the caller's reach, or it answers 404 as if it did not exist.
 * The caller acts as a coordinator in this request only if they coordinate everything it names;
 * otherwise as a volunteer, so every role check further down is scoped too.
 */
function resolveScope(app: FastifyInstance, request: FastifyRequest, url: string): void {
  const actor = request.actor;
  const scope = request.scope;
  if (!actor || !scope) return;
  const targets = targetsOf(url, (request.params ?? {}) as Record<string, unknown>, request.query, request.body);
  const reach = checkTargets(app.db, actor.id, scope, targets);
  // A viewer changes nothing (issue 13): a write naming a thing they only read, not one they
  // manage or one of their home unit's and its ancestors' (whose rotas they join as a volunteer).
  if (!reach.acts && !READS.has(request.method)) throw new RotaError('FORBIDDEN', 'You can read this as a viewer of its unit, but only its coordinators can change it.');
  request.scope = { ...scope, readsTargets: reach.reads };
  request.actor = { ...actor, role: reach.manages ? 'coordinator' : 'volunteer' };
}

/** The caller's scope (routes under /api/v1 always have one once signed in). */
export function scopeOfRequest(request: FastifyRequest): Scope {
  if (!request.scope) throw new RotaError('UNAUTHENTICATED', 'Sign in with your personal link.');
  return request.scope;
}

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

/** Coordinators and viewers read lists and reports of their units; volunteers do not. */
export function requireReader(request: FastifyRequest): Person {
  const actor = actorOf(request);
  if (actor.role !== 'coordinator' && !scopeOfRequest(request).readsTargets) throw new RotaError('FORBIDDEN', 'Only a coordinator or a viewer of a unit can see this.');
  return actor;
}

/** A person reads their own things; coordinators and viewers of the things' units read others' too. */
export function requireSelfOrReader(request: FastifyRequest, personId: number): Person {
  const actor = actorOf(request);
  if (actor.id !== personId) requireReader(request);
  return actor;
}

/** A person may act for themselves; only coordinators act for others. */
export function requireSelfOrCoordinator(request: FastifyRequest, personId: number): Person {
  const actor = actorOf(request);
  if (actor.id !== personId && actor.role !== 'coordinator') throw new RotaError('FORBIDDEN', 'You can only do this for yourself; a coordinator can do it for others.');
  return actor;
}
