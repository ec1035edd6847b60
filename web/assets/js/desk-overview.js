// A street's or district's desk (issue 13): one row per community below the chosen unit with this
// month's person-shifts (人次), people (人数), filled share and this week's gaps, the unit's months as
// a chart (drawn as the statistics section draws its own), and a community's rotas and gaps on
// demand. Only reading: nothing here changes anything.
import { api } from './api.js';
import { addStrings, formatDate, formatWhen, lang, t } from './i18n.js';
import { errorText, h, notify } from './ui.js';

/* global Chart */

addStrings({
  'zh-CN': {
    navOverview: '各社区概况',
    overviewTitle: '各社区概况',
    overviewWhen: '{month}；缺人班次为本周（{from} 至 {to}）',
    overviewCol: '社区',
    overviewShifts: '本月人次',
    overviewPeople: '本月人数',
    overviewFilled: '本月满员率',
    overviewGaps: '本周缺人班次',
    overviewOwn: '{name}直属',
    overviewTotal: '合计',
    overviewNone: '这里下面还没有社区。',
    overviewOpen: '查看 {name}',
    overviewChart: '{name}每月人次',
    overviewMonth: '{y}年{m}月',
    drillTitle: '{name}：值班表和本周缺人',
    drillRotas: '值班表',
    drillNoRotas: '还没有值班表。',
    drillGaps: '本周缺人的班次',
    drillNoGaps: '本周没有缺人的班次。',
    drillMissing: '缺 {n} 人',
    drillClose: '收起',
  },
  en: {
    navOverview: 'Communities',
    overviewTitle: 'Communities at a glance',
    overviewWhen: '{month}; gaps are this week\'s ({from} to {to})',
    overviewCol: 'Community',
    overviewShifts: 'Person-shifts this month',
    overviewPeople: 'People this month',
    overviewFilled: 'Places filled this month',
    overviewGaps: 'Gaps this week',
    overviewOwn: 'Run by {name} itself',
    overviewTotal: 'Total',
    overviewNone: 'No community below this unit yet.',
    overviewOpen: 'Show {name}',
    overviewChart: 'Person-shifts by month, {name}',
    overviewMonth: '{m}/{y}',
    drillTitle: '{name}: rotas and this week\'s gaps',
    drillRotas: 'Rotas',
    drillNoRotas: 'No rota yet.',
    drillGaps: 'Shifts short of people this week',
    drillNoGaps: 'No shift is short of people this week.',
    drillMissing: '{n} missing',
    drillClose: 'Hide',
  },
});

/** Units at these levels have communities below them, so their desk opens with the overview. */
export const OVERVIEW_KINDS = new Set(['district', 'street']);

const share = (x) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const monthText = (ym) => {
  const [y, m] = ym.split('-');
  return t('overviewMonth', { y, m: String(Number(m)) });
};

/** `ctx.unit()` is the chosen unit. */
export function overviewSection(ctx) {
  let answer = null;
  let chart = null;
  const caption = h('p', { class: 'what' });
  const table = h('table', { id: 'overview-table' });
  const canvas = h('canvas', { role: 'img' });
  const chartBox = h('div', { class: 'chart-box' }, canvas);
  const drill = h('div', { id: 'overview-drill', class: 'drill', tabindex: '-1', hidden: true });

  async function load() {
    try {
      answer = await api('GET', `/overview/units/${ctx.unit().id}?level=community`);
    } catch (error) {
      answer = null;
      notify('error', errorText(error));
    }
  }

  async function open(row) {
    let detail;
    try {
      detail = await api('GET', `/overview/units/${row.unitId}`);
    } catch (error) {
      notify('error', errorText(error));
      return;
    }
    const rotas = detail.rotas.length
      ? h('ul', { class: 'cards' }, detail.rotas.map((r) => h('li', { class: 'card', 'data-rota-id': String(r.id) }, h('h4', {}, r.name), r.location ? h('p', {}, t('place', { place: r.location })) : null)))
      : h('p', { class: 'empty' }, t('drillNoRotas'));
    const gaps = detail.gaps.length
      ? h(
          'ul',
          { class: 'cards' },
          detail.gaps.map((g) =>
            h('li', { class: 'card gap' }, h('p', { class: 'when' }, formatWhen(g.start, g.end, g.timezone)), h('p', {}, g.label ? `${g.rotaName} · ${g.label}` : g.rotaName), h('p', { class: 'tag gap' }, `⚠ ${t('drillMissing', { n: g.missing })}`)),
          ),
        )
      : h('p', { class: 'empty' }, t('drillNoGaps'));
    const close = h('button', { type: 'button', class: 'button secondary', onclick: () => (drill.hidden = true) }, t('drillClose'));
    drill.replaceChildren(
      h('h3', { id: 'overview-drill-h' }, t('drillTitle', { name: detail.unit.name })),
      h('h4', {}, t('drillRotas')),
      rotas,
      h('h4', {}, t('drillGaps')),
      gaps,
      h('div', { class: 'buttons' }, close),
    );
    drill.hidden = false;
    drill.focus();
  }

  function draw() {
    if (!answer) return;
    const unit = answer.unit;
    caption.textContent = t('overviewWhen', { month: monthText(answer.month), from: formatDate(answer.week.from), to: formatDate(answer.week.to) });
    const num = (n) => h('td', { class: 'number' }, String(n));
    const nameCell = (row) =>
      row.unitId === null
        ? h('th', { scope: 'row' }, t('overviewOwn', { name: unit.name }))
        : h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', 'aria-label': t('overviewOpen', { name: row.name }), onclick: () => open(row) }, row.name));
    const { rows, total } = answer;
    table.replaceChildren(
      h('caption', { class: 'visually-hidden' }, t('overviewTitle')),
      h(
        'thead',
        {},
        h('tr', {}, ['overviewCol', 'overviewShifts', 'overviewPeople', 'overviewFilled', 'overviewGaps'].map((key, i) => h('th', { scope: 'col', class: i ? 'number' : undefined }, t(key)))),
      ),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-unit-id': String(r.unitId ?? '') }, nameCell(r), num(r.personShifts), num(r.people), num(share(r.filledShare)), num(r.gaps)))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('overviewTotal')), num(total.personShifts), num(total.people), num(share(total.filledShare)), num(total.gaps))),
    );
    empty.hidden = rows.length > 0;
    chart?.destroy();
    chart = null;
    const labels = answer.months.map((m) => monthText(m.month));
    const title = t('overviewChart', { name: unit.name });
    const en = lang() === 'en';
    canvas.setAttribute('aria-label', `${title}${en ? ': ' : '：'}${answer.months.map((m, i) => `${labels[i]} ${m.personShifts}`).join(en ? ', ' : '，')}`);
    if (typeof Chart === 'undefined') return;
    chart = new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets: [{ label: title, data: answer.months.map((m) => m.personShifts), backgroundColor: '#0a4a82' }] },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { color: '#111', font: { size: 14 } } }, y: { beginAtZero: true, ticks: { color: '#111', font: { size: 16 }, precision: 0 } } },
      },
    });
  }

  const empty = h('p', { class: 'empty', hidden: true }, t('overviewNone'));
  const section = h(
    'section',
    { id: 'overview', 'aria-labelledby': 'overview-h' },
    h('h2', { id: 'overview-h' }, t('overviewTitle')),
    caption,
    empty,
    h('div', { class: 'table-wrap' }, table),
    drill,
    chartBox,
  );
  const reload = async () => {
    await load();
    draw();
  };
  return { section, render: () => (answer ? draw() : reload()), reload };
}
