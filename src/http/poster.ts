// The printable poster for a post: a large QR code that opens the check-in page, the place, the
// usual time, one line of instructions and the link as text. Print CSS for A4 or A5, one page.
import type { RuleVersion } from '../domain/recurrence.js';
import type { Locale, Rota, SeriesRecord } from '../domain/types.js';

export type PosterSize = 'a4' | 'a5';

const WORDS = {
  'zh-CN': {
    title: '扫码签到',
    place: '地点',
    time: '时间',
    instructions: '到岗后用手机扫描二维码，点“签到”即可。请先在这部手机上打开过自己的个人链接。',
    window: '开始前 {n} 分钟至结束可以签到',
    link: '扫不了码？在手机浏览器里输入：',
    days: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    through: '至',
    daily: '每天',
  },
  en: {
    title: 'Check in here',
    place: 'Place',
    time: 'Time',
    instructions: 'When you arrive, scan the code with your phone and tap "Check in". Open your personal link on that phone once first.',
    window: 'Check-in opens {n} minutes before the start and closes at the end',
    link: 'Cannot scan? Type this into your phone\'s browser:',
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    through: '–',
    daily: 'Every day',
  },
} as const;

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The weekdays of a simple daily or weekly rule in words ("周一至周五"); empty when it is not that simple. */
function daysText(rrule: string, locale: Locale): string {
  const w = WORDS[locale];
  const parts = Object.fromEntries(rrule.split(';').map((p) => p.split('=') as [string, string]));
  if (parts.FREQ === 'DAILY' && !parts.BYDAY && !parts.INTERVAL) return w.daily;
  if (parts.FREQ !== 'WEEKLY' || !parts.BYDAY || (parts.INTERVAL && parts.INTERVAL !== '1')) return '';
  const days = parts.BYDAY.split(',').map((d) => BYDAY.indexOf(d)).filter((i) => i >= 0).sort((a, b) => a - b);
  if (days.length === 0) return '';
  const consecutive = days.length > 2 && days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  if (consecutive) return `${w.days[days[0]!]}${w.through}${w.days[days[days.length - 1]!]}`;
  return days.map((d) => w.days[d]).join(locale === 'zh-CN' ? '、' : ', ');
}

function timeText(startTime: string, durationMinutes: number): string {
  const [h, m] = startTime.split(':').map(Number) as [number, number];
  const end = (h * 60 + m + durationMinutes) % 1440;
  return `${startTime}–${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}

const SIZES: Record<PosterSize, { page: string; qr: number; title: number; text: number; link: number }> = {
  a4: { page: 'A4', qr: 150, title: 22, text: 7, link: 4.2 },
  a5: { page: 'A5', qr: 100, title: 15, text: 5, link: 3 },
};

export async function posterHtml(p: { rota: Rota; series: SeriesRecord; version: RuleVersion; url: string; windowMinutesBefore: number; locale: Locale; size: PosterSize }): Promise<string> {
  const w = WORDS[p.locale];
  const s = SIZES[p.size];
  const version = p.version;
  const name = p.series.label ? `${p.rota.name} · ${p.series.label}` : p.rota.name;
  const when = [daysText(version.rrule, p.locale), timeText(version.startTime, version.durationMinutes)].filter(Boolean).join(' ');
  // Loaded on the first QR code drawn: the service starts without it.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toString(p.url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const rows = [
    p.rota.location ? `<p class="fact"><span class="k">${w.place}</span> ${escapeHtml(p.rota.location)}</p>` : '',
    `<p class="fact"><span class="k">${w.time}</span> ${escapeHtml(when)}</p>`,
  ].join('\n');
  return `<!doctype html>
<html lang="${p.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(`${w.title} · ${name}`)}</title>
<style>
@page { size: ${s.page} portrait; margin: 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; background: #fff; }
.sheet { width: 100%; max-width: ${s.page === 'A4' ? 186 : 124}mm; margin: 0 auto; text-align: center; break-inside: avoid; page-break-inside: avoid; }
h1 { font-size: ${s.title}mm; line-height: 1.15; margin: 0 0 2mm; }
.post { font-size: ${s.text}mm; font-weight: bold; margin: 0 0 3mm; }
.qr { width: ${s.qr}mm; height: ${s.qr}mm; margin: 0 auto 3mm; }
.qr svg { width: 100%; height: 100%; display: block; }
.fact { font-size: ${s.text}mm; margin: 0 0 1.5mm; }
.k { font-weight: bold; margin-right: 2mm; }
.do { font-size: ${s.text * 0.8}mm; margin: 3mm 0 2mm; }
.window { font-size: ${s.text * 0.65}mm; margin: 0 0 3mm; }
.link { font-size: ${s.text * 0.65}mm; margin: 0; }
.url { font-family: "DejaVu Sans Mono", monospace; font-size: ${s.link}mm; word-break: break-all; margin: 1mm 0 0; }
@media screen { body { padding: 8mm 4mm; } }
</style>
</head>
<body>
<main class="sheet">
<h1>${w.title}</h1>
<p class="post">${escapeHtml(name)}</p>
<div class="qr" role="img" aria-label="${escapeHtml(p.url)}">${qr}</div>
${rows}
<p class="do">${escapeHtml(w.instructions)}</p>
<p class="window">${escapeHtml(w.window.replace('{n}', String(p.windowMinutesBefore)))}</p>
<p class="link">${escapeHtml(w.link)}</p>
<p class="url">${escapeHtml(p.url)}</p>
</main>
</body>
</html>
`;
}
