// The coordinator's desk: the week's shifts with their gaps, rotas and their duty times, people
// and teams with their personal links, and person-shift statistics.
import { api, apiBlob, feedPath, forgetToken, takeToken } from './api.js';
import { feedCalendar } from './calendar.js';
import { cancelDaySection } from './desk-days.js';
import { autofillSection, gapsSection, sheetSection } from './desk-gaps.js';
import { noticesSection } from './desk-notices.js';
import { importSection, qrCardsSection } from './desk-people.js';
import { addDays, applyStaticText, bindLangButton, formatDate, formatTime, formatWhen, hasText, joinNames, lang, onLangChange, t, todayIn } from './i18n.js';
import { ask, busy, errorText, h, linkBox, notify, qrCode, show } from './ui.js';

/* global Chart */

const main = document.getElementById('main');
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const state = {
  me: null,
  rotas: [],
  series: new Map(),
  people: [],
  teams: [],
  dayCalendars: [],
  weekStart: '',
  rotaFilter: '',
  shifts: [],
  peopleFilter: '',
  stats: null,
  statsQuery: { groupBy: 'month', from: '', to: '' },
};

/** Elements built once (forms keep what was typed across a language switch). */
const els = {};
/** Parts of the desk kept in their own modules (desk-*.js), by name; rebuilt on a language switch. */
const deskParts = new Map();
const PARTS = { gaps: gapsSection, autofill: autofillSection, sheet: sheetSection, cancelDay: cancelDaySection, import: importSection, qrCards: qrCardsSection, notices: noticesSection };
const partsContext = {
  rotas: () => state.rotas,
  people: () => state.people,
  teams: () => state.teams,
  zone: () => deskZone(),
  /** After a part changed sign-ups: the week and the gaps show them. */
  changed: async () => {
    await showWeek(state.weekStart);
    await Promise.all([...deskParts.values()].map((p) => p.reload?.()));
  },
  peopleChanged: () => reloadPeople(),
};

/** Builds (or rebuilds in place) every part; answers the section of each by name. */
function buildParts() {
  for (const [name, make] of Object.entries(PARTS)) {
    const part = make(partsContext);
    deskParts.get(name)?.section.replaceWith(part.section);
    deskParts.set(name, part);
  }
  return Object.fromEntries([...deskParts].map(([name, part]) => [name, part.section]));
}

/** Open rota calendars, kept across redraws. */
const calendars = new Map();
let chart = null;

// ---------- helpers ----------

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function deskZone() {
  return state.rotas[0]?.timezone ?? browserZone;
}

