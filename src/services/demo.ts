// Demo data shaped like the founding story: 鼎太风华小区 in 风华社区, 南山街道 — 75 building
// captains for 33 buildings, staffing the school route (平安上学路) every school morning.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { people, rotas } from '../db/schema.js';
import { dateRange } from '../domain/time.js';
import { createCalendar, putDays } from './calendars.js';
import { createPerson, createTeam, ensureCoordinator } from './people.js';
import { createRota, createSeries } from './schedule.js';

const ROTA_NAME = '平安上学路 护学岗 Safe school route';
const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐'];
const GIVEN = ['秀英', '建国', '丽华', '志强'];

export function seedDemo(db: Db, now: Date): string {
  if (db.select({ id: rotas.id }).from(rotas).where(eq(rotas.name, ROTA_NAME)).get()) {
    return 'The demo community is already in this database; nothing was added.';
  }
  ensureCoordinator(db, null, now);
  const actor = db.select({ id: people.id, role: people.role }).from(people).where(eq(people.role, 'coordinator')).get()!;
  const teams = Array.from({ length: 33 }, (_, i) => createTeam(db, actor, { name: `鼎太风华 ${i + 1}栋` }, now));
  let captains = 0;
  teams.forEach((team, i) => {
    // 9 buildings have three captains, 24 have two: 75 in all.
    const count = i < 9 ? 3 : 2;
    for (let k = 0; k < count; k++) {
      const n = captains++;
      createPerson(db, actor, { name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`, teamIds: [team.id], locale: 'zh-CN' }, now);
    }
  });
  const term = createCalendar(db, actor, { name: '学校校历 2026 School term calendar (winter and summer breaks)' }, now);
  const breaks = [
    ...dateRange('2026-01-24', '2026-03-01').map((date) => ({ date, kind: 'closed' as const, label: '寒假 Winter break' })),
    ...dateRange('2026-07-11', '2026-08-31').map((date) => ({ date, kind: 'closed' as const, label: '暑假 Summer break' })),
  ];
  putDays(db, actor, term.id, breaks, undefined, now);
  const rota = createRota(
    db,
    actor,
    {
      name: ROTA_NAME,
      timezone: 'Asia/Shanghai',
      location: '深圳市南山区南山街道风华社区 鼎太风华小区',
      description: '每个上学日早上在校园门口和小区门口值岗，疏导电动车、汽车和上学的孩子。Every school morning at the school gate and the community gate.',
      // The building captains staff it: restricting the rota to their teams keeps the
      // coordinator's own account out of candidate lists and auto-fill.
      teamIds: teams.map((t) => t.id),
    },
    now,
  );
  for (const label of ['校园门口 School gate', '小区门口 Community gate']) {
    createSeries(
      db,
      actor,
      rota.id,
      { label, rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate: '2026-01-01', startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
      now,
    );
  }
  return [
    `Added the demo community: 33 buildings (teams), ${captains} building captains, and the rota "${ROTA_NAME}" (id ${rota.id})`,
    'with two posts every school morning at 07:15–08:00 Asia/Shanghai, following the cn-mainland holidays and make-up days.',
    `A school term calendar (${term.id}) with the 2026 winter and summer breaks is included; add it to a series' dayCalendarIds to skip the breaks too.`,
    'Give a captain their personal link with `rota token <personId>`.',
  ].join('\n');
}
