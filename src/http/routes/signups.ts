// Sign-ups: take a place on a shift (or join its waitlist), cancel, list one's own, record attendance.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { cancelSignup, listPersonSignups, recordAttendance, requireSignup, signUp } from '../../services/signups.js';
import { actorOf, requireCoordinator, requireSelfOrCoordinator, requireSelfOrReader } from '../auth.js';
import { DateString, IdParam, SignupSchema, bodyMayBeOmitted, errors, signupOut } from '../schemas.js';

const ShiftParams = Type.Object({ shiftId: Type.String({ minLength: 1, maxLength: 40 }) });
const SignupParams = Type.Object({ signupId: IdParam });

const signupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post(
    '/shifts/:shiftId/signups',
    {
      schema: {
        tags: ['signups'],
        description:
          'Signs up oneself (`{}`) or, for a coordinator, someone else (`{ personId }`). A full shift puts the person on its waitlist when the rota keeps one, ' +
          'and answers 409 SHIFT_FULL otherwise. Other refusals: ALREADY_SIGNED_UP (with the existing signupId and status), COLLIDES, UNAVAILABLE, ' +
          'NOT_IN_TEAM, PERSON_ARCHIVED, PAST, SHIFT_CANCELLED.',
        params: ShiftParams,
        body: Type.Object({ personId: Type.Optional(IdParam) }, { additionalProperties: false }),
        response: { 201: SignupSchema, ...errors },
      },
      preValidation: bodyMayBeOmitted,
    },
    async (request, reply) => {
      const personId = request.body.personId ?? actorOf(request).id;
      const actor = requireSelfOrCoordinator(request, personId);
      return reply.status(201).send(signupOut(signUp(app.db, actor, request.params.shiftId, personId, now())));
    },
  );

  app.get('/signups/:signupId', { schema: { tags: ['signups'], params: SignupParams, response: { 200: SignupSchema, ...errors } } }, async (request) => {
    const signup = requireSignup(app.db, request.params.signupId);
    requireSelfOrReader(request, signup.personId);
    return signupOut(signup);
  });

  app.delete(
    '/signups/:signupId',
    {
      schema: {
        tags: ['signups'],
        description:
          'Cancels a sign-up (one\'s own, or anyone\'s for a coordinator); the first eligible person on the waitlist takes the freed place. ' +
          'Volunteers cannot cancel a confirmed place within the rota\'s cancelClosesHoursBefore (409 LOCKED).',
        params: SignupParams,
        response: { 200: SignupSchema, ...errors },
      },
    },
    async (request) => signupOut(cancelSignup(app.db, actorOf(request), request.params.signupId, now())),
  );

  app.get(
    '/people/:id/signups',
    {
      schema: {
        tags: ['signups'],
        description: 'A person\'s sign-ups on shifts whose local date lies in [from, to] (at most 366 days); without dates, those not ended yet.',
        params: Type.Object({ id: IdParam }),
        querystring: Type.Object(
          { from: Type.Optional(DateString), to: Type.Optional(DateString), includeCancelled: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ signups: Type.Array(SignupSchema) }), ...errors },
      },
    },
    async (request) => {
      requireSelfOrReader(request, request.params.id);
      return { signups: listPersonSignups(app.db, request.params.id, request.query, now()).map(signupOut) };
    },
  );

  app.post(
    '/shifts/:shiftId/attendance',
    {
      schema: {
        tags: ['signups'],
        description:
          'Coordinators record attended or no_show once the shift has started. `walkIn: true` records someone who came without a place ' +
          '(counts as attended, takes no place); otherwise someone not confirmed on the shift is 409 NOT_SIGNED_UP.',
        params: ShiftParams,
        body: Type.Object(
          { personId: IdParam, status: Type.Union([Type.Literal('attended'), Type.Literal('no_show')]), walkIn: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: SignupSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      return signupOut(recordAttendance(app.db, actor, request.params.shiftId, request.body, now()));
    },
  );
};

export default signupRoutes;
