// Teams: a building's captains, a school's parent group.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { archiveTeam, createTeam, listTeams, requireTeam, rotateTeamFeed, updateTeam } from '../../services/people.js';
import { actorOf, requireCoordinator, requireReader, scopeOfRequest } from '../auth.js';
import { IdParam, Name, TeamSchema, errors, teamOut } from '../schemas.js';

const Params = Type.Object({ id: IdParam });
const Ids = Type.Array(IdParam, { maxItems: 1000 });

const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.post(
    '/teams',
    { schema: { tags: ['teams'], body: Type.Object({ name: Name, memberIds: Type.Optional(Ids), unitId: Type.Optional(IdParam) }, { additionalProperties: false }), response: { 201: TeamSchema, ...errors } } },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      return reply.status(201).send(teamOut(app.config, createTeam(app.db, actor, request.body, now())));
    },
  );

  app.get(
    '/teams',
    {
      schema: {
        tags: ['teams'],
        querystring: Type.Object({ includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ teams: Type.Array(TeamSchema) }), ...errors },
      },
    },
    async (request) => {
      requireReader(request);
      return { teams: listTeams(app.db, request.query.includeArchived ?? false, scopeOfRequest(request).reads).map((t) => teamOut(app.config, t)) };
    },
  );

  app.get('/teams/:id', { schema: { tags: ['teams'], params: Params, response: { 200: TeamSchema, ...errors } } }, async (request) => {
    const actor = actorOf(request);
    const team = requireTeam(app.db, request.params.id);
    if (!actor.teamIds.includes(team.id)) requireReader(request);
    return teamOut(app.config, team);
  });

  app.patch(
    '/teams/:id',
    {
      schema: {
        tags: ['teams'],
        params: Params,
        body: Type.Object({ name: Type.Optional(Name), addMemberIds: Type.Optional(Ids), removeMemberIds: Type.Optional(Ids) }, { additionalProperties: false }),
        response: { 200: TeamSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      return teamOut(app.config, updateTeam(app.db, actor, request.params.id, request.body, now()));
    },
  );

  app.delete('/teams/:id', { schema: { tags: ['teams'], params: Params, response: { 200: TeamSchema, ...errors } } }, async (request) => {
    const actor = requireCoordinator(request);
    return teamOut(app.config, archiveTeam(app.db, actor, request.params.id, now()));
  });

  app.post('/teams/:id/feed-token', { schema: { tags: ['teams'], params: Params, response: { 201: TeamSchema, ...errors } } }, async (request, reply) => {
    const actor = requireCoordinator(request);
    return reply.status(201).send(teamOut(app.config, rotateTeamFeed(app.db, actor, request.params.id, now())));
  });
};

export default teamRoutes;
