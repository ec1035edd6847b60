// Outbound calls to the addresses coordinators type in (group robots and webhooks): they may only
// reach the public internet. A channel URL is checked when it is saved (literal addresses, names
// such as `localhost`, and what the name resolves to now) and again on every call, inside the
// connection's own DNS lookup, so a name that resolves elsewhere later (DNS rebinding) is refused
// too. Redirects are not followed and at most a few KiB of an answer are read.
import { lookup as dnsLookup, promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** Answers longer than this are cut: a robot's answer is a few dozen bytes. */
const MAX_ANSWER_BYTES = 4096;

/** Why an address is not on the public internet, or null when it is. */
type Refusal = 'loopback' | 'private' | 'link-local' | 'multicast' | 'unspecified' | 'reserved';

const REFUSAL_WORDS: Record<Refusal, string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private network address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  reserved: 'a reserved address',
};

/** IPv4 ranges that are not public unicast (RFC 6890 and its updates): [network, prefix length, why]. */
const V4_RANGES: [string, number, Refusal][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function v4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_TABLE = V4_RANGES.map(([base, prefix, why]) => ({ base: v4Number(base), size: 2 ** (32 - prefix), why }));

function classifyV4(address: string): Refusal | null {
  const n = v4Number(address);
  return V4_TABLE.find((r) => n >= r.base && n < r.base + r.size)?.why ?? null;
}

/** The eight 16-bit groups of an IPv6 address (with a trailing dotted IPv4 part, if any). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4Number(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === null ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
}

function classifyV6(address: string): Refusal | null {
  const g = v6Groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address decides.
  if (zeros(0, 5) && g[5] === 0xffff) return classifyV4(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  const first = g[0]!;
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfec0) return 'private';
  // Global unicast is 2000::/3, less the documentation, protocol (Teredo, ORCHID…) and 6to4 blocks.
  if ((first & 0xe000) !== 0x2000) return 'reserved';
  if (first === 0x2001 && (g[1]! < 0x200 || g[1] === 0xdb8)) return 'reserved';
  if (first === 0x2002) return 'reserved';
  return null;
}

/** Why `address` (an IP literal) may not be called, or null when it may. Loopback is allowed only in tests. */
function refusal(address: string, allowLoopback: boolean): Refusal | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  const why = family === 4 ? classifyV4(bare) : family === 6 ? classifyV6(bare) : 'reserved';
  return why === 'loopback' && allowLoopback ? null : why;
}

export class OutboundRefused extends Error {}

function refusedMessage(field: string, address: string, why: Refusal): string {
  return `${field} must be an address on the public internet; it leads to ${address}, ${REFUSAL_WORDS[why]}.`;
}

/** `localhost` and any name under it always mean this machine (RFC 6761). */
const LOCAL_NAME = /(^|\.)localhost\.?$/i;

/**
 * Checks a channel URL when it is saved: http(s), no user name or password, and a host that is
 * (and today resolves to) a public address. Returns the normalised URL; throws OutboundRefused
 * with a message that names the field but never repeats the URL (it carries the robot's key). A
 * name that does not resolve now is accepted: every call checks again.
 */
export async function checkTargetUrl(url: string | undefined, field: string, allowLoopback: boolean): Promise<string> {
  let parsed: URL | null = null;
  try {
    parsed = url ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new OutboundRefused(`${field} must be an http or https address (the webhook address of the group robot).`);
  }
  if (parsed.username || parsed.password) throw new OutboundRefused(`${field} must not carry a user name or password; robots take their key in the address's query or path.`);
  // The WHATWG parser has already turned 0x7f000001, 2130706433 and 0177.0.0.1 into 127.0.0.1.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusal(host, allowLoopback);
    if (why) throw new OutboundRefused(refusedMessage(field, host, why));
  } else {
    if (LOCAL_NAME.test(host) && !allowLoopback) throw new OutboundRefused(refusedMessage(field, host, 'loopback'));
    let addresses: LookupAddress[] = [];
    try {
      addresses = await Promise.race([
        dns.lookup(host, { all: true, verbatim: true }),
        new Promise<LookupAddress[]>((resolve) => setTimeout(() => resolve([]), 3000).unref()),
      ]);
    } catch {
      addresses = [];
    }
    for (const a of addresses) {
      const why = refusal(a.address, allowLoopback);
      if (why) throw new OutboundRefused(refusedMessage(field, `${host} (${a.address})`, why));
    }
  }
  return parsed.toString();
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup for the connection that refuses the whole name if any address it resolves to is not public. */
function guardedLookup(allowLoopback: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => refusal(a.address, allowLoopback));
      if (bad || addresses.length === 0) return callback(new OutboundRefused('the address leads to a private or internal network address'), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

interface Answer {
  status: number;
  /** The start of the answer's body, at most MAX_ANSWER_BYTES. */
  text: string;
}

/**
 * POSTs `body` to `url` and reads the answer's status and at most MAX_ANSWER_BYTES of its body.
 * Connects only to public addresses (loopback too with `allowLoopback`), follows no redirect, and
 * gives up after `timeoutMs` in all.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, opts: { allowLoopback: boolean; timeoutMs: number }): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // A literal address is connected to without a lookup: check it here.
    const why = isIP(host) ? refusal(host, opts.allowLoopback) : null;
    if (why || (target.protocol !== 'http:' && target.protocol !== 'https:') || target.username || target.password) {
      reject(new OutboundRefused('the address leads to a private or internal network address'));
      return;
    }
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers },
      lookup: guardedLookup(opts.allowLoopback),
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new TimeoutError()), opts.timeoutMs);
    let settled = false;
    const finish = (error: Error | null, answer?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    req.on('error', (error) => finish(error));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
        finish(null, { status: res.statusCode ?? 0, text });
      };
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_ANSWER_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough read: stop the transfer rather than take in whatever the receiver sends.
        if (size >= MAX_ANSWER_BYTES) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
      res.on('error', (error) => finish(error));
    });
    req.end(body);
  });
}

export class TimeoutError extends Error {}
