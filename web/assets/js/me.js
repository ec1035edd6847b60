// The personal page a captain opens from the link in the group chat: her next duty first, then
// her coming duties, then duties she can take, each change two taps (the button, then "yes").
// Everything above the calendar comes from one call (`/me/overview`); the calendar and its
// libraries load after the next duty is on the screen (issue 14).
import { api, feedPath } from './api.js';
import { addStrings, formatDay, formatTime, formatWhen, joinNames, onLangChange, relativeDay, t } from './i18n.js';
import { startPage } from './page.js';
import { ask, busy, errorText, h, notify, openDialog, show } from './ui.js';

addStrings({
  'zh-CN': {
    openCount: '可以报名：{n} 个班 ↓',
    lockedSoon: '离开始不到 {hours} 小时，这里已经不能取消或换班了。',
    lockedStarted: '这个班次已经开始，这里已经不能取消或换班了。',
    lockedCall: '如需变更，请直接联系{name}。',
    lockedNobody: '如需变更，请直接联系协调员。',
    callContact: '打电话给{name}：{phone}',
  },
  en: {
    openCount: 'Open to sign up: {n} ↓',
    lockedSoon: 'This duty starts in less than {hours} hours, so it can no longer be cancelled or swapped here.',
    lockedStarted: 'This duty has started, so it can no longer be cancelled or swapped here.',
    lockedCall: 'For any change, contact {name} directly.',
    lockedNobody: 'For any change, contact your coordinator directly.',
    callContact: 'Call {name}: {phone}',
  },
});

const main = document.getElementById('main');
const OPEN_SHOWN = 12;

const state = {
  me: null,
  rotas: new Map(),
  shifts: new Map(),
  signups: [],
  offers: [],
  /** Her own offers still waiting, by the offered sign-up's id: those duties are marked. */
  myOffers: new Map(),
  trades: [],
  /** Shifts she could sign up for now, soonest first. */
  open: [],
  openLimit: OPEN_SHOWN,
  failure: null,
};

/** Built once and moved between redraws: the calendar keeps its state. */
const calendarBox = h('div', { class: 'calendar', id: 'my-calendar' });
let calendar = null;
/** The subscription section's maker, loaded after the next duty is drawn (it sits at the bottom). */
let subscribeSection = null;

// ---------- loading ----------

function zoneOf(rotaId) {
  return state.rotas.get(rotaId)?.timezone ?? 'UTC';
}

/** Loads the page's state: from `given` (the first call's answer) or a new call. */
async function load(given = null) {
  const o = given ?? (await api('GET', '/me/overview'));
  state.me = o.me;
  state.rotas = new Map(o.rotas.map((r) => [r.id, r]));
  state.signups = o.signups;
  state.offers = o.offers;
  state.myOffers = new Map(o.myOffers.map((offer) => [offer.signupId, offer]));
  state.trades = o.trades;
  state.shifts = new Map(o.shifts.map((shift) => [shift.id, shift]));
  state.open = o.openShiftIds.map((id) => state.shifts.get(id));
}

// ---------- describing a shift ----------

function whenOf(item, zone) {
  return formatWhen(item.start, item.end, zone);
}

function whatOf(shift, fallback) {
  if (!shift) return fallback;
  return shift.label ? `${shift.rotaName} · ${shift.label}` : shift.rotaName;
}

function whenLine(item, zone) {
  const rel = relativeDay(item.localDate, zone);
  return h(
    'p',
    { class: 'when' },
    rel ? h('span', { class: 'relative' }, rel) : null,
    h('span', { class: 'nowrap' }, formatDay(item.start, zone)),
    ' ',
    h('span', { class: 'nowrap' }, `${formatTime(item.start, zone)}–${formatTime(item.end, zone)}`),
  );
}

function placeLine(shift) {
  return shift?.location ? h('p', {}, t('place', { place: shift.location })) : null;
}

/** The details shown in the question before a change. */
function details(item, shift, zone) {
  return [h('p', { class: 'when' }, whenOf(item, zone)), h('p', { class: 'what' }, whatOf(shift, item.rotaName)), placeLine(shift)];
}

// ---------- actions ----------

async function afterChange(localDate) {
  try {
    await load();
  } catch (error) {
    notify('error', errorText(error));
  }
  render();
  if (calendar) {
    calendar.refetch();
    if (localDate) calendar.goTo(localDate);
  }
}

