// Unavailability: the dates a person cannot serve, recorded by them or by a coordinator.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { addUnavailability, personUnavailability, removeUnavailability } from '../../services/unavailability.js';
import { requireSelfOrCoordinator, requireSelfOrReader } from '../auth.js';
import { DateString, IdParam, Nullable, SignupSchema, Text, errors, signupOut } from '../schemas.js';

const UnavailabilitySchema = Type.Object({ id: Type.Integer(), personId: Type.Integer(), from: Type.String(), to: Type.String(), note: Nullable(Type.String()) });
const PersonParams = Type.Object({ id: IdParam });

const unavailabilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post(
    '/people/:id/unavailability',
    {
      schema: {
        tags: ['unavailability'],
        description:
          'Dates (inclusive, at most 366 days) the person cannot serve: they are not signed up, promoted or handed an offer on them. ' +
          'Places already held on those dates are kept and listed in `signups`, to cancel or offer.',
        params: PersonParams,
        body: Type.Object({ from: DateString, to: DateString, note: Type.Optional(Nullable(Text)) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([UnavailabilitySchema, Type.Object({ signups: Type.Array(SignupSchema) })]), ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireSelfOrCoordinator(request, request.params.id);
      const { unavailability, signups } = addUnavailability(app.db, actor, request.params.id, request.body, now());
      return reply.status(201).send({ ...unavailability, signups: signups.map(signupOut) });
    },
  );

  app.get(
    '/people/:id/unavailability',
    { schema: { tags: ['unavailability'], params: PersonParams, response: { 200: Type.Object({ unavailability: Type.Array(UnavailabilitySchema) }), ...errors } } },
    async (request) => {
      requireSelfOrReader(request, request.params.id);
      return { unavailability: personUnavailability(app.db, request.params.id) };
    },
  );

  app.delete(
    '/people/:id/unavailability/:unavailabilityId',
    { schema: { tags: ['unavailability'], params: Type.Object({ id: IdParam, unavailabilityId: IdParam }), response: { 200: UnavailabilitySchema, ...errors } } },
    async (request) => {
      const actor = requireSelfOrCoordinator(request, request.params.id);
      return removeUnavailability(app.db, actor, request.params.id, request.params.unavailabilityId, now());
    },
  );
};

export default unavailabilityRoutes;
