// Demo data shaped like the founding story: 鼎太风华小区 in 风华社区, 南山街道 — 75 building
// captains for 33 buildings, staffing the school route (平安上学路) every school morning.
import type { Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { insertSignup } from '../db/signups.js';
import { listPeople } from '../db/people.js';
import { listRotas } from '../db/schedule.js';
import { dateRange, formatDate, localToday } from '../domain/time.js';
import { createCalendar, putDays } from './calendars.js';
import { createPerson, createTeam, ensureCoordinator } from './people.js';
import { createRota, createSeries } from './schedule.js';
import { listShifts } from './shifts.js';

const ROTA_NAME = '平安上学路 护学岗';
/** Person-shifts on the school route in the story: "累计192人次参与值岗". */
const HISTORY_PERSON_SHIFTS = 192;
const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐'];
const GIVEN = ['秀英', '建国', '丽华', '志强'];

/**
 * The school term that ended last before `today` (spring: early March to 10 July; autumn:
 * 1 September to 23 January), as local dates.
 */
function lastTerm(today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  const terms = [year - 1, year].flatMap((y) => [
    { from: `${y - 1}-09-01`, to: `${y}-01-23` },
    { from: `${y}-03-02`, to: `${y}-07-10` },
  ]);
  return terms.filter((term) => term.to < today).at(-1)!;
}

export function seedDemo(db: Db, now: Date): string {
  if (listRotas(db, true).some((r) => r.name === ROTA_NAME)) {
    return 'The demo community is already in this database; nothing was added.';
  }
  ensureCoordinator(db, null, now);
  const actor = listPeople(db, { includeArchived: false }).find((p) => p.role === 'coordinator')!;
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
  const term = createCalendar(db, actor, { name: '学校校历 2026（寒假、暑假）' }, now);
  const breaks = [
    ...dateRange('2026-01-24', '2026-03-01').map((date) => ({ date, kind: 'closed' as const, label: '寒假' })),
    ...dateRange('2026-07-11', '2026-08-31').map((date) => ({ date, kind: 'closed' as const, label: '暑假' })),
  ];
  putDays(db, actor, term.id, breaks, undefined, now);
  // The rota's contact: the coordinator captains call inside the lock window (issue 14, item 4).
  const contact = createPerson(db, actor, { name: '社区网格员 陈老师', role: 'coordinator', phone: '13800138000', locale: 'zh-CN' }, now).person;
  const rota = createRota(
    db,
    actor,
    {
      name: ROTA_NAME,
      timezone: 'Asia/Shanghai',
      location: '深圳市南山区南山街道风华社区 鼎太风华小区',
      description: '每个上学日早上在校园门口和小区门口值岗，疏导电动车、汽车和上学的孩子。',
      // The building captains staff it: restricting the rota to their teams keeps the
      // coordinator's own account out of candidate lists and auto-fill.
      teamIds: teams.map((t) => t.id),
      contactPersonId: contact.id,
    },
    now,
  );
  const history = lastTerm(formatDate(localToday(now, 'Asia/Shanghai')));
  const startDate = history.from < '2026-01-01' ? history.from : '2026-01-01';
  for (const label of ['校园门口', '小区门口']) {
    createSeries(
      db,
      actor,
      rota.id,
      { label, rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startDate, startTime: '07:15', durationMinutes: 45, minVolunteers: 2, maxVolunteers: 4, dayCalendarIds: ['cn-mainland'] },
      now,
    );
  }
  const recorded = recordHistory(db, actor, rota.id, history, now);
  return [
    `Added the demo community: 33 buildings (teams), ${captains} building captains, and the rota "${ROTA_NAME}" (id ${rota.id})`,
    'with two posts every school morning at 07:15–08:00 Asia/Shanghai, following the cn-mainland holidays and make-up days.',
    `Last term (${history.from} to ${history.to}) is on record: ${recorded} attended person-shifts, as the captains' paper sheets had them.`,
    `A school term calendar (${term.id}) with the 2026 winter and summer breaks is included; add it to a series' dayCalendarIds to skip the breaks too.`,
    'Give a captain their personal link with `rota token <personId>`.',
  ].join('\n');
}

/**
 * Last term's paper sheets: HISTORY_PERSON_SHIFTS attended sign-ups spread evenly over the term's
 * shifts (one or two captains a post), the captains taken in a fixed stride so that everyone
 * serves and nobody is on both posts of one morning. Deterministic for a given term.
 */
function recordHistory(db: Db, actor: { id: number }, rotaId: number, term: { from: string; to: string }, now: Date): number {
  const captains = listPeople(db, { includeArchived: true }).filter((p) => p.role === 'volunteer');
  const shifts = listShifts(db, { rotaId, ...term }, now)
    .shifts.filter((v) => v.status !== 'cancelled')
    .map((v) => v.shift)
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  let k = 0;
  // One transaction: 192 rows written with one sync, not one each.
  db.transaction((tx) => {
    shifts.forEach((shift, i) => {
      const places = Math.floor(((i + 1) * HISTORY_PERSON_SHIFTS) / shifts.length) - Math.floor((i * HISTORY_PERSON_SHIFTS) / shifts.length);
      for (let p = 0; p < places; p++) {
        const personId = captains[(k++ * 7) % captains.length]!.id;
        const id = insertSignup(
          tx,
          { shiftId: shift.id, seriesId: shift.seriesId, rotaId, personId, status: 'confirmed', attendance: 'attended', startAt: shift.start, endAt: shift.end, localDate: shift.localDate, createdBy: actor.id },
          now.getTime(),
        );
        writeAudit(tx, now, { actorId: actor.id, action: 'signup.attendance', entity: 'signup', entityId: id, detail: { shiftId: shift.id, personId, status: 'attended' } });
      }
    });
  });
  return k;
}
