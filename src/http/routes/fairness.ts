// Filling gaps fairly: gaps, ranked candidates, auto-fill, and a person's preferences and limits.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { MAX_PER_MONTH, MAX_PER_WEEK } from '../../domain/fairness.js';
import { formatInstant } from '../../domain/time.js';
import {
  autofill,
  describeReasons,
  describeRefusal,
  getPreferences,
  listGaps,
  setPreferences,
  shiftCandidates,
  type AutofillResult,
  type PlacedAssignment,
} from '../../services/fairness.js';
import { actorOf, requireCoordinator, requireReader, requireSelfOrCoordinator, requireSelfOrReader, scopeOfRequest } from '../auth.js';
import { DateString, IdParam, Nullable, ShiftSchema, errors, shiftOut } from '../schemas.js';
import type { Locale } from '../../domain/types.js';

const Lang = Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'Language of the worded reasons; default the requester\'s' }));

const ReasonSchema = Type.Object(
  {
    code: Type.String({ description: 'LOAD, LAST_DUTY, NO_EARLIER_DUTY, PREFERS_WEEKDAY, OTHER_WEEKDAYS, PREFERS_TIME, OTHER_TIMES, WEEK_LIMIT or MONTH_LIMIT' }),
    count: Type.Optional(Type.Integer()),
    weeks: Type.Optional(Type.Integer()),
    days: Type.Optional(Type.Integer()),
    weekday: Type.Optional(Type.Integer()),
    weekdays: Type.Optional(Type.Array(Type.Integer())),
    time: Type.Optional(Type.String()),
    times: Type.Optional(Type.Array(Type.String())),
    max: Type.Optional(Type.Integer()),
  },
  { description: 'A reason as data: a code and its numbers' },
);

const Standing = {
  personId: Type.Integer(),
  personName: Type.String(),
  load: Type.Integer({ description: 'Confirmed or attended sign-ups within 4 weeks before or after the shift' }),
  lastDutyDays: Nullable(Type.Integer({ description: 'Days from the latest earlier duty to the shift' })),
  preferenceMatches: Type.Integer(),
  reasons: Type.Array(ReasonSchema),
  reasonText: Type.String({ description: 'The reasons in words, in the requested language' }),
};

const Spread = Type.Object({
  people: Type.Integer(),
  personShifts: Type.Integer(),
  min: Type.Integer(),
  max: Type.Integer(),
  spread: Type.Integer({ description: 'max − min' }),
  stdDev: Type.Number(),
});

const AssignmentSchema = Type.Object({
  shiftId: Type.String(),
  start: Type.String(),
  localDate: Type.String(),
  label: Nullable(Type.String()),
  ...Standing,
  signupId: Nullable(Type.Integer({ description: 'The sign-up written, once applied' })),
});

const AutofillSchema = Type.Object({
  proposalId: Type.String(),
  rotaId: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  target: Type.String(),
  applied: Type.Boolean(),
  assignments: Type.Array(AssignmentSchema),
  skipped: Type.Array(
    Type.Object({ shiftId: Type.String(), start: Type.String(), personId: Type.Integer(), personName: Type.String(), code: Type.String(), reasonText: Type.String() }),
  ),
  unfilled: Type.Array(Type.Object({ shiftId: Type.String(), start: Type.String(), label: Nullable(Type.String()), missing: Type.Integer() })),
  fairness: Type.Object({ before: Spread, after: Spread }, { description: 'Spread of person-shifts on this rota in the period among the people who could serve' }),
});

// The limits' ranges are checked by the domain, not here: with the app's type coercion, a
// nullable integer with a minimum of 1 would silently read 0 as null ("no limit").
const PreferencesSchema = Type.Object(
  {
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, description: '1 = Monday … 7 = Sunday' }),
    times: Type.Array(Type.String({ pattern: '^\\d{2}:\\d{2}$' }), { maxItems: 24, description: 'Preferred local start times, HH:MM' }),
    maxPerWeek: Nullable(Type.Integer({ description: `At most this many shifts a week (1–${MAX_PER_WEEK}); null for no limit` })),
    maxPerMonth: Nullable(Type.Integer({ description: `At most this many shifts a month (1–${MAX_PER_MONTH}); null for no limit` })),
  },
  { additionalProperties: false },
);

function assignmentOut(a: PlacedAssignment, locale: Locale): Static<typeof AssignmentSchema> {
  return {
    shiftId: a.shiftId,
    start: formatInstant(a.start, a.timezone),
    localDate: a.localDate,
    label: a.label,
    personId: a.personId,
    personName: a.name,
    load: a.load,
    lastDutyDays: a.lastDutyDays,
    preferenceMatches: a.preferenceMatches,
    reasons: a.reasons,
    reasonText: describeReasons(a.reasons, locale),
    signupId: a.signupId,
  };
}

