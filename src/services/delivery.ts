// Delivery of the outbox (issue 8): a worker inside the service leases due notices, sends each
// through its channel (WeChat Work or DingTalk group robot, signed JSON webhook, email over SMTP),
// and marks it sent, or tries again later with backoff until it gives up. At least once: a worker
// that dies between sending and marking leaves a lease that runs out, and the notice goes out
// again with the same idempotency key. Webhook URLs and secrets never reach a log or last_error,
// and neither does a receiver's answer: calls go only to public addresses (see outbound.ts).
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import { getPerson } from '../db/people.js';
import { leaseDue, markFailed, markSent, noticeSettings, type GroupKind, type Notice } from '../db/notices.js';
import { linkLine, retryAt } from '../domain/notices.js';
import { generateScheduled } from './notices.js';
import { OutboundRefused, TimeoutError, postJson } from './outbound.js';

const LEASE_MS = 2 * 60_000;
const BATCH = 20;
const SEND_TIMEOUT_MS = 15_000;

/** A notice ready to go: its words with the link to the personal page, and its key. */
interface Outgoing {
  key: string;
  kind: string;
  rotaId: number;
  personId: number | null;
  locale: string;
  subject: string;
  text: string;
}

class SendError extends Error {}

/**
 * POSTs to a channel and returns the start of the answer. Only a 2xx is success; a redirect is a
 * failure (it is not followed). The error says only the status, never the receiver's own text.
 */
async function post(url: string, body: string, headers: Record<string, string>, allowLoopback: boolean): Promise<string> {
  const answer = await postJson(url, body, headers, { allowLoopback, timeoutMs: SEND_TIMEOUT_MS });
  if (answer.status >= 300 && answer.status < 400) throw new SendError(`the receiver answered HTTP ${answer.status}, a redirect, which is not followed`);
  if (answer.status < 200 || answer.status >= 300) throw new SendError(`the receiver answered HTTP ${answer.status}`);
  return answer.text;
}

/** Group robots answer 200 with `{ errcode, errmsg }`; anything but errcode 0 is a failure (errmsg is the robot's text: not kept). */
function checkRobotAnswer(text: string): void {
  let answer: { errcode?: unknown } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new SendError('the robot did not answer JSON');
  }
  if (answer.errcode !== undefined && answer.errcode !== 0) {
    throw new SendError(`the robot refused the message${Number.isSafeInteger(answer.errcode) ? `: errcode ${String(answer.errcode)}` : ''}`);
  }
}

