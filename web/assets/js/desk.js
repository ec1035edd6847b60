// The coordinator's desk: one module per section (desk-*.js), put together here. Every section
// shares one context: what the desk knows (rotas, people, calendars) and what to do after a change,
// so that a new rota or person shows in every section at once, the new rota chosen, with no reload.
// With units (issue 13), the chosen unit scopes every section; a street or district opens with its
// communities' overview, and a viewer gets only that and the statistics.
import { api } from './api.js';
import { cancelDaySection } from './desk-days.js';
import { autofillSection, gapsSection, sheetSection } from './desk-gaps.js';
import { noticesSection } from './desk-notices.js';
import { OVERVIEW_KINDS, overviewSection } from './desk-overview.js';
import { importSection, peopleSection, qrCardsSection } from './desk-people.js';
import { rotasSection } from './desk-rotas.js';
import { isLocalLink, startSection } from './desk-start.js';
import { statsSection } from './desk-stats.js';
import { chosenUnit, loadUnits, subtreeOf, unitsSection } from './desk-units.js';
import { weekSection } from './desk-week.js';
import { addStrings, onLangChange, t } from './i18n.js';
import { startPage } from './page.js';
import { errorText, h } from './ui.js';

addStrings({
  'zh-CN': {
    deskTitle: '协调员工作台',
    deskOnly: '这一页只给协调员用。',
    deskGoMe: '去我的值班页',
    navWeek: '本周值班',
    navRotas: '值班表',
    navPeople: '人员和小组',
    navStats: '统计',
    week: '值班安排',
    allRotas: '全部值班表',
    rotaFilter: '显示哪个值班表',
    rotas: '值班表',
    startDate: '从哪天开始',
    people: '人员',
    stats: '人次统计',
  },
  en: {
    deskTitle: 'Coordinator desk',
    deskOnly: 'This page is for coordinators.',
    deskGoMe: 'Go to my duties',
    navWeek: 'This week',
    navRotas: 'Rotas',
    navPeople: 'People and teams',
    navStats: 'Statistics',
    week: 'Shifts',
    allRotas: 'All rotas',
    rotaFilter: 'Which rota to show',
    rotas: 'Rotas',
    startDate: 'First day',
    people: 'People',
    stats: 'Person-shifts',
  },
});

const main = document.getElementById('main');
const PROGRESS_KEY = 'rota.desk.progress';

/** The sections in page order, by name, with the nav link's words (none for the checklist). */
const SECTIONS = [
  ['units', unitsSection, null],
  ['overview', overviewSection, 'navOverview'],
  ['start', startSection, null],
  ['gaps', gapsSection, 'navGaps'],
  ['week', weekSection, 'navWeek'],
  ['autofill', autofillSection, 'navAutofill'],
  ['sheet', sheetSection, 'navSheet'],
  ['cancelDay', cancelDaySection, 'navDays'],
  ['rotas', rotasSection, 'navRotas'],
  ['people', peopleSection, 'navPeople'],
  ['import', importSection, 'navImport'],
  ['qrCards', qrCardsSection, null],
  ['stats', statsSection, 'navStats'],
  ['notices', noticesSection, 'navNotices'],
];

const state = { me: null, rotas: [], series: new Map(), people: [], teams: [], dayCalendars: [], units: null, unit: null, inUnit: () => true };
const done = JSON.parse(localStorage.getItem(PROGRESS_KEY) ?? '{}');
/** The built sections, by name: `{ section, render(opts), reload?, keep? }`. */
const parts = new Map();

async function loadRotas() {
  state.rotas = (await api('GET', '/rotas')).rotas;
  const all = await Promise.all(state.rotas.map((r) => api('GET', `/rotas/${r.id}/series`)));
  state.series = new Map(state.rotas.map((r, i) => [r.id, all[i].series]));
}

async function loadPeople() {
  const [people, teams] = await Promise.all([api('GET', '/people'), api('GET', '/teams')]);
  state.people = people.people;
  state.teams = teams.teams;
}

/** Draws every section again; `opts.rotaId` chooses that rota wherever a rota is chosen. */
async function renderParts(opts = {}) {
  await Promise.all([...parts.values()].map((part) => part.render(opts)));
}

function mark(step) {
  done[step] = true;
  localStorage.setItem(PROGRESS_KEY, JSON.stringify(done));
  parts.get('start')?.render();
}

/** Things of the chosen unit and below it (those of no unit, from before units, everywhere). */
const mine = (list) => list.filter((x) => x.unitId === undefined || x.unitId === null || state.inUnit(x.unitId));