/** Monday of the week holding `date` (YYYY-MM-DD). */
function mondayOf(date) {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

function field(labelKey, input) {
  input.id ||= `f-${labelKey}-${Math.random().toString(36).slice(2, 8)}`;
  return h('div', {}, h('label', { for: input.id, 'data-i18n': labelKey }, t(labelKey)), input);
}

function heading(level, key, attrs = {}) {
  return h(level, { 'data-i18n': key, ...attrs }, t(key));
}

/** "周一–周五" from BYDAY codes: runs of three or more days are shortened. */
function weekdayText(codes) {
  const idx = WEEKDAYS.map((d, i) => (codes.includes(d) ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 7) return t('everyDay');
  const runs = [];
  for (const i of idx) {
    const run = runs.at(-1);
    if (run && run[1] === i - 1) run[1] = i;
    else runs.push([i, i]);
  }
  const sep = lang() === 'zh-CN' ? '、' : ', ';
  return runs
    .map(([a, b]) => (b - a >= 2 ? `${t(`wd${a + 1}`)}–${t(`wd${b + 1}`)}` : Array.from({ length: b - a + 1 }, (_, k) => t(`wd${a + k + 1}`)).join(sep)))
    .join(sep);
}

/** A series in plain words, or its rule when the rule is not a simple weekly one. */
function seriesText(s) {
  const parts = Object.fromEntries(s.rrule.split(';').map((p) => p.split('=')));
  let days = null;
  if (parts.FREQ === 'DAILY' && !parts.BYDAY && (parts.INTERVAL ?? '1') === '1') days = t('everyDay');
  if (parts.FREQ === 'WEEKLY' && parts.BYDAY && /^[A-Z,]+$/.test(parts.BYDAY)) {
    days = weekdayText(parts.BYDAY.split(','));
    if (parts.INTERVAL === '2') days = `${t('everyOther')} ${days}`;
    else if (parts.INTERVAL && parts.INTERVAL !== '1') days = null;
  }
  const line = t('seriesLine', { days: days ?? s.rrule, time: s.startTime, minutes: s.durationMinutes, min: s.minVolunteers, max: s.maxVolunteers });
  const zh = lang() === 'zh-CN';
  const span = t('seriesFrom', { date: formatDate(s.startDate) }) + (s.endDate ? ` ${t('seriesUntil', { date: formatDate(s.endDate) })}` : '');
  const names = s.dayCalendarIds.map((id) => state.dayCalendars.find((c) => c.id === id)?.name ?? id);
  const pieces = [line, span, ...(names.length ? [t('seriesCalendars', { names: joinNames(names) })] : [])];
  return (s.label ? `${s.label}${zh ? '：' : ': '}` : '') + pieces.join(zh ? '；' : '; ');
}

/** A series warning in the page's language when we know its code, else the server's words. */
function warningText(w) {
  const calendar = state.dayCalendars.find((c) => c.id === w.calendarId)?.name ?? w.calendarId;
  return hasText(`warn_${w.code}`) ? t(`warn_${w.code}`, { calendar, year: w.year }) : w.message;
}

// ---------- the week ----------

async function loadWeek() {
  const query = new URLSearchParams({ from: state.weekStart, to: addDays(state.weekStart, 6) });
  if (state.rotaFilter) query.set('rotaId', state.rotaFilter);
  state.shifts = (await api('GET', `/shifts?${query}`)).shifts;
}

function shiftRow(shift) {
  const short = Math.max(0, shift.min - shift.confirmed);
  const status = shift.status;
  const tag =
    status === 'gap'
      ? h('span', { class: 'tag gap' }, '⚠ ', t('statusGap', { n: short }))
      : h('span', { class: `tag ${status}` }, t(status === 'cancelled' ? 'statusCancelled' : status === 'full' ? 'statusFull' : 'statusOk'));
  const canAssign = status !== 'cancelled' && shift.confirmed < shift.max;
  return h(
    'li',
    { class: `card shift-row ${status}`, 'data-shift-id': shift.id },
    h('div', { class: 'when nowrap' }, `${formatTime(shift.start, shift.timezone)}–${formatTime(shift.end, shift.timezone)}`),
    h(
      'div',
      {},
      h('div', { class: 'what' }, shift.label ? `${shift.rotaName} · ${shift.label}` : shift.rotaName),
      h('div', {}, shift.people.length ? joinNames(shift.people.map((p) => p.name)) : h('span', { class: 'muted' }, t('nobody'))),
      shift.waitlisted ? h('div', { class: 'muted' }, t('waitlistCount', { n: shift.waitlisted })) : null,
    ),
    h('div', {}, h('div', {}, t('fill', { confirmed: shift.confirmed, min: shift.min, max: shift.max })), tag),
    canAssign ? h('button', { type: 'button', class: 'button secondary', onclick: (e) => assign(e.currentTarget, shift) }, t('assign')) : h('span'),
  );
}

function renderWeek() {
  const list = els.weekList;
  const to = addDays(state.weekStart, 6);
  els.weekTitle.textContent = t('weekOf', { from: formatDate(state.weekStart), to: formatDate(to) });
  const select = els.rotaFilter;
  select.replaceChildren(
    h('option', { value: '' }, t('allRotas')),
    ...state.rotas.map((r) => h('option', { value: String(r.id), selected: String(r.id) === state.rotaFilter }, r.name)),
  );
  if (state.shifts.length === 0) {
    list.replaceChildren(h('p', { class: 'empty' }, t('noShiftsWeek')));
    return;
  }
  const gaps = state.shifts.filter((s) => s.status === 'gap').length;
  const days = new Map();
  for (const s of state.shifts) days.set(s.localDate, [...(days.get(s.localDate) ?? []), s]);
  list.replaceChildren(
    h('p', { class: gaps ? 'warning' : '' }, t('weekSummary', { total: state.shifts.length, gaps })),
    ...[...days].map(([date, shifts]) => h('div', { class: 'day' }, h('h3', {}, formatDate(date)), h('ul', { class: 'cards' }, shifts.map(shiftRow)))),
  );
}

async function showWeek(weekStart) {
  state.weekStart = weekStart;
  try {
    await loadWeek();
  } catch (error) {
    notify('error', errorText(error));
  }
  renderWeek();
}

async function assign(button, shift) {
  await busy(button, async () => {
    const onIt = new Set(shift.people.map((p) => p.id));
    const select = h(
      'select',
      { id: 'assign-person' },
      state.people.filter((p) => !onIt.has(p.id)).sort((a, b) => a.name.localeCompare(b.name, lang())).map((p) => h('option', { value: String(p.id) }, p.name)),
    );
    const when = formatWhen(shift.start, shift.end, shift.timezone);
    const yes = await ask({
      question: t('assignTitle'),
      content: [h('p', { class: 'when' }, when), h('p', {}, shift.rotaName), h('label', { for: 'assign-person' }, t('assignWho')), select],
      yes: t('assignYes'),
    });
    if (!yes) return;
    const person = state.people.find((p) => String(p.id) === select.value);
    try {
      await api('POST', `/shifts/${encodeURIComponent(shift.id)}/signups`, { personId: Number(select.value) });
      notify('ok', t('assigned', { name: person?.name ?? '', when }));
    } catch (error) {
      notify('error', errorText(error));
    }
    await showWeek(state.weekStart);
  });
}

function buildWeekSection() {
  els.weekTitle = h('p', { class: 'what' });
  els.weekList = h('div');
  els.rotaFilter = h('select', {
    id: 'rota-filter',
    onchange: (e) => {
      state.rotaFilter = e.currentTarget.value;
      showWeek(state.weekStart);
    },
  });
  const nav = (key, fn) => h('button', { type: 'button', class: 'button secondary', 'data-i18n': key, onclick: fn }, t(key));
  return h(
    'section',
    { id: 'week', 'aria-labelledby': 'week-h' },
    heading('h2', 'week', { id: 'week-h' }),
    els.weekTitle,
    h(
      'div',
      { class: 'week-controls' },
      nav('prevWeek', () => showWeek(addDays(state.weekStart, -7))),
      nav('thisWeek', () => showWeek(mondayOf(todayIn(deskZone())))),
      nav('nextWeek', () => showWeek(addDays(state.weekStart, 7))),
      h('div', { class: 'filter' }, h('label', { for: 'rota-filter', 'data-i18n': 'rotaFilter' }, t('rotaFilter')), els.rotaFilter),
    ),
    els.weekList,
  );
}

// ---------- rotas and their duty times ----------

function seriesFieldset() {
  const weekdayBoxes = WEEKDAYS.map((code, i) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'weekday', value: code, checked: i < 5 }), h('span', { 'data-i18n': `wd${i + 1}` }, t(`wd${i + 1}`))),
  );
  const calendarBoxes = state.dayCalendars.map((c) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'dayCalendar', value: c.id, checked: c.id === 'cn-mainland' }), h('span', {}, c.name)),
  );
  const rule = h('code');
  const preview = h('p', { class: 'rule' }, h('span', { 'data-i18n': 'ruleLabel' }, t('ruleLabel')), ' ', rule);
  const fieldset = h(
    'fieldset',
    { class: 'series-fields' },
    h('legend', { 'data-i18n': 'seriesPart' }, t('seriesPart')),
    field('seriesLabel', h('input', { type: 'text', name: 'label', maxlength: '200' })),
    h('fieldset', {}, h('legend', { 'data-i18n': 'weekdays' }, t('weekdays')), h('div', { class: 'checks' }, weekdayBoxes)),
    field(
      'every',
      h('select', { name: 'interval' }, h('option', { value: '1', 'data-i18n': 'everyWeek' }, t('everyWeek')), h('option', { value: '2', 'data-i18n': 'every2Weeks' }, t('every2Weeks'))),
    ),
    h(
      'div',
      { class: 'fields' },
      field('startTime', h('input', { type: 'time', name: 'startTime', value: '07:15', required: true })),
      field('duration', h('input', { type: 'number', name: 'duration', value: '45', min: '1', max: '1440', required: true })),
      field('minPeople', h('input', { type: 'number', name: 'min', value: '2', min: '0', max: '1000', required: true })),
      field('maxPeople', h('input', { type: 'number', name: 'max', value: '4', min: '1', max: '1000', required: true })),
    ),
    calendarBoxes.length ? h('fieldset', {}, h('legend', { 'data-i18n': 'dayCalendars' }, t('dayCalendars')), h('div', { class: 'checks' }, calendarBoxes)) : null,
    h(
      'div',
      { class: 'fields' },
      field('startDate', h('input', { type: 'date', name: 'startDate', value: todayIn(deskZone()), required: true })),
      field('endDate', h('input', { type: 'date', name: 'endDate' })),
    ),
    preview,
  );
  const update = () => {
    rule.textContent = ruleOf(fieldset) || '—';
  };
  fieldset.addEventListener('input', update);
  fieldset.addEventListener('reset-rule', update);
  update();
  return fieldset;
}

