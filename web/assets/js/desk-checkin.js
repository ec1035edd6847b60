// The desk's check-in part (issue 15), a module of its own beside desk.js: today's shifts with who
// has checked in, who has not (tap to call), walk-ins and flagged check-ins, audited corrections,
// and each post's poster (print on A4 or A5, or replace its code).
import { api, apiBlob, storedToken } from './api.js';
import { addStrings, formatTime, onLangChange, t } from './i18n.js';
import { ask, busy, errorText, h, notify } from './ui.js';

addStrings({
  'zh-CN': {
    deskCheckinTitle: '今日签到',
    deskCheckinRefresh: '刷新',
    deskCheckinNone: '今天没有班次。',
    deskCheckinCount: '已签到 {n} 人，名单上 {m} 人',
    deskCheckinIn: '已签到',
    deskCheckinNotYet: '还没签到',
    deskCheckinNobody: '没有人。',
    deskCheckinAt: '{time} 签到',
    deskCheckinOutAt: '{time} 签退',
    deskCheckinCall: '打电话 {phone}',
    deskCheckinNoPhone: '没有留电话',
    deskCheckinUndo: '撤销签到',
    deskCheckinUndoQ: '撤销 {name} 的签到？这会记录在操作日志里。',
    deskCheckinUndone: '已撤销 {name} 的签到。',
    deskCheckinClear: '已核实',
    deskCheckinCleared: '已标记为核实：{name}',
    deskFlag_walkIn: '临时到岗',
    deskFlag_far: '离岗位 {n} 米',
    deskFlag_noLocation: '没有位置',
    deskPosterTitle: '签到海报',
    deskPosterSeries: '岗位（班次系列）',
    deskPosterA4: '打印海报（A4）',
    deskPosterA5: '打印海报（A5）',
    deskPosterReplace: '更换二维码',
    deskPosterReplaceQ: '更换这个岗位的二维码？旧海报（和它的照片）会马上失效，需要打印新海报贴上。',
    deskPosterReplaced: '二维码已更换。请打印新海报。',
  },
  en: {
    deskCheckinTitle: 'Today\'s check-ins',
    deskCheckinRefresh: 'Refresh',
    deskCheckinNone: 'No shifts today.',
    deskCheckinCount: '{n} checked in of {m} on the list',
    deskCheckinIn: 'Checked in',
    deskCheckinNotYet: 'Not checked in yet',
    deskCheckinNobody: 'Nobody.',
    deskCheckinAt: 'in at {time}',
    deskCheckinOutAt: 'out at {time}',
    deskCheckinCall: 'Call {phone}',
    deskCheckinNoPhone: 'no phone number',
    deskCheckinUndo: 'Undo check-in',
    deskCheckinUndoQ: 'Undo {name}\'s check-in? This is recorded in the audit log.',
    deskCheckinUndone: 'Undid {name}\'s check-in.',
    deskCheckinClear: 'Checked, fine',
    deskCheckinCleared: 'Marked as checked: {name}',
    deskFlag_walkIn: 'walk-in',
    deskFlag_far: '{n} m from the post',
    deskFlag_noLocation: 'no location',
    deskPosterTitle: 'Check-in posters',
    deskPosterSeries: 'Post (series)',
    deskPosterA4: 'Print poster (A4)',
    deskPosterA5: 'Print poster (A5)',
    deskPosterReplace: 'Replace the QR code',
    deskPosterReplaceQ: 'Replace this post\'s QR code? Old posters (and photos of them) stop working at once; print and put up the new poster.',
    deskPosterReplaced: 'The QR code was replaced. Print the new poster.',
  },
});

const section = document.getElementById('checkin-desk');
const state = { shifts: [], series: [] };

function flagText(flag, person) {
  if (flag === 'walk-in') return t('deskFlag_walkIn');
  if (flag === 'far') return t('deskFlag_far', { n: person.distanceMetres });
  return t('deskFlag_noLocation');
}

function personLine(person, zone, shift) {
  if (!person.checkedInAt) {
    return h(
      'li',
      { class: 'checkin-person' },
      h('span', { class: 'name' }, person.personName),
      ' ',
      person.phone ? h('a', { class: 'button secondary call', href: `tel:${person.phone.replace(/[^0-9+]/g, '')}` }, t('deskCheckinCall', { phone: person.phone })) : h('span', { class: 'muted' }, t('deskCheckinNoPhone')),
    );
  }
  const times = [t('deskCheckinAt', { time: formatTime(person.checkedInAt, zone) }), person.checkedOutAt ? t('deskCheckinOutAt', { time: formatTime(person.checkedOutAt, zone) }) : null].filter(Boolean).join(' · ');
  return h(
    'li',
    { class: 'checkin-person', 'data-signup-id': String(person.signupId) },
    h('span', { class: 'name' }, person.personName),
    ' ',
    h('span', {}, times),
    person.flags.map((f) => h('span', { class: 'flag' }, flagText(f, person))),
    h(
      'div',
      { class: 'buttons' },
      person.flags.length > 0
        ? h('button', { type: 'button', class: 'button secondary', onclick: (e) => busy(e.currentTarget, () => correct(person, { clearFlags: true }, t('deskCheckinCleared', { name: person.personName }))) }, t('deskCheckinClear'))
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          onclick: (e) =>
            busy(e.currentTarget, async () => {
              if (await ask({ question: t('deskCheckinUndoQ', { name: person.personName }), content: [h('p', {}, shift)], yes: t('deskCheckinUndo'), danger: true })) {
                await correct(person, { checkedInAt: null }, t('deskCheckinUndone', { name: person.personName }));
              }
            }),
        },
        t('deskCheckinUndo'),
      ),
    ),
  );
}

