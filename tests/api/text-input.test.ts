// Text fields hold text: control characters, broken surrogates, names that show nothing and
// phone numbers that are not phone numbers are refused with a VALIDATION error naming the field,
// and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp('2026-11-27T02:00:00Z');
});
afterAll(() => t.close());

const peopleCount = async () => (await t.call('GET', '/api/v1/people')).body.people.length as number;

/** Expects a 400 VALIDATION that names `field` and says why (`reason`). */
function refused(res: { status: number; body: any }, field: string, reason: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION');
  expect(res.body.error.field).toBe(field);
  expect(res.body.error.message).toContain(field);
  expect(res.body.error.message).toMatch(reason);
}

describe('names', () => {
  it.each([
    ['a NUL', 'Li\u0000Wei', /control character U\+0000/],
    ['a vertical tab', 'Li\u000BWei', /control character U\+000B/],
    ['an escape', 'Li\u001B[31mWei', /control character U\+001B/],
    ['DEL', 'Li\u007FWei', /control character U\+007F/],
    ['a C1 control (NEL)', 'Li\u0085Wei', /control character U\+0085/],
    ['a lone high surrogate', 'Li\uD83DWei', /U\+D83D without its pair/],
    ['a lone low surrogate', 'Li\uDE00', /U\+DE00 without its pair/],
    ['a line break', 'Li\nBEGIN:VALARM', /one line/],
    ['a tab', 'Li\tWei', /one line.*tab/],
    ['only zero-width characters', '\u200B\u200C\u200D\uFEFF', /no visible characters/],
    ['only direction marks', '\u200E\u200F\u061C', /no visible characters/],
    ['only a Hangul filler', '\u3164', /no visible characters/],
    ['a right-to-left override', 'Li\u202Egnp.exe', /direction control U\+202E/],
  ])('refuses a person name with %s, and stores nothing', async (_what, name, reason) => {
    const before = await peopleCount();
    refused(await t.call('POST', '/api/v1/people', { body: { name } }), 'name', reason);
    expect(await peopleCount()).toBe(before);
  });

  it('refuses the same in a changed name, a team name, a rota name, a series label and a day label', async () => {
    const person = (await t.call('POST', '/api/v1/people', { body: { name: 'Wang Fang' } })).body;
    refused(await t.call('PATCH', `/api/v1/people/${person.id}`, { body: { name: 'Wang\u0000Fang' } }), 'name', /U\+0000/);
    expect((await t.call('GET', `/api/v1/people/${person.id}`)).body.name).toBe('Wang Fang');
    refused(await t.call('POST', '/api/v1/teams', { body: { name: '\u200B' } }), 'name', /no visible characters/);
    refused(await t.call('POST', '/api/v1/rotas', { body: { name: 'East\ngate', timezone: 'Asia/Shanghai' } }), 'name', /one line/);
    const rota = (await t.call('POST', '/api/v1/rotas', { body: { name: 'East gate', timezone: 'Asia/Shanghai' } })).body;
    const series = { rrule: 'FREQ=DAILY', startDate: '2026-12-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 3 };
    refused(await t.call('POST', `/api/v1/rotas/${rota.id}/series`, { body: { ...series, label: 'Mornings\r\nSTATUS:CANCELLED' } }), 'label', /one line/);
    const calendar = (await t.call('POST', '/api/v1/day-calendars', { body: { name: 'School' } })).body;
    refused(await t.call('POST', `/api/v1/day-calendars/${calendar.id}/days`, { body: { days: [{ date: '2027-01-04', kind: 'closed', label: 'Winter\u0007break' }] } }), 'days[0].label', /U\+0007/);
    expect((await t.call('GET', `/api/v1/day-calendars/${calendar.id}`)).body.days).toEqual([]);
  });

  it('accepts names in any script, with accents, combining marks and joined emoji', async () => {
    for (const name of ['王建国', 'Zoë Ångström', 'Nguyễn Văn A', 'محمد علي', 'श्रीमती देवी', '👩‍👩‍👧 Family Li', 'O\u2019Brien']) {
      const res = await t.call('POST', '/api/v1/people', { body: { name } });
      expect(res.status, name).toBe(201);
      expect(res.body.name).toBe(name);
    }
  });
});

describe('free text', () => {
  it('keeps tabs and line breaks in notes and descriptions, but refuses other control characters and broken surrogates', async () => {
    const ok = await t.call('POST', '/api/v1/rotas', { body: { name: 'West gate', timezone: 'Asia/Shanghai', description: 'Line one\nLine two\tand a tab', location: 'Gate 2\nBy the shop' } });
    expect(ok.status).toBe(201);
    expect(ok.body.description).toBe('Line one\nLine two\tand a tab');
    refused(await t.call('POST', '/api/v1/rotas', { body: { name: 'North gate', timezone: 'Asia/Shanghai', description: 'Bring\u0000a vest' } }), 'description', /U\+0000/);
    refused(await t.call('PATCH', `/api/v1/rotas/${ok.body.id}`, { body: { location: 'Gate \uDBFF' } }), 'location', /without its pair/);
    const me = (await t.call('GET', '/api/v1/me')).body;
    refused(await t.call('POST', `/api/v1/people/${me.id}/unavailability`, { body: { from: '2026-12-01', to: '2026-12-02', note: 'away\u000Cback' } }), 'note', /U\+000C/);
  });

  it('refuses a control character in any string of any JSON body or query, naming where it was', async () => {
    refused(await t.call('POST', '/api/v1/rotas', { body: { name: 'South gate', timezone: 'Asia/Shanghai\u0000' } }), 'timezone', /U\+0000/);
    refused(await t.call('POST', '/api/v1/people', { body: { name: 'Chen', email: 'chen\u0000@example.org' } }), 'email', /U\+0000/);
    refused(await t.call('GET', '/api/v1/audit?entity=signup%00'), 'entity', /U\+0000/);
  });
});

describe('phone numbers', () => {
  it.each(['138 0013 8000', '+86 138-0013-8000', '13800138000', '(010) 6512 3456', '+44 20 7946 0958'])('accepts %s', async (phone) => {
    const res = await t.call('POST', '/api/v1/people', { body: { name: 'Phone owner', phone } });
    expect(res.status).toBe(201);
    expect(res.body.phone).toBe(phone);
  });

  it.each(['call me', '<script>alert(1)</script>', '138\n0013', '138\u00000013', '+86 138 0013 8000 ext. 5', '12-34', '138+0013+8000', '１３８００１３８０００', '1'.repeat(41)])(
    'refuses %j, and stores nothing',
    async (phone) => {
      const before = await peopleCount();
      const res = await t.call('POST', '/api/v1/people', { body: { name: 'Phone owner', phone } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(res.body.error.field).toBe('phone');
      expect(await peopleCount()).toBe(before);
    },
  );

  it('refuses a bad phone number when a person changes their own', async () => {
    const person = (await t.call('POST', '/api/v1/people', { body: { name: 'Zhou', phone: '13800138001' } })).body;
    refused(await t.call('PATCH', `/api/v1/people/${person.id}`, { token: person.accessToken, body: { phone: 'http://phish.example' } }), 'phone', /digits/);
    expect((await t.call('GET', `/api/v1/people/${person.id}`)).body.phone).toBe('13800138001');
  });
});

describe('people import', () => {
  it('refuses rows whose name or team is not a name, by row, and imports nothing', async () => {
    const before = await peopleCount();
    const text = 'name,phone,team\r\nLiu Yang,138 0013 8000,Block 3\r\n\u200B\u200D,13800138002,Block 3\r\nMa Li,13800138003,\u202EBlock 4\r\nHe Jun,not a phone,Block 3\r\n';
    const res = await t.call('POST', '/api/v1/people/import', { body: { text } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    const messages = (res.body.error.problems as { line: number; message: string }[]).map((p) => `${p.line}: ${p.message}`).join('\n');
    expect(messages).toMatch(/^3: .*the name has no visible characters/m);
    expect(messages).toMatch(/^4: .*the team name contains the direction control U\+202E/m);
    expect(messages).toMatch(/^5: .*"not a phone" is not a phone number/m);
    expect(messages).not.toMatch(/^2:/m);
    expect(await peopleCount()).toBe(before);
  });

  it('refuses a pasted list with a control character in it, saying where', async () => {
    const before = await peopleCount();
    refused(await t.call('POST', '/api/v1/people/import', { body: { text: 'Liu Yang, 13800138000\nMa\u0000Li, 13800138001\n' } }), 'text', /U\+0000/);
    expect(await peopleCount()).toBe(before);
  });
});

describe('calendar import', () => {
  it('refuses a day label with a control character from an .ics file, and closes no day', async () => {
    const calendar = (await t.call('POST', '/api/v1/day-calendars', { body: { name: 'School breaks' } })).body;
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//school//EN',
      'BEGIN:VEVENT',
      'UID:break-1@school.example',
      'DTSTAMP:20261101T000000Z',
      'DTSTART;VALUE=DATE:20270104',
      'SUMMARY:Winter\u0007break',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const res = await t.call('POST', `/api/v1/day-calendars/${calendar.id}/import`, { body: ics, headers: { 'content-type': 'text/calendar' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.message).toMatch(/label contains the control character U\+0007/);
    expect((await t.call('GET', `/api/v1/day-calendars/${calendar.id}`)).body.days).toEqual([]);
  });
});
