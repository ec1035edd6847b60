// The page a post's QR code opens (`/checkin#<code>`): a captain who opened her personal link on
// this phone before sees the post and today's shift and checks in with one tap; anyone else is
// told to open their personal link first. The code stays in the fragment (never in server logs)
// and, like the personal link, leaves the address bar once read.
import { api, storedToken } from './api.js';
import { addStrings, applyStaticText, bindLangButton, formatDay, formatTime, formatWhen, onLangChange, t } from './i18n.js';
import { busy, errorText, h, notify } from './ui.js';

addStrings({
  'zh-CN': {
    checkinTitle: '扫码签到',
    checkinNoLinkTitle: '请先打开您的个人链接',
    checkinNoLinkText: '这部手机还没有打开过您的个人链接，所以还不知道您是谁。请先在微信群里找到协调员发给您的个人链接，点开一次，然后再扫一次这个二维码。',
    checkinNoCode: '没有读到签到码。请用手机相机或微信“扫一扫”扫描岗位上的二维码。',
    checkinBadCode: '这个二维码已经失效（可能换了新的海报）。请扫岗位上现在贴的二维码，或者问协调员。',
    checkinPlace: '地点：{place}',
    checkinButton: '签到',
    checkinDone: '签到成功！谢谢您，{name}。签到时间 {time}。',
    checkinAlready: '您已经签到了（{time}）。',
    checkinNotYet: '还没到签到时间。{when} 开始可以签到（开始前 {n} 分钟）。',
    checkinNoShift: '这个岗位最近没有班次。',
    checkinLeaderLabel: '值班负责人手机上的 6 位数字',
    checkinLeaderHint: '这个岗位签到时要输入值班负责人手机上显示的数字（每 30 秒换一次）。',
    checkinLocating: '正在确认您在岗位附近…',
    checkinOut: '签退（值班结束）',
    checkinOutDone: '已签退（{time}）。辛苦了！',
    checkinWalkIn: '您不在这个班次的名单上，已记为临时到岗，协调员会看到。',
    checkinLeaderTitle: '值班负责人签到码',
    checkinLeaderHelp: '请把这个数字告诉来签到的人。每 30 秒换一次。',
    checkinWindowAt: '现在不在签到时间内。{when} 开始可以签到。',
    checkinWindowClosed: '这个班次的签到已经结束了。',
    err_CHECKIN_CODE: '这个二维码已经失效（可能换了新的海报）。请扫岗位上现在贴的二维码，或者问协调员。',
    err_LEADER_CODE: '数字不对，或者已经换了新的。请再看一下值班负责人手机上的数字。',
    err_NOT_SIGNED_UP: '您不在这个班次的名单上，这个岗位不接受临时到岗。请在您的个人页面报名，或者告诉现场的协调员。',
    err_CONFLICT: '还没有签到，所以不能签退。',
  },
  en: {
    checkinTitle: 'Check in',
    checkinNoLinkTitle: 'Please open your personal link first',
    checkinNoLinkText: 'This phone has not opened your personal link yet, so it does not know who you are. Find the personal link your coordinator sent you in the group chat, open it once, then scan this code again.',
    checkinNoCode: 'No check-in code was read. Scan the QR code at the post with your phone\'s camera or WeChat.',
    checkinBadCode: 'This QR code no longer works (the poster may have been replaced). Scan the code now at the post, or ask the coordinator.',
    checkinPlace: 'Place: {place}',
    checkinButton: 'Check in',
    checkinDone: 'You are checked in. Thank you, {name}! Checked in at {time}.',
    checkinAlready: 'You are already checked in ({time}).',
    checkinNotYet: 'Check-in is not open yet. It opens at {when} ({n} minutes before the start).',
    checkinNoShift: 'This post has no shift in the coming days.',
    checkinLeaderLabel: 'The 6 digits on the shift leader\'s phone',
    checkinLeaderHint: 'This post asks for the number shown on the shift leader\'s phone (it changes every 30 seconds).',
    checkinLocating: 'Checking that you are near the post…',
    checkinOut: 'Check out (I am done)',
    checkinOutDone: 'Checked out ({time}). Thank you for your time!',
    checkinWalkIn: 'You were not on this shift\'s list, so you are recorded as a walk-in; the coordinator will see it.',
    checkinLeaderTitle: 'Shift leader\'s check-in code',
    checkinLeaderHelp: 'Tell this number to people checking in. It changes every 30 seconds.',
    checkinWindowAt: 'Check-in is not open now. It opens at {when}.',
    checkinWindowClosed: 'Check-in for this shift has closed.',
    err_CHECKIN_CODE: 'This QR code no longer works (the poster may have been replaced). Scan the code now at the post, or ask the coordinator.',
    err_LEADER_CODE: 'That number is not right, or it has changed. Look at the shift leader\'s phone again.',
    err_NOT_SIGNED_UP: 'You are not on this shift\'s list, and this post takes no walk-ins. Sign up on your personal page, or tell the coordinator at the post.',
    err_CONFLICT: 'You have not checked in, so you cannot check out.',
  },
});