/** The RRULE the weekday boxes and "how often" describe. */
function ruleOf(root) {
  const days = [...root.querySelectorAll('input[name="weekday"]:checked')].map((i) => i.value);
  if (days.length === 0) return '';
  const interval = root.querySelector('select[name="interval"]').value;
  return `FREQ=WEEKLY;${interval === '1' ? '' : `INTERVAL=${interval};`}BYDAY=${days.join(',')}`;
}

/** The series body from the form, or a message saying what to fix. */
function readSeries(root) {
  const value = (name) => root.querySelector(`[name="${name}"]`).value.trim();
  const rrule = ruleOf(root);
  if (!rrule) return { problem: t('pickWeekday') };
  const min = Number(value('min'));
  const max = Number(value('max'));
  if (max < min) return { problem: t('maxBelowMin') };
  return {
    body: {
      rrule,
      startDate: value('startDate'),
      startTime: value('startTime'),
      durationMinutes: Number(value('duration')),
      minVolunteers: min,
      maxVolunteers: max,
      dayCalendarIds: [...root.querySelectorAll('input[name="dayCalendar"]:checked')].map((i) => i.value),
      ...(value('label') ? { label: value('label') } : {}),
      ...(value('endDate') ? { endDate: value('endDate') } : {}),
    },
  };
}

