// Day calendars: the built-in cn-mainland holidays, and a community's or school's own days.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createCalendar, getCalendar, listCalendars, putDays, removeDays } from '../../services/calendars.js';
import { parseIcsDays } from '../../services/ics-import.js';
import { actorOf, requireCoordinator, scopeOfRequest } from '../auth.js';
import { AffectedMode, AffectedSignupSchema, DateString, IdParam, Name, Nullable, errors } from '../schemas.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Day = Type.Object({ date: Type.String(), kind: Type.String(), label: Nullable(Type.String()) });
const Summary = {
  id: Type.String(),
  name: Type.String(),
  readOnly: Type.Boolean(),
  years: Nullable(Type.Array(Type.Integer())),
  sources: Nullable(Type.Record(Type.String(), Type.String())),
  dayCount: Type.Integer(),
};
const CalendarSchema = Type.Object({ ...Summary, days: Type.Array(Day) });
const Changed = Type.Object({ dayCalendar: CalendarSchema, affectedSignups: Type.Array(AffectedSignupSchema) });
const ModeQuery = Type.Object({ affectedSignups: Type.Optional(AffectedMode) }, { additionalProperties: false });
const ICS_LIMIT = 5 * 1024 * 1024;

const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();
  // An import in progress stops at its next pause when the server begins to close.
  const closing = new AbortController();
  app.addHook('preClose', (done) => {
    closing.abort();
    done();
  });
  app.addContentTypeParser('text/calendar', { parseAs: 'string', bodyLimit: ICS_LIMIT }, (_request, body, done) => done(null, body));

  app.get('/day-calendars', { schema: { tags: ['calendars'], response: { 200: Type.Object({ dayCalendars: Type.Array(Type.Object(Summary)) }), ...errors } } }, async (request) => {
    actorOf(request);
    return { dayCalendars: listCalendars(app.db, scopeOfRequest(request).sees) };
  });

  app.post(
    '/day-calendars',
    { schema: { tags: ['calendars'], body: Type.Object({ name: Name, unitId: Type.Optional(IdParam) }, { additionalProperties: false }), response: { 201: CalendarSchema, ...errors } } },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      return reply.status(201).send(createCalendar(app.db, actor, request.body, now()));
    },
  );

  app.get('/day-calendars/:id', { schema: { tags: ['calendars'], params: Params, response: { 200: CalendarSchema, ...errors } } }, async (request) => {
    actorOf(request);
    return getCalendar(app.db, request.params.id);
  });

  app.post(
    '/day-calendars/:id/days',
    {
      schema: {
        tags: ['calendars'],
        description: 'Adds or replaces days: `closed` removes shifts of every series using this calendar, `open` adds one at the usual time.',
        params: Params,
        body: Type.Object(
          {
            days: Type.Array(
              Type.Object(
                { date: DateString, kind: Type.Union([Type.Literal('closed'), Type.Literal('open')]), label: Type.Optional(Nullable(Name)) },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 3660 },
            ),
            affectedSignups: Type.Optional(AffectedMode),
          },
          { additionalProperties: false },
        ),
        response: { 201: Changed, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      const { calendar, affected } = putDays(app.db, actor, request.params.id, request.body.days, request.body.affectedSignups, now());
      return reply.status(201).send({ dayCalendar: calendar, affectedSignups: affected });
    },
  );

  app.delete(
    '/day-calendars/:id/days/:date',
    {
      schema: {
        tags: ['calendars'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), date: DateString }),
        querystring: ModeQuery,
        response: { 200: Changed, ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      const { calendar, affected } = removeDays(app.db, actor, request.params.id, [request.params.date], request.query.affectedSignups, now());
      return { dayCalendar: calendar, affectedSignups: affected };
    },
  );

  app.post(
    '/day-calendars/:id/import',
    {
      bodyLimit: ICS_LIMIT,
      schema: {
        tags: ['calendars'],
        description: 'Send an .ics file (Content-Type: text/calendar): each all-day event closes its days. Timed events are listed as skipped.',
        params: Params,
        querystring: ModeQuery,
        response: { 201: Type.Object({ dayCalendar: CalendarSchema, imported: Type.Integer(), skipped: Type.Array(Type.String()), affectedSignups: Type.Array(AffectedSignupSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      const text = typeof request.body === 'string' ? request.body : '';
      const { days, skipped } = await parseIcsDays(text, closing.signal);
      const { calendar, affected } = putDays(app.db, actor, request.params.id, days, request.query.affectedSignups, now());
      return reply.status(201).send({ dayCalendar: calendar, imported: days.length, skipped, affectedSignups: affected });
    },
  );
};

export default calendarRoutes;