const ctx = {
  me: () => state.me,
  rotas: () => mine(state.rotas),
  series: (rotaId) => state.series.get(rotaId) ?? [],
  people: () => mine(state.people),
  teams: () => mine(state.teams),
  /** The units the caller holds a role in (each with `role`), and the chosen one. */
  roles: () => state.units?.roles ?? [],
  unit: () => state.unit,
  /** What a new rota or person carries so it is made in the chosen unit (nothing to choose: the server's default). */
  unitBody: () => (ctx.roles().length > 1 ? { unitId: state.unit.id } : {}),
  chooseUnit: (id) => showDesk(ctx.roles().find((u) => u.id === id)),
  dayCalendars: () => state.dayCalendars,
  zone: () => state.rotas[0]?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  localLinks: () => isLocalLink(state.me.feedUrl),
  progress: () => ({ rota: state.rotas.length > 0, people: state.people.some((p) => p.role === 'volunteer'), links: !!done.links, qr: !!done.qr }),
  linkShown: () => mark('links'),
  qrPrinted: () => mark('qr'),
  /** A checklist step's target: a folded form opens. */
  open: (href) => {
    const target = document.querySelector(href);
    if (target instanceof HTMLDetailsElement) target.open = true;
  },
  /** After sign-ups changed: every section that shows them. */
  changed: () => Promise.all([...parts.values()].map((part) => part.reload?.())),
  /** After a rota or duty time was added: every section, the new rota chosen, its first week shown. */
  rotasChanged: async (opts = {}) => {
    await loadRotas();
    await renderParts(opts);
    if (opts.rotaId !== undefined) document.getElementById('week').scrollIntoView();
  },
  peopleChanged: async () => {
    await loadPeople();
    await renderParts();
  },
};

/** The sections the chosen unit shows: a viewer reads the overview and the statistics; a street or district opens with the overview. */
function sectionsShown() {
  const unit = state.unit;
  if (!unit) return SECTIONS.filter(([name]) => name !== 'units' && name !== 'overview');
  if (unit.role === 'viewer') return SECTIONS.filter(([name]) => name === 'units' || name === 'overview' || name === 'stats');
  return SECTIONS.filter(([name]) => name !== 'overview' || OVERVIEW_KINDS.has(unit.kind));
}

/** Builds each section; on a language switch, rebuilds those that do not keep their forms. */
function buildParts() {
  for (const [name, make] of sectionsShown()) {
    if (parts.get(name)?.keep) continue;
    const part = make(ctx);
    parts.get(name)?.section.replaceWith(part.section);
    parts.set(name, part);
  }
}

async function start() {
  const { answer: me, failure } = await startPage();
  if (failure) {
    main.replaceChildren(h('h1', {}, t('deskTitle')), h('p', { class: 'warning' }, errorText(failure)));
    return;
  }
  if (!me) {
    main.replaceChildren(h('h1', {}, t('noLinkTitle')), h('p', {}, t('noLinkText')));
    return;
  }
  state.units = await loadUnits();
  // A viewer (a street or district office) holds no coordinator role, yet has a desk to read.
  if (me.role !== 'coordinator' && !state.units?.roles.length) {
    main.replaceChildren(h('h1', { 'data-i18n': 'deskTitle' }, t('deskTitle')), h('p', { 'data-i18n': 'deskOnly' }, t('deskOnly')), h('a', { class: 'button primary', href: '/me', 'data-i18n': 'deskGoMe' }, t('deskGoMe')));
    return;
  }
  state.me = me;
  await showDesk(chosenUnit(state.units?.roles ?? []));
  onLangChange(() => {
    buildParts();
    renderParts();
  });
}

let loaded = false;

/** Draws the desk for a unit (null: a server without units): its sections, scoped to it. */
async function showDesk(unit) {
  state.unit = unit;
  const below = unit ? subtreeOf(state.units.units, unit.id) : null;
  state.inUnit = (id) => !below || below.has(id);
  if (unit?.role !== 'viewer' && !loaded) {
    const [calendars] = await Promise.all([api('GET', '/day-calendars'), loadRotas(), loadPeople()]);
    state.dayCalendars = calendars.dayCalendars;
    loaded = true;
  }
  parts.clear();
  buildParts();
  const navLink = (href, key) => h('li', {}, h('a', { href, 'data-i18n': key }, t(key)));
  const sectionId = (name) => parts.get(name).section.id;
  main.replaceChildren(
    h('h1', { 'data-i18n': 'deskTitle' }, t('deskTitle')),
    h(
      'nav',
      { 'aria-label': t('deskTitle'), 'data-i18n-label': 'deskTitle' },
      h('ul', { class: 'desk-nav' }, sectionsShown().filter(([, , key]) => key).map(([name, , key]) => navLink(`#${sectionId(name)}`, key)), navLink('/me', 'homeMe')),
    ),
    ...[...parts.values()].map((part) => part.section),
  );
  await renderParts();
}

start();
