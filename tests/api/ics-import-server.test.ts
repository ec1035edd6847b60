// A hostile .ics import against the compiled server over loopback: it is refused in bounded time,
// the server keeps answering others meanwhile, and SIGTERM stops the server cleanly mid-import
// without leaving anything half-written.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { BOOTSTRAP_TOKEN, startServer, tempDatabase, type RealServer } from '../helpers/server.js';

const started: RealServer[] = [];
const databases: ReturnType<typeof tempDatabase>[] = [];

// Compiling the server can take a while on a busy machine; each test then starts its own.
beforeAll(() => ensureBuilt(), 180_000);

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const d of databases.splice(0)) d.remove();
});

async function server(file?: string): Promise<{ server: RealServer; file: string }> {
  const database = file ? null : tempDatabase();
  if (database) databases.push(database);
  const s = await startServer(file ?? database!.file);
  started.push(s);
  return { server: s, file: file ?? database!.file };
}

function calendarFile(events: string[]): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//school//EN\r\n${events.join('\r\n')}\r\nEND:VCALENDAR\r\n`;
}

/** Every leap day, read by a daily rule: legal, but each event costs a walk through ten years of days. */
const heavy = calendarFile(
  [...Array(2000)].map((_, i) => `BEGIN:VEVENT\r\nUID:leap-${i}@school.example\r\nDTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29\r\nSUMMARY:Leap ${i}\r\nEND:VEVENT`),
);

function importInto(s: RealServer, calendarId: string, body: string) {
  let settled = false;
  const answer = fetch(`${s.url}/api/v1/day-calendars/${calendarId}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}`, 'content-type': 'text/calendar' },
    body,
  })
    .then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } }))
    .finally(() => {
      settled = true;
    });
  return { answer, settled: () => settled };
}

describe('.ics import on a real server', { timeout: 150_000 }, () => {
  it('refuses rules that never happen at once, with the event and line', async () => {
    const { server: s } = await server();
    const calendar = (await s.call('POST', '/api/v1/day-calendars', { body: { name: 'School' } })).body as { id: string };
    for (const rule of ['FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30']) {
      const file = calendarFile([`BEGIN:VEVENT\r\nUID:x@school.example\r\nDTSTART;VALUE=DATE:20260130\r\nRRULE:${rule}\r\nSUMMARY:Never\r\nEND:VEVENT`]);
      const { answer } = importInto(s, calendar.id, file);
      const res = await answer;
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toMatch(/"Never" beginning on line 4 repeats by RRULE:.* \(line 7\), which names a day that never comes/);
    }
    expect((await s.call('GET', '/api/v1/health')).status).toBe(200);
  });

  it('keeps answering /api/v1/health while a costly import runs, and stops that import at its work budget', async () => {
    const { server: s } = await server();
    const calendar = (await s.call('POST', '/api/v1/day-calendars', { body: { name: 'School' } })).body as { id: string };
    const running = importInto(s, calendar.id, heavy);
    await sleep(300);
    for (let i = 0; i < 3; i++) {
      expect((await s.call('GET', '/api/v1/health')).status).toBe(200);
      expect(running.settled()).toBe(false);
    }
    const res = await running.answer;
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION' });
    expect(res.body.error?.message).toMatch(/takes too long to read/);
    expect(((await s.call('GET', `/api/v1/day-calendars/${calendar.id}`)).body as { days: unknown[] }).days).toEqual([]);
  });

  it('stops cleanly on SIGTERM in the middle of an import, and the calendar is as it was', async () => {
    const { server: s, file } = await server();
    const calendar = (await s.call('POST', '/api/v1/day-calendars', { body: { name: 'School' } })).body as { id: string };
    const running = importInto(s, calendar.id, heavy);
    await sleep(300);
    expect((await s.call('GET', '/api/v1/health')).status).toBe(200);
    expect(running.settled()).toBe(false);
    started.splice(started.indexOf(s), 1);
    expect(await s.stop()).toBe(0);
    const res = await running.answer;
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'SHUTTING_DOWN' });
    const { server: again } = await server(file);
    expect(((await again.call('GET', `/api/v1/day-calendars/${calendar.id}`)).body as { days: unknown[] }).days).toEqual([]);
  });
});
