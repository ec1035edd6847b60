// Notices (issue 8), the pure part: what a change tells whom, in which words, when it may go out
// (quiet hours), when a failed delivery is tried again, and when scheduled notices are due.
import { DAY_MS, MINUTE_MS, formatDate, instantToWall, isoWeekday, parseTime, wallToInstant } from './time.js';
import type { Locale } from './types.js';

/** A change that someone should hear about. `personId` null: a post to the rota's group. */
export type NoticeEvent =
  | { kind: 'signup-cancelled'; signupId: number; personId: number; rotaId: number; seriesId: number; start: number }
  | { kind: 'signup-moved'; signupId: number; personId: number; rotaId: number; seriesId: number; start: number; newStart: number }
  | { kind: 'waitlist-promoted'; signupId: number; personId: number; rotaId: number; seriesId: number; start: number }
  | { kind: 'trade-accepted'; tradeId: number; personId: number; rotaId: number; seriesId: number; gave: number; took: number; otherId: number }
  | { kind: 'cover-claimed'; offerId: number; personId: number; rotaId: number; seriesId: number; start: number; otherId: number }
  | { kind: 'cover-given'; offerId: number; personId: number; rotaId: number; seriesId: number; start: number; otherId: number }
  | { kind: 'offer-open'; offerId: number; personId: null; rotaId: number; seriesId: number; start: number; otherId: number };

/** The idempotency key of a change notice: the thing changed, who hears of it, and the audit entry of the change. */
export function changeKey(event: NoticeEvent, auditId: number): string {
  const subject = 'signupId' in event ? event.signupId : 'tradeId' in event ? event.tradeId : event.offerId;
  return `${event.kind}:${subject}:${event.personId ?? 'group'}:${auditId}`;
}

export function reminderKey(signupId: number, start: number): string {
  return `reminder:${signupId}:${start}`;
}

export function rosterKey(rotaId: number, date: string): string {
  return `roster:${rotaId}:${date}`;
}

/** One shortage call per shift per local day of the rota: a shift still short tomorrow is called out again. */
export function shortageKey(shiftId: string, date: string): string {
  return `short:${shiftId}:${date}`;
}

// ---- Words ---------------------------------------------------------------------------------

const WEEKDAY = { 'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Start of the local day of a floating wall time. */
const dayOf = (wall: number) => wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);

/** "3月3日 周二" or "Tue 3 Mar", for a floating wall time. */
function dateWords(wall: number, locale: Locale): string {
  const d = new Date(wall);
  const weekday = WEEKDAY[locale][isoWeekday(dayOf(wall)) - 1]!;
  return locale === 'zh-CN' ? `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${weekday}` : `${weekday} ${d.getUTCDate()} ${MONTH[d.getUTCMonth()]}`;
}

