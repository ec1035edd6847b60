// The desk at each level (issue 13, item 4): a street's or district's overview of the units below it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { formatInstant } from '../../domain/time.js';
import { unitOverview } from '../../services/unit-overview.js';
import { scopeOfRequest } from '../auth.js';
import { IdParam, Nullable, errors } from '../schemas.js';

const Kind = Type.Union([Type.Literal('district'), Type.Literal('street'), Type.Literal('community'), Type.Literal('estate'), Type.Literal('building')]);
const UnitSchema = Type.Object({ id: Type.Integer(), name: Type.String(), kind: Kind, parentId: Nullable(Type.Integer()) });
const Figures = {
  personShifts: Type.Integer({ description: 'Person-shifts (人次) this month' }),
  people: Type.Integer({ description: 'Distinct people (人数) this month' }),
  filledShare: Nullable(Type.Number({ description: 'Places filled up to each shift\'s minimum over places needed, this month (0–1); null without shifts' })),
  gaps: Type.Integer({ description: 'Shifts still to come this week below their minimum' }),
};

const overviewUnitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/overview/units/:unitId',
    {
      schema: {
        tags: ['units'],
        description:
          'A unit at a glance, for its coordinators and viewers: one row per unit of `level` (default community) below it with this month\'s person-shifts, people, ' +
          'filled share and this week\'s gaps (rotas of the unit above that level form a row with `unitId: null`, so person-shifts and gaps add up to `total`); ' +
          'its person-shifts by month over twelve months; its rotas; and its gaps this week. Outside the caller\'s reach: 404.',
        params: Type.Object({ unitId: IdParam }),
        querystring: Type.Object({ level: Type.Optional(Kind) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            unit: UnitSchema,
            level: Kind,
            month: Type.String(),
            week: Type.Object({ from: Type.String(), to: Type.String() }),
            rows: Type.Array(Type.Object({ unitId: Nullable(Type.Integer()), name: Nullable(Type.String()), ...Figures })),
            total: Type.Object(Figures),
            months: Type.Array(Type.Object({ month: Type.String(), personShifts: Type.Integer(), people: Type.Integer() })),
            rotas: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), location: Nullable(Type.String()), unitId: Nullable(Type.Integer()) })),
            gaps: Type.Array(
              Type.Object({ shiftId: Type.String(), rotaId: Type.Integer(), rotaName: Type.String(), start: Type.String(), end: Type.String(), timezone: Type.String(), label: Nullable(Type.String()), missing: Type.Integer() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const scope = scopeOfRequest(request);
      const { gapList, ...overview } = unitOverview(app.db, scope, { unitId: request.params.unitId, ...(request.query.level ? { level: request.query.level } : {}) }, app.config.now());
      return { ...overview, gaps: gapList.map(({ start, end, ...g }) => ({ ...g, start: formatInstant(start, g.timezone), end: formatInstant(end, g.timezone) })) };
    },
  );
};

export default overviewUnitRoutes;
