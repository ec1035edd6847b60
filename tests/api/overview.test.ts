// The personal page's first view in one call, and a rota's contact (issue 14 items 1 and 4).
import { afterEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo.js';
import { makeApp, type TestApp } from '../helpers/app.js';

// Sunday 1 March 2026, 10:00 in Shanghai.
const NOW = '2026-03-01T02:00:00Z';

describe('the personal page\'s overview', () => {
  let t: TestApp;
  afterEach(() => t.close());

  async function setting() {
    t = await makeApp(NOW);
    const coordinator = await t.call('POST', '/api/v1/people', { body: { name: '陈主任', role: 'coordinator', phone: '13800000000' } });
    const team = await t.call('POST', '/api/v1/teams', { body: { name: '3栋' } });
    const captain = await t.call('POST', '/api/v1/people', { body: { name: '李秀英', teamIds: [team.body.id] } });
    const other = await t.call('POST', '/api/v1/people', { body: { name: '王建国' } });
    const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', waitlist: false, contactPersonId: coordinator.body.id } });
    expect(rota.status).toBe(201);
    expect(rota.body.contactPersonId).toBe(coordinator.body.id);
    await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
      body: { label: '校园门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE', startDate: '2026-03-02', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 1 },
    });
    // A rota for another building's team only: its shifts are not offered to her.
    const otherTeam = await t.call('POST', '/api/v1/teams', { body: { name: '9栋' } });
    const closed = await t.call('POST', '/api/v1/rotas', { body: { name: '9栋巡逻', timezone: 'Asia/Shanghai', teamIds: [otherTeam.body.id] } });
    await t.call('POST', `/api/v1/rotas/${closed.body.id}/series`, {
      body: { rrule: 'FREQ=WEEKLY;BYDAY=MO', startDate: '2026-03-02', startTime: '19:00', durationMinutes: 60, minVolunteers: 1, maxVolunteers: 2 },
    });
    // The overview looks 30 days ahead from yesterday: 28 February to 29 March.
    const shifts = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.body.id}&from=2026-03-02&to=2026-03-29`)).body.shifts as { id: string }[];
    return { coordinator: coordinator.body, captain: captain.body, other: other.body, rota: rota.body, closed: closed.body, shifts };
  }

  it('answers her duties, the open duties she may take, and each rota\'s contact in one call', async () => {
    const s = await setting();
    const [mon, tue, wed] = s.shifts;
    expect((await t.call('POST', `/api/v1/shifts/${mon!.id}/signups`, { body: { personId: s.captain.id } })).status).toBe(201);
    // Tuesday is full (one place, no waitlist): not open to her.
    expect((await t.call('POST', `/api/v1/shifts/${tue!.id}/signups`, { body: { personId: s.other.id } })).status).toBe(201);

    const res = await t.call('GET', '/api/v1/me/overview', { token: s.captain.accessToken });
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o.me).toMatchObject({ id: s.captain.id, name: '李秀英' });
    expect(o.signups.map((x: { shiftId: string }) => x.shiftId)).toEqual([mon!.id]);
    expect(o.openShiftIds[0]).toBe(wed!.id);
    expect(o.openShiftIds).not.toContain(mon!.id);
    expect(o.openShiftIds).not.toContain(tue!.id);
    // Every open duty is of her rota (the other team's is not offered), and in the next 30 days.
    expect(o.openShiftIds.every((id: string) => s.shifts.some((x) => x.id === id))).toBe(true);
    expect(o.openShiftIds.length).toBe(s.shifts.length - 2);
    // The shifts named: hers and the open ones, nothing else.
    expect(new Set(o.shifts.map((x: { id: string }) => x.id))).toEqual(new Set([mon!.id, ...o.openShiftIds]));
    expect(o.shifts.find((x: { id: string }) => x.id === mon!.id)).toMatchObject({ label: '校园门口', people: [{ id: s.captain.id, name: '李秀英' }] });
    const rota = o.rotas.find((r: { id: number }) => r.id === s.rota.id);
    expect(rota).toEqual({
      id: s.rota.id,
      name: '东门护学岗',
      timezone: 'Asia/Shanghai',
      waitlist: false,
      cancelClosesHoursBefore: 12,
      teamIds: [],
      contact: { id: s.coordinator.id, name: '陈主任', phone: '13800000000' },
    });
    expect(o.rotas.find((r: { id: number }) => r.id === s.closed.id).contact).toBeNull();
    expect(o).toMatchObject({ myOffers: [], offers: [], trades: [] });
  });

  it('names offers and swaps with their shifts, even beyond the 30 days', async () => {
    const s = await setting();
    const far = (await t.call('GET', `/api/v1/shifts?rotaId=${s.rota.id}&from=2026-05-04&to=2026-05-04`)).body.shifts[0];
    const mine = await t.call('POST', `/api/v1/shifts/${s.shifts[0]!.id}/signups`, { body: { personId: s.captain.id } });
    const his = await t.call('POST', `/api/v1/shifts/${far.id}/signups`, { body: { personId: s.other.id } });
    expect((await t.call('POST', `/api/v1/signups/${his.body.id}/trade`, { token: s.other.accessToken, body: { withSignupId: mine.body.id } })).status).toBe(201);
    const offered = await t.call('POST', `/api/v1/shifts/${s.shifts[2]!.id}/signups`, { body: { personId: s.other.id } });
    expect((await t.call('POST', `/api/v1/signups/${offered.body.id}/offer`, { token: s.other.accessToken })).status).toBe(201);

    const o = (await t.call('GET', '/api/v1/me/overview', { token: s.captain.accessToken })).body;
    expect(o.trades).toHaveLength(1);
    expect(o.offers.map((x: { shiftId: string }) => x.shiftId)).toEqual([s.shifts[2]!.id]);
    const ids = o.shifts.map((x: { id: string }) => x.id);
    expect(ids).toContain(far.id);
    expect(ids).toContain(s.shifts[2]!.id);
  });

  it('keeps a rota\'s contact to a coordinator with a phone number, and lets it be cleared', async () => {
    const s = await setting();
    const noPhone = await t.call('POST', '/api/v1/people', { body: { name: '刘老师', role: 'coordinator' } });
    for (const [contactPersonId, says] of [
      [s.captain.id, '李秀英 is not a coordinator'],
      [noPhone.body.id, '刘老师 has no phone number'],
      [999999, 'No person has id 999999'],
    ] as const) {
      for (const res of [
        await t.call('PATCH', `/api/v1/rotas/${s.rota.id}`, { body: { contactPersonId } }),
        await t.call('POST', '/api/v1/rotas', { body: { name: '新岗', timezone: 'Asia/Shanghai', contactPersonId } }),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'contactPersonId' });
        expect(res.body.error.message).toContain(says);
      }
    }
    expect((await t.call('GET', `/api/v1/rotas/${s.rota.id}`)).body.contactPersonId).toBe(s.coordinator.id);
    const cleared = await t.call('PATCH', `/api/v1/rotas/${s.rota.id}`, { body: { contactPersonId: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.contactPersonId).toBeNull();
    // Only a coordinator names the contact.
    expect((await t.call('PATCH', `/api/v1/rotas/${s.rota.id}`, { token: s.captain.accessToken, body: { contactPersonId: s.coordinator.id } })).status).toBe(403);
  });

  it('names the demo\'s school-gate rota\'s contact on a captain\'s overview, with a number to call', async () => {
    t = await makeApp(NOW);
    seedDemo(t.db, new Date(NOW));
    const people = (await t.call('GET', '/api/v1/people')).body.people as { id: number; role: string }[];
    const captain = people.find((p) => p.role === 'volunteer')!;
    const token = (await t.call('POST', `/api/v1/people/${captain.id}/tokens`, { body: { kind: 'access' } })).body.token as string;
    const overview = await t.call('GET', '/api/v1/me/overview', { token });
    expect(overview.status).toBe(200);
    expect(overview.body.rotas.map((r: { name: string; contact: unknown }) => [r.name, r.contact])).toEqual([
      ['平安上学路 护学岗', { id: expect.any(Number), name: '社区网格员 陈老师', phone: '13800138000' }],
    ]);
  });
});
