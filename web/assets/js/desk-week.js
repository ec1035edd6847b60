// The desk's week: every shift of one week (or one rota's), gaps highlighted, a person assigned by hand.
import { api } from './api.js';
import { addDays, addStrings, formatDate, formatTime, formatWhen, joinNames, lang, t, todayIn } from './i18n.js';
import { ask, busy, errorText, h, notify } from './ui.js';

addStrings({
  'zh-CN': {
    weekOf: '{from} 至 {to}',
    prevWeek: '上一周',
    thisWeek: '本周',
    nextWeek: '下一周',
    weekSummary: '共 {total} 个班次，{gaps} 个缺人。',
    noShiftsWeek: '这一周没有班次。',
    statusGap: '缺 {n} 人',
    statusOk: '人够了',
    statusFull: '已满',
    statusCancelled: '已取消',
    fill: '{confirmed} 人（最少 {min}，最多 {max}）',
    waitlistCount: '候补 {n} 人',
    nobody: '还没有人',
    assign: '安排人',
    assignTitle: '安排谁来值班？',
    assignWho: '人员',
    assignYes: '安排',
    assigned: '已安排 {name}：{when}',
  },
  en: {
    weekOf: '{from} to {to}',
    prevWeek: 'Previous week',
    thisWeek: 'This week',
    nextWeek: 'Next week',
    weekSummary: '{total} shifts, {gaps} short of people.',
    noShiftsWeek: 'No shifts this week.',
    statusGap: '{n} short',
    statusOk: 'Enough people',
    statusFull: 'Full',
    statusCancelled: 'Cancelled',
    fill: '{confirmed} on it (at least {min}, at most {max})',
    waitlistCount: '{n} waiting',
    nobody: 'Nobody yet',
    assign: 'Assign',
    assignTitle: 'Who should take this shift?',
    assignWho: 'Person',
    assignYes: 'Assign',
    assigned: '{name} is on it: {when}',
  },
});

/** Monday of the week holding `date` (YYYY-MM-DD). */
function mondayOf(date) {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

export function weekSection(ctx) {
  const state = { weekStart: '', rotaFilter: '', shifts: [] };
  const title = h('p', { class: 'what' });
  const list = h('div');
  const filter = h('select', {
    id: 'rota-filter',
    onchange: (e) => {
      state.rotaFilter = e.currentTarget.value;
      showWeek(state.weekStart);
    },
  });

  async function showWeek(weekStart) {
    state.weekStart = weekStart;
    const query = new URLSearchParams({ from: weekStart, to: addDays(weekStart, 6) });
    if (state.rotaFilter) query.set('rotaId', state.rotaFilter);
    try {
      // Only the chosen unit's rotas (issue 13).
      const shown = new Set(ctx.rotas().map((r) => r.id));
      state.shifts = (await api('GET', `/shifts?${query}`)).shifts.filter((s) => shown.has(s.rotaId));
    } catch (error) {
      notify('error', errorText(error));
    }
    draw();
  }

  async function assign(button, shift) {
    await busy(button, async () => {
      const onIt = new Set(shift.people.map((p) => p.id));
      const select = h(
        'select',
        { id: 'assign-person' },
        ctx.people().filter((p) => !onIt.has(p.id)).sort((a, b) => a.name.localeCompare(b.name, lang())).map((p) => h('option', { value: String(p.id) }, p.name)),
      );
      const when = formatWhen(shift.start, shift.end, shift.timezone);
      const yes = await ask({
        question: t('assignTitle'),
        content: [h('p', { class: 'when' }, when), h('p', {}, shift.rotaName), h('label', { for: 'assign-person' }, t('assignWho')), select],
        yes: t('assignYes'),
      });
      if (!yes) return;
      const person = ctx.people().find((p) => String(p.id) === select.value);
      try {
        await api('POST', `/shifts/${encodeURIComponent(shift.id)}/signups`, { personId: Number(select.value) });
        notify('ok', t('assigned', { name: person?.name ?? '', when }));
      } catch (error) {
        notify('error', errorText(error));
      }
      await ctx.changed();
    });
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

  function draw() {
    title.textContent = t('weekOf', { from: formatDate(state.weekStart), to: formatDate(addDays(state.weekStart, 6)) });
    filter.replaceChildren(h('option', { value: '' }, t('allRotas')), ...ctx.rotas().map((r) => h('option', { value: String(r.id), selected: String(r.id) === state.rotaFilter }, r.name)));
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

  const nav = (key, fn) => h('button', { type: 'button', class: 'button secondary', 'data-i18n': key, onclick: fn }, t(key));
  const section = h(
    'section',
    { id: 'week', 'aria-labelledby': 'week-h' },
    h('h2', { id: 'week-h', 'data-i18n': 'week' }, t('week')),
    title,
    h(
      'div',
      { class: 'week-controls' },
      nav('prevWeek', () => showWeek(addDays(state.weekStart, -7))),
      nav('thisWeek', () => showWeek(mondayOf(todayIn(ctx.zone())))),
      nav('nextWeek', () => showWeek(addDays(state.weekStart, 7))),
      h('div', { class: 'filter' }, h('label', { for: 'rota-filter', 'data-i18n': 'rotaFilter' }, t('rotaFilter')), filter),
    ),
    list,
  );

  /** Shows the week again; with a new rota (`rotaId`, `startDate`), the week its shifts begin, for that rota. */
  const render = (opts = {}) => {
    const today = todayIn(ctx.zone());
    if (opts.rotaId !== undefined) {
      state.rotaFilter = String(opts.rotaId);
      return showWeek(mondayOf(opts.startDate && opts.startDate > today ? opts.startDate : today));
    }
    if (state.rotaFilter && !ctx.rotas().some((r) => String(r.id) === state.rotaFilter)) state.rotaFilter = '';
    return showWeek(state.weekStart || mondayOf(today));
  };
  // Built once: the static words follow a language switch by their data-i18n marks.
  return { section, render, reload: () => showWeek(state.weekStart), keep: true };
}
