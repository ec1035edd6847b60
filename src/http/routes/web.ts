// The web page: the pages and assets of web/, the browser builds of FullCalendar, ical.js and
// Chart.js straight from node_modules (no build step), and QR codes for our own links.
// Files are read once, on the first request for a page or file (not at start-up: reading and
// hashing some 1.3 MB was a twentieth of the start), and fingerprinted: a page names its assets under
// /assets/v-<version>/…, cached for a year; pages and unversioned paths are revalidated (ETag).
// Each file is compressed once (brotli and gzip, on the thread pool, kept for the process).
import helmet from '@fastify/helmet';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
const STYLESHEET = '<link rel="stylesheet" href="/assets/style.css">';
/**
 * Pages that carry the style sheet inside them: the personal page, whose first view must come
 * with the fewest requests on a slow phone (issue 14). Its HTML is revalidated (ETag), so a
 * repeat visit costs no more than the linked file would.
 */
const STYLE_INSIDE = new Set(['me.html']);

/** A page with the `<head>` lines every page shares (web/head.html) put in place of its mark. */
function pageHtml(file: string): string {
  let head = readFileSync(join(WEB_DIR, 'head.html'), 'utf8').trim();
  if (STYLE_INSIDE.has(file)) head = head.replace(STYLESHEET, () => `<style>\n${readFileSync(join(WEB_DIR, 'assets/style.css'), 'utf8').trim()}\n</style>`);
  return readFileSync(join(WEB_DIR, file), 'utf8').replace(HEAD_MARK, () => head);
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

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** A vendor file by its old unversioned path: a day, as before (pages name the versioned path). */
const VENDOR_PLAIN = 'public, max-age=86400';

interface WebFile {
  body: Buffer;
  type: string;
  hash: string;
}

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

function webFile(body: Buffer, path: string): WebFile {
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', hash: createHash('sha256').update(body).digest('base64url').slice(0, 16) };
}

/** Every file under `dir`, by its path relative to it ("js/me.js"). */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
/** Compressed forms by content hash, for the life of the process (apps in tests share them). */
const compressedForms = new Map<string, Promise<{ br: Buffer; gzip: Buffer }>>();

function compressed(file: WebFile): Promise<{ br: Buffer; gzip: Buffer }> {
  let forms = compressedForms.get(file.hash);
  if (!forms) {
    forms = Promise.all([
      brotli(file.body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: file.body.length } }),
      gzipped(file.body, { level: constants.Z_BEST_COMPRESSION }),
    ]).then(([br, gz]) => ({ br, gzip: gz }));
    compressedForms.set(file.hash, forms);
  }
  return forms;
}

/** The encoding to send: brotli, else gzip, else none, as the request accepts them. */
function encodingFor(header: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return 'identity';
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, file: WebFile, cacheControl: string): Promise<FastifyReply> {
  const encoding = encodingFor(request.headers['accept-encoding']);
  const etag = `"${file.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`;
  reply.header('cache-control', cacheControl).header('vary', 'accept-encoding').header('etag', etag).type(file.type);
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
  if (encoding === 'identity') return reply.send(file.body);
  const forms = await compressed(file);
  // A tiny file may not shrink: then it goes as it is.
  if (forms[encoding].length >= file.body.length) return reply.header('etag', `"${file.hash}"`).send(file.body);
  return reply.header('content-encoding', encoding).send(forms[encoding]);
}

/** The assets and vendor files by path ("js/me.js", "vendor/fullcalendar.js"), and their version. */
function loadAssets(): { files: Map<string, WebFile>; version: string } {
  const files = new Map<string, WebFile>();
  const assets = join(WEB_DIR, 'assets');
  for (const path of filesUnder(assets)) files.set(path, webFile(readFileSync(join(assets, path)), path));
  for (const [url, [pkg, file]] of Object.entries(VENDOR)) files.set(`vendor/${url}`, webFile(readFileSync(join(packageDir(pkg), file)), url));
  const all = createHash('sha256');
  // Ordered by code unit, not localeCompare: the first locale comparison of a process builds ICU's collator, milliseconds of the start.
  for (const [path, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) all.update(`${path}\0${file.hash}\0`);
  return { files, version: all.digest('hex').slice(0, 12) };
}

/** A page with its asset links pointed at this version (/vendor/x → /assets/v-…/vendor/x). */
function versionedPage(name: string, version: string): WebFile {
  const html = pageHtml(name).replace(/(["'])\/(assets|vendor)\//g, (_m, quote: string, folder: string) =>
    `${quote}/assets/v-${version}/${folder === 'vendor' ? 'vendor/' : ''}`,
  );
  return webFile(Buffer.from(html), name);
}

/** The CSP source of each inline script of the pages ('sha256-…'): those scripts and no others run. */
function inlineScriptHashes(pages: WebFile[]): string[] {
  const hashes = new Set<string>();
  for (const page of pages) {
    for (const [, body] of page.body.toString('utf8').matchAll(/<script>([\s\S]*?)<\/script>/g)) {
      hashes.add(`'sha256-${createHash('sha256').update(body!).digest('base64')}'`);
    }
  }
  return [...hashes];
}

interface Web {
  files: Map<string, WebFile>;
  version: string;
  pages: Map<string, WebFile>;
  /** The CSP sources of the pages' inline scripts, space-separated. */
  inlineScripts: string;
}

function loadWeb(): Web {
  const { files, version } = loadAssets();
  const pages = new Map(Object.entries(PAGES).map(([url, name]) => [url, versionedPage(name, version)]));
  return { files, version, pages, inlineScripts: inlineScriptHashes([...pages.values()]).join(' ') };
}

const webRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let loaded: Web | null = null;
  const web = (): Web => (loaded ??= loadWeb());
  // Registered inside this plugin, so the policy covers the page and leaves /docs and the API alone.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The personal page's one inline script starts its first call (web/me.html), by its hash
        // (a function: helmet asks for it when it answers, by which time the pages are read).
        scriptSrc: ["'self'", () => web().inlineScripts],
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
  // The first page asked for starts compressing every asset, so its scripts wait for nothing.
  let warmed = false;
  const warm = () => {
    if (warmed) return;
    warmed = true;
    // A failure here is met again, and answered, by the request that needs the file.
    for (const file of web().files.values()) compressed(file).catch(() => undefined);
  };
  for (const url of Object.keys(PAGES)) {
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      warm();
      return sendFile(request, reply, web().pages.get(url)!, REVALIDATE);
    });
  }

  app.get('/assets/*', { schema: { hide: true, params: Type.Object({ '*': Type.String({ maxLength: 200 }) }) } }, async (request, reply) => {
    const m = /^v-([0-9a-f]{12})\/(.+)$/.exec(request.params['*']);
    const { files, version } = web();
    const file = files.get(m ? m[2]! : request.params['*']);
    if (!file) return reply.callNotFound();
    // A page of an earlier version still gets today's file, but not for a year.
    return sendFile(request, reply, file, m && m[1] === version ? IMMUTABLE : REVALIDATE);
  });

  app.get('/vendor/:file', { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 64 }) }) } }, async (request, reply) => {
    const file = web().files.get(`vendor/${request.params.file}`);
    if (!file) return reply.callNotFound();
    return sendFile(request, reply, file, VENDOR_PLAIN);
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
      // Loaded on the first QR code drawn: the service starts without it.
      const { default: QRCode } = await import('qrcode');
      const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
    },
  );
};

export default webRoutes;
