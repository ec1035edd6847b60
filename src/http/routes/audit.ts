// The audit log, for coordinators: who did what to which sign-up, offer, trade or other record, and when.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAudit } from '../../services/audit.js';
import { requireReader, scopeOfRequest } from '../auth.js';
import { IdParam, Nullable, errors } from '../schemas.js';

const EntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO 8601 in UTC' }),
  actorId: Nullable(Type.Integer()),
  action: Type.String({ examples: ['signup.create', 'signup.cancel', 'signup.promote', 'offer.claim', 'trade.accept'] }),
  entity: Type.String({ examples: ['signup', 'offer', 'trade', 'unavailability', 'person', 'rota', 'series', 'shift'] }),
  entityId: Type.String(),
  detail: Type.Object({}, { additionalProperties: true }),
});

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        description: 'Audit entries, newest first, optionally for one entity (`entity=signup&entityId=12`). Page back with `before` (an entry id).',
        querystring: Type.Object(
          {
            entity: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            before: Type.Optional(IdParam),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(EntrySchema) }), ...errors },
      },
    },
    async (request) => {
      requireReader(request);
      const { entity, entityId, before, limit } = request.query;
      return { entries: listAudit(app.db, { unitIds: scopeOfRequest(request).reads, ...(entity ? { entity } : {}), ...(entityId ? { entityId } : {}), ...(before ? { before } : {}), limit: limit ?? 100 }) };
    },
  );
};

export default auditRoutes;