function zoneSelect() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai', browserZone];
  const preferred = state.rotas[0]?.timezone ?? (lang() === 'zh-CN' ? 'Asia/Shanghai' : browserZone);
  return h('select', { name: 'timezone', required: true }, [...new Set([preferred, ...zones])].map((z) => h('option', { value: z, selected: z === preferred }, z)));
}

/** After a new rota or duty time: show the week its shifts begin, for that rota. */
async function showRotaWeek(rotaId, startDate) {
  const today = todayIn(deskZone());
  state.rotaFilter = String(rotaId);
  await showWeek(mondayOf(startDate > today ? startDate : today));
  document.getElementById('week').scrollIntoView();
}

function buildNewRotaForm() {
  const series = seriesFieldset();
  const submit = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'createRota' }, t('createRota'));
  const form = h(
    'form',
    { id: 'new-rota-form' },
    field('rotaName', h('input', { type: 'text', name: 'name', required: true, maxlength: '200' })),
    field('rotaLocation', h('input', { type: 'text', name: 'location', maxlength: '2000' })),
    field('rotaZone', zoneSelect()),
    series,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      const { body, problem } = readSeries(series);
      if (problem) return notify('error', problem);
      const name = form.elements.name.value.trim();
      const location = form.elements.location.value.trim();
      try {
        const rota = await api('POST', '/rotas', { name, timezone: form.elements.timezone.value, ...(location ? { location } : {}) });
        await reloadRotas();
        await api('POST', `/rotas/${rota.id}/series`, body);
        await reloadRotas();
        form.reset();
        series.dispatchEvent(new Event('reset-rule'));
        els.newRota.open = false;
        notify('ok', t('rotaCreated', { name }));
        await showRotaWeek(rota.id, body.startDate);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });
  return form;
}

