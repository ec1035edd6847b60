// Person-shift statistics (人次 and 人数) as JSON, CSV or XLSX.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GROUP_BYS } from '../../domain/person-shifts.js';
import { UNIT_KINDS } from '../../domain/types.js';
import { personShiftReport } from '../../services/stats.js';
import { requireReader, scopeOfRequest } from '../auth.js';
import { DateString, IdParam, errors } from '../schemas.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Hours = {
  minutes: Type.Integer({ description: 'Service time in whole minutes (check-in to check-out where both exist, else the shift\'s length); adds up over rows' }),
  hours: Type.Number({ description: 'minutes / 60, to two decimal places' }),
};
const Row = Type.Object({ key: Type.String(), label: Type.String(), personShifts: Type.Integer(), people: Type.Integer(), ...Hours });

function wants(accept: string | undefined, format: string | undefined): 'json' | 'csv' | 'xlsx' {
  if (format === 'csv' || format === 'xlsx' || format === 'json') return format;
  if (accept?.includes('text/csv')) return 'csv';
  if (accept?.includes(XLSX)) return 'xlsx';
  return 'json';
}

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats/person-shifts',
    {
      schema: {
        tags: ['stats'],
        description:
          'Person-shifts (人次) and distinct people (人数) grouped by person, team (home team), rota, month, or unit (`groupBy=unit&level=community&unitId=<street>`: one row per unit of that level in the street, counted by the rota\'s unit; a person in two rows is one person in the total). `Accept: text/csv` or `format=csv` for CSV (UTF-8 with BOM), ' +
          `\`Accept: ${XLSX}\` or \`format=xlsx\` for Excel. Headers follow \`lang\`, else the requester's language.`,
        querystring: Type.Object(
          {
            groupBy: Type.Union(GROUP_BYS.map((g) => Type.Literal(g))),
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            rotaId: Type.Optional(IdParam),
            teamId: Type.Optional(IdParam),
            level: Type.Optional(Type.Union(UNIT_KINDS.map((k) => Type.Literal(k)), { description: 'groupBy=unit: the kind of unit each row is' })),
            unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'groupBy=unit: the unit the rows lie in; otherwise only rotas of this unit and the units below it' })),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')])),
            lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            content: {
              'application/json': {
                schema: Type.Object({
                  groupBy: Type.String(),
                  from: Type.String(),
                  to: Type.String(),
                  rows: Type.Array(Row),
                  total: Type.Object({ personShifts: Type.Integer(), people: Type.Integer(), ...Hours }),
                }),
              },
              'text/csv': { schema: Type.String() },
              [XLSX]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = requireReader(request);
      const { format, lang, ...query } = request.query;
      const locale = lang ?? actor.locale;
      const as = wants(request.headers.accept, format);
      const { table, body } = await personShiftReport(app.db, { ...query, unitIds: scopeOfRequest(request).reads }, app.config.now(), as, locale);
      if (as === 'json') return table;
      const name = `person-shifts-${table.groupBy}-${table.from}-${table.to}`;
      if (as === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(body!);
      }
      return reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(body!);
    },
  );
};

export default statsRoutes;
