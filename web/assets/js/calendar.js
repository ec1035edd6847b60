// A calendar drawn from one of our iCal feeds with FullCalendar 6 and its icalendar plugin.
// The plugin ignores TZID and hands FullCalendar each start as a floating local time; without a
// named-zone plugin FullCalendar then shows those times as they are ("UTC coercion"). So the
// calendar is set to the rota's zone, and "now" (today's highlight) is given as the wall time
// in that zone, whatever zone the phone is in.
// The libraries (about 260 KB) are loaded here, when a calendar is first drawn, not with the page:
// the personal page shows the next duty without them (issue 14).
import { lang, onLangChange, t } from './i18n.js';

/* global FullCalendar */

/** Browser builds, in the order they must run (the icalendar plugin reads ical.js's global ICAL). */
const LIBRARIES = ['ical.js', 'fullcalendar.js', 'fullcalendar-zh-cn.js', 'fullcalendar-daygrid.js', 'fullcalendar-timegrid.js', 'fullcalendar-list.js', 'fullcalendar-icalendar.js'];
let libraries = null;

/** Loads the calendar libraries once; they download in parallel and run in order. */
function loadLibraries() {
  if (typeof FullCalendar !== 'undefined') return Promise.resolve();
  libraries ??= Promise.all(
    LIBRARIES.map(
      (file) =>
        new Promise((resolve, reject) => {
          const script = document.createElement('script');
          // Beside this module, so the page's version of the assets names the same version of these.
          script.src = new URL(`../vendor/${file}`, import.meta.url).href;
          script.async = false;
          script.onload = resolve;
          script.onerror = () => reject(new Error(`${file} did not load`));
          document.head.append(script);
        }),
    ),
  );
  return libraries;
}

/** A phone-sized screen: the list reads better there than a grid of narrow days. */
function narrow() {
  return window.matchMedia('(max-width: 47.99rem)').matches;
}

/**
 * A month cell is narrow: one line, "07:15 校园门口" (the start and the post, without the rota's
 * name); the list view and the event's own title keep the full text.
 */
function shortEntry(arg) {
  const title = arg.event.title;
  const short = title.replace(/^((?:[^·：:]*[：:]\s*)?)[^·]+? · /, '$1');
  const el = document.createElement('span');
  el.className = 'fc-short';
  el.title = title;
  // FullCalendar's own class names, so its styles (and readers of them) still find the parts.
  const time = document.createElement('span');
  time.className = 'fc-event-time';
  time.textContent = arg.timeText;
  const what = document.createElement('span');
  what.className = 'fc-event-title';
  what.textContent = short;
  el.append(...(arg.timeText ? [time, ' '] : []), what);
  return { domNodes: [el] };
}

function wallNow(zone) {
  const p = {};
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  for (const part of f.formatToParts(new Date())) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

function options({ url, zone, views, onFailure }) {
  const list = views.find((v) => v.startsWith('list'));
  return {
    timeZone: zone,
    now: () => wallNow(zone),
    locale: lang() === 'zh-CN' ? 'zh-cn' : 'en',
    firstDay: 1,
    initialView: list && narrow() ? list : views[0],
    headerToolbar: { left: 'prev,next today', center: 'title', right: views.join(',') },
    // Words instead of FullCalendar's arrow icons (which have no text alternative): clearer too.
    buttonIcons: false,
    buttonText: { today: t('calendarToday'), prev: t('calendarPrev'), next: t('calendarNext') },
    views: {
      // A month cell is narrow: the start time is enough there.
      dayGridMonth: { buttonText: t('calendarMonth'), displayEventEnd: false, eventContent: shortEntry },
      timeGridWeek: { buttonText: t('calendarWeek'), slotMinTime: '05:00:00', slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false } },
      listWeek: { buttonText: views.includes('timeGridWeek') ? t('calendarList') : t('calendarWeek') },
    },
    eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    displayEventEnd: true,
    height: 'auto',
    noEventsContent: t('calendarNoEvents'),
    // Column names read out by screen readers in the list view (FullCalendar's Chinese has none).
    timeHint: t('calendarTime'),
    eventHint: t('calendarEvent'),
    events: { url: typeof url === 'function' ? url() : url, format: 'ics' },
    eventSourceFailure: onFailure,
  };
}

/**
 * Renders the feed at `url` (a same-origin path, or a function of the language giving one) into
 * `el`, once the libraries have loaded. The first of `views` opens first (on a phone, the list).
 * Answers `{ refetch, goTo }` at once; the calendar redraws itself in the new language on a switch.
 */
export function feedCalendar(el, { url, zone, views, initialDate }) {
  const failure = () => {
    const note = el.parentElement?.querySelector('.calendar-failed');
    if (note) note.hidden = false;
  };
  let calendar = null;
  let date = initialDate;
  const draw = (more) => {
    calendar = new FullCalendar.Calendar(el, { ...options({ url, zone, views, onFailure: failure }), ...more });
    calendar.render();
  };
  // Without the libraries (a script that did not load) the rest of the page still works.
  loadLibraries().then(() => {
    draw(date ? { initialDate: date } : {});
    onLangChange(() => {
      // Markers are UTC-coerced: the ISO date of the shown date is its wall date in the zone.
      const shown = calendar.getDate().toISOString().slice(0, 10);
      const view = calendar.view.type;
      calendar.destroy();
      draw({ initialView: view, initialDate: shown });
    });
  }, failure);
  return {
    refetch: () => calendar?.refetchEvents(),
    goTo: (next) => {
      if (calendar) calendar.gotoDate(next);
      else date = next;
    },
  };
}
