// The desk's rotas: each with its duty times in words, its calendar and feed; a form for a new
// rota and for another duty time (the rule's words shown as the boxes are ticked).
import { api, feedPath } from './api.js';
import { feedCalendar } from './calendar.js';
import { addStrings, formatDate, hasText, lang, t, todayIn } from './i18n.js';
import { ruleWords } from './rule-words.js';
import { busy, errorText, h, linkBox, notify, qrCode } from './ui.js';

addStrings({
  'zh-CN': {
    seriesSize: '{minutes} 分钟，{min}–{max} 人',
    zonesCommon: '常用时区',
    zonesAll: '其他时区（按字母）',
  },
  en: {
    seriesSize: '{minutes} minutes, {min}–{max} people',
    zonesCommon: 'Common time zones',
    zonesAll: 'Other time zones (A–Z)',
  },
});

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Offered first in the time-zone list: China's, its neighbours', and the zones of big diasporas. */
const COMMON_ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney'];

function field(labelKey, input) {
  input.id ||= `f-${labelKey}-${Math.random().toString(36).slice(2, 8)}`;
  return h('div', {}, h('label', { for: input.id, 'data-i18n': labelKey }, t(labelKey)), input);
}

/** The RRULE the weekday boxes and "how often" describe. */
function ruleOf(root) {
  const days = [...root.querySelectorAll('input[name="weekday"]:checked')].map((i) => i.value);
  if (days.length === 0) return '';
  const interval = root.querySelector('select[name="interval"]').value;
  return `FREQ=WEEKLY;${interval === '1' ? '' : `INTERVAL=${interval};`}BYDAY=${days.join(',')}`;
}

const checkedCalendars = (root) => [...root.querySelectorAll('input[name="dayCalendar"]:checked')].map((i) => i.value);

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
      dayCalendarIds: checkedCalendars(root),
      ...(value('label') ? { label: value('label') } : {}),
      ...(value('endDate') ? { endDate: value('endDate') } : {}),
    },
  };
}

export function rotasSection(ctx) {
  const calendarName = (id) => ctx.dayCalendars().find((c) => c.id === id)?.name ?? id;
  const words = (series) => ruleWords(series, { lang: lang(), calendarName });

  function seriesFieldset() {
    const weekdayBoxes = WEEKDAYS.map((code, i) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'weekday', value: code, checked: i < 5 }), h('span', { 'data-i18n': `wd${i + 1}` }, t(`wd${i + 1}`))),
    );
    const calendarBoxes = ctx.dayCalendars().map((c) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'dayCalendar', value: c.id, checked: c.id === 'cn-mainland' }), h('span', {}, c.name)),
    );
    const rule = h('span', { class: 'rule-words' });
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
        field('startDate', h('input', { type: 'date', name: 'startDate', value: todayIn(ctx.zone()), required: true })),
        field('endDate', h('input', { type: 'date', name: 'endDate' })),
      ),
      h('p', { class: 'rule', 'aria-live': 'polite' }, h('span', { 'data-i18n': 'ruleLabel' }, t('ruleLabel')), ' ', rule),
    );
    const update = () => {
      const rrule = ruleOf(fieldset);
      rule.textContent = rrule ? words({ rrule, startTime: fieldset.querySelector('[name="startTime"]').value || '—', dayCalendarIds: checkedCalendars(fieldset) }) : t('pickWeekday');
    };
    fieldset.addEventListener('input', update);
    fieldset.addEventListener('change', update);
    fieldset.addEventListener('reset-rule', update);
    update();
    return fieldset;
  }

  function zoneSelect() {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const preferred = ctx.rotas()[0]?.timezone ?? (lang() === 'zh-CN' ? 'Asia/Shanghai' : browserZone);
    const common = [...new Set([preferred, ...COMMON_ZONES, browserZone])];
    const option = (z) => h('option', { value: z, selected: z === preferred }, z);
    return h(
      'select',
      { name: 'timezone', required: true },
      h('optgroup', { label: t('zonesCommon'), 'data-zones': 'zonesCommon' }, common.map(option)),
      h('optgroup', { label: t('zonesAll'), 'data-zones': 'zonesAll' }, all.filter((z) => !common.includes(z)).map(option)),
    );
  }

  function newRotaForm() {
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
          const rota = await api('POST', '/rotas', { name, timezone: form.elements.timezone.value, ...(location ? { location } : {}), ...ctx.unitBody() });
          await api('POST', `/rotas/${rota.id}/series`, body);
          form.reset();
          series.dispatchEvent(new Event('reset-rule'));
          newRota.open = false;
          notify('ok', t('rotaCreated', { name }));
          await ctx.rotasChanged({ rotaId: rota.id, startDate: body.startDate });
        } catch (error) {
          notify('error', errorText(error));
          // A rota made before its duty time was refused still shows, ready for another duty time.
          await ctx.rotasChanged();
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
          notify('ok', t('seriesAdded'));
          await ctx.rotasChanged({ rotaId: rota.id, startDate: body.startDate });
        } catch (error) {
          notify('error', errorText(error));
        }
      });
    });
    return h('details', {}, h('summary', {}, t('addSeries')), form);
  }

  /** Open rota calendars, kept across redraws. */
  const calendars = new Map();
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

  /** A series in plain words: its label, rule, length and people, and from when. */
  function seriesText(s) {
    const zh = lang() === 'zh-CN';
    const span = t('seriesFrom', { date: formatDate(s.startDate) }) + (s.endDate ? ` ${t('seriesUntil', { date: formatDate(s.endDate) })}` : '');
    const line = [words(s), t('seriesSize', { minutes: s.durationMinutes, min: s.minVolunteers, max: s.maxVolunteers }), span].join(zh ? '；' : '; ');
    return (s.label ? `${s.label}${zh ? '：' : ': '}` : '') + line;
  }

  /** A series warning in the page's language when we know its code, else the server's words. */
  function warningText(w) {
    return hasText(`warn_${w.code}`) ? t(`warn_${w.code}`, { calendar: calendarName(w.calendarId), year: w.year }) : w.message;
  }

  const list = h('div');
  const newRota = h('details', { id: 'new-rota' }, h('summary', { 'data-i18n': 'newRota' }, t('newRota')), newRotaForm());
  const section = h('section', { id: 'rotas', 'aria-labelledby': 'rotas-h' }, h('h2', { id: 'rotas-h', 'data-i18n': 'rotas' }, t('rotas')), list, newRota);

  const render = () => {
    // The new-rota form is kept (what was typed stays); its rule's words follow the language.
    newRota.querySelector('fieldset.series-fields').dispatchEvent(new Event('reset-rule'));
    for (const group of newRota.querySelectorAll('optgroup[data-zones]')) group.label = t(group.dataset.zones);
    if (ctx.rotas().length === 0) {
      list.replaceChildren(h('p', { class: 'empty' }, t('noRotas')));
      newRota.open = true;
      return;
    }
    list.replaceChildren(
      h(
        'ul',
        { class: 'cards' },
        ctx.rotas().map((rota) => {
          const series = ctx.series(rota.id);
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
  };
  return { section, render, keep: true };
}