/** Asks, acts, says what happened in plain words (a refusal too), and redraws. */
async function act(button, { question, content, yes, danger, run, done, localDate }) {
  await busy(button, async () => {
    if (!(await ask({ question, content, yes, danger }))) return;
    try {
      notify('ok', done(await run()));
    } catch (error) {
      // A second tap that arrives after the first one succeeded is not a failure.
      if (error.code === 'ALREADY_SIGNED_UP') notify('ok', done({ already: true }));
      else notify('error', errorText(error));
    }
    await afterChange(localDate);
  });
}

function signUp(button, shift) {
  const zone = shift.timezone;
  const when = whenOf(shift, zone);
  return act(button, {
    question: t('signUpFor'),
    content: details(shift, shift, zone),
    yes: t('signUpYes'),
    localDate: shift.localDate,
    run: () => api('POST', `/shifts/${encodeURIComponent(shift.id)}/signups`, {}),
    done: (signup) => t(signup.already ? 'alreadyOn' : signup.status === 'waitlisted' ? 'waitlisted' : 'signedUp', { when }),
  });
}

function cancel(button, signup) {
  const zone = zoneOf(signup.rotaId);
  return act(button, {
    question: t('cancelSignupQ'),
    content: details(signup, state.shifts.get(signup.shiftId), zone),
    yes: t('cancelSignupYes'),
    danger: true,
    run: () => api('DELETE', `/signups/${signup.id}`),
    done: () => t('cancelled', { when: whenOf(signup, zone) }),
  });
}

function offer(button, signup) {
  const zone = zoneOf(signup.rotaId);
  const when = whenOf(signup, zone);
  return act(button, {
    question: t('offerQ'),
    content: details(signup, state.shifts.get(signup.shiftId), zone),
    yes: t('offerYes'),
    run: () => api('POST', `/signups/${signup.id}/offer`),
    // Someone on the waitlist takes an offered place at once.
    done: (result) => t(result.status === 'claimed' ? 'offerTakenAtOnce' : 'offered', { when }),
  });
}

function withdrawOffer(button, signup, o) {
  const zone = zoneOf(signup.rotaId);
  const when = whenOf(signup, zone);
  return act(button, {
    question: t('coverWithdrawQ'),
    content: details(signup, state.shifts.get(signup.shiftId), zone),
    yes: t('coverWithdrawYes'),
    run: () => api('DELETE', `/offers/${o.id}`),
    done: () => t('coverWithdrawn', { when }),
  });
}

/**
 * Shows the places she could swap for as one big button each; resolves the one tapped, or null.
 * The dialog closes before the question that follows, which reuses it.
 */
function choose({ question, content, options, label }) {
  const dialog = document.getElementById('dialog');
  return new Promise((resolve) => {
    let chosen = null;
    const pick = (option) => {
      chosen = option;
      dialog.close();
    };
    dialog.replaceChildren(
      h('h2', { id: 'dialog-title' }, question),
      h('div', { class: 'dialog-body' }, content, h('ul', { class: 'choices' }, options.map((o) => h('li', {}, h('button', { type: 'button', class: 'button secondary choice', onclick: () => pick(o) }, label(o)))))),
      h('div', { class: 'dialog-buttons' }, h('button', { type: 'button', class: 'button secondary', onclick: () => dialog.close() }, t('cancel'))),
    );
    dialog.setAttribute('aria-labelledby', 'dialog-title');
    dialog.onclose = () => resolve(chosen);
    openDialog(dialog);
  });
}

/**
 * Swap in three taps: "swap", the place she would take instead, then "yes". Nothing moves until
 * the other person accepts on her own page. (Not through act(): there ALREADY_SIGNED_UP reads as a
 * double tap's success, while here it means someone is already on the other duty.)
 */
function swap(button, signup) {
  const zone = zoneOf(signup.rotaId);
  const yours = whenOf(signup, zone);
  return busy(button, async () => {
    try {
      const { swapOptions } = await api('GET', `/signups/${signup.id}/swap-options`);
      if (swapOptions.length === 0) {
        show({ title: t('swapNone'), content: [h('p', {}, t('swapNoneText'))] });
        return;
      }
      // Both places are on the same rota, so in the same zone.
      const o = await choose({
        question: t('swapPick'),
        content: h('p', {}, t('swapGiving', { when: yours })),
        options: swapOptions,
        label: (option) => [
          h(
            'span',
            { class: 'choice-when' },
            h('span', { class: 'nowrap' }, formatDay(option.start, zone)),
            ' ',
            h('span', { class: 'nowrap' }, `${formatTime(option.start, zone)}–${formatTime(option.end, zone)}`),
          ),
          h('span', {}, option.label ? `${option.rotaName} · ${option.label}` : option.rotaName),
          h('span', { class: 'choice-who' }, t('swapNowWith', { name: option.personName })),
        ],
      });
      if (!o) return;
      const content = [
        h('p', { class: 'when' }, t('swapYouGo', { when: formatWhen(o.start, o.end, zone) })),
        h('p', {}, t('swapTheyGo', { name: o.personName, when: yours })),
        h('p', {}, t('swapUntil', { name: o.personName })),
      ];
      if (!(await ask({ question: t('swapQ', { name: o.personName }), content, yes: t('swapYes') }))) return;
      await api('POST', `/signups/${signup.id}/trade`, { withSignupId: o.signupId });
      notify('ok', t('swapAsked', { name: o.personName }));
    } catch (error) {
      notify('error', errorText(error));
    }
    await afterChange();
  });
}

