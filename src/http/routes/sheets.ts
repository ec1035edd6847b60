// Duty sheets: a rota's week or month as dates × posts with names, to print, open in Excel, or
// paste into a chat group.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { renderSheet } from '../../services/sheets.js';
import { actorOf } from '../auth.js';
import { DateString, IdParam, errors } from '../schemas.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The page has no scripts and loads nothing: styles inline, nothing else.
const SHEET_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const sheetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/rotas/:rotaId/sheet',
    {
      schema: {
        tags: ['sheets'],
        description:
          'The duty sheet of a rota for local dates [from, to] (default: this week, Monday to Sunday): one row per date and start time, one column per post (series), ' +
          'with the names on each shift and what is still missing. `format=html` (default) is a self-contained, script-free page ready to print — fetch it with the ' +
          'bearer token and open it in a new window (e.g. as a blob: URL); `xlsx` is an Excel workbook set up for A4; `text` is plain text for a chat group. ' +
          "Words and dates follow `lang`, else the requester's language.",
        params: Type.Object({ rotaId: IdParam }),
        querystring: Type.Object(
          {
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('xlsx'), Type.Literal('text')])),
            lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            content: {
              'text/html': { schema: Type.String() },
              'text/plain': { schema: Type.String() },
              [XLSX]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { format = 'html', lang, from, to } = request.query;
      const sheet = await renderSheet(app.db, request.params.rotaId, { from, to }, lang ?? actor.locale, app.config.now(), format);
      const name = `duty-sheet-${sheet.rotaId}-${sheet.from}-${sheet.to}`;
      // Names of people: not for shared caches.
      reply.header('cache-control', 'private, no-store');
      if (format === 'text') return reply.type('text/plain; charset=utf-8').send(sheet.body);
      if (format === 'xlsx') {
        return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(sheet.body);
      }
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', SHEET_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `inline; filename="${name}.html"`)
        .send(sheet.body);
    },
  );
};

export default sheetRoutes;
