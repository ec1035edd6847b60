// Trades: propose exchanging one's place for someone else's; they accept or decline; on rotas
// that require it, a coordinator approves.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { formatInstant } from '../../domain/time.js';
import { acceptTrade, approveTrade, endTrade, getTradeView, openTrades, proposeTrade, swapOptions, type SwapOption, type TradeView } from '../../services/trades.js';
import { actorOf, requireCoordinator, requireReader, requireSelfOrReader, scopeOfRequest } from '../auth.js';
import { IdParam, Nullable, errors } from '../schemas.js';

const Place = { signupId: Type.Integer(), shiftId: Type.String(), rotaName: Type.String(), start: Type.String(), end: Type.String() };

export const TradeSchema = Type.Object({
  id: Type.Integer(),
  status: Type.String({ description: 'proposed, pending_approval (accepted, waiting for a coordinator), accepted, declined, withdrawn, rejected or lapsed' }),
  proposerId: Type.Integer(),
  proposerName: Type.String(),
  responderId: Type.Integer(),
  responderName: Type.String(),
  gives: Type.Object(Place, { description: 'The proposer\'s place (the responder\'s once accepted)' }),
  takes: Type.Object(Place, { description: 'The place asked for (the proposer\'s once accepted)' }),
  createdAt: Type.String(),
  decidedAt: Nullable(Type.String()),
});

export function tradeOut(v: TradeView): Static<typeof TradeSchema> {
  const place = (s: TradeView['signup']) => ({
    signupId: s.id,
    shiftId: s.shiftId,
    rotaName: s.rotaName,
    start: formatInstant(s.startAt, s.timezone),
    end: formatInstant(s.endAt, s.timezone),
  });
  const zone = v.signup.timezone;
  return {
    id: v.trade.id,
    status: v.status,
    proposerId: v.trade.proposerId,
    proposerName: v.proposerName,
    responderId: v.trade.responderId,
    responderName: v.responderName,
    gives: place(v.signup),
    takes: place(v.withSignup),
    createdAt: formatInstant(v.trade.createdAt, zone),
    decidedAt: v.trade.decidedAt === null ? null : formatInstant(v.trade.decidedAt, zone),
  };
}

// Only what choosing needs: when and where, and whose place it is (no contact details).
const SwapOptionSchema = Type.Object({
  signupId: Type.Integer({ description: 'The other person\'s sign-up: propose with `{ withSignupId: signupId }`' }),
  shiftId: Type.String(),
  rotaName: Type.String(),
  label: Nullable(Type.String({ description: 'The post (the series\' label), if any' })),
  location: Nullable(Type.String()),
  start: Type.String(),
  end: Type.String(),
  localDate: Type.String(),
  personName: Type.String(),
});

function swapOptionOut({ signup, shift }: SwapOption): Static<typeof SwapOptionSchema> {
  return {
    signupId: signup.id,
    shiftId: signup.shiftId,
    rotaName: shift.rota.name,
    label: shift.series.label,
    location: shift.rota.location,
    start: formatInstant(shift.shift.start, shift.shift.timezone),
    end: formatInstant(shift.shift.end, shift.shift.timezone),
    localDate: shift.shift.localDate,
    personName: signup.personName,
  };
}

const TradeParams = Type.Object({ tradeId: IdParam });
const one = { tags: ['trades'], params: TradeParams, response: { 200: TradeSchema, ...errors } };

const tradeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post(
    '/signups/:signupId/trade',
    {
      schema: {
        tags: ['trades'],
        description:
          'Proposes exchanging this confirmed place for another person\'s (`withSignupId`). Refused at once when it could not be accepted: ' +
          'COLLIDES, UNAVAILABLE, NOT_IN_TEAM, ALREADY_SIGNED_UP, LOCKED, PAST. It is checked again when accepted.',
        params: Type.Object({ signupId: IdParam }),
        body: Type.Object({ withSignupId: IdParam }, { additionalProperties: false }),
        response: { 201: TradeSchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(tradeOut(proposeTrade(app.db, actorOf(request), request.params.signupId, request.body.withSignupId, now()))),
  );

  app.get(
    '/signups/:signupId/swap-options',
    {
      schema: {
        tags: ['trades'],
        description:
          'For one\'s own confirmed place (a coordinator: anyone\'s), the other people\'s confirmed places on the same rota, today and the next four weeks, ' +
          'that could be proposed as a trade now: each person free, available and allowed on the other\'s shift. Soonest first. ' +
          'Refused like an offer: NOT_SIGNED_UP, PAST, LOCKED.',
        params: Type.Object({ signupId: IdParam }),
        response: { 200: Type.Object({ swapOptions: Type.Array(SwapOptionSchema) }), ...errors },
      },
    },
    async (request) => ({ swapOptions: swapOptions(app.db, actorOf(request), request.params.signupId, now()).map(swapOptionOut) }),
  );

  app.get(
    '/trades/pending',
    { schema: { tags: ['trades'], description: 'Accepted trades waiting for a coordinator\'s approval.', response: { 200: Type.Object({ trades: Type.Array(TradeSchema) }), ...errors } } },
    async (request) => {
      requireReader(request);
      return { trades: openTrades(app.db, { pendingApproval: true, unitIds: scopeOfRequest(request).reads }, now()).map(tradeOut) };
    },
  );

  app.get(
    '/people/:id/trades',
    {
      schema: {
        tags: ['trades'],
        description: 'Open trades the person proposed or was asked to accept.',
        params: Type.Object({ id: IdParam }),
        response: { 200: Type.Object({ trades: Type.Array(TradeSchema) }), ...errors },
      },
    },
    async (request) => {
      requireSelfOrReader(request, request.params.id);
      return { trades: openTrades(app.db, { personId: request.params.id }, now()).map(tradeOut) };
    },
  );

  app.get('/trades/:tradeId', { schema: one }, async (request) => {
    const actor = actorOf(request);
    const v = getTradeView(app.db, request.params.tradeId, now());
    if (actor.id !== v.trade.proposerId && actor.id !== v.trade.responderId) requireReader(request);
    return tradeOut(v);
  });

  app.post(
    '/trades/:tradeId/accept',
    {
      schema: {
        ...one,
        description:
          'The person asked accepts: both places change hands in one transaction, checked again now. On a rota that requires approval, ' +
          'a volunteer\'s acceptance makes the trade pending_approval and nobody moves until a coordinator approves.',
      },
    },
    async (request) => tradeOut(acceptTrade(app.db, actorOf(request), request.params.tradeId, now())),
  );

  app.post('/trades/:tradeId/decline', { schema: one }, async (request) => tradeOut(endTrade(app.db, actorOf(request), request.params.tradeId, 'decline', now())));

  app.delete('/trades/:tradeId', { schema: { ...one, description: 'The proposer withdraws the trade.' } }, async (request) =>
    tradeOut(endTrade(app.db, actorOf(request), request.params.tradeId, 'withdraw', now())),
  );

  app.post('/trades/:tradeId/approve', { schema: { ...one, description: 'A coordinator approves a pending trade; both places change hands now.' } }, async (request) =>
    tradeOut(approveTrade(app.db, requireCoordinator(request), request.params.tradeId, now())),
  );

  app.post('/trades/:tradeId/reject', { schema: { ...one, description: 'A coordinator rejects a pending trade; nobody moves.' } }, async (request) =>
    tradeOut(endTrade(app.db, requireCoordinator(request), request.params.tradeId, 'reject', now())),
  );
};

export default tradeRoutes;