function claim(button, o) {
  const zone = zoneOf(o.rotaId);
  const when = whenOf(o, zone);
  return act(button, {
    question: t('claimQ', { name: o.personName }),
    content: details(o, state.shifts.get(o.shiftId), zone),
    yes: t('claimYes'),
    localDate: o.localDate,
    run: () => api('POST', `/offers/${o.id}/claim`, {}),
    // On a rota that needs a coordinator's approval the claim waits (202 with the offer).
    done: (result) => t(result.status === 'pending_approval' ? 'claimPending' : 'claimed', { when }),
  });
}

/** A place in a swap, in the words of its own rota's zone. */
function placeText(place) {
  const shift = state.shifts.get(place.shiftId);
  return `${formatWhen(place.start, place.end, shift?.timezone ?? 'UTC')} ${whatOf(shift, place.rotaName)}`;
}

function accept(button, trade) {
  const theirs = placeText(trade.gives);
  const yours = placeText(trade.takes);
  return act(button, {
    question: t('acceptQ', { theirs, yours }),
    yes: t('acceptYes'),
    localDate: trade.gives.start.slice(0, 10),
    run: () => api('POST', `/trades/${trade.id}/accept`),
    done: (result) => t(result.status === 'pending_approval' ? 'acceptPending' : 'accepted', { when: theirs }),
  });
}

function decline(button, trade) {
  return act(button, {
    question: t('declineQ', { name: trade.proposerName }),
    yes: t('declineYes'),
    danger: true,
    run: () => api('POST', `/trades/${trade.id}/decline`),
    done: () => t('declined', { name: trade.proposerName }),
  });
}

function withdraw(button, trade) {
  return act(button, {
    question: t('withdrawQ', { name: trade.responderName }),
    yes: t('withdrawYes'),
    run: () => api('DELETE', `/trades/${trade.id}`),
    done: () => t('withdrawn'),
  });
}

// ---------- sections ----------

function othersOn(signup, shift) {
  const others = (shift?.people ?? []).filter((p) => p.id !== state.me.id).map((p) => p.name);
  return h('p', {}, others.length ? t('withYou', { names: joinNames(others) }) : t('aloneSoFar'));
}

/** "Looking for cover" on a duty she offered: she still holds it until someone takes it. */
function coverTag(signup) {
  const o = state.myOffers.get(signup.id);
  if (!o) return null;
  return h('p', {}, h('span', { class: 'tag offer' }, t(o.status === 'pending_approval' ? 'coverClaimPending' : 'lookingForCover')));
}

/** Inside the rota's lock window a volunteer's changes go through the contact (coordinators may always act). */
function locked(signup) {
  if (state.me.role === 'coordinator') return false;
  const hours = state.rotas.get(signup.rotaId)?.cancelClosesHoursBefore ?? 0;
  return Date.now() >= Date.parse(signup.start) - hours * 3_600_000;
}

/** Instead of buttons that would fail: who to call now, with a tap-to-call link. */
function lockedNote(signup) {
  const rota = state.rotas.get(signup.rotaId);
  const contact = rota?.contact ?? null;
  const hours = rota?.cancelClosesHoursBefore ?? 0;
  const started = Date.now() >= Date.parse(signup.start);
  return h(
    'div',
    { class: 'locked' },
    h('p', {}, t(started || hours === 0 ? 'lockedStarted' : 'lockedSoon', { hours })),
    h('p', {}, contact ? t('lockedCall', { name: contact.name }) : t('lockedNobody')),
    contact?.phone
      ? h('a', { class: 'button primary call', href: `tel:${contact.phone.replace(/[^\d+]/g, '')}` }, t('callContact', { name: contact.name, phone: contact.phone }))
      : null,
  );
}

