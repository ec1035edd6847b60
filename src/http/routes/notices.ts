// Notices: a rota's group channel and schedule of notices, a person's choice of email, and the
// coordinators' view of the outbox with a retry. Webhook URLs and secrets go in, never out whole.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { maskSecretUrl } from '../../domain/notices.js';
import { formatInstant } from '../../domain/time.js';
import {
  choosePersonChannel,
  configureRotaNotices,
  outbox,
  personNoticeChannel,
  retryNotice,
  rotaNotices,
  type Notice,
  type NoticeSettings,
} from '../../services/notices.js';
import { requireCoordinator, requireReader, requireSelfOrCoordinator, requireSelfOrReader, scopeOfRequest } from '../auth.js';
import { IdParam, Nullable, errors } from '../schemas.js';

const Time = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'A local time, HH:MM' });
const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
const Kind = Type.Union([Type.Literal('wecom'), Type.Literal('dingtalk'), Type.Literal('webhook')]);
const Quiet = Type.Object({ from: Time, to: Time }, { additionalProperties: false });

const ChannelSchema = Type.Object({
  rotaId: Type.Integer(),
  kind: Nullable(Kind),
  /** Masked: enough to recognise the robot, not to post to it. */
  url: Nullable(Type.String()),
  secretSet: Type.Boolean(),
  locale: Type.String(),
  rosterAt: Nullable(Type.String()),
  remindHoursBefore: Type.Integer(),
  quietHours: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
});

function channelOut(s: NoticeSettings): Static<typeof ChannelSchema> {
  return {
    rotaId: s.rotaId,
    kind: s.group?.kind ?? null,
    url: s.group ? maskSecretUrl(s.group.url) : null,
    secretSet: Boolean(s.group?.secret),
    locale: s.locale,
    rosterAt: s.rosterAt,
    remindHoursBefore: s.remindHoursBefore,
    quietHours: s.quiet,
  };
}

const NoticeSchema = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  kind: Type.String(),
  rotaId: Type.Integer(),
  personId: Nullable(Type.Integer()),
  channel: Type.String(),
  locale: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
});

function noticeOut({ notice: n, timezone }: { notice: Notice; timezone: string }): Static<typeof NoticeSchema> {
  return {
    id: n.id,
    key: n.key,
    kind: n.kind,
    rotaId: n.rotaId,
    personId: n.personId,
    channel: n.channel,
    locale: n.locale,
    subject: n.subject,
    text: n.text,
    status: n.status,
    attempts: n.attempts,
    nextAttemptAt: formatInstant(n.nextAttemptAt, timezone),
    lastError: n.lastError,
    createdAt: formatInstant(n.createdAt, timezone),
    sentAt: n.sentAt === null ? null : formatInstant(n.sentAt, timezone),
  };
}

const PersonChannel = Type.Object({ channel: Type.Union([Type.Literal('email'), Type.Literal('group')]) });

const noticeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.config.now();

  app.get(
    '/rotas/:rotaId/channel',
    { schema: { tags: ['notices'], params: Type.Object({ rotaId: IdParam }), response: { 200: ChannelSchema, ...errors } } },
    async (request) => {
      requireReader(request);
      return channelOut(rotaNotices(app.db, request.params.rotaId));
    },
  );

  app.put(
    '/rotas/:rotaId/channel',
    {
      schema: {
        tags: ['notices'],
        description:
          "Points the rota's notices at a WeChat Work (`wecom`) or DingTalk group robot, or a JSON `webhook` signed with `secret` (HMAC-SHA256); `kind: \"none\"` removes it. " +
          '`rosterAt` (local HH:MM, null for none) posts tomorrow\'s duties daily; `remindHoursBefore` (default 18, 0 for none) sets email reminders; ' +
          '`quietHours` (default 22:00–07:00, null for none) holds notices until they end. The URL and secret are answered masked. ' +
          'The URL must lead to the public internet: loopback, private, link-local, multicast and reserved addresses (also what a name resolves to) and URLs with a user name or password are refused with `400 VALIDATION`.',
        params: Type.Object({ rotaId: IdParam }),
        body: Type.Object(
          {
            kind: Type.Union([Kind, Type.Literal('none')]),
            url: Type.Optional(Type.String({ maxLength: 2000 })),
            secret: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
            locale: Type.Optional(Locale),
            rosterAt: Type.Optional(Nullable(Time)),
            remindHoursBefore: Type.Optional(Type.Integer()),
            quietHours: Type.Optional(Nullable(Quiet)),
          },
          { additionalProperties: false },
        ),
        response: { 200: ChannelSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireCoordinator(request);
      return channelOut(await configureRotaNotices(app.db, actor, request.params.rotaId, request.body, now(), app.config.allowLoopbackTargets));
    },
  );

  app.get(
    '/people/:id/notice-channel',
    { schema: { tags: ['notices'], params: Type.Object({ id: IdParam }), response: { 200: PersonChannel, ...errors } } },
    async (request) => {
      requireSelfOrReader(request, request.params.id);
      return { channel: personNoticeChannel(app.db, request.params.id) };
    },
  );

  app.put(
    '/people/:id/notice-channel',
    {
      schema: {
        tags: ['notices'],
        description: "Where the person's own notices go: `email` (to their email address), or `group` (the rota's group robot, addressed by name; the default). Reminders go by email only.",
        params: Type.Object({ id: IdParam }),
        body: Type.Object({ channel: PersonChannel.properties.channel }, { additionalProperties: false }),
        response: { 200: PersonChannel, ...errors },
      },
    },
    async (request) => {
      const actor = requireSelfOrCoordinator(request, request.params.id);
      return { channel: choosePersonChannel(app.db, actor, request.params.id, request.body.channel, now()) };
    },
  );

  app.get(
    '/notices',
    {
      schema: {
        tags: ['notices'],
        description: 'The outbox, newest first: pending, sent, and failed (given up after repeated failures; retry them).',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')])),
            rotaId: Type.Optional(IdParam),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ notices: Type.Array(NoticeSchema) }), ...errors },
      },
    },
    async (request) => {
      requireReader(request);
      return { notices: outbox(app.db, { ...request.query, unitIds: scopeOfRequest(request).reads }).map(noticeOut) };
    },
  );

  app.post(
    '/notices/:id/retry',
    { schema: { tags: ['notices'], params: Type.Object({ id: IdParam }), response: { 200: NoticeSchema, ...errors } } },
    async (request) => {
      const actor = requireCoordinator(request);
      return noticeOut(retryNotice(app.db, actor, request.params.id, now()));
    },
  );
};

export default noticeRoutes;
