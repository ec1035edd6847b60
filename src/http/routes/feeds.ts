// Calendar feeds behind read-only feed tokens: text/calendar with a strong ETag (304 when the
// client's copy is current) and gzip when asked. Outside /api, so no bearer token is involved.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RotaError } from '../../domain/errors.js';
import { FeedCache } from '../../services/feeds.js';
import { ErrorBody } from '../schemas.js';
import type { FeedKind } from '../../domain/types.js';

const TOKEN_RE = /^[A-Za-z0-9_-]{1,100}$/;

const FILENAMES: Record<FeedKind, string> = { people: 'my-shifts.ics', teams: 'team-shifts.ics', rotas: 'rota.ics', open: 'open-shifts.ics' };

const Query = Type.Object({
  lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'Words of team, rota and open-shift feeds (default zh-CN); a person\'s feed uses their own language.' })),
  download: Type.Optional(
    Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')], {
      description: '`1` (or `true`): serve as an attachment (a one-time .ics download, for in-app browsers such as WeChat\'s that do not open webcal:// links).',
    }),
  ),
});

/** If-None-Match holds this tag? (RFC 9110 §13.1.2 compares weakly.) */
function clientHolds(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Does Accept-Encoding allow gzip? An explicit gzip entry decides; otherwise `*` does. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';').map((p) => p.trim());
    const weight = params.find((p) => p.startsWith('q='));
    q.set(coding === 'x-gzip' ? 'gzip' : coding!, weight ? Number(weight.slice(2)) || 0 : 1);
  }
  return (q.get('gzip') ?? q.get('*') ?? 0) > 0;
}

const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new FeedCache(app.db, app.config.publicUrl);

  function serve(kind: FeedKind, token: string | null, request: { query: Static<typeof Query>; headers: FastifyRequest['headers'] }, reply: FastifyReply) {
    if (token === null || !TOKEN_RE.test(token)) throw notFound();
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    // Two codings are two representations, so each has its own strong ETag (RFC 9110 §8.8.3).
    const etagOf = (tag: string) => `"${tag}${gzip ? '-gzip' : ''}"`;
    const answer = cache.open(
      { kind, token, locale: kind === 'people' ? 'zh-CN' : (request.query.lang ?? 'zh-CN'), now: app.config.now(), gzip },
      (tag) => clientHolds(request.headers['if-none-match'], etagOf(tag)),
    );
    if (!answer.found) throw notFound();
    // no-cache: clients keep the copy but ask each time; the answer is usually a 304. Private: the
    // feed names people, and a shared cache could keep serving it after its token was replaced.
    reply.header('Cache-Control', 'private, no-cache').header('ETag', etagOf(answer.tag)).header('Vary', 'Accept-Encoding');
    if (!answer.body) return reply.status(304).send();
    reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `${request.query.download === '1' || request.query.download === 'true' ? 'attachment' : 'inline'}; filename="${FILENAMES[kind]}"`);
    if (gzip) reply.header('Content-Encoding', 'gzip');
    return reply.send(answer.body);
  }

  const File = Type.Object({ file: Type.String({ description: 'The feed token followed by .ics' }) });
  const fileToken = (file: string) => (file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : null);
  const common = { tags: ['feeds'], security: [], querystring: Query, response: { 200: Type.String({ description: 'text/calendar' }), 304: Type.Null(), 404: ErrorBody } };

  app.get(
    '/feeds/people/:file',
    { schema: { ...common, params: File, description: 'A person\'s shifts: confirmed, waitlisted (TENTATIVE), and cancelled by the coordinator (for 14 days after the shift).' } },
    async (request, reply) => serve('people', fileToken(request.params.file), request, reply),
  );
  app.get('/feeds/teams/:file', { schema: { ...common, params: File, description: 'The shifts a team\'s members are on.' } }, async (request, reply) =>
    serve('teams', fileToken(request.params.file), request, reply),
  );
  app.get('/feeds/rotas/:file', { schema: { ...common, params: File, description: 'Every shift of a rota with its fill ("2/4") and names.' } }, async (request, reply) =>
    serve('rotas', fileToken(request.params.file), request, reply),
  );
  app.get(
    '/feeds/rotas/:token/open.ics',
    {
      schema: {
        ...common,
        params: Type.Object({ token: Type.String() }),
        description: 'The rota\'s shifts from today on that are below their minimum; opened with the rota\'s feed token.',
      },
    },
    async (request, reply) => serve('open', request.params.token, request, reply),
  );
};

function notFound(): RotaError {
  return new RotaError('NOT_FOUND', 'No calendar at this address: the link may have been replaced. Ask for the new link.');
}

export default feedRoutes;
