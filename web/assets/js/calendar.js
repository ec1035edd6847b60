// A calendar drawn from one of our iCal feeds with FullCalendar 6 and its icalendar plugin.
// The plugin ignores TZID and hands FullCalendar each start as a floating local time; without a
// named-zone plugin FullCalendar then shows those times as they are ("UTC coercion"). So the
// calendar is set to the rota's zone, and "now" (today's highlight) is given as the wall time
// in that zone, whatever zone the phone is in.
import { lang, onLangChange, t } from './i18n.js';

/* global FullCalendar */

function wallNow(zone) {
  const p = {};
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  for (const part of f.formatToParts(new Date())) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

function options({ url, zone, views, onFailure }) {
  return {
    timeZone: zone,
    now: () => wallNow(zone),
    locale: lang() === 'zh-CN' ? 'zh-cn' : 'en',
    firstDay: 1,
    initialView: views[0],
    headerToolbar: { left: 'prev,next today', center: 'title', right: views.join(',') },
    // Words instead of FullCalendar's arrow icons (which have no text alternative): clearer too.
    buttonIcons: false,
    buttonText: { today: t('calendarToday'), prev: t('calendarPrev'), next: t('calendarNext') },
    views: {
      // A month cell is narrow: the start time is enough there.
      dayGridMonth: { buttonText: t('calendarMonth'), displayEventEnd: false },
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
 * `el`. The first of `views` opens first.
 * Answers `{ refetch, goTo }`; the calendar redraws itself in the new language on a switch.
 */
export function feedCalendar(el, { url, zone, views, initialDate }) {
  const failure = () => {
    const note = el.parentElement?.querySelector('.calendar-failed');
    if (note) note.hidden = false;
  };
  // Without FullCalendar (a script that did not load) the rest of the page still works.
  if (typeof FullCalendar === 'undefined') {
    failure();
    return { refetch: () => {}, goTo: () => {} };
  }
  let calendar = new FullCalendar.Calendar(el, { ...options({ url, zone, views, onFailure: failure }), ...(initialDate ? { initialDate } : {}) });
  calendar.render();
  onLangChange(() => {
    // Markers are UTC-coerced: the ISO date of the shown date is its wall date in the zone.
    const date = calendar.getDate().toISOString().slice(0, 10);
    const view = calendar.view.type;
    calendar.destroy();
    calendar = new FullCalendar.Calendar(el, { ...options({ url, zone, views, onFailure: failure }), initialView: view, initialDate: date });
    calendar.render();
  });
  return {
    refetch: () => calendar.refetchEvents(),
    goTo: (date) => calendar.gotoDate(date),
  };
}
