import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { PHONE, browserPerFile, axeViolations, screenshot, serve } from '../helpers/browser.js';

// Sunday 1 March 2026, 10:00 in Shanghai; the phones are in New York, where it is still Saturday.
const NOW = '2026-03-01T02:00:00Z';

interface Captain {
  id: number;
  token: string;
}

interface Community {
  t: TestApp;
  base: string;
  a: Captain;
  b: Captain;
  monday: string;
  tuesday: string;
}

/** A school-gate rota in Shanghai: captain A on Monday's duty, captain B on Tuesday's. */
async function community(): Promise<Community> {
  const t = await makeApp(NOW);
  const base = await serve(t);
  const rota = await t.call('POST', '/api/v1/rotas', { body: { name: '东门护学岗', timezone: 'Asia/Shanghai', location: '实验学校东门' } });
  await t.call('POST', `/api/v1/rotas/${rota.body.id}/series`, {
    body: { label: '校园门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 3, dayCalendarIds: ['cn-mainland'] },
  });
  const shifts = (await t.call('GET', `/api/v1/shifts?rotaId=${rota.body.id}&from=2026-03-02&to=2026-03-03`)).body.shifts as { id: string }[];
  const captain = async (name: string, shiftId: string): Promise<Captain> => {
    const p = await t.call('POST', '/api/v1/people', { body: { name } });
    expect((await t.call('POST', `/api/v1/shifts/${shiftId}/signups`, { body: { personId: p.body.id } })).status).toBe(201);
    return { id: p.body.id, token: p.body.accessToken };
  };
  const [monday, tuesday] = [shifts[0]!.id, shifts[1]!.id];
  return { t, base, a: await captain('李秀英', monday), b: await captain('王建国', tuesday), monday, tuesday };
}

describe('swapping and asking for cover from the personal page', () => {
  let c: Community;
  const pages = browserPerFile(() => c.t.close());

  async function phone(locale = 'zh-CN', now = NOW): Promise<Page> {
    const o = await pages.open({ viewport: PHONE, mobile: true, locale, timezoneId: 'America/New_York', now });
    return o.page;
  }

  const shiftsOf = async (who: Captain) =>
    ((await c.t.call('GET', `/api/v1/people/${who.id}/signups`, { token: who.token })).body.signups as { shiftId: string; status: string }[]).map((s) => [s.shiftId, s.status]);

  it('captain A proposes a swap in three taps, captain B accepts on her page, and both pages show the exchanged duties', async () => {
    c = await community();
    const pageA = await phone();
    await pageA.goto(`${c.base}/me#${c.a.token}`);
    let taps = 0;
    const tap = async (target: Locator) => {
      taps++;
      await target.tap();
    };

    await tap(pageA.locator('#next .card').getByRole('button', { name: '换班' }));
    const dialog = pageA.locator('dialog[open]');
    await expect.poll(() => dialog.textContent()).toContain('想换成哪个班次？');
    expect(await dialog.textContent()).toContain('您换出去的班次：3月2日 周一 07:15–08:00');
    const choice = dialog.getByRole('button', { name: /3月3日 周二 07:15–08:00/ });
    expect(await choice.textContent()).toContain('现在是 王建国 的班');
    expect(await choice.textContent()).toContain('东门护学岗 · 校园门口');
    expect(await axeViolations(pageA)).toEqual([]);
    await screenshot(pageA, 'me-swap-choices');

    await tap(choice);
    await expect.poll(() => dialog.textContent()).toContain('请 王建国 和您换班？');
    expect(await dialog.textContent()).toContain('您改去：3月3日 周二 07:15–08:00');
    expect(await dialog.textContent()).toContain('王建国 改去：3月2日 周一 07:15–08:00');
    await tap(dialog.getByRole('button', { name: '是的，请对方换班' }));
    await expect.poll(() => pageA.locator('#notice').textContent()).toContain('已请 王建国 换班');
    expect(taps).toBeLessThanOrEqual(3);
    expect(await pageA.locator('#notice').getAttribute('class')).toContain('notice-ok');
    await expect.poll(() => pageA.locator('#trades .card').textContent()).toContain('等 王建国 回复');
    // Nothing has moved yet.
    expect(await shiftsOf(c.a)).toEqual([[c.monday, 'confirmed']]);

    const pageB = await phone();
    await pageB.goto(`${c.base}/me#${c.b.token}`);
    const card = pageB.locator('#trades .card');
    await expect.poll(() => card.textContent()).toContain('李秀英 想用 3月2日 周一 07:15–08:00');
    await card.getByRole('button', { name: '同意换班' }).tap();
    await pageB.getByRole('button', { name: '是的，同意' }).tap();
    await expect.poll(() => pageB.locator('#notice').textContent()).toContain('换班成功：您现在去 3月2日 周一 07:15–08:00');
    await expect.poll(() => pageB.locator('#next .card').textContent()).toContain('3月2日 周一');
    expect(await pageB.locator('#trades').count()).toBe(0);

    await pageA.reload();
    await expect.poll(() => pageA.locator('#next .card').textContent()).toContain('3月3日 周二');
    expect(await pageA.locator('#trades').count()).toBe(0);
    expect(await pageA.locator('#mine').textContent()).not.toContain('3月2日 周一');
    expect(await shiftsOf(c.a)).toEqual([[c.tuesday, 'confirmed']]);
    expect(await shiftsOf(c.b)).toEqual([[c.monday, 'confirmed']]);
  });

  it('says in plain words when there is nobody to swap with, and why a swap is refused close to the start', async () => {
    c = await community();
    const lone = await c.t.call('POST', '/api/v1/people', { body: { name: '张丽华' } });
    const wednesday = (await c.t.call('GET', '/api/v1/shifts?from=2026-03-04&to=2026-03-04')).body.shifts[0].id;
    await c.t.call('POST', `/api/v1/shifts/${wednesday}/signups`, { body: { personId: lone.body.id } });
    // B is away on Wednesday, so she cannot take 张丽华's duty, and A is the only other one.
    await c.t.call('POST', `/api/v1/people/${c.b.id}/unavailability`, { body: { from: '2026-03-04', to: '2026-03-04' } });
    await c.t.call('POST', `/api/v1/people/${c.a.id}/unavailability`, { body: { from: '2026-03-04', to: '2026-03-04' } });
    const page = await phone();
    await page.goto(`${c.base}/me#${lone.body.accessToken}`);
    await page.locator('#next .card').getByRole('button', { name: '换班' }).tap();
    await expect.poll(() => page.locator('dialog[open]').textContent()).toContain('最近四周没有能换的班次');
    await page.locator('dialog[open]').getByRole('button', { name: '关闭' }).tap();

    // A's page stays open into the evening: at 23:00 on Sunday in Shanghai her Monday duty is
    // inside the 12-hour lock.
    const pageA = await phone();
    await pageA.goto(`${c.base}/me#${c.a.token}`);
    const swap = pageA.locator('#next .card').getByRole('button', { name: '换班' });
    await swap.waitFor();
    const late = '2026-03-01T15:00:00Z';
    c.t.setNow(late);
    await pageA.context().clock.setFixedTime(new Date(late));
    await swap.tap();
    await expect.poll(() => pageA.locator('#notice').textContent()).toContain('离开始时间太近了');
    expect(await pageA.locator('#notice').getAttribute('class')).toContain('notice-error');
    // Redrawn, the card offers no swap that would fail, and says who decides now.
    await expect.poll(() => pageA.locator('#next .card .locked').count()).toBe(1);
    expect(await pageA.locator('#next .card').getByRole('button').count()).toBe(0);
  });

  it('marks a duty she asked to be covered, in English too, and lets her withdraw the request in two taps', async () => {
    c = await community();
    const page = await phone('en-GB');
    await page.goto(`${c.base}/me#${c.a.token}`);
    const next = page.locator('#next .card');
    await next.getByRole('button', { name: 'Ask for cover' }).tap();
    await page.getByRole('button', { name: 'Yes, ask for cover' }).tap();
    await expect.poll(() => next.textContent()).toContain('Looking for cover (still yours until someone takes it)');
    expect(await next.getByRole('button', { name: 'Ask for cover' }).count()).toBe(0);

    // The mark comes from the server, so it is there when she opens the page again.
    await page.reload();
    await expect.poll(() => next.textContent()).toContain('Looking for cover');
    await screenshot(page, 'me-looking-for-cover-en');
    await next.getByRole('button', { name: 'I will go myself after all' }).tap();
    await page.getByRole('button', { name: 'Yes, I will go' }).tap();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('You no longer ask for cover; you go yourself: Mon 2 Mar 07:15–08:00');
    await expect.poll(() => next.textContent()).not.toContain('Looking for cover');
    expect(await next.getByRole('button', { name: 'Ask for cover' }).count()).toBe(1);
    expect((await c.t.call('GET', `/api/v1/people/${c.a.id}/offers`, { token: c.a.token })).body.offers).toEqual([]);
    expect(await shiftsOf(c.a)).toEqual([[c.monday, 'confirmed']]);
  });
});
