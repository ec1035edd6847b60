// A series' rule in plain words, in Chinese or English: "周一至周五 07:15，节假日休息，调休上班日照常".
// Pure: no DOM, no clock, no page state; the language and the calendars' names are passed in.

const DAYS = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

const WORDS = {
  'zh-CN': {
    sep: '、',
    run: (a, b) => `${a}至${b}`,
    everyDay: '每天',
    everyOther: (days) => `隔周${days}`,
    everyN: (n, days) => `每 ${n} 周的${days}`,
    cnMainland: '节假日休息，调休上班日照常',
    calendar: (name) => `按“${name}”休息和补班`,
    join: '，',
  },
  en: {
    sep: ', ',
    run: (a, b) => `${a} to ${b}`,
    everyDay: 'Every day',
    everyOther: (days) => `${days}, every other week`,
    everyN: (n, days) => `${days}, every ${n} weeks`,
    cnMainland: 'off on public holidays, on duty on make-up working days',
    calendar: (name) => `off and on as "${name}" says`,
    join: ', ',
  },
};

/** "周一至周五", "周二、周四", "Monday to Friday": runs of three or more days are shortened. */
function daysWords(codes, lang) {
  const w = WORDS[lang];
  const idx = CODES.map((d, i) => (codes.includes(d) ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 7) return w.everyDay;
  const runs = [];
  for (const i of idx) {
    const run = runs.at(-1);
    if (run && run[1] === i - 1) run[1] = i;
    else runs.push([i, i]);
  }
  return runs
    .map(([a, b]) => (b - a >= 2 ? w.run(DAYS[lang][a], DAYS[lang][b]) : DAYS[lang].slice(a, b + 1).join(w.sep)))
    .join(w.sep);
}

/**
 * The rule of `series` ({ rrule, startTime, dayCalendarIds }) in words; `calendarName(id)` names a
 * day calendar. A rule with parts these words cannot say (BYMONTH, BYSETPOS…) keeps its RRULE text.
 */
export function ruleWords(series, { lang = 'zh-CN', calendarName = (id) => id } = {}) {
  const w = WORDS[lang] ?? WORDS.en;
  const language = WORDS[lang] ? lang : 'en';
  const parts = Object.fromEntries(series.rrule.split(';').map((p) => p.split('=')));
  const known = Object.keys(parts).every((k) => ['FREQ', 'BYDAY', 'INTERVAL', 'WKST'].includes(k));
  const interval = Number(parts.INTERVAL ?? '1');
  let days = null;
  if (known && parts.FREQ === 'DAILY' && !parts.BYDAY && interval === 1) days = w.everyDay;
  if (known && parts.FREQ === 'WEEKLY' && /^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/.test(parts.BYDAY ?? '')) {
    const listed = daysWords(parts.BYDAY.split(','), language);
    days = interval === 1 ? listed : interval === 2 ? w.everyOther(listed) : w.everyN(interval, listed);
  }
  const when = `${days ?? series.rrule} ${series.startTime}`;
  const calendars = (series.dayCalendarIds ?? []).map((id) => (id === 'cn-mainland' ? w.cnMainland : w.calendar(calendarName(id))));
  return [when, ...calendars].join(w.join);
}