/** "07:15", for a floating wall time. */
function timeWords(wall: number): string {
  const d = new Date(wall);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** "3月3日 周二 07:15" or "Tue 3 Mar 07:15", in the rota's zone. */
export function when(instant: number, zone: string, locale: Locale): string {
  const wall = instantToWall(instant, zone);
  return `${dateWords(wall, locale)} ${timeWords(wall)}`;
}

/**
 * Text that people typed (names, rota names, posts, notes), made safe to post through a group
 * robot: WeChat Work and DingTalk render markdown, links, `<font>` markup and `<@all>` / `@所有人`
 * mentions, so a name could post a live phishing link or ping the whole group in the robot's
 * voice. Each character that starts such syntax becomes its full-width twin (`［` `＜` `＠` `＊`…),
 * which reads the same and renders as itself; a scheme's `://` and a dot inside a host name
 * (`phish.example`) are broken the same way so no client turns them into a link; line breaks and
 * other control characters become spaces, so a name cannot start a heading or a quote.
 */
function plain(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/:\/\//g, '：//')
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '．')
    .replace(/[[\]<>@*_`~#|\\&]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** What a notice's words need besides the event: names and places, loaded by the caller. */
export interface NoticeContext {
  locale: Locale;
  zone: string;
  rotaName: string;
  /** The post (series label), if it has one. */
  post: string | null;
  /** The person it is for (null for the group). */
  name: string | null;
  /** The other person in a trade or cover. */
  otherName: string | null;
}

/** Every typed text of a context made plain (see `plain`). */
function plainContext(c: NoticeContext): NoticeContext {
  const orNull = (t: string | null) => (t === null ? null : plain(t));
  return { ...c, rotaName: plain(c.rotaName), post: orNull(c.post), name: orNull(c.name), otherName: orNull(c.otherName) };
}

export interface Words {
  subject: string;
  text: string;
}

/** Short enough for a phone's lock screen: one sentence, the rota in brackets. */
export function renderChange(event: NoticeEvent, context: NoticeContext): Words {
  const c = plainContext(context);
  const zh = c.locale === 'zh-CN';
  const at = (t: number) => `${when(t, c.zone, c.locale)}${c.post ? ` ${c.post}` : ''}`;
  const to = c.name ? (zh ? `${c.name}，` : `${c.name}, `) : '';
  const head = zh ? `【${c.rotaName}】${to}` : `[${c.rotaName}] ${to}`;
  const other = c.otherName ?? '?';
  let body: string;
  switch (event.kind) {
    case 'signup-cancelled':
      body = zh ? `您 ${at(event.start)} 的值班已取消。` : `your duty on ${at(event.start)} is cancelled.`;
      break;
    case 'signup-moved':
      body = zh ? `您 ${at(event.start)} 的值班改到了 ${when(event.newStart, c.zone, c.locale)}。` : `your duty on ${at(event.start)} moved to ${when(event.newStart, c.zone, c.locale)}.`;
      break;
    case 'waitlist-promoted':
      body = zh ? `有人退出，您已从候补转为正式：${at(event.start)} 值班。` : `a place opened up: you are now on duty ${at(event.start)}.`;
      break;
    case 'trade-accepted':
      body = zh
        ? `换班已完成：您改值 ${at(event.took)}，不再值 ${when(event.gave, c.zone, c.locale)}（与 ${other} 交换）。`
        : `trade done: you now serve ${at(event.took)} instead of ${when(event.gave, c.zone, c.locale)} (with ${other}).`;
      break;
    case 'cover-claimed':
      body = zh ? `${other} 接替了您 ${at(event.start)} 的值班。` : `${other} took over your duty on ${at(event.start)}.`;
      break;
    case 'cover-given':
      body = zh ? `您接替了 ${other} ${at(event.start)} 的值班。` : `you took over ${other}'s duty on ${at(event.start)}.`;
      break;
    case 'offer-open':
      body = zh ? `${at(event.start)} 有 1 个岗位需要人接替（${other} 让出），请在个人页面认领。` : `a place on ${at(event.start)} needs cover (offered by ${other}); claim it on your page.`;
      break;
  }
  return { subject: zh ? `值班通知：${c.rotaName}` : `Duty notice: ${c.rotaName}`, text: `${head}${body}` };
}

export function renderReminder(start: number, context: NoticeContext): Words {
  const c = plainContext(context);
  const zh = c.locale === 'zh-CN';
  const at = `${when(start, c.zone, c.locale)}${c.post ? ` ${c.post}` : ''}`;
  return zh
    ? { subject: `值班提醒：${c.rotaName}`, text: `【${c.rotaName}】${c.name}，提醒您：${at} 值班。` }
    : { subject: `Duty reminder: ${c.rotaName}`, text: `[${c.rotaName}] ${c.name}, a reminder: you are on duty ${at}.` };
}

const DAY_WORDS = { 'zh-CN': ['今天', '明天', '后天'], en: ['Today', 'Tomorrow'] };

/**
 * A shift below its minimum soon, for the group: "【护学岗】明天（3月3日 周二）07:15 校园门口还缺 1 人，请在个人页面报名。"
 * "Tomorrow" is counted from `sendAt` (when the notice is due to go out, after quiet hours), not from when it was written.
 */
export function renderShortage(start: number, missing: number, sendAt: number, context: NoticeContext): Words {
  const c = plainContext(context);
  const zh = c.locale === 'zh-CN';
  const startWall = instantToWall(start, c.zone);
  const days = Math.round((dayOf(startWall) - dayOf(instantToWall(sendAt, c.zone))) / DAY_MS);
  const word = DAY_WORDS[c.locale][days];
  const date = dateWords(startWall, c.locale);
  const day = word ? (zh ? `${word}（${date}）` : `${word} (${date})`) : date;
  const time = timeWords(startWall);
  return zh
    ? { subject: `缺人：${c.rotaName}`, text: `【${c.rotaName}】${day}${time} ${c.post ?? ''}还缺 ${missing} 人，请在个人页面报名。` }
    : { subject: `Volunteers needed: ${c.rotaName}`, text: `[${c.rotaName}] ${day} ${time}${c.post ? ` ${c.post}` : ''}: ${missing} more needed; sign up on your page.` };
}

/** The daily post: a heading, then the duty sheet's own lines for tomorrow (names, and gaps called out). */
export function renderRoster(typedRotaName: string, sheetLines: string[], locale: Locale): Words {
  const zh = locale === 'zh-CN';
  const rotaName = plain(typedRotaName);
  const heading = zh ? `【${rotaName}】明天的值班：` : `[${rotaName}] Tomorrow's duties:`;
  return { subject: zh ? `明日值班：${rotaName}` : `Tomorrow's duties: ${rotaName}`, text: [heading, ...sheetLines.map(plain)].join('\n') };
}

/** The last line of every message: the personal page (never with anyone's token). */
export function linkLine(publicUrl: string, locale: Locale): string {
  return locale === 'zh-CN' ? `查看：${publicUrl}/me` : `Open: ${publicUrl}/me`;
}

// ---- When -----------------------------------------------------------------------------------

export interface QuietHours {
  /** Local `HH:MM`. */
  from: string;
  to: string;
}

/**
 * The earliest instant at or after `instant` outside quiet hours in `zone`: inside them (22:00–07:00
 * wraps midnight), the end of the quiet hours; otherwise `instant` itself.
 */
export function afterQuietHours(instant: number, zone: string, quiet: QuietHours | null): number {
  if (!quiet) return instant;
  const from = parseTime(quiet.from)!;
  const to = parseTime(quiet.to)!;
  if (from === to) return instant;
  const wall = instantToWall(instant, zone);
  const day = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  const minute = Math.floor((wall - day) / MINUTE_MS);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return instant;
  const endDay = from > to && minute >= from ? day + DAY_MS : day;
  return wallToInstant(endDay + to * MINUTE_MS, zone);
}

export const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * MINUTE_MS;

/**
 * After the `attempts`-th failed try: when to try again (30 s, 1 min, 2 min, … at most an hour),
 * or null to give up (status failed, for a coordinator to see and retry).
 */
export function retryAt(attempts: number, now: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return now + Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/** Tomorrow's local date when the daily roster post is due (the local time has reached `rosterAt`), else null. */
export function rosterDue(now: number, zone: string, rosterAt: string | null): string | null {
  if (rosterAt === null) return null;
  const wall = instantToWall(now, zone);
  const day = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  return (wall - day) / MINUTE_MS >= parseTime(rosterAt)! ? formatDate(day + DAY_MS) : null;
}

/** A confirmed person's reminder is due from `hoursBefore` before the start until the start. */
export function reminderDue(start: number, hoursBefore: number, now: number): boolean {
  return hoursBefore > 0 && now >= start - hoursBefore * 60 * MINUTE_MS && now < start;
}

/** A webhook URL or secret shown to coordinators: enough to recognise it, not to use it. */
export function maskSecretUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '****';
  }
  // Short values would be shown whole by their last four characters: those show nothing.
  const tail = (s: string) => `****${s.length >= 12 ? s.slice(-4) : ''}`;
  const params = [...parsed.searchParams.entries()];
  const shown = params.length > 0 ? params.map(([k, v]) => `${k}=${tail(v)}`).join('&') : tail(parsed.pathname);
  return `${parsed.origin}/…${params.length > 0 ? '?' : ''}${shown}`;
}
