// Shifts: computed from the series, listed for a window with their fill.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { editShift } from '../../services/schedule.js';
import { LISTING_LIMIT, getShift, listShifts } from '../../services/shifts.js';
import { actorOf, requireCoordinator, scopeOfRequest } from '../auth.js';
import { AffectedMode, AffectedSignupSchema, DateString, IdParam, Nullable, ShiftSchema, Text, WarningSchema, errors, shiftOut, shiftOutOf } from '../schemas.js';

const Params = Type.Object({ shiftId: Type.String({ minLength: 1, maxLength: 40 }) });

const shiftRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();
  /**
   * The answer to each kept one-rota listing asked for again, as UTF-8 bytes (half the size of the
   * text, whose Chinese names make every character two bytes wide), dropped with the listing.
   * Bytes are made on a listing's second use, not its first: a listing asked for once before it
   * drops out of the cache (a morning rush over 500 rotas' fortnights, more than the cache holds)
   * would only add its bytes to the service's memory (~17 KB a rota; bench/, issue 12).
   */
  const answers = new WeakMap<object, Buffer>();
  const usedOnce = new WeakSet<object>();

  app.get(
    '/shifts',
    {
      schema: {
        tags: ['shifts'],
        description: 'Shifts whose local date (in their rota\'s zone) lies in [from, to], at most 366 days and 5,000 shifts (else 400 RANGE_TOO_LONG). Default: today and the next 13 days.',
        querystring: Type.Object({ rotaId: Type.Optional(IdParam), from: Type.Optional(DateString), to: Type.Optional(DateString) }, { additionalProperties: false }),
        response: { 200: Type.Object({ shifts: Type.Array(ShiftSchema), warnings: Type.Array(WarningSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      actorOf(request);
      const { shifts, warnings, kept } = listShifts(app.db, { ...request.query, unitIds: scopeOfRequest(request).sees, maxShifts: LISTING_LIMIT }, now());
      if (!kept) return { shifts: shifts.map(shiftOut), warnings };
      // One rota's kept listing is answered from shift answers made for it alone (the kept bytes
      // say all they would); from its second use on, with the bytes made for it then.
      let body = answers.get(kept);
      if (body === undefined) {
        const answer = { shifts: shifts.map((v) => shiftOutOf(v)), warnings };
        if (!usedOnce.has(kept)) {
          usedOnce.add(kept);
          return answer;
        }
        answers.set(kept, (body = Buffer.from(reply.serialize(answer) as string)));
      }
      // Bytes with a JSON type are sent as they are, past the route's typed (object) answer.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );

  app.get('/shifts/:shiftId', { schema: { tags: ['shifts'], params: Params, response: { 200: ShiftSchema, ...errors } } }, async (request) => {
    actorOf(request);
    return shiftOut(getShift(app.db, request.params.shiftId));
  });

  app.patch(
    '/shifts/:shiftId',
    {
      schema: {
        tags: ['shifts'],
        description: '"This shift only": cancel, move (start is a local time YYYY-MM-DDTHH:MM), or change capacity or length. The shift keeps its id.',
        params: Params,
        body: Type.Object(
          {
            cancelled: Type.Optional(Type.Boolean()),
            start: Type.Optional(Type.String({ maxLength: 16 })),
            durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
            minVolunteers: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            maxVolunteers: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            note: Type.Optional(Nullable(Text)),
            affectedSignups: Type.Optional(AffectedMode),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ shift: ShiftSchema, affectedSignups: Type.Array(AffectedSignupSchema) }), ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      const { affected } = editShift(app.db, actor, request.params.shiftId, request.body, now());
      return { shift: shiftOut(getShift(app.db, request.params.shiftId)), affectedSignups: affected };
    },
  );
};

export default shiftRoutes;