function addSeriesForm(rota) {
  const series = seriesFieldset();
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('saveSeries'));
  const form = h('form', {}, series, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      const { body, problem } = readSeries(series);
      if (problem) return notify('error', problem);
      try {
        await api('POST', `/rotas/${rota.id}/series`, body);
        await reloadRotas();
        notify('ok', t('seriesAdded'));
        await showRotaWeek(rota.id, body.startDate);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });
  return h('details', {}, h('summary', {}, t('addSeries')), form);
}

function rotaCalendar(rota) {
  let entry = calendars.get(rota.id);
  if (!entry) {
    const box = h('div', { class: 'calendar' });
    const wrapper = h('div', { hidden: true }, h('p', { class: 'warning calendar-failed', hidden: true }, t('calendarFailed')), box);
    entry = { wrapper, box, calendar: null };
    calendars.set(rota.id, entry);
  }
  const toggle = h('button', { type: 'button', class: 'button secondary', 'aria-expanded': String(!entry.wrapper.hidden) }, t(entry.wrapper.hidden ? 'showCalendar' : 'hideCalendar'));
  toggle.addEventListener('click', () => {
    entry.wrapper.hidden = !entry.wrapper.hidden;
    toggle.textContent = t(entry.wrapper.hidden ? 'showCalendar' : 'hideCalendar');
    toggle.setAttribute('aria-expanded', String(!entry.wrapper.hidden));
    if (!entry.wrapper.hidden && !entry.calendar) {
      entry.calendar = feedCalendar(entry.box, {
        // A rota's feed speaks Chinese unless asked for English.
        url: () => `${feedPath(rota.feedUrl)}${lang() === 'en' ? '?lang=en' : ''}`,
        zone: rota.timezone,
        views: window.matchMedia('(min-width: 48rem)').matches ? ['dayGridMonth', 'timeGridWeek', 'listWeek'] : ['listWeek', 'dayGridMonth'],
      });
    }
  });
  return { toggle, wrapper: entry.wrapper };
}

function renderRotas() {
  if (state.rotas.length === 0) {
    els.rotaList.replaceChildren(h('p', { class: 'empty' }, t('noRotas')));
    els.newRota.open = true;
    return;
  }
  els.rotaList.replaceChildren(
    h(
      'ul',
      { class: 'cards' },
      state.rotas.map((rota) => {
        const series = state.series.get(rota.id) ?? [];
        const warnings = new Map(series.flatMap((s) => s.warnings).map((w) => [`${w.code}|${w.calendarId}|${w.year}`, w]));
        const { toggle, wrapper } = rotaCalendar(rota);
        return h(
          'li',
          { class: 'card', 'data-rota-id': String(rota.id) },
          h('h3', {}, rota.name),
          rota.location ? h('p', {}, t('place', { place: rota.location })) : null,
          h('p', { class: 'muted' }, `${t('rotaZone')}: ${rota.timezone}`),
          h('ul', {}, series.map((s) => h('li', {}, seriesText(s)))),
          [...warnings.values()].map((w) => h('p', { class: 'warning' }, t('warning'), ' ', warningText(w))),
          addSeriesForm(rota),
          h('div', { class: 'buttons' }, toggle),
          wrapper,
          h('details', {}, h('summary', {}, t('rotaFeed')), linkBox(rota.feedUrl, t('subscribeLink')), qrCode(rota.feedUrl, rota.name)),
        );
      }),
    ),
  );
}

async function reloadRotas() {
  state.rotas = (await api('GET', '/rotas')).rotas;
  const all = await Promise.all(state.rotas.map((r) => api('GET', `/rotas/${r.id}/series`)));
  state.series = new Map(state.rotas.map((r, i) => [r.id, all[i].series]));
  renderRotas();
}

function buildRotaSection() {
  els.rotaList = h('div');
  els.newRota = h('details', { id: 'new-rota' }, h('summary', { 'data-i18n': 'newRota' }, t('newRota')), buildNewRotaForm());
  return h('section', { id: 'rotas', 'aria-labelledby': 'rotas-h' }, heading('h2', 'rotas', { id: 'rotas-h' }), els.rotaList, els.newRota);
}

// ---------- people and teams ----------

