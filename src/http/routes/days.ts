// Whole days: cancel every shift on a date (a typhoon or rainstorm warning), for one rota or all.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { cancelDay } from '../../services/days.js';
import { requireCoordinator, scopeOfRequest } from '../auth.js';
import { AffectedSignupSchema, DateString, IdParam, Nullable, ShiftSchema, Text, errors, shiftOut } from '../schemas.js';

const dayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/days/:date/cancel',
    {
      schema: {
        tags: ['shifts'],
        description:
          'Cancels every shift still to come on a local date (each rota\'s own zone), of one rota or of all, in one transaction. ' +
          'The people on them are cancelled with their shift (their sign-ups stay recorded as cancelled, and their calendars show the shift as cancelled) ' +
          'and listed in `affectedSignups`. Shifts already over are left as they were. 404 when the date has no shift, 409 PAST when all are over.',
        params: Type.Object({ date: DateString }),
        body: Type.Object({ rotaId: Type.Optional(IdParam), note: Type.Optional(Nullable(Text)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ date: Type.String(), shifts: Type.Array(ShiftSchema), affectedSignups: Type.Array(AffectedSignupSchema) }), ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      const result = cancelDay(app.db, actor, { date: request.params.date, ...request.body, unitIds: scopeOfRequest(request).manages }, app.config.now());
      return { date: result.date, shifts: result.shifts.map(shiftOut), affectedSignups: result.affected };
    },
  );
};

export default dayRoutes;
