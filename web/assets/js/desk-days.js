// Cancelling a whole day on the desk (a typhoon or rainstorm warning): pick the date and the rota
// (or all), see who is affected, confirm, and get the list of people to tell.
import { api } from './api.js';
import { addStrings, formatDate, formatWhen, joinNames, t, todayIn } from './i18n.js';
import { ask, busy, errorText, h, notify } from './ui.js';

addStrings({
  'zh-CN': {
    navDays: '停一天',
    daysTitle: '取消一整天的值班',
    daysText: '遇到台风、暴雨预警时，一次取消这一天的所有班次。报了名的人会收到日历更新。',
    daysDate: '哪一天',
    daysRota: '哪个值班表',
    daysNote: '原因（会写在班次上）',
    daysButton: '取消这一天的值班',
    daysNone: '这一天没有可以取消的班次。',
    daysQ: '取消 {date} 的 {n} 个班次？',
    daysPeople: '这些人已报名，会被一起取消，请通知他们：{names}',
    daysNobody: '这些班次还没有人报名。',
    daysYes: '是的，取消这一天',
    daysDone: '已取消 {date} 的 {n} 个班次。',
    daysTell: '请通知：{names}',
  },
  en: {
    navDays: 'Cancel a day',
    daysTitle: 'Cancel a whole day',
    daysText: 'For a typhoon or rainstorm warning: cancel every shift of the day at once. The people on them see it in their calendars.',
    daysDate: 'Which day',
    daysRota: 'Which rota',
    daysNote: 'Why (shown on the shifts)',
    daysButton: 'Cancel this day\'s shifts',
    daysNone: 'There is no shift to cancel on this day.',
    daysQ: 'Cancel {n} shifts on {date}?',
    daysPeople: 'These people are on them and are cancelled with them; please tell them: {names}',
    daysNobody: 'Nobody is on these shifts yet.',
    daysYes: 'Yes, cancel the day',
    daysDone: 'Cancelled {n} shifts on {date}.',
    daysTell: 'Please tell: {names}',
  },
});

export function cancelDaySection(ctx) {
  const date = h('input', { id: 'day-date', type: 'date', required: true });
  const rota = h('select', { id: 'day-rota' });
  const note = h('input', { id: 'day-note', type: 'text', maxlength: '2000' });
  const out = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button danger' }, t('daysButton'));
  const form = h(
    'form',
    { id: 'cancel-day-form' },
    h('p', {}, t('daysText')),
    h(
      'div',
      { class: 'fields' },
      h('div', {}, h('label', { for: 'day-date' }, t('daysDate')), date),
      h('div', {}, h('label', { for: 'day-rota' }, t('daysRota')), rota),
      h('div', {}, h('label', { for: 'day-note' }, t('daysNote')), note),
    ),
    h('div', { class: 'buttons' }, button),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(button, async () => {
      const query = new URLSearchParams({ from: date.value, to: date.value });
      if (rota.value) query.set('rotaId', rota.value);
      let shifts;
      try {
        shifts = (await api('GET', `/shifts?${query}`)).shifts.filter((s) => s.status !== 'cancelled' && Date.parse(s.end) > Date.now());
      } catch (error) {
        notify('error', errorText(error));
        return;
      }
      if (shifts.length === 0) return notify('error', t('daysNone'));
      const people = [...new Set(shifts.flatMap((s) => [...s.people, ...s.waitlist].map((p) => p.name)))];
      const yes = await ask({
        question: t('daysQ', { n: shifts.length, date: formatDate(date.value) }),
        content: [
          h('ul', { class: 'day-shifts' }, shifts.map((s) => h('li', {}, `${formatWhen(s.start, s.end, s.timezone)} ${s.label ? `${s.rotaName} · ${s.label}` : s.rotaName}${s.people.length ? ` — ${joinNames(s.people.map((p) => p.name))}` : ''}`))),
          h('p', { class: people.length ? 'warning' : 'muted' }, people.length ? t('daysPeople', { names: joinNames(people) }) : t('daysNobody')),
        ],
        yes: t('daysYes'),
        danger: true,
      });
      if (!yes) return;
      try {
        const body = { ...(rota.value ? { rotaId: Number(rota.value) } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}) };
        const done = await api('POST', `/days/${date.value}/cancel`, body);
        const tell = [...new Set(done.affectedSignups.map((a) => a.personName))];
        notify('ok', t('daysDone', { n: done.shifts.length, date: formatDate(done.date) }));
        out.replaceChildren(h('p', { class: 'what' }, t('daysDone', { n: done.shifts.length, date: formatDate(done.date) })), tell.length ? h('p', { class: 'warning' }, t('daysTell', { names: joinNames(tell) })) : null);
        await ctx.changed();
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });
  const section = h('section', { id: 'cancel-day', 'aria-labelledby': 'cancel-day-h' }, h('h2', { id: 'cancel-day-h' }, t('daysTitle')), form, out);
  const render = (opts = {}) => {
    const chosen = opts.rotaId !== undefined ? String(opts.rotaId) : rota.value;
    rota.replaceChildren(h('option', { value: '' }, t('allRotas')), ...ctx.rotas().map((r) => h('option', { value: String(r.id), selected: String(r.id) === chosen }, r.name)));
    if (!date.value) date.value = todayIn(ctx.zone());
  };
  return { section, render };
}
