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
    rotaContact: '联系人（开始前不能再改时，志愿者打电话给这位协调员）',
    contactNobody: '暂不指定',
    contactHint: '只能选填了电话的协调员；没有的话，先在“人员”里给协调员填上电话。',
    contactLine: '联系人：{name}，{phone}',
    contactMissing: '还没有联系人：临近开始时，志愿者的页面不知道该让他们打给谁。',
    changeContact: '更改联系人',
    saveContact: '保存联系人',
    contactSaved: '“{rota}”的联系人已保存。',
    noRotas: '还没有值班表。用下面的表单建第一个。',
    newRota: '新建值班表',
    rotaName: '名称（例如：东门护学岗）',
    rotaLocation: '地点（可不填）',
    rotaZone: '时区',
    seriesPart: '什么时候值班',
    seriesLabel: '岗位名称（可不填，例如：校园门口）',
    weekdays: '哪几天',
    every: '多久一次',
    everyWeek: '每周',
    every2Weeks: '隔一周',
    startTime: '开始时间',
    duration: '时长（分钟）',
    minPeople: '最少几人',
    maxPeople: '最多几人',
    dayCalendars: '遇到这些日子不值班（节假日），调休上班日照常值班',
    endDate: '到哪天结束（可不填）',
    ruleLabel: '规则：',
    createRota: '建好值班表',
    rotaCreated: '值班表“{name}”已建好。',
    addSeries: '添加一个值班时间',
    saveSeries: '保存',
    seriesAdded: '已添加值班时间。',
    pickWeekday: '请至少选一天。',
    maxBelowMin: '最多人数不能少于最少人数。',
    seriesFrom: '从 {date} 开始',
    seriesUntil: '到 {date} 结束',
    showCalendar: '显示日历',
    hideCalendar: '收起日历',
    rotaFeed: '这个值班表的日历订阅链接',
  },
  en: {
    seriesSize: '{minutes} minutes, {min}–{max} people',
    zonesCommon: 'Common time zones',
    zonesAll: 'Other time zones (A–Z)',
    rotaContact: 'Contact (the coordinator volunteers call once a duty can no longer be changed here)',
    contactNobody: 'Nobody yet',
    contactHint: 'Only coordinators with a phone number can be chosen; if there is none, add a phone number under People first.',
    contactLine: 'Contact: {name}, {phone}',
    contactMissing: 'No contact yet: close to a duty, volunteers\' pages cannot tell them whom to call.',
    changeContact: 'Change the contact',
    saveContact: 'Save the contact',
    contactSaved: 'The contact of "{rota}" is saved.',
    noRotas: 'No rotas yet. Create the first one with the form below.',
    newRota: 'New rota',
    rotaName: 'Name (e.g. East gate, mornings)',
    rotaLocation: 'Place (optional)',
    rotaZone: 'Time zone',
    seriesPart: 'When it takes place',
    seriesLabel: 'Post (optional, e.g. School gate)',
    weekdays: 'Which days',
    every: 'How often',
    everyWeek: 'Every week',
    every2Weeks: 'Every other week',
    startTime: 'Start time',
    duration: 'Length (minutes)',
    minPeople: 'At least (people)',
    maxPeople: 'At most (people)',
    dayCalendars: 'No duty on these days off (holidays); make-up working days are duty days',
    endDate: 'Last day (optional)',
    ruleLabel: 'Rule:',
    createRota: 'Create the rota',
    rotaCreated: 'The rota "{name}" is ready.',
    addSeries: 'Add a duty time',
    saveSeries: 'Save',
    seriesAdded: 'The duty time was added.',
    pickWeekday: 'Choose at least one day.',
    maxBelowMin: '"At most" cannot be less than "at least".',
    seriesFrom: 'from {date}',
    seriesUntil: 'until {date}',
    showCalendar: 'Show calendar',
    hideCalendar: 'Hide calendar',
    rotaFeed: 'Calendar subscription link for this rota',
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

  /** Who can be a rota's contact: a coordinator with a phone number (the API refuses others). */
  const contacts = () => ctx.people().filter((p) => p.role === 'coordinator' && p.phone && !p.archived);

  /** The contact choices, `selected` (a person's id, or null) chosen; kept current as people change. */
  function fillContacts(select, selected) {
    select.replaceChildren(
      h('option', { value: '', 'data-i18n': 'contactNobody' }, t('contactNobody')),
      ...contacts().map((p) => h('option', { value: String(p.id), selected: p.id === selected }, `${p.name}, ${p.phone}`)),
    );
    return select;
  }

  function contactField(selected) {
    const select = fillContacts(h('select', { name: 'contact' }), selected);
    return [field('rotaContact', select), h('p', { class: 'muted', 'data-i18n': 'contactHint' }, t('contactHint'))];
  }

  const contactOf = (value) => (value ? Number(value) : null);

  function contactForm(rota) {
    const submit = h('button', { type: 'submit', class: 'button primary' }, t('saveContact'));
    const form = h('form', { class: 'contact-form' }, contactField(rota.contactPersonId), submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(submit, async () => {
        try {
          await api('PATCH', `/rotas/${rota.id}`, { contactPersonId: contactOf(form.elements.contact.value) });
          notify('ok', t('contactSaved', { rota: rota.name }));
          await ctx.rotasChanged();
        } catch (error) {
          notify('error', errorText(error));
        }
      });
    });
    return h('details', {}, h('summary', {}, t('changeContact')), form);
  }

  function contactLine(rota) {
    const person = ctx.people().find((p) => p.id === rota.contactPersonId);
    return person ? h('p', { class: 'contact' }, t('contactLine', { name: person.name, phone: person.phone })) : h('p', { class: 'warning' }, t('contactMissing'));
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
      contactField(null),
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
        const contactPersonId = contactOf(form.elements.contact.value);
        try {
          const rota = await api('POST', '/rotas', { name, timezone: form.elements.timezone.value, ...(location ? { location } : {}), ...(contactPersonId ? { contactPersonId } : {}), ...ctx.unitBody() });
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
    const contact = newRota.querySelector('select[name="contact"]');
    fillContacts(contact, contactOf(contact.value));
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
            contactLine(rota),
            contactForm(rota),
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