const CODE_KEY = 'rota.checkinCode';
const CODE_RE = /^[A-Za-z0-9_-]{16,100}$/;
const main = document.getElementById('main');

const state = { code: null, me: null, post: null, done: null, failure: null, leaderCode: null };
let leaderTimer = null;

/** The code from the address (kept for this tab, then taken out of the address bar) or from earlier in this tab. */
function takeCode() {
  const fragment = decodeURIComponent(location.hash.slice(1));
  if (CODE_RE.test(fragment)) {
    sessionStorage.setItem(CODE_KEY, fragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(CODE_KEY);
}

/** The phone's position, or null when refused, unavailable or slow; only its distance from the post is kept. */
function position() {
  if (!navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

function dayTime(iso, zone) {
  return `${formatDay(iso, zone)} ${formatTime(iso, zone)}`;
}

function message(kind, text) {
  return h('p', { class: kind === 'ok' ? 'checkin-ok' : 'warning', role: kind === 'ok' ? 'status' : null }, kind === 'ok' ? '✓ ' : '', text);
}

function render() {
  if (state.failure) {
    main.replaceChildren(h('h1', {}, t(state.failure.title)), h('p', {}, state.failure.text ?? errorText(state.failure.error)));
    return;
  }
  const post = state.post;
  if (!post) return;
  const zone = post.timezone;
  const name = post.label ? `${post.rotaName} · ${post.label}` : post.rotaName;
  const mine = state.done ?? post.mine;
  const parts = [h('h1', {}, name)];
  if (post.location) parts.push(h('p', { class: 'place' }, t('checkinPlace', { place: post.location })));
  if (post.shift) parts.push(h('p', { class: 'when' }, formatWhen(post.shift.start, post.shift.end, zone)));
  if (mine?.checkedInAt) {
    parts.push(message('ok', state.done?.fresh ? t('checkinDone', { name: state.me.name, time: formatTime(mine.checkedInAt, zone) }) : t('checkinAlready', { time: formatTime(mine.checkedInAt, zone) })));
    if (state.done?.fresh && mine.walkIn) parts.push(h('p', {}, t('checkinWalkIn')));
    if (mine.checkedOutAt) parts.push(message('ok', t('checkinOutDone', { time: formatTime(mine.checkedOutAt, zone) })));
    else parts.push(h('button', { type: 'button', class: 'button secondary', onclick: (e) => busy(e.currentTarget, () => checkOut(mine.signupId)) }, t('checkinOut')));
  } else if (!post.shift) {
    parts.push(h('p', {}, t('checkinNoShift')));
  } else if (!post.open) {
    parts.push(message('warn', t('checkinNotYet', { when: dayTime(post.opensAt, zone), n: Math.round((Date.parse(post.shift.start) - Date.parse(post.opensAt)) / 60_000) })));
  } else {
    const form = h('form', { class: 'checkin-form', onsubmit: (e) => e.preventDefault() });
    let digits = null;
    if (post.requireLeaderCode) {
      digits = h('input', { id: 'leader-code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', class: 'leader-input', required: true });
      form.append(h('p', {}, t('checkinLeaderHint')), h('label', { for: 'leader-code' }, t('checkinLeaderLabel')), digits);
    }
    form.append(
      h('button', { type: 'submit', class: 'button primary big', onclick: (e) => busy(e.currentTarget, () => checkIn(digits?.value.trim())) }, t('checkinButton')),
    );
    parts.push(form);
  }
  if (post.isLeader && post.seriesId && post.requireLeaderCode) {
    parts.push(
      h('section', { class: 'card leader', 'aria-labelledby': 'leader-title' },
        h('h2', { id: 'leader-title' }, t('checkinLeaderTitle')),
        h('p', { class: 'leader-code', 'aria-live': 'polite' }, state.leaderCode ?? '······'),
        h('p', {}, t('checkinLeaderHelp'))),
    );
  }
  main.replaceChildren(...parts);
}

async function refreshLeaderCode() {
  try {
    state.leaderCode = (await api('GET', `/series/${state.post.seriesId}/leader-code`)).code;
  } catch {
    state.leaderCode = null;
  }
  render();
}

async function checkIn(leaderCode) {
  if (state.post.requireLeaderCode && !/^\d{6}$/.test(leaderCode ?? '')) {
    notify('warn', t('err_LEADER_CODE'));
    return;
  }
  const body = { code: state.code, shiftId: state.post.shift.id };
  if (leaderCode) body.leaderCode = leaderCode;
  if (state.post.wantsLocation) {
    notify('ok', t('checkinLocating'));
    const where = await position();
    if (where) body.location = where;
  }
  try {
    state.done = { ...(await api('POST', '/checkins', body)), fresh: true };
    document.getElementById('notice').replaceChildren();
    render();
  } catch (error) {
    if (error.code !== 'CHECKIN_WINDOW') return notify('warn', errorText(error));
    // The window closed (or has not opened) since the page was drawn: say when, and redraw.
    const opens = error.details.opensAt;
    notify('warn', opens ? t('checkinWindowAt', { when: dayTime(opens, state.post.timezone) }) : t('checkinWindowClosed'));
    state.post = await api('POST', '/checkins/lookup', { code: state.code });
    render();
  }
}

async function checkOut(signupId) {
  try {
    state.done = { ...(await api('POST', `/checkins/${signupId}/out`)), fresh: false };
    render();
  } catch (error) {
    notify('warn', errorText(error));
  }
}

async function load() {
  clearInterval(leaderTimer);
  Object.assign(state, { me: null, post: null, done: null, failure: null, leaderCode: null });
  state.code = takeCode();
  if (!state.code) {
    state.failure = { title: 'checkinTitle', text: t('checkinNoCode') };
    return render();
  }
  if (!storedToken()) {
    state.failure = { title: 'checkinNoLinkTitle', text: t('checkinNoLinkText') };
    return render();
  }
  try {
    state.me = await api('GET', '/me');
    state.post = await api('POST', '/checkins/lookup', { code: state.code });
  } catch (error) {
    if (error.code === 'UNAUTHENTICATED') state.failure = { title: 'checkinNoLinkTitle', text: t('checkinNoLinkText') };
    else if (error.code === 'CHECKIN_CODE') state.failure = { title: 'checkinTitle', text: t('checkinBadCode') };
    else state.failure = { title: 'checkinTitle', error };
    return render();
  }
  render();
  if (state.post.isLeader && state.post.seriesId && state.post.requireLeaderCode) {
    await refreshLeaderCode();
    leaderTimer = setInterval(refreshLeaderCode, 10_000);
  }
}

applyStaticText();
bindLangButton(document.getElementById('lang'));
onLangChange(render);
// A second scan while this page is open only changes the fragment: read the code again.
addEventListener('hashchange', load);
addEventListener('pagehide', () => clearInterval(leaderTimer));
load();
