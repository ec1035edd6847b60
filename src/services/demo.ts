// Demo data shaped like the founding story: 鼎太风华小区 in 风华社区, 南山街道 — 75 building
// captains for 33 buildings, staffing the school route (平安上学路) every school morning.
import type { Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { insertSignup } from '../db/signups.js';
import { listPeople } from '../db/people.js';
import { listRotas } from '../db/schedule.js';
import { getUnit, hangUnderRoot, insertUnit, putRole, rootUnitIds } from '../db/units.js';
import { dateRange, formatDate, localToday } from '../domain/time.js';
import { createCalendar, putDays } from './calendars.js';
import { createPerson, createTeam, ensureCoordinator, listTeams } from './people.js';
import { createRota, createSeries } from './schedule.js';
import { listShifts } from './shifts.js';
import { grantRole } from './units.js';

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

/** A personal link the demo hands out, so a new user can try each role. */
export interface DemoLink {
  /** Who it is for, e.g. "高新社区 coordinator". */
  label: string;
  personId: number;
  token: string;
}

export interface DemoResult {
  summary: string;
  links: DemoLink[];
}

/** The two neighbouring communities of the story, each with a modest rota staffed by its own building captains (no teams: everyone homed there may serve). */
const NEIGHBOURS = [
  {
    community: '高新社区',
    coordinator: '高新社区 网格长 周老师',
    phone: '13800138001',
    captains: ['郑海燕', '何国强', '林美玲', '罗志明', '宋丽娟', '唐建华'],
    rota: { name: '高新社区 夜间巡逻', description: '每周一、三、五晚上在社区内巡逻，查看楼道消防通道和电动车充电。' },
    series: { label: '社区巡逻', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', startTime: '19:30', durationMinutes: 90, minVolunteers: 2, maxVolunteers: 3 },
    history: 60,
  },
  {
    community: '蔚蓝海岸社区',
    coordinator: '蔚蓝海岸社区 网格长 梁老师',
    phone: '13800138002',
    captains: ['谢文静', '高建军', '朱秀兰', '马晓东', '胡春梅'],
    rota: { name: '蔚蓝海岸 护学岗', description: '每个上学日早上在学校门口值岗，护送孩子过马路。' },
    series: { label: '学校门口', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', startTime: '07:30', durationMinutes: 45, minVolunteers: 1, maxVolunteers: 2 },
    history: 48,
  },
];

/**
 * The street the demo lives in. On a fresh database its one starting unit (a community with no
 * rotas or teams) becomes 风华社区 below a new 南山街道, so the first coordinator is 风华's
 * coordinator; otherwise 南山街道 is added as a new top-level unit with 风华社区 below it.
 */
function placeStreet(db: Db, actorId: number, now: Date): { street: number; fenghua: number } {
  const at = now.getTime();
  const roots = rootUnitIds(db);
  const start = roots.length === 1 ? getUnit(db, roots[0]!) : null;
  const fresh = start?.kind === 'community' && listRotas(db, true).length === 0 && listTeams(db, true).length === 0;
  const street = insertUnit(db, { name: '南山街道', kind: 'street', parentId: null }, at);
  if (!fresh) {
    putRole(db, actorId, street, 'coordinator', at);
    return { street, fenghua: insertUnit(db, { name: '风华社区', kind: 'community', parentId: street }, at) };
  }
  hangUnderRoot(db, start.id, { name: '风华社区', parentId: street }, at);
  return { street, fenghua: start.id };
}

export function seedDemo(db: Db, now: Date): DemoResult {
  if (listRotas(db, true).some((r) => r.name === ROTA_NAME)) {
    return { summary: 'The demo community is already in this database; nothing was added.', links: [] };
  }
  ensureCoordinator(db, null, now);
  const actor = listPeople(db, { includeArchived: false }).find((p) => p.role === 'coordinator')!;
  const at = now.getTime();
  const { street, fenghua } = placeStreet(db, actor.id, now);
  const estate = insertUnit(db, { name: '鼎太风华小区', kind: 'estate', parentId: fenghua }, at);
  const teams = Array.from({ length: 33 }, (_, i) => {
    const building = insertUnit(db, { name: `鼎太风华 ${i + 1}栋`, kind: 'building', parentId: estate }, at);
    return createTeam(db, actor, { name: `鼎太风华 ${i + 1}栋`, unitId: building }, now);
  });
  const captainIds: number[] = [];
  teams.forEach((team, i) => {
    // 9 buildings have three captains, 24 have two: 75 in all.
    const count = i < 9 ? 3 : 2;
    for (let k = 0; k < count; k++) {
      const n = captainIds.length;
      const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`;
      captainIds.push(createPerson(db, actor, { name, teamIds: [team.id], unitId: team.unitId!, locale: 'zh-CN' }, now).person.id);
    }
  });
  const term = createCalendar(db, actor, { name: '学校校历 2026（寒假、暑假）', unitId: fenghua }, now);
  const breaks = [
    ...dateRange('2026-01-24', '2026-03-01').map((date) => ({ date, kind: 'closed' as const, label: '寒假' })),
    ...dateRange('2026-07-11', '2026-08-31').map((date) => ({ date, kind: 'closed' as const, label: '暑假' })),
  ];
  putDays(db, actor, term.id, breaks, undefined, now);
  // The rota's contact: the coordinator captains call inside the lock window (issue 14, item 4).
  const contact = createPerson(db, actor, { name: '社区网格员 陈老师', role: 'coordinator', phone: '13800138000', locale: 'zh-CN', unitId: fenghua }, now);
  const links: DemoLink[] = [{ label: '风华社区 coordinator (陈老师, the rota\'s contact)', personId: contact.person.id, token: contact.accessToken }];
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
      contactPersonId: contact.person.id,
      unitId: fenghua,
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
  const recorded = recordHistory(db, actor, rota.id, captainIds, HISTORY_PERSON_SHIFTS, history, now);

  const neighbours = NEIGHBOURS.map((n) => {
    const unitId = insertUnit(db, { name: n.community, kind: 'community', parentId: street }, at);
    const coordinator = createPerson(db, actor, { name: n.coordinator, role: 'coordinator', phone: n.phone, locale: 'zh-CN', unitId }, now);
    links.push({ label: `${n.community} coordinator`, personId: coordinator.person.id, token: coordinator.accessToken });
    const people = n.captains.map((name) => createPerson(db, actor, { name, unitId, locale: 'zh-CN' }, now).person.id);
    const own = createRota(
      db,
      actor,
      { ...n.rota, timezone: 'Asia/Shanghai', location: `深圳市南山区南山街道${n.community}`, contactPersonId: coordinator.person.id, unitId },
      now,
    );
    createSeries(db, actor, own.id, { ...n.series, startDate, dayCalendarIds: ['cn-mainland'] }, now);
    return `${n.community}: ${people.length} building captains, the rota "${n.rota.name}" (id ${own.id}), ${recordHistory(db, actor, own.id, people, n.history, history, now)} person-shifts last term`;
  });
  const office = createPerson(db, actor, { name: '南山街道办 志愿服务站', locale: 'zh-CN', unitId: street }, now);
  grantRole(db, actor, street, { personId: office.person.id, role: 'viewer' }, now);
  links.push({ label: '南山街道 viewer (the street office: reads every community\'s lists and reports)', personId: office.person.id, token: office.accessToken });

  return {
    summary: [
      `Added 南山街道 (unit ${street}) with three communities. 风华社区 (unit ${fenghua}): 鼎太风华小区 with 33 buildings (teams), ${captainIds.length} building captains (each homed in their building unit), and the rota "${ROTA_NAME}" (id ${rota.id})`,
      'with two posts every school morning at 07:15–08:00 Asia/Shanghai, following the cn-mainland holidays and make-up days.',
      `Last term (${history.from} to ${history.to}) is on record: ${recorded} attended person-shifts, as the captains' paper sheets had them.`,
      `A school term calendar (${term.id}) with the 2026 winter and summer breaks is included; add it to a series' dayCalendarIds to skip the breaks too.`,
      ...neighbours,
      'Give a captain their personal link with `rota token <personId>`.',
    ].join('\n'),
    links,
  };
}

/**
 * Last term's paper sheets: `total` attended sign-ups spread evenly over the term's
 * shifts (one or two captains a post), the captains taken in a fixed stride so that everyone
 * serves and nobody is on both posts of one morning. Deterministic for a given term.
 */
function recordHistory(db: Db, actor: { id: number }, rotaId: number, captains: number[], total: number, term: { from: string; to: string }, now: Date): number {
  const shifts = listShifts(db, { rotaId, ...term }, now)
    .shifts.filter((v) => v.status !== 'cancelled')
    .map((v) => v.shift)
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  let k = 0;
  // One transaction: the rows written with one sync, not one each.
  db.transaction((tx) => {
    shifts.forEach((shift, i) => {
      const places = Math.floor(((i + 1) * total) / shifts.length) - Math.floor((i * total) / shifts.length);
      for (let p = 0; p < places; p++) {
        const personId = captains[(k++ * 7) % captains.length]!;
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
