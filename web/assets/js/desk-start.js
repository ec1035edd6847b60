// The desk's first ten minutes: on a new install, a checklist of what to do first (a rota, people,
// their links, QR cards), each step ticked as it is done; and a plain warning when the personal
// links this server hands out would point at this computer, where nobody else can open them.
import { addStrings, t } from './i18n.js';
import { h } from './ui.js';

addStrings({
  'zh-CN': {
    startTitle: '从这里开始',
    startText: '四步就能让大家用起来：',
    startRota: '建一个值班表（哪里、星期几、几点、几个人）',
    startPeople: '添加人员（一个一个加，或者批量导入名单）',
    startLinks: '把每个人的个人链接发给他们（在微信里发，或者让对方扫码）',
    startQr: '给不会用链接的人打印二维码卡片',
    startDone: '已完成',
    startTodo: '未完成',
    startHide: '收起这个清单',
    localLinksWarn: '注意：个人链接现在指向 {host}，也就是这台电脑本身，别人的手机打不开。请让管理员在启动服务时把 ROTA_PUBLIC_URL 设成大家能打开的地址（例如 https://rota.example.org），然后再发链接。',
  },
  en: {
    startTitle: 'Start here',
    startText: 'Four steps and everyone can use it:',
    startRota: 'Create a rota (where, which days, what time, how many people)',
    startPeople: 'Add people (one by one, or import a list)',
    startLinks: 'Send each person their personal link (in the chat group, or let them scan it)',
    startQr: 'Print QR cards for those who do not use links well',
    startDone: 'done',
    startTodo: 'to do',
    startHide: 'Hide this checklist',
    localLinksWarn: 'Note: personal links now point at {host}, this computer itself: nobody else\'s phone can open them. Ask whoever runs the service to set ROTA_PUBLIC_URL to an address everyone can reach (for example https://rota.example.org) before sending links.',
  },
});

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/** True when a link of this service points at the computer it runs on (ROTA_PUBLIC_URL unset). */
export function isLocalLink(url) {
  const host = new URL(url).hostname;
  return LOCAL_HOSTS.has(host) || host.endsWith('.localhost') || host.startsWith('127.');
}

const HIDDEN_KEY = 'rota.desk.startHidden';
/** Once shown, the checklist stays (ticking) through redraws and language switches. */
let shown = false;

/**
 * `ctx.progress()` answers which steps are done: `{ rota, people, links, qr }`. The checklist
 * shows while the install is new (no rota or no volunteer yet) and stays until hidden or done.
 */
export function startSection(ctx) {
  const warning = h('p', { class: 'warning local-links', id: 'local-links' });
  const list = h('ol', { class: 'checklist' });
  const hide = h('button', { type: 'button', class: 'button secondary' }, t('startHide'));
  const box = h('div', { class: 'start-box' }, h('h2', { id: 'start-h' }, t('startTitle')), h('p', {}, t('startText')), list, h('div', { class: 'buttons' }, hide));
  const section = h('section', { id: 'start', 'aria-labelledby': 'start-h' }, warning, box);
  hide.addEventListener('click', () => {
    localStorage.setItem(HIDDEN_KEY, '1');
    render();
  });

  function render() {
    const me = ctx.me();
    warning.hidden = !isLocalLink(me.feedUrl);
    warning.textContent = `⚠ ${t('localLinksWarn', { host: new URL(me.feedUrl).host })}`;
    const done = ctx.progress();
    const steps = [
      ['rota', 'startRota', '#new-rota'],
      ['people', 'startPeople', '#add-person'],
      ['links', 'startLinks', '#people'],
      ['qr', 'startQr', '#qr-cards'],
    ];
    const all = steps.every(([key]) => done[key]);
    // Shown on a new install, until everything is done or it is hidden.
    shown ||= !done.rota || !done.people;
    box.hidden = !shown || all || localStorage.getItem(HIDDEN_KEY) === '1';
    list.replaceChildren(
      ...steps.map(([key, text, href]) =>
        h(
          'li',
          { class: done[key] ? 'step done' : 'step', 'data-step': key },
          h('span', { class: 'step-mark', 'aria-hidden': 'true' }, done[key] ? '✓' : '○'),
          done[key] ? h('span', {}, t(text)) : h('a', { href, onclick: () => ctx.open(href) }, t(text)),
          h('span', { class: 'visually-hidden' }, ` (${t(done[key] ? 'startDone' : 'startTodo')})`),
        ),
      ),
    );
    section.hidden = warning.hidden && box.hidden;
  }
  return { section, render };
}
