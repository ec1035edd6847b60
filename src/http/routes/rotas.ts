// Rotas and their series: define once, edit this shift or this and all future, end.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { formatDate, localToday } from '../../domain/time.js';
import { listRotas, listSeries, requireRota, requireSeries, rotaTeamIds, seriesWarnings } from '../../services/rotas.js';
import { archiveRota, createRota, createSeries, editSeries, rotateRotaFeed, updateRota } from '../../services/schedule.js';
import { actorOf, requireCoordinator, scopeOfRequest } from '../auth.js';
import { AffectedMode, AffectedSignupSchema, DateString, IdParam, Name, Nullable, RotaSchema, SeriesSchema, Text, errors, rotaOut, seriesOut } from '../schemas.js';
import type { SeriesRecord } from '../../domain/types.js';

const Params = Type.Object({ id: IdParam });
const RotaParams = Type.Object({ rotaId: IdParam });

const RotaFields = {
  location: Type.Optional(Nullable(Text)),
  description: Type.Optional(Nullable(Text)),
  waitlist: Type.Optional(Type.Boolean()),
  countUnmarked: Type.Optional(Type.Boolean()),
  cancelClosesHoursBefore: Type.Optional(Type.Integer({ minimum: 0, maximum: 336 })),
  requireApproval: Type.Optional(Type.Boolean()),
  teamIds: Type.Optional(Type.Array(IdParam, { maxItems: 1000 })),
  contactPersonId: Type.Optional(Nullable(IdParam)),
};

const Rule = {
  rrule: Type.String({ minLength: 1, maxLength: 500, examples: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'] }),
  startTime: Type.String({ minLength: 1, maxLength: 5, examples: ['07:15'] }),
  durationMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
  minVolunteers: Type.Integer({ minimum: 0, maximum: 1000 }),
  maxVolunteers: Type.Integer({ minimum: 1, maximum: 1000 }),
};
const CalendarIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 });

const rotaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();
  const out = (s: SeriesRecord) => seriesOut(s, seriesWarnings(s, now()), formatDate(localToday(now(), s.timezone)));

  app.post(
    '/rotas',
    {
      schema: {
        tags: ['rotas'],
        body: Type.Object({ name: Name, timezone: Type.String({ minLength: 1, maxLength: 64, examples: ['Asia/Shanghai'] }), unitId: Type.Optional(IdParam), ...RotaFields }, { additionalProperties: false }),
        response: { 201: RotaSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      const rota = createRota(app.db, actor, request.body, now());
      return reply.status(201).send(rotaOut(app.config, rota, rotaTeamIds(app.db, rota.id)));
    },
  );

  app.get(
    '/rotas',
    {
      schema: {
        tags: ['rotas'],
        querystring: Type.Object({ includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ rotas: Type.Array(RotaSchema) }), ...errors },
      },
    },
    async (request) => {
      actorOf(request);
      return { rotas: listRotas(app.db, request.query.includeArchived ?? false, scopeOfRequest(request).sees).map((r) => rotaOut(app.config, r, rotaTeamIds(app.db, r.id))) };
    },
  );

  app.get('/rotas/:id', { schema: { tags: ['rotas'], params: Params, response: { 200: RotaSchema, ...errors } } }, async (request) => {
    actorOf(request);
    const rota = requireRota(app.db, request.params.id);
    return rotaOut(app.config, rota, rotaTeamIds(app.db, rota.id));
  });

  app.patch(
    '/rotas/:id',
    { schema: { tags: ['rotas'], params: Params, body: Type.Object({ name: Type.Optional(Name), ...RotaFields }, { additionalProperties: false }), response: { 200: RotaSchema, ...errors } } },
    async (request) => {
      const actor = requireCoordinator(request);
      const rota = updateRota(app.db, actor, request.params.id, request.body, now());
      return rotaOut(app.config, rota, rotaTeamIds(app.db, rota.id));
    },
  );

  app.delete('/rotas/:id', { schema: { tags: ['rotas'], params: Params, response: { 200: RotaSchema, ...errors } } }, async (request) => {
    const actor = requireCoordinator(request);
    const rota = archiveRota(app.db, actor, request.params.id, now());
    return rotaOut(app.config, rota, rotaTeamIds(app.db, rota.id));
  });

  app.post('/rotas/:id/feed-token', { schema: { tags: ['rotas'], params: Params, response: { 201: RotaSchema, ...errors } } }, async (request, reply) => {
    const actor = requireCoordinator(request);
    const rota = rotateRotaFeed(app.db, actor, request.params.id, now());
    return reply.status(201).send(rotaOut(app.config, rota, rotaTeamIds(app.db, rota.id)));
  });

  app.post(
    '/rotas/:rotaId/series',
    {
      schema: {
        tags: ['series'],
        params: RotaParams,
        body: Type.Object(
          { ...Rule, startDate: DateString, dayCalendarIds: Type.Optional(CalendarIds), label: Type.Optional(Nullable(Name)), endDate: Type.Optional(Nullable(DateString)) },
          { additionalProperties: false },
        ),
        response: { 201: SeriesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      return reply.status(201).send(out(createSeries(app.db, actor, request.params.rotaId, request.body, now())));
    },
  );

  app.get(
    '/rotas/:rotaId/series',
    { schema: { tags: ['series'], params: RotaParams, response: { 200: Type.Object({ series: Type.Array(SeriesSchema) }), ...errors } } },
    async (request) => {
      actorOf(request);
      return { series: listSeries(app.db, request.params.rotaId).map(out) };
    },
  );

  app.get('/series/:id', { schema: { tags: ['series'], params: Params, response: { 200: SeriesSchema, ...errors } } }, async (request) => {
    actorOf(request);
    return out(requireSeries(app.db, request.params.id));
  });

  app.patch(
    '/series/:id',
    {
      schema: {
        tags: ['series'],
        description:
          'Edits "this and all future": the rule changes from `from` (default today in the rota\'s zone) on; earlier shifts keep theirs. ' +
          'Set endDate to end the series. Sign-ups on shifts the change removes or moves are listed (409 SIGNUPS_AFFECTED) unless affectedSignups says what to do.',
        params: Params,
        body: Type.Object(
          {
            from: Type.Optional(DateString),
            ...Type.Partial(Type.Object(Rule)).properties,
            dayCalendarIds: Type.Optional(CalendarIds),
            label: Type.Optional(Nullable(Name)),
            endDate: Type.Optional(Nullable(DateString)),
            affectedSignups: Type.Optional(AffectedMode),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ series: SeriesSchema, affectedSignups: Type.Array(AffectedSignupSchema) }), ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      const result = editSeries(app.db, actor, request.params.id, request.body, now());
      return { series: out(result.series), affectedSignups: result.affected };
    },
  );
};

export default rotaRoutes;
