// Cover offers: offer one's place, claim someone's, withdraw, and (on rotas that require it)
// a coordinator's approval of a claim.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { formatInstant } from '../../domain/time.js';
import { approveOffer, claimOffer, claimableOffers, closeOffer, getOfferView, offerSignup, offersOfPerson, pendingOffers, type OfferView } from '../../services/offers.js';
import { actorOf, requireCoordinator, requireReader, requireSelfOrCoordinator, requireSelfOrReader, scopeOfRequest } from '../auth.js';
import { IdParam, Nullable, SignupSchema, bodyMayBeOmitted, errors, signupOut } from '../schemas.js';

export const OfferSchema = Type.Object({
  id: Type.Integer(),
  status: Type.String({ description: 'open, pending_approval (claimed, waiting for a coordinator), claimed, withdrawn, lapsed (the shift started) or rejected' }),
  signupId: Type.Integer({ description: 'The offered sign-up' }),
  personId: Type.Integer({ description: 'Who offered the place' }),
  personName: Type.String(),
  shiftId: Type.String(),
  rotaId: Type.Integer(),
  rotaName: Type.String(),
  start: Type.String(),
  end: Type.String(),
  localDate: Type.String(),
  claimedBy: Nullable(Type.Integer()),
  claimSignupId: Nullable(Type.Integer({ description: 'The claimer\'s sign-up, once the place has moved' })),
  createdAt: Type.String(),
});

export function offerOut(v: OfferView): Static<typeof OfferSchema> {
  const { offer, signup } = v;
  return {
    id: offer.id,
    status: v.status,
    signupId: offer.signupId,
    personId: offer.personId,
    personName: v.ownerName,
    shiftId: signup.shiftId,
    rotaId: signup.rotaId,
    rotaName: signup.rotaName,
    start: formatInstant(signup.startAt, signup.timezone),
    end: formatInstant(signup.endAt, signup.timezone),
    localDate: signup.localDate,
    claimedBy: offer.claimedBy,
    claimSignupId: offer.claimSignupId,
    createdAt: formatInstant(offer.createdAt, signup.timezone),
  };
}

const OfferParams = Type.Object({ offerId: IdParam });

const offerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post(
    '/signups/:signupId/offer',
    {
      schema: {
        tags: ['offers'],
        description:
          'Offers a confirmed place for cover. If someone eligible is on the shift\'s waitlist, the place goes straight to the first of them ' +
          '(status claimed); otherwise the offer is open until claimed, withdrawn, or the shift starts (then it lapses and the owner stays responsible). ' +
          'Volunteers cannot offer within the rota\'s cancelClosesHoursBefore (409 LOCKED).',
        params: Type.Object({ signupId: IdParam }),
        response: { 201: OfferSchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(offerOut(offerSignup(app.db, actorOf(request), request.params.signupId, now()))),
  );

  app.get(
    '/offers',
    {
      schema: {
        tags: ['offers'],
        description: 'Open offers the person (default: you) could take now: not their own, and they are free and available at that time.',
        querystring: Type.Object({ personId: Type.Optional(IdParam) }, { additionalProperties: false }),
        response: { 200: Type.Object({ offers: Type.Array(OfferSchema) }), ...errors },
      },
    },
    async (request) => {
      const personId = request.query.personId ?? actorOf(request).id;
      requireSelfOrReader(request, personId);
      return { offers: claimableOffers(app.db, personId, now()).map(offerOut) };
    },
  );

  app.get(
    '/people/:id/offers',
    {
      schema: {
        tags: ['offers'],
        description:
          'The person\'s own offers still waiting, soonest first: open (looking for cover) and pending_approval (claimed, waiting for a coordinator); ' +
          '`status` keeps one of the two. The person holds these places until someone takes them.',
        params: Type.Object({ id: IdParam }),
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('pending_approval')])) }, { additionalProperties: false }),
        response: { 200: Type.Object({ offers: Type.Array(OfferSchema) }), ...errors },
      },
    },
    async (request) => {
      requireSelfOrReader(request, request.params.id);
      const statuses = request.query.status === undefined ? (['open', 'pending_approval'] as const) : [request.query.status];
      return { offers: offersOfPerson(app.db, request.params.id, statuses, now()).map(offerOut) };
    },
  );

  app.get(
    '/offers/pending',
    { schema: { tags: ['offers'], description: 'Claims waiting for a coordinator\'s approval.', response: { 200: Type.Object({ offers: Type.Array(OfferSchema) }), ...errors } } },
    async (request) => {
      requireReader(request);
      return { offers: pendingOffers(app.db, now(), scopeOfRequest(request).reads).map(offerOut) };
    },
  );

  app.get('/offers/:offerId', { schema: { tags: ['offers'], params: OfferParams, response: { 200: OfferSchema, ...errors } } }, async (request) => {
    actorOf(request);
    return offerOut(getOfferView(app.db, request.params.offerId, now()));
  });

  app.post(
    '/offers/:offerId/claim',
    {
      schema: {
        tags: ['offers'],
        description:
          'Claims an open offer for oneself (`{}`) or, for a coordinator, for someone (`{ personId }`). The first claim wins: 200 with the claimer\'s new sign-up, ' +
          'the owner\'s sign-up cancelled in the same transaction; every later claim gets 409 OFFER_CLOSED. On a rota that requires approval, ' +
          'a volunteer\'s claim answers 202 with the offer (pending_approval) and the place moves when a coordinator approves.',
        params: OfferParams,
        body: Type.Object({ personId: Type.Optional(IdParam) }, { additionalProperties: false }),
        response: { 200: SignupSchema, 202: OfferSchema, ...errors },
      },
      preValidation: bodyMayBeOmitted,
    },
    async (request, reply) => {
      const personId = request.body.personId ?? actorOf(request).id;
      const actor = requireSelfOrCoordinator(request, personId);
      const result = claimOffer(app.db, actor, request.params.offerId, personId, now());
      if ('pending' in result) return reply.status(202).send(offerOut(result.pending));
      return reply.status(200).send(signupOut(result.signup));
    },
  );

  app.delete(
    '/offers/:offerId',
    { schema: { tags: ['offers'], description: 'Withdraws an open (or pending) offer; the owner keeps the place.', params: OfferParams, response: { 200: OfferSchema, ...errors } } },
    async (request) => offerOut(closeOffer(app.db, actorOf(request), request.params.offerId, 'withdraw', now())),
  );

  app.post(
    '/offers/:offerId/approve',
    { schema: { tags: ['offers'], description: 'Approves a pending claim: the place moves now, after checking the claimer again.', params: OfferParams, response: { 200: SignupSchema, ...errors } } },
    async (request) => signupOut(approveOffer(app.db, requireCoordinator(request), request.params.offerId, now())),
  );

  app.post(
    '/offers/:offerId/reject',
    { schema: { tags: ['offers'], description: 'Rejects a pending claim; the owner keeps the place and may offer it again.', params: OfferParams, response: { 200: OfferSchema, ...errors } } },
    async (request) => offerOut(closeOffer(app.db, requireCoordinator(request), request.params.offerId, 'reject', now())),
  );
};

export default offerRoutes;
