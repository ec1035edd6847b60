// Configuration: option > environment > default, validated once at start-up.
import type { SynchronousMode } from './db/connection.js';

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  /** Base URL for links and feed URLs, without a trailing slash. */
  publicUrl: string;
  bootstrapToken: string | null;
  synchronous: SynchronousMode;
  logLevel: string;
  /** Requests a minute one token (access or feed) may make; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** SMTP server for email notices (`smtp://user:pass@host:587`, `smtps://…`); null: no email. A secret. */
  smtpUrl: string | null;
  /** From address of email notices. */
  mailFrom: string;
  /**
   * Lets notice channels call loopback addresses (127.0.0.0/8, ::1, localhost), for tests with a
   * receiver on this machine. Private, link-local and other internal addresses stay refused.
   */
  allowLoopbackTargets: boolean;
  /** Seconds between the notice worker's passes (reminders, shortage calls, retries); 15 by default. */
  noticeIntervalSeconds: number;
  /** For `npm run bench` only (ROTA_REPORT_LOOP_DELAY=1): print the event loop's delay (p50, p99, max) on stdout when the server stops. */
  reportLoopDelay: boolean;
  /** The clock: tests place "now" where they need it. */
  now: () => Date;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadConfig(options: Partial<Config> = {}, env: Env = process.env): Config {
  const port = options.port ?? intFrom(env.PORT, 'PORT', 3000);
  if (port < 0 || port > 65535) throw new ConfigError(`PORT must be 0–65535, got ${port}.`);
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const publicUrl = (options.publicUrl ?? env.ROTA_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(`ROTA_PUBLIC_URL must be an http(s) URL such as https://rota.example.org, got "${publicUrl}".`);
  }
  const bootstrapToken = options.bootstrapToken ?? env.ROTA_BOOTSTRAP_TOKEN ?? null;
  if (bootstrapToken !== null && bootstrapToken.length < 16) {
    throw new ConfigError('ROTA_BOOTSTRAP_TOKEN must be at least 16 characters long.');
  }
  const synchronous = (options.synchronous ?? env.ROTA_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigError(`ROTA_SYNCHRONOUS must be FULL or NORMAL, got "${synchronous}".`);
  }
  const smtpUrl = options.smtpUrl ?? env.ROTA_SMTP_URL ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('ROTA_SMTP_URL must start with smtp:// or smtps://.');
  const allowLoopback = env.ROTA_ALLOW_LOOPBACK_TARGETS ?? '0';
  if (allowLoopback !== '0' && allowLoopback !== '1') throw new ConfigError(`ROTA_ALLOW_LOOPBACK_TARGETS must be 0 or 1, got "${allowLoopback}".`);
  const noticeIntervalSeconds = options.noticeIntervalSeconds ?? intFrom(env.ROTA_NOTICE_INTERVAL, 'ROTA_NOTICE_INTERVAL', 15);
  if (noticeIntervalSeconds < 1 || noticeIntervalSeconds > 3600) throw new ConfigError(`ROTA_NOTICE_INTERVAL must be 1–3600 seconds, got ${noticeIntervalSeconds}.`);
  const rateLimitPerMinute = options.rateLimitPerMinute ?? intFrom(env.ROTA_RATE_LIMIT, 'ROTA_RATE_LIMIT', 3000);
  return {
    port,
    host,
    dbPath: options.dbPath ?? env.ROTA_DB ?? './data/rota.sqlite',
    publicUrl,
    bootstrapToken,
    synchronous,
    logLevel: options.logLevel ?? env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute,
    smtpUrl,
    mailFrom: options.mailFrom ?? env.ROTA_MAIL_FROM ?? 'Rota <rota@localhost>',
    allowLoopbackTargets: options.allowLoopbackTargets ?? allowLoopback === '1',
    noticeIntervalSeconds,
    reportLoopDelay: options.reportLoopDelay ?? env.ROTA_REPORT_LOOP_DELAY === '1',
    now: options.now ?? (() => new Date()),
  };
}

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be a whole number, got "${value}".`);
  return Number(value);
}