function showLink(name, url) {
  show({
    title: t('linkFor', { name }),
    content: [h('p', {}, t('linkOnce', { name })), linkBox(url, t('linkFor', { name })), qrCode(url, t('linkFor', { name }))],
  });
}

async function newLink(button, person) {
  await busy(button, async () => {
    const yes = await ask({ question: t('newLinkQ', { name: person.name }), yes: t('newLinkYes'), danger: true });
    if (!yes) return;
    try {
      const issued = await api('POST', `/people/${person.id}/tokens`, { kind: 'access' });
      showLink(person.name, issued.accessUrl);
    } catch (error) {
      notify('error', errorText(error));
    }
  });
}

function renderPeople() {
  const teamName = new Map(state.teams.map((team) => [team.id, team.name]));
  const needle = state.peopleFilter.trim().toLowerCase();
  const rows = state.people.filter((p) => !needle || p.name.toLowerCase().includes(needle));
  els.peopleBody.replaceChildren(
    ...rows.map((p) =>
      h(
        'tr',
        { 'data-person-id': String(p.id) },
        h('td', {}, p.name),
        h('td', {}, joinNames(p.teamIds.map((id) => teamName.get(id) ?? id))),
        h('td', {}, t(p.role === 'coordinator' ? 'roleCoordinator' : 'roleVolunteer')),
        h('td', {}, h('button', { type: 'button', class: 'button secondary', onclick: (e) => newLink(e.currentTarget, p) }, t('newLink'))),
      ),
    ),
  );
  els.teamSelect.replaceChildren(h('option', { value: '' }, t('noTeam')), ...state.teams.map((team) => h('option', { value: String(team.id) }, team.name)));
  els.teamList.replaceChildren(...state.teams.map((team) => h('li', {}, `${team.name} — ${t('members', { n: team.memberIds.length })}`)));
}

async function reloadPeople() {
  const [people, teams] = await Promise.all([api('GET', '/people'), api('GET', '/teams')]);
  state.people = people.people;
  state.teams = teams.teams;
  renderPeople();
  deskParts.get('qrCards')?.render();
}

function buildPeopleSection() {
  els.peopleBody = h('tbody');
  els.teamSelect = h('select', { name: 'team' });
  els.teamList = h('ul');
  const search = h('input', {
    type: 'search',
    oninput: (e) => {
      state.peopleFilter = e.currentTarget.value;
      renderPeople();
    },
  });

  const addPerson = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'savePerson' }, t('savePerson'));
  const personForm = h(
    'form',
    { id: 'new-person-form' },
    field('personName', h('input', { type: 'text', name: 'name', required: true, maxlength: '200' })),
    field('personPhone', h('input', { type: 'tel', name: 'phone', maxlength: '40' })),
    field('personLang', h('select', { name: 'locale' }, h('option', { value: 'zh-CN', selected: lang() === 'zh-CN' }, '中文'), h('option', { value: 'en', selected: lang() === 'en' }, 'English'))),
    field(
      'personRole',
      h('select', { name: 'role' }, h('option', { value: 'volunteer', 'data-i18n': 'roleVolunteer' }, t('roleVolunteer')), h('option', { value: 'coordinator', 'data-i18n': 'roleCoordinator' }, t('roleCoordinator'))),
    ),
    field('personTeam', els.teamSelect),
    addPerson,
  );
  personForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(addPerson, async () => {
      const f = personForm.elements;
      const body = { name: f.name.value.trim(), locale: f.locale.value, role: f.role.value };
      if (f.phone.value.trim()) body.phone = f.phone.value.trim();
      if (f.team.value) body.teamIds = [Number(f.team.value)];
      try {
        const created = await api('POST', '/people', body);
        personForm.reset();
        await reloadPeople();
        notify('ok', t('personAdded', { name: created.name }));
        showLink(created.name, created.accessUrl);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });

  const addTeam = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'saveTeam' }, t('saveTeam'));
  const teamForm = h('form', { id: 'new-team-form' }, field('teamName', h('input', { type: 'text', name: 'name', required: true, maxlength: '200' })), addTeam);
  teamForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(addTeam, async () => {
      const name = teamForm.elements.name.value.trim();
      try {
        await api('POST', '/teams', { name });
        teamForm.reset();
        await reloadPeople();
        notify('ok', t('teamAdded', { name }));
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });

  const col = (key) => h('th', { scope: 'col', 'data-i18n': key }, t(key));
  return h(
    'section',
    { id: 'people', 'aria-labelledby': 'people-h' },
    heading('h2', 'navPeople', { id: 'people-h' }),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        {},
        heading('h3', 'people'),
        field('search', search),
        h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, col('colName'), col('colTeams'), col('colRole'), col('colLink'))), els.peopleBody)),
        h('details', {}, h('summary', { 'data-i18n': 'addPerson' }, t('addPerson')), personForm),
      ),
      h('div', {}, heading('h3', 'teams'), els.teamList, h('details', {}, h('summary', { 'data-i18n': 'addTeam' }, t('addTeam')), teamForm)),
    ),
  );
}

