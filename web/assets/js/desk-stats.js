// The desk's person-shift report: a chart by month (or person, team, rota) beside its totals
// table, and the same rows as CSV or Excel; with units (issue 13), for the unit chosen on the desk.
import { apiBlob, api } from './api.js';
import { addDays, addStrings, formatDate, lang, t, todayIn } from './i18n.js';
import { busy, errorText, h, notify } from './ui.js';

addStrings({
  'zh-CN': {
    statsFrom: '从',
    statsTo: '到',
    statsGroup: '按什么分',
    statsShow: '查看',
    colKey: '项目',
    colPersonShifts: '人次',
    colPeople: '人数',
    total: '合计',
    downloadCsv: '下载 CSV',
    downloadXlsx: '下载 Excel',
    chartTitle: '人次',
    noStats: '这段时间还没有人次。',
  },
  en: {
    statsFrom: 'From',
    statsTo: 'To',
    statsGroup: 'Group by',
    statsShow: 'Show',
    colKey: 'Item',
    colPersonShifts: 'Person-shifts',
    colPeople: 'People',
    total: 'Total',
    downloadCsv: 'Download CSV',
    downloadXlsx: 'Download Excel',
    chartTitle: 'Person-shifts',
    noStats: 'No person-shifts in this period yet.',
  },
});

/* global Chart */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function field(labelKey, input) {
  input.id ||= `s-${labelKey}`;
  return h('div', {}, h('label', { for: input.id, 'data-i18n': labelKey }, t(labelKey)), input);
}

/** The first look: the twelve months up to today, so last term's history is in view. */
function defaultPeriod(today) {
  const [y, m] = today.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
  // The API answers at most 366 days.
  return { from: first > addDays(today, -365) ? first : addDays(today, -365), to: today };
}

export function statsSection(ctx) {
  const query = { groupBy: 'month', ...defaultPeriod(todayIn(ctx.zone())) };
  let stats = null;
  let chart = null;

  const from = h('input', { type: 'date', name: 'from', value: query.from, required: true });
  const to = h('input', { type: 'date', name: 'to', value: query.to, required: true });
  const group = h(
    'select',
    { name: 'groupBy' },
    ['month', 'person', 'team', 'rota'].map((g) => {
      const key = `group${g[0].toUpperCase()}${g.slice(1)}`;
      return h('option', { value: g, 'data-i18n': key, selected: g === query.groupBy }, t(key));
    }),
  );
  const showButton = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'statsShow' }, t('statsShow'));
  const form = h('form', { class: 'fields' }, field('statsFrom', from), field('statsTo', to), field('statsGroup', group), h('div', { class: 'buttons' }, showButton));
  const canvas = h('canvas', { role: 'img' });
  const chartBox = h('div', { class: 'chart-box' }, canvas);
  const table = h('table');
  const empty = h('p', { class: 'empty', 'data-i18n': 'noStats', hidden: true }, t('noStats'));

  /** The query string: the chosen unit's rotas only, when the server has units. */
  const params = (extra = {}) => new URLSearchParams({ groupBy: query.groupBy, from: query.from, to: query.to, ...(ctx.unit() ? { unitId: String(ctx.unit().id) } : {}), ...extra });

  async function load() {
    const q = params();
    try {
      stats = await api('GET', `/stats/person-shifts?${q}`);
    } catch (error) {
      // Older servers have no statistics: the section stays hidden rather than failing.
      if (error.status === 404) {
        stats = 'absent';
        return;
      }
      stats = null;
      notify('error', errorText(error));
    }
  }

  function draw() {
    const absent = stats === 'absent';
    section.hidden = absent;
    document.querySelector('a[href="#stats"]')?.parentElement?.toggleAttribute('hidden', absent);
    if (absent || !stats) return;
    const { rows, total } = stats;
    const num = (n) => h('td', { class: 'number' }, String(n));
    table.replaceChildren(
      h('caption', { class: 'muted' }, `${ctx.unit() ? `${ctx.unit().name} · ` : ''}${formatDate(stats.from)} – ${formatDate(stats.to)}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colKey')), h('th', { scope: 'col', class: 'number' }, t('colPersonShifts')), h('th', { scope: 'col', class: 'number' }, t('colPeople')))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), num(r.personShifts), num(r.people)))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('total')), num(total.personShifts), num(total.people))),
    );
    empty.hidden = rows.length > 0;
    chart?.destroy();
    chart = null;
    chartBox.hidden = rows.length === 0;
    if (rows.length === 0 || typeof Chart === 'undefined') return;
    canvas.setAttribute('aria-label', `${t('chartTitle')}: ${rows.map((r) => `${r.label} ${r.personShifts}`).join(', ')}`);
    chart = new Chart(canvas, {
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
      const q = params({ lang: lang() });
      try {
        const blob = await apiBlob('GET', `/stats/person-shifts?${q}`, { accept });
        const url = URL.createObjectURL(blob);
        const a = h('a', { href: url, download: `person-shifts-${query.groupBy}-${query.from}-${query.to}.${ext}` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(showButton, async () => {
      Object.assign(query, { groupBy: group.value, from: from.value, to: to.value });
      await load();
      draw();
    });
  });
  const csv = h('button', { type: 'button', class: 'button secondary', 'data-i18n': 'downloadCsv', onclick: (e) => download(e.currentTarget, 'text/csv', 'csv') }, t('downloadCsv'));
  const xlsx = h('button', { type: 'button', class: 'button secondary', 'data-i18n': 'downloadXlsx', onclick: (e) => download(e.currentTarget, XLSX, 'xlsx') }, t('downloadXlsx'));
  const section = h(
    'section',
    { id: 'stats', 'aria-labelledby': 'stats-h', hidden: true },
    h('h2', { id: 'stats-h', 'data-i18n': 'stats' }, t('stats')),
    form,
    empty,
    h('div', { class: 'columns' }, chartBox, h('div', {}, h('div', { class: 'table-wrap' }, table), h('div', { class: 'buttons' }, csv, xlsx))),
  );
  const reload = async () => {
    await load();
    draw();
  };
  return { section, render: () => (stats ? draw() : reload()), reload, keep: true };
}