async function correct(person, body, done) {
  try {
    await api('PATCH', `/checkins/${person.signupId}`, body);
    notify('ok', done);
    await load();
  } catch (error) {
    notify('error', errorText(error));
  }
}

function shiftCard(s) {
  const zone = s.zone;
  const title = `${s.label ? `${s.rotaName} · ${s.label}` : s.rotaName} ${formatTime(s.start, zone)}–${formatTime(s.end, zone)}`;
  const checkedIn = s.people.filter((p) => p.checkedInAt);
  const waiting = s.people.filter((p) => !p.checkedInAt && p.status === 'confirmed');
  const listOf = (people) => (people.length ? h('ul', { class: 'checkin-people' }, people.map((p) => personLine(p, zone, title))) : h('p', { class: 'muted' }, t('deskCheckinNobody')));
  return h(
    'li',
    { class: 'card', 'data-shift-id': s.shiftId },
    h('h3', {}, title),
    h('p', {}, t('deskCheckinCount', { n: checkedIn.length, m: s.people.filter((p) => p.status === 'confirmed' && !p.walkIn).length })),
    h('h4', {}, t('deskCheckinIn')),
    listOf(checkedIn),
    h('h4', {}, t('deskCheckinNotYet')),
    listOf(waiting),
  );
}

function posterTools() {
  const select = h('select', { id: 'poster-series' }, state.series.map((s) => h('option', { value: String(s.id) }, s.name)));
  const print = (size) => async (e) =>
    busy(e.currentTarget, async () => {
      try {
        const blob = await apiBlob('GET', `/series/${select.value}/poster?size=${size}`);
        window.open(URL.createObjectURL(new Blob([blob], { type: 'text/html' })), '_blank');
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  const replace = (e) =>
    busy(e.currentTarget, async () => {
      if (!(await ask({ question: t('deskPosterReplaceQ'), yes: t('deskPosterReplace'), danger: true }))) return;
      try {
        await api('POST', `/series/${select.value}/checkin`);
        notify('ok', t('deskPosterReplaced'));
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  return h(
    'div',
    { class: 'poster-tools' },
    h('h3', {}, t('deskPosterTitle')),
    h('label', { for: 'poster-series' }, t('deskPosterSeries')),
    select,
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'button', class: 'button secondary', onclick: print('a4') }, t('deskPosterA4')),
      h('button', { type: 'button', class: 'button secondary', onclick: print('a5') }, t('deskPosterA5')),
      h('button', { type: 'button', class: 'button secondary', onclick: replace }, t('deskPosterReplace')),
    ),
  );
}

function render() {
  section.replaceChildren(
    h('h2', { id: 'checkin-desk-title' }, t('deskCheckinTitle')),
    h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'button secondary', onclick: (e) => busy(e.currentTarget, load) }, t('deskCheckinRefresh'))),
    state.shifts.length ? h('ul', { class: 'cards' }, state.shifts.map(shiftCard)) : h('p', { class: 'muted' }, t('deskCheckinNone')),
    state.series.length ? posterTools() : null,
  );
}

async function load() {
  const [today, rotas] = await Promise.all([api('GET', '/checkins/today'), api('GET', '/rotas')]);
  const zones = new Map(rotas.rotas.map((r) => [r.id, r.timezone]));
  state.shifts = today.shifts.map((s) => ({ ...s, zone: zones.get(s.rotaId) ?? 'UTC' }));
  const lists = await Promise.all(rotas.rotas.map((r) => api('GET', `/rotas/${r.id}/series`).then((x) => x.series.map((s) => ({ id: s.id, name: s.label ? `${r.name} · ${s.label}` : r.name })))));
  state.series = lists.flat();
  render();
}

async function start() {
  if (!section || !storedToken()) return;
  try {
    if ((await api('GET', '/me')).role !== 'coordinator') return;
    await load();
  } catch {
    // The desk itself says why it cannot open; this part stays hidden.
    return;
  }
  section.hidden = false;
  onLangChange(render);
  // Live enough for a gate at 07:15: a quiet reload every 30 seconds while the desk is in view.
  setInterval(() => {
    if (document.visibilityState === 'visible') load().catch(() => {});
  }, 30_000);
}

start();
