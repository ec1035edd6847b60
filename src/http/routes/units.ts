// Units (区—街道—社区—小区—楼栋) and who coordinates or views them (issue 13).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { UNIT_KINDS } from '../../domain/types.js';
import { createUnit, grantRole, requireUnit, revokeRole, updateUnit, visibleUnits } from '../../services/units.js';
import { actorOf, requireCoordinator, scopeOfRequest } from '../auth.js';
import { IdParam, Name, errors } from '../schemas.js';

const Kind = Type.Union(UNIT_KINDS.map((k) => Type.Literal(k)));
const RoleName = Type.Union([Type.Literal('coordinator'), Type.Literal('viewer')]);
const UnitSchema = Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String(), parentId: Type.Union([Type.Integer(), Type.Null()]) });
const Params = Type.Object({ unitId: IdParam });

const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post(
    '/units',
    {
      schema: {
        tags: ['units'],
        description: 'Adds a unit below parentId (its coordinators may); a new top-level unit only by a coordinator of every top-level unit, who then coordinates it.',
        body: Type.Object({ name: Name, kind: Kind, parentId: Type.Optional(Type.Union([IdParam, Type.Null()])) }, { additionalProperties: false }),
        response: { 201: UnitSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      return reply.status(201).send(createUnit(app.db, actor, scopeOfRequest(request), request.body, now()));
    },
  );

  app.get(
    '/units',
    {
      schema: {
        tags: ['units'],
        description: 'The units the caller can see (their home unit, its ancestors, and the subtrees they coordinate or view), and their own roles, so a page knows which units it may switch between.',
        querystring: Type.Object({ parentId: Type.Optional(IdParam) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ units: Type.Array(UnitSchema), roles: Type.Array(Type.Object({ unitId: Type.Integer(), role: Type.String() })) }),
          ...errors,
        },
      },
    },
    async (request) => {
      actorOf(request);
      const scope = scopeOfRequest(request);
      return { units: visibleUnits(app.db, scope, request.query.parentId), roles: scope.roles };
    },
  );

  app.get('/units/:unitId', { schema: { tags: ['units'], params: Params, response: { 200: UnitSchema, ...errors } } }, async (request) => {
    actorOf(request);
    return requireUnit(app.db, request.params.unitId);
  });

  app.patch(
    '/units/:unitId',
    { schema: { tags: ['units'], params: Params, body: Type.Object({ name: Name }, { additionalProperties: false }), response: { 200: UnitSchema, ...errors } } },
    async (request) => updateUnit(app.db, requireCoordinator(request), request.params.unitId, request.body, now()),
  );

  app.post(
    '/units/:unitId/roles',
    {
      schema: {
        tags: ['units'],
        description: 'Makes a person coordinator (manages the subtree) or viewer (reads it) of the unit; a second call replaces the role.',
        params: Params,
        body: Type.Object({ personId: IdParam, role: RoleName }, { additionalProperties: false }),
        response: { 201: Type.Object({ unitId: Type.Integer(), personId: Type.Integer(), role: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      grantRole(app.db, requireCoordinator(request), request.params.unitId, request.body, now());
      return reply.status(201).send({ unitId: request.params.unitId, ...request.body });
    },
  );

  app.delete(
    '/units/:unitId/roles/:personId',
    { schema: { tags: ['units'], params: Type.Object({ unitId: IdParam, personId: IdParam }), response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors } } },
    async (request) => {
      revokeRole(app.db, requireCoordinator(request), request.params.unitId, request.params.personId, now());
      return { removed: true };
    },
  );
};

export default unitRoutes;
