// Data for sign-up tests, made through the API: rotas with one series, people with their tokens.
import { expect } from 'vitest';

/** Anything that can call the API as makeApp's `call` does (in-process or over loopback). */
export type Call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  opts?: { token?: string | null; body?: unknown },
) => Promise<{ status: number; body: any }>;

export interface RotaSetup {
  rotaId: number;
  seriesId: number;
  /** Shift id of the occurrence at local date `YYYY-MM-DD` and the series' start time. */
  shiftOn(date: string): string;
}

interface RotaOptions {
  name?: string;
  timezone?: string;
  waitlist?: boolean;
  cancelClosesHoursBefore?: number;
  requireApproval?: boolean;
  teamIds?: number[];
  startDate?: string;
  startTime?: string;
  durationMinutes?: number;
  maxVolunteers?: number;
  rrule?: string;
}

/** A rota with one daily series (by default 07:15–08:15 Shanghai time, two places, from 2026-03-02). */
export async function makeRota(call: Call, o: RotaOptions = {}): Promise<RotaSetup> {
  const rota = await call('POST', '/api/v1/rotas', {
    body: {
      name: o.name ?? 'East gate',
      timezone: o.timezone ?? 'Asia/Shanghai',
      ...(o.waitlist === undefined ? {} : { waitlist: o.waitlist }),
      ...(o.cancelClosesHoursBefore === undefined ? {} : { cancelClosesHoursBefore: o.cancelClosesHoursBefore }),
      ...(o.requireApproval === undefined ? {} : { requireApproval: o.requireApproval }),
      ...(o.teamIds === undefined ? {} : { teamIds: o.teamIds }),
    },
  });
  expect(rota.status).toBe(201);
  const startTime = o.startTime ?? '07:15';
  const series = await call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
    body: {
      rrule: o.rrule ?? 'FREQ=DAILY',
      startDate: o.startDate ?? '2026-03-02',
      startTime,
      durationMinutes: o.durationMinutes ?? 60,
      minVolunteers: 1,
      maxVolunteers: o.maxVolunteers ?? 2,
    },
  });
  expect(series.status).toBe(201);
  const seriesId = series.body.id as number;
  return { rotaId: rota.body.id, seriesId, shiftOn: (date) => `${seriesId}.${date.replace(/-/g, '')}T${startTime.replace(':', '')}` };
}

export interface PersonSetup {
  id: number;
  token: string;
}

export async function makePerson(call: Call, name: string, extra: { teamIds?: number[]; role?: 'coordinator' } = {}): Promise<PersonSetup> {
  const res = await call('POST', '/api/v1/people', { body: { name, ...extra } });
  expect(res.status).toBe(201);
  return { id: res.body.id, token: res.body.accessToken };
}

export async function makePeople(call: Call, count: number, prefix: string): Promise<PersonSetup[]> {
  const list: PersonSetup[] = [];
  for (let i = 1; i <= count; i++) list.push(await makePerson(call, `${prefix} ${i}`));
  return list;
}

/** Who holds a place and who waits on a shift, as the shift listing shows it. */
export async function fillOf(call: Call, shiftId: string): Promise<{ confirmed: number[]; waitlisted: number[] }> {
  const res = await call('GET', `/api/v1/shifts/${shiftId}`);
  expect(res.status).toBe(200);
  return { confirmed: res.body.people.map((p: { id: number }) => p.id), waitlisted: res.body.waitlist.map((p: { id: number }) => p.id) };
}