function autofillOut(r: AutofillResult, locale: Locale): Static<typeof AutofillSchema> {
  return {
    proposalId: r.proposalId,
    rotaId: r.rotaId,
    from: r.from,
    to: r.to,
    target: r.target,
    applied: r.applied,
    assignments: r.assignments.map((a) => assignmentOut(a, locale)),
    skipped: r.skipped.map(({ assignment: a, refusal }) => ({
      shiftId: a.shiftId,
      start: formatInstant(a.start, a.timezone),
      personId: a.personId,
      personName: a.name,
      code: refusal.code,
      reasonText: describeRefusal(refusal, locale),
    })),
    unfilled: r.unfilled.map((u) => ({ shiftId: u.shiftId, start: formatInstant(u.start, u.timezone), label: u.label, missing: u.missing })),
    fairness: r.fairness,
  };
}

const fairnessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();
  app.get(
    '/gaps',
    {
      schema: {
        tags: ['fairness'],
        description: 'Shifts still to come that are below their minimum, most urgent first (soonest, then most missing), with who is on them. Default window: today and the next 13 days.',
        querystring: Type.Object({ rotaId: Type.Optional(IdParam), from: Type.Optional(DateString), to: Type.Optional(DateString) }, { additionalProperties: false }),
        response: { 200: Type.Object({ gaps: Type.Array(Type.Object({ ...ShiftSchema.properties, missing: Type.Integer() })) }), ...errors },
      },
    },
    async (request) => {
      actorOf(request);
      return { gaps: listGaps(app.db, { ...request.query, unitIds: scopeOfRequest(request).sees }, now()).map((g) => ({ ...shiftOut(g.view), missing: g.missing })) };
    },
  );

  app.get(
    '/shifts/:shiftId/candidates',
    {
      schema: {
        tags: ['fairness'],
        description:
          'People who may take the shift (not away, free then, within their limits, in the rota\'s teams), ranked by load (sign-ups within 4 weeks either side), ' +
          'then longest since their last duty, then preferences matched, then id; each with the reasons as data and in words. `excluded` lists who is away, busy or at a limit.',
        params: Type.Object({ shiftId: Type.String({ minLength: 1, maxLength: 40 }) }),
        querystring: Type.Object({ lang: Lang }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            shift: ShiftSchema,
            candidates: Type.Array(Type.Object({ rank: Type.Integer(), ...Standing })),
            excluded: Type.Array(Type.Object({ personId: Type.Integer(), personName: Type.String(), code: Type.String(), reasonText: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const actor = requireReader(request);
      const result = shiftCandidates(app.db, request.params.shiftId, request.query.lang ?? actor.locale);
      return {
        shift: shiftOut(result.view),
        candidates: result.candidates.map(({ name, ...c }) => ({ ...c, personName: name })),
        excluded: result.excluded.map(({ name, ...e }) => ({ ...e, personName: name })),
      };
    },
  );

  app.post(
    '/rotas/:rotaId/autofill',
    {
      schema: {
        tags: ['fairness'],
        description:
          'Fills the rota\'s shifts still to come in [from, to] up to their minimum (or maximum with target "max"), fairly and without breaking a rule. ' +
          '`dryRun: true` answers a proposal; `{ proposalId }` applies exactly that proposal, skipping shifts that changed since (listed in `skipped`); ' +
          'with neither, it plans and applies at once.',
        params: Type.Object({ rotaId: IdParam }),
        querystring: Type.Object({ lang: Lang }, { additionalProperties: false }),
        body: Type.Object(
          {
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            dryRun: Type.Optional(Type.Boolean()),
            target: Type.Optional(Type.Union([Type.Literal('min'), Type.Literal('max')])),
            proposalId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: AutofillSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      const result = await autofill(app.db, actor, request.params.rotaId, request.body, now());
      return autofillOut(result, request.query.lang ?? actor.locale);
    },
  );

  const PersonParams = Type.Object({ id: IdParam });

  app.get(
    '/people/:id/preferences',
    { schema: { tags: ['people'], description: 'Preferred weekdays and start times, and limits per week and month.', params: PersonParams, response: { 200: PreferencesSchema, ...errors } } },
    async (request) => {
      requireSelfOrReader(request, request.params.id);
      return getPreferences(app.db, request.params.id);
    },
  );

  app.put(
    '/people/:id/preferences',
    {
      schema: {
        tags: ['people'],
        description: 'Replaces the preferences (the person or a coordinator). Left-out fields are cleared.',
        params: PersonParams,
        body: Type.Partial(PreferencesSchema, { additionalProperties: false }),
        response: { 200: PreferencesSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireSelfOrCoordinator(request, request.params.id);
      return setPreferences(app.db, actor, request.params.id, request.body, now());
    },
  );
};

export default fairnessRoutes;
