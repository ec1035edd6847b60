// The web page: the personal page and the desk from web/, the browser builds of FullCalendar,
// ical.js and Chart.js straight from node_modules (no build step), and QR codes for our own links.
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { RotaError } from '../../domain/errors.js';
import { actorOf } from '../auth.js';
import { errors } from '../schemas.js';

/** The web folder at the project's top, found by walking up from this module (src, dist or the bundle's chunks). */
function webDir(): string {
  for (let dir = new URL('./', import.meta.url), i = 0; i < 6; dir = new URL('../', dir), i++) {
    if (existsSync(new URL('web/me.html', dir))) return fileURLToPath(new URL('web/', dir));
  }
  throw new Error('Cannot find the web folder above Rota\'s code.');
}

const WEB_DIR = webDir();

const PAGES: Record<string, string> = { '/': 'index.html', '/me': 'me.html', '/desk': 'desk.html', '/checkin': 'checkin.html' };
const HEAD_MARK = '<!--#head-->';

/** A page with the `<head>` lines every page shares (web/head.html) put in place of its mark. */
function pageHtml(file: string): string {
  return readFileSync(join(WEB_DIR, file), 'utf8').replace(HEAD_MARK, readFileSync(join(WEB_DIR, 'head.html'), 'utf8').trim());
}

/** URL name → [package, file inside it]: only these files of node_modules are served. */
const VENDOR: Record<string, [string, string]> = {
  'fullcalendar.js': ['@fullcalendar/core', 'index.global.min.js'],
  'fullcalendar-zh-cn.js': ['@fullcalendar/core', 'locales/zh-cn.global.min.js'],
  'fullcalendar-daygrid.js': ['@fullcalendar/daygrid', 'index.global.min.js'],
  'fullcalendar-timegrid.js': ['@fullcalendar/timegrid', 'index.global.min.js'],
  'fullcalendar-list.js': ['@fullcalendar/list', 'index.global.min.js'],
  'fullcalendar-icalendar.js': ['@fullcalendar/icalendar', 'index.global.min.js'],
  // The icalendar plugin reads the global ICAL; ical.js 1.5's browser build defines it.
  'ical.js': ['ical.js', 'build/ical.min.js'],
  'chart.js': ['chart.js', 'dist/chart.umd.min.js'],
};

/** A package's folder, found from its main entry (package exports hide the browser builds). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`Cannot find the folder of the package ${name}.`);
}

const webRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Registered inside this plugin, so the policy covers the page and leaves /docs and the API alone.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // FullCalendar injects its stylesheet and Chart.js sizes its canvas with inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // FullCalendar's arrow icons are an embedded font.
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Served over plain http on a community's own network too: no forced https.
    strictTransportSecurity: false,
  });
  await app.register(fastifyStatic, { root: join(WEB_DIR, 'assets'), prefix: '/assets/', wildcard: false });

  for (const [url, file] of Object.entries(PAGES)) {
    const html = pageHtml(file);
    app.get(url, { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html));
  }

  const vendor = Object.fromEntries(Object.entries(VENDOR).map(([url, [pkg, file]]) => [url, { dir: packageDir(pkg), file }]));
  app.get('/vendor/:file', { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 64 }) }) } }, async (request, reply) => {
    const entry = vendor[request.params.file];
    if (!entry) return reply.callNotFound();
    return reply.header('cache-control', 'public, max-age=86400').sendFile(entry.file, entry.dir);
  });

  app.post(
    '/api/v1/qr',
    {
      schema: {
        tags: ['system'],
        description: 'A QR code (SVG) for one of this service\'s own links, so a captain can scan a link from another phone.',
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.String({ description: 'image/svg+xml' }), ...errors },
      },
    },
    async (request, reply) => {
      actorOf(request);
      const { text } = request.body;
      const base = app.config.publicUrl;
      if (!text.startsWith(`${base}/`) && !text.startsWith(`${base.replace(/^https?:/, 'webcal:')}/`)) {
        throw new RotaError('VALIDATION', `Only links of this service (${base}/…) are made into QR codes.`, { field: 'text' });
      }
      const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
    },
  );
};

export default webRoutes;