// ---------- person-shift statistics ----------

async function loadStats() {
  const q = state.statsQuery;
  const query = new URLSearchParams({ groupBy: q.groupBy, from: q.from, to: q.to });
  try {
    state.stats = await api('GET', `/stats/person-shifts?${query}`);
  } catch (error) {
    // Older servers have no statistics: the section stays hidden rather than failing.
    if (error.status === 404) {
      state.stats = 'absent';
      return;
    }
    state.stats = null;
    notify('error', errorText(error));
  }
}

function renderStats() {
  const section = els.stats;
  const absent = state.stats === 'absent';
  section.hidden = absent;
  document.querySelector('a[href="#stats"]')?.parentElement?.toggleAttribute('hidden', absent);
  if (absent || !state.stats) return;
  const { rows, total } = state.stats;
  const num = (n) => h('td', { class: 'number' }, String(n));
  els.statsTable.replaceChildren(
    h('caption', { class: 'muted' }, `${formatDate(state.stats.from)} – ${formatDate(state.stats.to)}`),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, t('colKey')), h('th', { scope: 'col', class: 'number' }, t('colPersonShifts')), h('th', { scope: 'col', class: 'number' }, t('colPeople'))),
    ),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), num(r.personShifts), num(r.people)))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('total')), num(total.personShifts), num(total.people))),
  );
  els.statsEmpty.hidden = rows.length > 0;
  if (chart) chart.destroy();
  chart = null;
  els.chartBox.hidden = rows.length === 0;
  if (rows.length === 0 || typeof Chart === 'undefined') return;
  els.chartCanvas.setAttribute('aria-label', `${t('chartTitle')}: ${rows.map((r) => `${r.label} ${r.personShifts}`).join(', ')}`);
  chart = new Chart(els.chartCanvas, {
    type: 'bar',
    data: { labels: rows.map((r) => r.label), datasets: [{ label: t('chartTitle'), data: rows.map((r) => r.personShifts), backgroundColor: '#0a4a82' }] },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { color: '#111', font: { size: 16 } } }, y: { beginAtZero: true, ticks: { color: '#111', font: { size: 16 }, precision: 0 } } },
    },
  });
}

async function download(button, accept, ext) {
  await busy(button, async () => {
    const q = state.statsQuery;
    const query = new URLSearchParams({ groupBy: q.groupBy, from: q.from, to: q.to, lang: lang() });
    try {
      const blob = await apiBlob('GET', `/stats/person-shifts?${query}`, { accept });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `person-shifts-${q.groupBy}-${q.from}-${q.to}.${ext}` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      notify('error', errorText(error));
    }
  });
}

