// "Put your duties in your phone's calendar": what to tap, per phone family (issue 14 item 5).
// iPhones subscribe to the webcal:// link; most Android calendars sold in China (Huawei, Xiaomi,
// OPPO, vivo, Samsung) do not subscribe to a web address, so they import the .ics file once and
// keep this page as the live view; WeChat's own browser opens neither, so it goes to a browser first.
// The section for the phone in hand opens by itself.
import { feedPath } from './api.js';
import { addStrings, t } from './i18n.js';
import { h, linkBox, qrCode } from './ui.js';

addStrings({
  'zh-CN': {
    subscribePhone: '按您的手机操作：',
    phone_iphone: 'iPhone（苹果手机）',
    phone_iphone_steps: '点上面的“订阅到我的日历”，再点“订阅”，然后点“添加”。\n' +
      '没有反应的话：点“复制链接”，打开“设置”→“日历”→“账户”→“添加账户”→“其他”→“添加已订阅的日历”，粘贴后点“下一步”“存储”。',
    phone_huawei: '华为 / 荣耀',
    phone_xiaomi: '小米 / 红米',
    phone_oppo: 'OPPO / 一加 / realme',
    phone_vivo: 'vivo / iQOO',
    phone_samsung: '三星',
    phone_android_steps: '这类手机的日历大多不能直接订阅网址。\n' +
      '点下面的“下载一次日历文件”，下载完在通知栏或“文件管理”里点开这个文件，选择用“日历”打开，再点“导入”或“保存”。\n' +
      '导入的是现在的值班，以后有变化不会自动更新：请把这个页面添加到桌面或收藏，随时打开看最新的。',
    phone_wechat: '在微信里打开的',
    phone_wechat_steps: '微信里的浏览器不能订阅日历，也不能下载文件。\n' +
      '点右上角的“···”，选“在默认浏览器中打开”（苹果手机选“在 Safari 中打开”），再按上面您手机的说明操作。\n' +
      '也可以点“复制链接”，把链接发到电脑上订阅。',
  },
  en: {
    subscribePhone: 'What to tap on your phone:',
    phone_iphone: 'iPhone',
    phone_iphone_steps: 'Tap "Subscribe in my calendar" above, then "Subscribe", then "Add".\n' +
      'If nothing happens: tap "Copy the link", open Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar, paste it, then tap Next and Save.',
    phone_huawei: 'Huawei / Honor',
    phone_xiaomi: 'Xiaomi / Redmi',
    phone_oppo: 'OPPO / OnePlus / realme',
    phone_vivo: 'vivo / iQOO',
    phone_samsung: 'Samsung',
    phone_android_steps: 'Most calendars on these phones cannot subscribe to a web address.\n' +
      'Tap "Download a calendar file once" below; when it has downloaded, tap the file in the notifications or in Files, open it with Calendar and tap Import or Save.\n' +
      'That imports today\'s duties only and does not follow later changes: add this page to your home screen or bookmarks and open it for the latest.',
    phone_wechat: 'Opened inside WeChat',
    phone_wechat_steps: 'WeChat\'s own browser can neither subscribe to a calendar nor download files.\n' +
      'Tap "···" at the top right and choose "Open in browser" ("Open in Safari" on an iPhone), then follow the steps for your phone above.\n' +
      'Or tap "Copy the link" and subscribe from a computer.',
  },
});

const FAMILIES = [
  ['iphone', /iPhone|iPad|iPod/, 'phone_iphone_steps'],
  ['huawei', /HUAWEI|HONOR|HarmonyOS/i, 'phone_android_steps'],
  ['xiaomi', /Xiaomi|Redmi|\bMI \d|MIUI|HyperOS/i, 'phone_android_steps'],
  ['oppo', /OPPO|OnePlus|realme|\bPH[A-Z]\d{3}|\bCPH\d{4}/i, 'phone_android_steps'],
  ['vivo', /vivo|iQOO|\bV\d{4}[A-Z]?\b/i, 'phone_android_steps'],
  ['samsung', /Samsung|\bSM-[A-Z]\d/i, 'phone_android_steps'],
  ['wechat', /MicroMessenger/i, 'phone_wechat_steps'],
];

/** A list of steps is one text, a step a line. */
function steps(key) {
  return t(key).split('\n');
}

function familySection([family, pattern, key]) {
  const here = pattern.test(navigator.userAgent);
  return h(
    'details',
    { class: 'phone-family', 'data-family': family, open: here },
    h('summary', {}, t(`phone_${family}`)),
    h('ol', {}, steps(key).map((step) => h('li', {}, step))),
  );
}

let qr = null;

export function subscribeSection(me) {
  qr ??= qrCode(me.feedUrl, t('subscribe'));
  qr.setAttribute('aria-label', t('qrLabel', { what: t('subscribe') }));
  return h(
    'section',
    { id: 'subscribe', 'aria-labelledby': 'subscribe-h' },
    h('h2', { id: 'subscribe-h' }, t('subscribe')),
    h('p', {}, t('subscribeText')),
    h('a', { class: 'button primary', href: me.webcalUrl }, t('subscribeButton')),
    h('p', { class: 'hint' }, t('subscribePhone')),
    h('div', { class: 'phone-families' }, FAMILIES.map(familySection)),
    linkBox(me.feedUrl, t('subscribeLink')),
    h('p', {}, t('subscribeQr')),
    qr,
    h('p', {}, h('a', { class: 'button secondary', href: `${feedPath(me.feedUrl)}?download=true`, download: 'my-shifts.ics' }, t('download'))),
  );
}