function myButtons(signup) {
  if (locked(signup)) return lockedNote(signup);
  const o = state.myOffers.get(signup.id);
  const confirmed = signup.status === 'confirmed';
  return h(
    'div',
    { class: 'buttons' },
    confirmed && o ? h('button', { type: 'button', class: 'button secondary', onclick: (e) => withdrawOffer(e.currentTarget, signup, o) }, t('coverWithdraw')) : null,
    confirmed && !o ? h('button', { type: 'button', class: 'button secondary', onclick: (e) => offer(e.currentTarget, signup) }, t('offer')) : null,
    confirmed ? h('button', { type: 'button', class: 'button secondary', onclick: (e) => swap(e.currentTarget, signup) }, t('swap')) : null,
    h('button', { type: 'button', class: 'button secondary', onclick: (e) => cancel(e.currentTarget, signup) }, t('cancelSignup')),
  );
}

function nextDutySection(next) {
  const body = next
    ? (() => {
        const shift = state.shifts.get(next.shiftId);
        const zone = zoneOf(next.rotaId);
        return h(
          'div',
          { class: 'card next', 'data-signup-id': String(next.id) },
          whenLine(next, zone),
          h('p', { class: 'what' }, whatOf(shift, next.rotaName)),
          placeLine(shift),
          othersOn(next, shift),
          coverTag(next),
          myButtons(next),
        );
      })()
    : h('p', { class: 'empty' }, t('noNextDuty'));
  return h('section', { id: 'next', 'aria-labelledby': 'next-h' }, h('h2', { id: 'next-h' }, t('nextDuty')), body);
}

function tradesSection() {
  if (state.trades.length === 0) return null;
  const items = state.trades.map((trade) => {
    const asked = trade.responderId === state.me.id;
    const texts = { theirs: placeText(asked ? trade.gives : trade.takes), yours: placeText(asked ? trade.takes : trade.gives) };
    return h(
      'li',
      { class: 'card', 'data-trade-id': String(trade.id) },
      h('p', { class: 'what' }, asked ? t('tradeFrom', { name: trade.proposerName, ...texts }) : t('tradeWaiting', { name: trade.responderName, ...texts })),
      trade.status === 'pending_approval' ? h('p', {}, h('span', { class: 'tag offer' }, t('tradeNeedsApproval'))) : null,
      trade.status !== 'proposed'
        ? null
        : asked
          ? h(
              'div',
              { class: 'buttons' },
              h('button', { type: 'button', class: 'button primary', onclick: (e) => accept(e.currentTarget, trade) }, t('accept')),
              h('button', { type: 'button', class: 'button secondary', onclick: (e) => decline(e.currentTarget, trade) }, t('decline')),
            )
          : h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'button secondary', onclick: (e) => withdraw(e.currentTarget, trade) }, t('withdraw'))),
    );
  });
  return h('section', { id: 'trades', 'aria-labelledby': 'trades-h' }, h('h2', { id: 'trades-h' }, t('trades')), h('ul', { class: 'cards' }, items));
}

function mySection(rest) {
  const items = rest.map((s) => {
    const shift = state.shifts.get(s.shiftId);
    const zone = zoneOf(s.rotaId);
    return h(
      'li',
      { class: 'card', 'data-signup-id': String(s.id) },
      whenLine(s, zone),
      h('p', { class: 'what' }, whatOf(shift, s.rotaName)),
      placeLine(shift),
      s.status === 'waitlisted' ? h('p', {}, h('span', { class: 'tag offer' }, t('onWaitlist'))) : othersOn(s, shift),
      coverTag(s),
      myButtons(s),
    );
  });
  return h(
    'section',
    { id: 'mine', 'aria-labelledby': 'mine-h' },
    h('h2', { id: 'mine-h' }, t('myShifts')),
    items.length ? h('ul', { class: 'cards' }, items) : h('p', { class: 'muted' }, t('noMyShifts')),
  );
}

function offerCards() {
  return state.offers.map((o) => {
    const shift = state.shifts.get(o.shiftId);
    const zone = zoneOf(o.rotaId);
    return h(
      'li',
      { class: 'card', 'data-offer-id': String(o.id) },
      whenLine(o, zone),
      h('p', { class: 'what' }, whatOf(shift, o.rotaName)),
      placeLine(shift),
      h('p', {}, h('span', { class: 'tag offer' }, t('offeredBy', { name: o.personName }))),
      h('button', { type: 'button', class: 'button primary', onclick: (e) => claim(e.currentTarget, o) }, t('claim')),
    );
  });
}

