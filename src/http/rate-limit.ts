// Rate limits: ROTA_RATE_LIMIT requests a minute per token (an access token in Authorization, or
// the feed token in a feed's routed path), counted in one-minute windows that start with a
// token's first request, as @fastify/rate-limit's local store counted them. Written here because
// that plugin's hook awaited its key, its allow list and its store on every request: about a
// tenth of a calendar poll answered 304. This one is a synchronous hook and a Map; with several
// nodes on PostgreSQL, a table all of them count in (services/rate-counts.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { sharedRateCounter, type AddToShared } from '../services/rate-counts.js';
import { hashToken } from '../services/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The rate limits, or null when ROTA_RATE_LIMIT is 0. */
    limits: RateLimits | null;
  }
  interface FastifyRequest {
    /** The hash of the token this request is counted under, or null when it carries none. */
    rateKey: string | null;
  }
}

const WINDOW_MS = 60_000;
/** Keys kept at most; the least recently counted go first (as the plugin's store kept 5,000). */
const KEYS = 5000;
/**
 * With several nodes, a node adds its counts to the shared one at least this often per key, and
 * whenever it has counted this share of the limit since (for a limit of 20 or less, every count):
 * a limit is reached at most a twentieth late per node, for a write a second per busy token.
 */
const SHARE_MS = 1000;
const SHARE_OF_LIMIT = 1 / 20;

interface Window {
  /** The count: this node's, and with several nodes the others' as last read. */
  count: number;
  endsAt: number;
  /** With several nodes: counted here since the last addition to the shared count, and when that was. */
  unshared: number;
  sharedAt: number;
}

/**
 * Counts per key in fixed windows; forgets the least recently counted keys beyond `KEYS`. With
 * several nodes (`shared`), each window also takes in the others' counts whenever it adds its own.
 */
class Windows {
  private readonly windows = new Map<string, Window>();
  private readonly batch: number;

  constructor(
    private readonly max: number,
    private readonly shared: AddToShared | null,
  ) {
    this.batch = Math.max(1, Math.floor(max * SHARE_OF_LIMIT));
  }

  /** Counts `n` more for `key` at `now`: the window after counting. */
  count(key: string, n: number, now: number): Window {
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) window = { count: 0, endsAt: now + WINDOW_MS, unshared: 0, sharedAt: -Infinity };
    else this.windows.delete(key);
    window.count += n;
    if (this.shared) {
      window.unshared += n;
      if (window.unshared >= this.batch || now - window.sharedAt >= SHARE_MS) {
        const all = this.shared(key, window.unshared, now);
        window.count = all.count;
        window.endsAt = all.endsAt;
        window.unshared = 0;
        window.sharedAt = now;
      }
    }
    this.windows.set(key, window);
    if (this.windows.size > KEYS) this.windows.delete(this.windows.keys().next().value!);
    return window;
  }

  /** Over the limit? Then the answer says when to come back. */
  refused(window: Window, reply: FastifyReply, now: number): boolean {
    if (window.count <= this.max) return false;
    reply.header('Retry-After', String(Math.ceil((window.endsAt - now) / 1000)));
    return true;
  }
}

function tooMany(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 429 });
}

/** The bearer token a request carries, or null. */
function bearerOf(request: FastifyRequest): string | null {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

/** The token a feed request carries: a bearer token, or the feed token in the routed path. */
function feedTokenOf(request: FastifyRequest): string | null {
  const bearer = bearerOf(request);
  if (bearer !== null) return bearer;
  const params = request.params as { file?: string; token?: string };
  const token = params.token ?? params.file?.replace(/\.ics$/, '');
  return token || null;
}

interface RateLimits {
  /** Charges the request's token `n` more ordinary calls (an expensive route); throws 429 once over. */
  charge(request: FastifyRequest, reply: FastifyReply, n: number): void;
  /** Counts a failed sign-in from the request's address; throws 429 once the address is over. */
  failedSignIn(request: FastifyRequest, reply: FastifyReply): void;
}

export default fp(async function rateLimits(app: FastifyInstance) {
  const max = app.config.rateLimitPerMinute;
  if (max <= 0) {
    app.decorate('limits', null);
    return;
  }
  const perToken = new Windows(max, sharedRateCounter(app.db, 'token', WINDOW_MS));
  const perAddress = new Windows(max, sharedRateCounter(app.db, 'address', WINDOW_MS));
  const limits: RateLimits = {
    charge(request, reply, n) {
      const key = request.rateKey;
      if (key === null) return;
      const now = app.config.now().getTime();
      if (perToken.refused(perToken.count(key, n, now), reply, now)) throw tooMany('Rate limit exceeded');
    },
    failedSignIn(request, reply) {
      const now = app.config.now().getTime();
      if (perAddress.refused(perAddress.count(request.ip, 1, now), reply, now)) throw tooMany('Too many failed sign-ins');
    },
  };
  app.decorate('limits', limits);
  app.decorateRequest('rateKey', null);
  // Counted per token, not per address: a whole chat group may share one address. Requests
  // without a token are not counted. Keys are hashes, so the counters never hold a usable token.
  const counted =
    (tokenOf: (request: FastifyRequest) => string | null): onRequestHookHandler =>
    (request, reply, done) => {
      const token = tokenOf(request);
      if (token === null) return done();
      const key = hashToken(token);
      request.rateKey = key;
      const now = app.config.now().getTime();
      const window = perToken.count(key, 1, now);
      reply.header('x-ratelimit-limit', max);
      reply.header('x-ratelimit-remaining', Math.max(0, max - window.count));
      reply.header('x-ratelimit-reset', Math.ceil((window.endsAt - now) / 1000));
      done(perToken.refused(window, reply, now) ? tooMany('Rate limit exceeded') : undefined);
    };
  const byBearer = counted(bearerOf);
  const byFeedToken = counted(feedTokenOf);
  // Attached to each route as it is added (feeds by their routed path, so a percent-encoded
  // `/%66eeds/...` counts under its feed token too): a request does not ask Fastify for its route.
  app.addHook('onRoute', (route) => {
    const hook = route.url.startsWith('/feeds/') ? byFeedToken : byBearer;
    route.onRequest = [hook, ...(route.onRequest === undefined ? [] : [route.onRequest].flat())];
  });
});