function buildStatsSection() {
  const q = state.statsQuery;
  const from = h('input', { type: 'date', name: 'from', value: q.from, required: true });
  const to = h('input', { type: 'date', name: 'to', value: q.to, required: true });
  const group = h(
    'select',
    { name: 'groupBy' },
    ['month', 'person', 'team', 'rota'].map((g) => {
      const key = `group${g[0].toUpperCase()}${g.slice(1)}`;
      return h('option', { value: g, 'data-i18n': key, selected: g === q.groupBy }, t(key));
    }),
  );
  const showButton = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'statsShow' }, t('statsShow'));
  const form = h('form', { class: 'fields' }, field('statsFrom', from), field('statsTo', to), field('statsGroup', group), h('div', { class: 'buttons' }, showButton));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(showButton, async () => {
      state.statsQuery = { groupBy: group.value, from: from.value, to: to.value };
      await loadStats();
      renderStats();
    });
  });
  els.chartCanvas = h('canvas', { role: 'img' });
  els.chartBox = h('div', { class: 'chart-box' }, els.chartCanvas);
  els.statsTable = h('table');
  els.statsEmpty = h('p', { class: 'empty', 'data-i18n': 'noStats', hidden: true }, t('noStats'));
  const csv = h('button', { type: 'button', class: 'button secondary', 'data-i18n': 'downloadCsv', onclick: (e) => download(e.currentTarget, 'text/csv', 'csv') }, t('downloadCsv'));
  const xlsx = h('button', { type: 'button', class: 'button secondary', 'data-i18n': 'downloadXlsx', onclick: (e) => download(e.currentTarget, XLSX, 'xlsx') }, t('downloadXlsx'));
  els.stats = h(
    'section',
    { id: 'stats', 'aria-labelledby': 'stats-h', hidden: true },
    heading('h2', 'stats', { id: 'stats-h' }),
    form,
    els.statsEmpty,
    h('div', { class: 'columns' }, els.chartBox, h('div', {}, h('div', { class: 'table-wrap' }, els.statsTable), h('div', { class: 'buttons' }, csv, xlsx))),
  );
  return els.stats;
}

// ---------- the page ----------

function renderAll() {
  buildParts();
  for (const part of deskParts.values()) part.render();
  renderWeek();
  renderRotas();
  renderPeople();
  renderStats();
}

async function start() {
  applyStaticText();
  bindLangButton(document.getElementById('lang'));
  if (!takeToken()) {
    main.replaceChildren(h('h1', {}, t('noLinkTitle')), h('p', {}, t('noLinkText')));
    return;
  }
  try {
    state.me = await api('GET', '/me');
  } catch (error) {
    if (error.code === 'UNAUTHENTICATED') forgetToken();
    main.replaceChildren(h('h1', {}, t('deskTitle')), h('p', { class: 'warning' }, errorText(error)));
    return;
  }
  if (state.me.role !== 'coordinator') {
    main.replaceChildren(heading('h1', 'deskTitle'), h('p', { 'data-i18n': 'deskOnly' }, t('deskOnly')), h('a', { class: 'button primary', href: '/me', 'data-i18n': 'deskGoMe' }, t('deskGoMe')));
    return;
  }
  state.dayCalendars = (await api('GET', '/day-calendars')).dayCalendars;
  state.rotas = (await api('GET', '/rotas')).rotas;
  const today = todayIn(deskZone());
  state.weekStart = mondayOf(today);
  state.statsQuery = { groupBy: 'month', from: `${today.slice(0, 4)}-01-01`, to: today };
  const parts = buildParts();
  const navLink = (href, key) => h('li', {}, h('a', { href, 'data-i18n': key }, t(key)));
  main.replaceChildren(
    heading('h1', 'deskTitle'),
    h('nav', { 'aria-label': t('deskTitle'), 'data-i18n-label': 'deskTitle' }, h('ul', { class: 'desk-nav' }, navLink('#gaps', 'navGaps'), navLink('#week', 'navWeek'), navLink('#autofill', 'navAutofill'), navLink('#sheet', 'navSheet'), navLink('#cancel-day', 'navDays'), navLink('#rotas', 'navRotas'), navLink('#people', 'navPeople'), navLink('#import', 'navImport'), navLink('#stats', 'navStats'), navLink('#notices', 'navNotices'), navLink('/me', 'homeMe'))),
    parts.gaps,
    buildWeekSection(),
    parts.autofill,
    parts.sheet,
    parts.cancelDay,
    buildRotaSection(),
    buildPeopleSection(),
    parts.import,
    parts.qrCards,
    buildStatsSection(),
    parts.notices,
  );
  await Promise.all([reloadRotas(), reloadPeople(), loadWeek(), loadStats()]);
  renderWeek();
  renderRotas();
  renderPeople();
  renderStats();
  for (const part of deskParts.values()) await part.render();
  onLangChange(renderAll);
}

start();
