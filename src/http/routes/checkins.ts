// Check-in at the post (issue 15): the poster and its code, the shift leader's rotating code, the
// rota's check-in settings, checking in and out, the desk's view of today and corrections.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { hashToken } from '../../services/tokens.js';
import { RotaError } from '../../domain/errors.js';
import { formatInstant } from '../../domain/time.js';
import {
  checkIn,
  checkinsToday,
  checkOut,
  correctCheckin,
  type CheckinRecord,
  getCheckinSettings,
  leaderCode,
  lookUpPost,
  posterFacts,
  replaceCode,
  seriesCode,
  updateCheckinSettings,
} from '../../services/checkins.js';
import { actorOf, requireCoordinator, requireReader, scopeOfRequest } from '../auth.js';
import { checkinUrl } from '../links.js';
import { posterHtml } from '../poster.js';
import { DateString, IdParam, Nullable, errors } from '../schemas.js';

const SeriesParams = Type.Object({ seriesId: IdParam });
const RotaParams = Type.Object({ rotaId: IdParam });
const SignupParams = Type.Object({ signupId: IdParam });
const Code = Type.String({ minLength: 16, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
const Instant = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$', description: 'ISO 8601 with offset' });
const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);

const CodeSchema = Type.Object({ code: Type.String(), url: Type.String({ description: 'The link the poster\'s QR code opens (the code in its fragment)' }) });

const SettingsFields = {
  windowMinutesBefore: Type.Integer({ minimum: 0, maximum: 720, description: 'The window opens this many minutes before a shift starts (default 30) and closes at its end' }),
  walkIns: Type.Boolean({ description: 'Someone not signed up is checked in as a walk-in (flagged) instead of NOT_SIGNED_UP' }),
  requireLeaderCode: Type.Boolean({ description: 'Check-in also needs the 6-digit code on the shift leader\'s phone' }),
  leaderIds: Type.Array(IdParam, { maxItems: 200, description: 'People besides coordinators whose phones show the leader code' }),
  latitude: Nullable(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Nullable(Type.Number({ minimum: -180, maximum: 180 })),
  radiusMetres: Type.Integer({ minimum: 10, maximum: 100_000, description: 'Check-ins farther than this from the post are flagged "far"' }),
};
const SettingsSchema = Type.Object(SettingsFields);

const CheckinSchema = Type.Object({
  signupId: Type.Integer(),
  shiftId: Type.String(),
  personId: Type.Integer(),
  personName: Type.String(),
  rotaId: Type.Integer(),
  status: Type.String(),
  attendance: Nullable(Type.String()),
  walkIn: Type.Boolean(),
  start: Type.String(),
  end: Type.String(),
  checkedInAt: Nullable(Type.String()),
  checkedOutAt: Nullable(Type.String()),
  distanceMetres: Nullable(Type.Integer({ description: 'How far from the post the phone was; the position itself is never stored' })),
  flags: Type.Array(Type.String({ description: 'walk-in, far (beyond the post\'s radius) or no-location' })),
});

function checkinOut(r: CheckinRecord): Static<typeof CheckinSchema> {
  const at = (ms: number | null) => (ms === null ? null : formatInstant(ms, r.timezone));
  return {
    signupId: r.id,
    shiftId: r.shiftId,
    personId: r.personId,
    personName: r.personName,
    rotaId: r.rotaId,
    status: r.status,
    attendance: r.attendance,
    walkIn: r.walkIn,
    start: formatInstant(r.startAt, r.timezone),
    end: formatInstant(r.endAt, r.timezone),
    checkedInAt: at(r.checkedInAt),
    checkedOutAt: at(r.checkedOutAt),
    distanceMetres: r.distanceMetres,
    flags: r.flags,
  };
}

/** Counts requests per key in fixed one-minute windows (one process; a restart forgets). */
function limiter(max: number) {
  const windows = new Map<string, { start: number; n: number }>();
  return (key: string, now: number): void => {
    if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= 60_000) windows.delete(k);
    const w = windows.get(key);
    if (!w || now - w.start >= 60_000) windows.set(key, { start: now, n: 1 });
    else if (++w.n > max) throw new RotaError('RATE_LIMITED', 'Too many check-in attempts; wait a minute and try again.');
  };
}

const checkinRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();
  // A person taps a few times at most; a whole gate of captains scans one code within minutes.
  const perPerson = limiter(10);
  const perCode = limiter(300);

  app.get(
    '/series/:seriesId/checkin',
    { schema: { tags: ['checkin'], description: 'The post\'s check-in code and the link its QR code opens (made on first use). Coordinators.', params: SeriesParams, response: { 200: CodeSchema, ...errors } } },
    async (request) => {
      const code = seriesCode(app.db, requireCoordinator(request), request.params.seriesId, now());
      return { code, url: checkinUrl(app.config, code) };
    },
  );

  app.post(
    '/series/:seriesId/checkin',
    {
      schema: {
        tags: ['checkin'],
        description: 'Replaces the post\'s code: printed posters and photos of them stop working; print the new poster. Coordinators.',
        params: SeriesParams,
        response: { 200: CodeSchema, ...errors },
      },
    },
    async (request) => {
      const code = replaceCode(app.db, requireCoordinator(request), request.params.seriesId, now());
      return { code, url: checkinUrl(app.config, code) };
    },
  );

  app.get(
    '/series/:seriesId/poster',
    {
      schema: {
        tags: ['checkin'],
        description: 'A printable poster (HTML with print CSS, one page of A4 or A5) with the QR code, the place, the time, one line of instructions and the link as text. Coordinators.',
        params: SeriesParams,
        querystring: Type.Object({ lang: Type.Optional(Language), size: Type.Optional(Type.Union([Type.Literal('a4'), Type.Literal('a5')])) }, { additionalProperties: false }),
        response: { 200: { content: { 'text/html': { schema: Type.String() } } }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireCoordinator(request);
      const facts = posterFacts(app.db, actor, request.params.seriesId, now());
      const html = await posterHtml({
        rota: facts.rota,
        series: facts.series,
        version: facts.version,
        url: checkinUrl(app.config, facts.code),
        windowMinutesBefore: facts.settings.windowMinutesBefore,
        locale: request.query.lang ?? actor.locale,
        size: request.query.size ?? 'a4',
      });
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
        .send(html);
    },
  );

  app.get(
    '/series/:seriesId/leader-code',
    {
      schema: {
        tags: ['checkin'],
        description: 'The 6-digit code for the shift leader\'s phone; it changes every 30 seconds and the previous one is still accepted. Coordinators and the rota\'s leaders.',
        params: SeriesParams,
        response: { 200: Type.Object({ code: Type.String(), validUntil: Type.String(), stepSeconds: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const r = leaderCode(app.db, actorOf(request), request.params.seriesId, now());
      return { code: r.code, validUntil: new Date(r.validUntil).toISOString(), stepSeconds: r.stepSeconds };
    },
  );

  app.get(
    '/rotas/:rotaId/checkin-settings',
    { schema: { tags: ['checkin'], description: 'How the rota\'s posts take check-ins. Coordinators and viewers.', params: RotaParams, response: { 200: SettingsSchema, ...errors } } },
    async (request) => {
      requireReader(request);
      return getCheckinSettings(app.db, request.params.rotaId);
    },
  );

  app.patch(
    '/rotas/:rotaId/checkin-settings',
    {
      schema: {
        tags: ['checkin'],
        description: 'Changes the rota\'s check-in settings (any subset). A post position needs both latitude and longitude. Coordinators.',
        params: RotaParams,
        body: Type.Partial(Type.Object(SettingsFields), { additionalProperties: false }),
        response: { 200: SettingsSchema, ...errors },
      },
    },
    async (request) => updateCheckinSettings(app.db, requireCoordinator(request), request.params.rotaId, request.body, now()),
  );

  app.post(
    '/checkins/lookup',
    {
      schema: {
        tags: ['checkin'],
        description: 'What the check-in page shows before the tap: the post, the shift whose window is open (or the next), and one\'s own state there.',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            rotaName: Type.String(),
            label: Nullable(Type.String()),
            location: Nullable(Type.String()),
            timezone: Type.String(),
            shift: Nullable(Type.Object({ id: Type.String(), start: Type.String(), end: Type.String() })),
            open: Type.Boolean(),
            opensAt: Nullable(Type.String()),
            requireLeaderCode: Type.Boolean(),
            wantsLocation: Type.Boolean(),
            isLeader: Type.Boolean(),
            seriesId: Nullable(Type.Integer({ description: 'Only for leaders, to fetch the leader code' })),
            mine: Nullable(CheckinSchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      perPerson(`p${actor.id}`, now().getTime());
      const v = lookUpPost(app.db, actor, request.body.code, now());
      const zone = v.rota.timezone;
      return {
        rotaName: v.rota.name,
        label: v.series.label,
        location: v.rota.location,
        timezone: zone,
        shift: v.shift ? { id: v.shift.id, start: formatInstant(v.shift.start, zone), end: formatInstant(v.shift.end, zone) } : null,
        open: v.open,
        opensAt: v.opensAt === null ? null : formatInstant(v.opensAt, zone),
        requireLeaderCode: v.settings.requireLeaderCode,
        wantsLocation: v.settings.latitude !== null,
        isLeader: v.isLeader,
        seriesId: v.isLeader ? v.series.id : null,
        mine: v.mine ? checkinOut(v.mine) : null,
      };
    },
  );

  app.post(
    '/checkins',
    {
      schema: {
        tags: ['checkin'],
        description:
          'Checks oneself in at a post with its code (from the poster\'s QR link), inside the window (default 30 minutes before the start until the end): ' +
          '201 with the sign-up now attended; a second check-in answers 200 with the same sign-up. 409 CHECKIN_WINDOW outside the window (the message says when it opens), ' +
          'NOT_SIGNED_UP where the rota takes no walk-ins, LEADER_CODE for a missing or wrong rotating code; 404 CHECKIN_CODE for a replaced code; 429 RATE_LIMITED. ' +
          '`location` is used only to store the distance from the post.',
        body: Type.Object(
          {
            code: Code,
            shiftId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            leaderCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
            location: Type.Optional(
              Type.Object(
                { latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }), accuracy: Type.Optional(Type.Number({ minimum: 0 })) },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: CheckinSchema, 201: CheckinSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const at = now().getTime();
      perPerson(`p${actor.id}`, at);
      perCode(`c${hashToken(request.body.code).slice(0, 32)}`, at);
      const { record, created } = checkIn(app.db, actor, request.body, now());
      return reply.status(created ? 201 : 200).send(checkinOut(record));
    },
  );

  app.post(
    '/checkins/:signupId/out',
    {
      schema: {
        tags: ['checkin'],
        description: 'Records the end of service on one\'s own checked-in sign-up (a coordinator may for anyone); a second call changes nothing.',
        params: SignupParams,
        response: { 200: CheckinSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      perPerson(`p${actor.id}`, now().getTime());
      return checkinOut(checkOut(app.db, actor, request.params.signupId, now()));
    },
  );

  app.patch(
    '/checkins/:signupId',
    {
      schema: {
        tags: ['checkin'],
        description: 'A coordinator\'s correction, audited: set or clear the check-in and check-out times, or clear the flags. Clearing a check-in undoes it (an undone walk-in is cancelled).',
        params: SignupParams,
        body: Type.Object(
          { checkedInAt: Type.Optional(Nullable(Instant)), checkedOutAt: Type.Optional(Nullable(Instant)), clearFlags: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: CheckinSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      const ms = (v: string | null | undefined, field: string) => {
        if (v === undefined || v === null) return v;
        const t = Date.parse(v);
        if (Number.isNaN(t)) throw new RotaError('VALIDATION', `${field} is not a real date and time.`, { field });
        return t;
      };
      const { checkedInAt, checkedOutAt, clearFlags } = request.body;
      return checkinOut(
        correctCheckin(
          app.db,
          actor,
          request.params.signupId,
          { ...(checkedInAt === undefined ? {} : { checkedInAt: ms(checkedInAt, 'checkedInAt')! }), ...(checkedOutAt === undefined ? {} : { checkedOutAt: ms(checkedOutAt, 'checkedOutAt')! }), ...(clearFlags ? { clearFlags } : {}) },
          now(),
        ),
      );
    },
  );

  app.get(
    '/checkins/today',
    {
      schema: {
        tags: ['checkin'],
        description: 'Today\'s shifts (each rota\'s own today, or a given local date) with who has checked in, who has not (with their phone), walk-ins and flags. Coordinators and viewers.',
        querystring: Type.Object({ date: Type.Optional(DateString), rotaId: Type.Optional(IdParam) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            shifts: Type.Array(
              Type.Object({
                shiftId: Type.String(),
                rotaId: Type.Integer(),
                rotaName: Type.String(),
                label: Nullable(Type.String()),
                start: Type.String(),
                end: Type.String(),
                cancelled: Type.Boolean(),
                people: Type.Array(Type.Object({ ...CheckinSchema.properties, phone: Nullable(Type.String()) })),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      requireReader(request);
      const list = checkinsToday(app.db, { ...request.query, unitIds: scopeOfRequest(request).reads }, now());
      return {
        shifts: list.map((d) => ({
          shiftId: d.shift.id,
          rotaId: d.rota.id,
          rotaName: d.rota.name,
          label: d.label,
          start: formatInstant(d.shift.start, d.rota.timezone),
          end: formatInstant(d.shift.end, d.rota.timezone),
          cancelled: d.shift.cancelled,
          people: d.people.map((p) => ({ ...checkinOut(p), phone: p.phone })),
        })),
      };
    },
  );
};

export default checkinRoutes;
