// People: create (with their personal link), list, edit, archive, and replace links.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RotaError } from '../../domain/errors.js';
import { archivePerson, createPerson, listPeople, requirePerson, rotateToken, updatePerson } from '../../services/people.js';
import { requireCoordinator, requireReader, requireSelfOrCoordinator, requireSelfOrReader, scopeOfRequest } from '../auth.js';
import { accessUrl, feedLinks } from '../links.js';
import { IdParam, Name, Nullable, PersonSchema, errors, personOut } from '../schemas.js';

const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
const Role = Type.Union([Type.Literal('volunteer'), Type.Literal('coordinator')]);
const Params = Type.Object({ id: IdParam });

const PersonBody = Type.Object(
  {
    name: Name,
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    locale: Type.Optional(Locale),
    role: Type.Optional(Role),
    teamIds: Type.Optional(Type.Array(IdParam, { maxItems: 100 })),
    homeTeamId: Type.Optional(Nullable(IdParam)),
    unitId: Type.Optional(IdParam),
  },
  { additionalProperties: false },
);

const Issued = Type.Intersect([PersonSchema, Type.Object({ accessToken: Type.String(), accessUrl: Type.String() })]);

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post('/people', { schema: { tags: ['people'], body: PersonBody, response: { 201: Issued, ...errors } } }, async (request, reply) => {
    const actor = requireCoordinator(request);
    const { person, accessToken } = createPerson(app.db, actor, request.body, now());
    return reply.status(201).send({ ...personOut(app.config, person), accessToken, accessUrl: accessUrl(app.config, accessToken) });
  });

  app.get(
    '/people',
    {
      schema: {
        tags: ['people'],
        querystring: Type.Object({ teamId: Type.Optional(IdParam), includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ people: Type.Array(PersonSchema) }), ...errors },
      },
    },
    async (request) => {
      requireReader(request);
      const list = listPeople(app.db, {
        includeArchived: request.query.includeArchived ?? false,
        unitIds: scopeOfRequest(request).reads,
        ...(request.query.teamId ? { teamId: request.query.teamId } : {}),
      });
      return { people: list.map((p) => personOut(app.config, p)) };
    },
  );

  app.get('/people/:id', { schema: { tags: ['people'], params: Params, response: { 200: PersonSchema, ...errors } } }, async (request) => {
    requireSelfOrReader(request, request.params.id);
    return personOut(app.config, requirePerson(app.db, request.params.id));
  });

  app.patch(
    '/people/:id',
    { schema: { tags: ['people'], params: Params, body: Type.Partial(PersonBody, { additionalProperties: false }), response: { 200: PersonSchema, ...errors } } },
    async (request) => {
      const actor = requireSelfOrCoordinator(request, request.params.id);
      const body = request.body;
      if (actor.role !== 'coordinator' && (body.role !== undefined || body.teamIds !== undefined || body.homeTeamId !== undefined || body.unitId !== undefined)) {
        throw new RotaError('FORBIDDEN', 'Only a coordinator can change roles, teams and home units.');
      }
      return personOut(app.config, updatePerson(app.db, actor, request.params.id, body, now()));
    },
  );

  app.delete('/people/:id', { schema: { tags: ['people'], params: Params, response: { 200: PersonSchema, ...errors } } }, async (request) => {
    const actor = requireCoordinator(request);
    return personOut(app.config, archivePerson(app.db, actor, request.params.id, now()));
  });

  app.post(
    '/people/:id/tokens',
    {
      schema: {
        tags: ['people'],
        description: 'A new personal link (access) or calendar link (feed); the old one stops working at once.',
        params: Params,
        body: Type.Object({ kind: Type.Union([Type.Literal('access'), Type.Literal('feed')]) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            kind: Type.String(),
            token: Type.String(),
            accessUrl: Type.Optional(Type.String()),
            feedUrl: Type.Optional(Type.String()),
            webcalUrl: Type.Optional(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = requireSelfOrCoordinator(request, request.params.id);
      const { kind } = request.body;
      const token = rotateToken(app.db, actor, request.params.id, kind, now());
      const links = kind === 'access' ? { accessUrl: accessUrl(app.config, token) } : feedLinks(app.config, 'people', token);
      return reply.status(201).send({ kind, token, ...links });
    },
  );
};

export default peopleRoutes;