function openSection() {
  const open = state.open;
  const shown = open.slice(0, state.openLimit);
  const items = shown.map((shift) => {
    const left = shift.max - shift.confirmed;
    const short = shift.min - shift.confirmed;
    return h(
      'li',
      { class: 'card', 'data-shift-id': shift.id },
      whenLine(shift, shift.timezone),
      h('p', { class: 'what' }, whatOf(shift)),
      placeLine(shift),
      h(
        'p',
        {},
        left > 0 ? t('spots', { confirmed: shift.confirmed, left }) : t('spotsFull', { confirmed: shift.confirmed }),
        short > 0 ? [' ', h('span', { class: 'tag gap' }, t('needs', { n: short }))] : null,
      ),
      h('button', { type: 'button', class: 'button primary', onclick: (e) => signUp(e.currentTarget, shift) }, t('signUp')),
    );
  });
  return h(
    'section',
    { id: 'open', 'aria-labelledby': 'open-h' },
    h('h2', { id: 'open-h' }, t('openShifts')),
    state.offers.length ? [h('h3', {}, t('coverOffers')), h('ul', { class: 'cards', id: 'cover' }, offerCards()), h('h3', {}, t('openMore'))] : null,
    items.length ? h('ul', { class: 'cards' }, items) : h('p', { class: 'empty' }, t('noOpenShifts')),
    open.length > shown.length
      ? h(
          'button',
          {
            type: 'button',
            class: 'button secondary',
            onclick: () => {
              state.openLimit += OPEN_SHOWN;
              render();
            },
          },
          t('showMore', { n: open.length - shown.length }),
        )
      : null,
  );
}

function calendarSection() {
  return h(
    'section',
    { id: 'calendar', 'aria-labelledby': 'calendar-h' },
    h('h2', { id: 'calendar-h' }, t('calendar')),
    h('p', { class: 'warning calendar-failed', hidden: true }, t('calendarFailed')),
    calendarBox,
  );
}

/** Near the top: how many duties she could take, jumping to them. */
function openCount() {
  const n = state.open.length + state.offers.length;
  return n ? h('p', { class: 'open-count' }, h('a', { class: 'button secondary', href: '#open' }, t('openCount', { n }))) : null;
}

function render() {
  if (state.failure) {
    const badLink = state.failure.code === 'UNAUTHENTICATED';
    main.replaceChildren(h('h1', {}, t(badLink ? 'noLinkTitle' : 'appName')), h('p', { class: 'warning' }, errorText(state.failure)));
    if (!badLink) main.append(h('button', { type: 'button', class: 'button primary', onclick: () => location.reload() }, t('retry')));
    return;
  }
  if (!state.me) {
    main.replaceChildren(h('h1', {}, t('noLinkTitle')), h('p', {}, t('noLinkText')));
    return;
  }
  const upcoming = state.signups.filter((s) => Date.parse(s.end) > Date.now());
  const next = upcoming.find((s) => s.status === 'confirmed') ?? null;
  const sections = [
    h('h1', {}, t('hello', { name: state.me.name })),
    // The first coordinator's link (printed by `rota serve`) opens this page: show the way to the desk.
    state.me.role === 'coordinator' ? h('p', {}, h('a', { class: 'button secondary', href: '/desk' }, t('homeDesk'))) : null,
    openCount(),
    nextDutySection(next),
    tradesSection(),
    mySection(upcoming.filter((s) => s !== next)),
    openSection(),
    calendarSection(),
    subscribeSection?.(state.me),
  ];
  main.replaceChildren(...sections.filter(Boolean));
}

// The page's start: the shared start-up makes the overview call (begun by me.html's inline
// script while the modules download); the subscription section, the calendar and its libraries
// once the next duty is drawn.
const { answer, failure } = await startPage('/me/overview');
state.failure = failure;
if (answer) await load(answer);
onLangChange(render);
render();
if (state.me && !state.failure) {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const calendarModule = import('./calendar.js');
  ({ subscribeSection } = await import('./me-subscribe.js'));
  main.append(subscribeSection(state.me));
  const { feedCalendar } = await calendarModule;
  const next = state.signups.find((s) => s.status === 'confirmed' && Date.parse(s.end) > Date.now());
  const zone = next ? zoneOf(next.rotaId) : (state.rotas.values().next().value?.timezone ?? 'UTC');
  calendar = feedCalendar(calendarBox, { url: feedPath(state.me.feedUrl), zone, views: ['listWeek', 'dayGridMonth'], initialDate: next?.localDate });
}