/** DingTalk's optional signing: `timestamp` and `sign` = base64(HMAC-SHA256(secret, "timestamp\nsecret")) as query parameters. */
export function dingtalkUrl(url: string, secret: string | null, timestamp: number): string {
  if (!secret) return url;
  const signed = new URL(url);
  signed.searchParams.set('timestamp', String(timestamp));
  signed.searchParams.set('sign', createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
  return signed.toString();
}

async function sendGroup(group: { kind: GroupKind; url: string; secret: string | null }, n: Outgoing, now: number, allowLoopback: boolean): Promise<void> {
  const idempotency = { 'idempotency-key': n.key };
  if (group.kind === 'wecom') {
    const content = `${n.text}\n<font color="comment">${n.key}</font>`;
    checkRobotAnswer(await post(group.url, JSON.stringify({ msgtype: 'markdown', markdown: { content } }), idempotency, allowLoopback));
  } else if (group.kind === 'dingtalk') {
    // DingTalk's markdown needs a blank line between lines.
    const text = `${n.text.split('\n').join('\n\n')}\n\n<font color=#999999>${n.key}</font>`;
    checkRobotAnswer(await post(dingtalkUrl(group.url, group.secret, now), JSON.stringify({ msgtype: 'markdown', markdown: { title: n.subject, text } }), idempotency, allowLoopback));
  } else {
    const timestamp = Math.floor(now / 1000);
    const body = JSON.stringify({ key: n.key, kind: n.kind, rotaId: n.rotaId, personId: n.personId, locale: n.locale, subject: n.subject, text: n.text, timestamp });
    const headers: Record<string, string> = { ...idempotency, 'x-rota-timestamp': String(timestamp) };
    // Over the raw body, which carries the timestamp: a receiver can refuse old or replayed calls.
    if (group.secret) headers['x-rota-signature'] = `sha256=${createHmac('sha256', group.secret).update(body).digest('hex')}`;
    await post(group.url, body, headers, allowLoopback);
  }
}

/** Removes every secret (and each query value of a secret URL) from an error message before it is logged or stored. */
function scrub(message: string, secrets: (string | null | undefined)[]): string {
  let out = message;
  for (const s of secrets) {
    if (!s) continue;
    const parts = [s];
    try {
      const url = new URL(s);
      parts.push(...url.searchParams.values(), url.password, url.pathname.length > 8 ? url.pathname : '');
    } catch {
      // Not a URL: the value itself is the secret.
    }
    for (const p of parts.filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(p).join('****');
  }
  return out.slice(0, 500);
}

/** A channel's failure in words of our own: a status and a generic reason, never the receiver's text or address. */
function groupFailure(error: unknown): string {
  if (error instanceof SendError) return error.message;
  if (error instanceof OutboundRefused) return 'the address leads to a private or internal network address, which is not allowed';
  if (error instanceof TimeoutError) return `the receiver did not answer within ${SEND_TIMEOUT_MS / 1000} s`;
  return 'the receiver could not be reached (no connection, or its certificate was not valid)';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

export interface DeliveryReport {
  generated: number;
  sent: number;
  failed: number;
}

export interface DeliveryWorker {
  /** One tick: write the scheduled notices now due, then lease and send what is due. */
  runOnce(): Promise<DeliveryReport>;
  /** Ticks every `intervalMs` until stopped. */
  start(intervalMs?: number): void;
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
}

export interface DeliveryOptions {
  db: Db;
  config: Config;
  log: FastifyBaseLogger;
  /** Names this worker's leases; unique per process by default. */
  owner?: string;
}

export function deliveryWorker({ db, config, log, owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` }: DeliveryOptions): DeliveryWorker {
  let mailer: Transporter | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<DeliveryReport> | null = null;
  let stopped = false;

  async function mail(n: Notice, out: Outgoing): Promise<void> {
    const person = n.personId === null ? null : getPerson(db, n.personId);
    if (!person?.email) throw new SendError('the person has no email address any more');
    if (!config.smtpUrl) throw new SendError('no SMTP server is configured (ROTA_SMTP_URL)');
    if (!mailer) {
      // Loaded on first use: most deployments post to group robots only.
      const { default: nodemailer } = await import('nodemailer');
      mailer = nodemailer.createTransport(config.smtpUrl);
    }
    await mailer.sendMail({
      from: config.mailFrom,
      to: person.email,
      subject: out.subject,
      text: `${out.text}\n\n${out.key}\n`,
      // The same key gives the same Message-ID, so mail clients fold a duplicate into the first.
      messageId: `<${createHash('sha256').update(out.key).digest('hex').slice(0, 32)}@rota.notices>`,
      headers: { 'Idempotency-Key': out.key },
    });
  }

  async function send(n: Notice, now: number): Promise<void> {
    const out: Outgoing = { ...n, text: `${n.text}\n${linkLine(config.publicUrl, n.locale)}` };
    if (n.channel === 'email') return mail(n, out);
    const group = noticeSettings(db, n.rotaId).group;
    if (!group) throw new SendError('the rota has no group channel any more');
    try {
      await sendGroup(group, out, now, config.allowLoopbackTargets);
    } catch (error) {
      throw new SendError(groupFailure(error));
    }
  }

  async function tick(): Promise<DeliveryReport> {
    const report: DeliveryReport = { generated: generateScheduled(db, config.now()), sent: 0, failed: 0 };
    const now = config.now().getTime();
    for (const n of leaseDue(db, owner, now, now + LEASE_MS, BATCH)) {
      try {
        await send(n, config.now().getTime());
        markSent(db, n.id, owner, config.now().getTime());
        report.sent++;
      } catch (error) {
        const group = noticeSettings(db, n.rotaId).group;
        const message = scrub(describe(error), [config.smtpUrl, group?.url, group?.secret]);
        const again = retryAt(n.attempts, config.now().getTime());
        markFailed(db, n.id, owner, message, again);
        report.failed++;
        log.warn({ noticeId: n.id, key: n.key, attempts: n.attempts, gaveUp: again === null, error: message }, 'a notice could not be delivered');
      }
    }
    return report;
  }

  function runOnce(): Promise<DeliveryReport> {
    // One tick at a time in this process: a slow receiver must not let ticks pile up.
    running ??= tick().finally(() => (running = null));
    return running;
  }

  return {
    runOnce,
    start(intervalMs: number) {
      const loop = () => {
        if (stopped) return;
        runOnce()
          .catch((error: unknown) => log.error({ error: describe(error) }, 'the notice worker failed a tick'))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, intervalMs);
          });
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      mailer?.close();
    },
  };
}
