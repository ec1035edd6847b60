// A term calendar (.ics) comes from outside: rules that never happen, events that last for ages
// and files that need too much work are refused with a 400 that names the event and its line,
// and nothing is stored. Legitimate repeats (EXDATE, RDATE, COUNT, leap days) still import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbState } from '../fixtures/db-state.js';
import { makeApp, type TestApp } from '../helpers/app.js';

const headers = { 'content-type': 'text/calendar' };

/** A calendar with one event made of the given property lines (BEGIN:VEVENT is line 4). */
function oneEvent(props: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//school//EN', 'BEGIN:VEVENT', 'UID:one@school.example', 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

describe('.ics import limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('2026-03-01T00:00:00Z');
  });
  afterAll(async () => t.close());

  async function calendar(): Promise<string> {
    return (await t.call('POST', '/api/v1/day-calendars', { body: { name: 'School' } })).body.id;
  }

  async function importing(body: string) {
    const id = await calendar();
    const res = await t.call('POST', `/api/v1/day-calendars/${id}/import`, { body, headers });
    const days = ((await t.call('GET', `/api/v1/day-calendars/${id}`)).body.days as { date: string }[]).map((d) => d.date);
    return { res, days };
  }

  it.each([
    ['FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31', '20260131'],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '20260130'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '20260130'],
    ['FREQ=MONTHLY;BYDAY=MO;BYMONTHDAY=32', '20260105'],
  ])('refuses RRULE:%s, a rule that never happens, naming the event and the line', async (rule, start) => {
    const id = await calendar();
    const afterCreate = dbState(t.db);
    const res = await t.call('POST', `/api/v1/day-calendars/${id}/import`, { body: oneEvent([`DTSTART;VALUE=DATE:${start}`, `RRULE:${rule}`, 'SUMMARY:Impossible day']), headers });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.message).toContain('"Impossible day"');
    expect(res.body.error.message).toMatch(/line 8/);
    expect(dbState(t.db)).toBe(afterCreate);
  });

  it('never closes 1 or 2 March for a rule on 30 February (the rule is refused, not rolled over)', async () => {
    const { res, days } = await importing(oneEvent(['DTSTART;VALUE=DATE:20260130', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'SUMMARY:Feb 30']));
    expect(res.status).toBe(400);
    expect(days).toEqual([]);
  });

  it.each([
    ['DTEND;VALUE=DATE:99991231', /lasts 2912411 days \(line 8\)/],
    ['DURATION:P99999999D', /lasts 99999999 days \(line 8\)/],
  ])('refuses an event that lasts for ages (%s) before spelling out its days', async (end, message) => {
    const { res, days } = await importing(oneEvent(['DTSTART;VALUE=DATE:20260201', end, 'SUMMARY:Forever']));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', line: 8 });
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.message).toContain('"Forever"');
    expect(days).toEqual([]);
  });

  it('refuses an all-day event that repeats hourly, and a rule it cannot read, naming the line', async () => {
    const hourly = await importing(oneEvent(['DTSTART;VALUE=DATE:20260201', 'SUMMARY:Hourly', 'RRULE:FREQ=HOURLY']));
    expect(hourly.res.status).toBe(400);
    expect(hourly.res.body.error.message).toMatch(/repeats hourly \(line 9\)/);
    const unread = await importing(oneEvent(['DTSTART;VALUE=DATE:20260201', 'RRULE:FREQ=FORTNIGHTLY', 'SUMMARY:Odd']));
    expect(unread.res.status).toBe(400);
    expect(unread.res.body.error).toMatchObject({ code: 'VALIDATION', line: 8 });
    expect(unread.res.body.error.message).toMatch(/"Odd" beginning on line 4 is not readable iCalendar \(\.ics\) on line 8/);
    const minutely = await importing(oneEvent(['DTSTART;VALUE=DATE:20260201', 'RRULE:FREQ=MINUTELY', 'SUMMARY:Busy']));
    expect(minutely.res.status).toBe(400);
    expect(minutely.res.body.error.message).toMatch(/"Busy" beginning on line 4 has a rule on line 8 that cannot be used: .*finer than hourly/);
  });

  it('reads repeats within bounds: UNTIL with EXDATE and RDATE, COUNT, leap days only in leap years', async () => {
    const fridays = await importing(
      oneEvent(['DTSTART;VALUE=DATE:20260102', 'RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20260130', 'EXDATE;VALUE=DATE:20260116', 'RDATE;VALUE=DATE:20260203', 'SUMMARY:Fridays']),
    );
    expect(fridays.res.status).toBe(201);
    expect(fridays.days).toEqual(['2026-01-02', '2026-01-09', '2026-01-23', '2026-01-30', '2026-02-03']);
    const leap = await importing(oneEvent(['DTSTART;VALUE=DATE:20240229', 'RRULE:FREQ=YEARLY;COUNT=3', 'SUMMARY:Leap day']));
    expect(leap.res.status).toBe(201);
    expect(leap.days).toEqual(['2024-02-29', '2028-02-29', '2032-02-29']);
    const weekly = await importing(oneEvent(['DTSTART;VALUE=DATE:20260103', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Every Saturday']));
    expect(weekly.res.status).toBe(201);
    expect(weekly.days).toHaveLength(400);
    expect(weekly.days.at(-1)).toBe('2033-08-27');
  });

  it('refuses a file that spells out too many event-days, and one whose frame is broken, naming the line', async () => {
    const many = [...Array(40)].map((_, i) => `BEGIN:VEVENT\r\nUID:${i}@x\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20351201\r\nSUMMARY:Long ${i}\r\nEND:VEVENT`).join('\r\n');
    const tooMuch = await importing(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${many}\r\nEND:VCALENDAR\r\n`);
    expect(tooMuch.res.status).toBe(400);
    expect(tooMuch.res.body.error.message).toMatch(/more than 100000 event-days/);
    expect(tooMuch.days).toEqual([]);
    const broken = await importing('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VTODO\r\nEND:VCALENDAR\r\n');
    expect(broken.res.status).toBe(400);
    expect(broken.res.body.error).toMatchObject({ code: 'VALIDATION', line: 4 });
    expect(broken.res.body.error.message).toMatch(/line 4 ends VTODO, but VEVENT began on line 2/);
  });

  it('refuses more than 5,000 events, and imports 2,500 one-day events with long descriptions (a 2 MiB file)', async () => {
    const file = (count: number) => {
      const events: string[] = [];
      for (let i = 0; i < count; i++) {
        const day = new Date(Date.UTC(2026, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
        events.push(`BEGIN:VEVENT\r\nUID:e${i}@school.example\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:${day}\r\nSUMMARY:Day ${i}\r\nDESCRIPTION:${'x'.repeat(700)}\r\nEND:VEVENT`);
      }
      return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//school//EN\r\n${events.join('\r\n')}\r\nEND:VCALENDAR\r\n`;
    };
    const big = file(2500);
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024 - 100_000);
    const ok = await importing(big);
    expect(ok.res.status).toBe(201);
    expect(ok.res.body.imported).toBe(2500);
    expect(ok.days).toHaveLength(2500);
    const tooMany = await importing(file(5001).replace(/DESCRIPTION:x+\r\n/g, ''));
    expect(tooMany.res.status).toBe(400);
    expect(tooMany.res.body.error.message).toMatch(/more than 5000 events/);
    expect(tooMany.days).toEqual([]);
  });
});
