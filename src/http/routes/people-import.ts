// Bulk import of people from a pasted list or a CSV file: a preview, then everyone at once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { importPeople } from '../../services/people-import.js';
import { requireCoordinator, scopeOfRequest } from '../auth.js';
import { accessUrl } from '../links.js';
import { IdParam, Nullable, errors } from '../schemas.js';

const ImportedSchema = Type.Object({
  line: Type.Integer({ description: 'The line of the text this person came from' }),
  name: Type.String(),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  team: Nullable(Type.String()),
  locale: Nullable(Type.String()),
  teamId: Nullable(Type.Integer({ description: 'null while a new team is only planned, or when no team was given' })),
  newTeam: Type.Boolean({ description: 'The team is created by this import' }),
  sameNameExists: Type.Boolean({ description: 'Someone active already has this name (check it is not the same person)' }),
  id: Nullable(Type.Integer({ description: 'The new person, once imported' })),
  accessToken: Nullable(Type.String()),
  accessUrl: Nullable(Type.String({ description: 'The personal link, shown only in this answer' })),
});

const peopleImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/people/import',
    {
      schema: {
        tags: ['people'],
        description:
          'Creates many people at once from `text`: a pasted list (one name a line, optionally ", phone" and ", team name") or a CSV file whose header names ' +
          'the columns name, phone, email, team, locale (UTF-8, with or without a byte-order mark). Teams are matched by name and created when missing. ' +
          '`dryRun: true` answers the preview and changes nothing. When any row is bad nothing is imported: 400 VALIDATION with `problems: [{ line, message }]`. ' +
          'Otherwise everyone is created in one transaction (201) and the answer holds each personal link, shown only here. ' +
          'Everyone lands in the unit `unitId` (one the caller coordinates; default: the first unit they coordinate), and teams are matched and created in that unit.',
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 500_000 }), dryRun: Type.Optional(Type.Boolean()), unitId: Type.Optional(IdParam) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ dryRun: Type.Boolean(), unitId: Type.Integer(), format: Type.String({ description: 'list or csv' }), people: Type.Array(ImportedSchema), newTeams: Type.Array(Type.String()) }),
          201: Type.Object({ dryRun: Type.Boolean(), unitId: Type.Integer(), format: Type.String(), people: Type.Array(ImportedSchema), newTeams: Type.Array(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      const result = importPeople(app.db, actor, { ...request.body, readable: scopeOfRequest(request).reads }, app.config.now());
      const people = result.people.map(({ personId, accessToken, ...p }) => ({ ...p, id: personId, accessToken, accessUrl: accessToken ? accessUrl(app.config, accessToken) : null }));
      return reply.status(result.dryRun ? 200 : 201).send({ ...result, people });
    },
  );
};

export default peopleImportRoutes;
