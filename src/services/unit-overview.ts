// The desk at each level of the unit tree (issue 13, item 4): a street's or district's overview, one
// row per unit of a level below it, with this month's person-shifts (人次), people (人数), filled
// share and this week's gaps; the unit's months, rotas and gaps. Person-shifts and people are the
// statistics' own (the roll-up of GET /stats/person-shifts?groupBy=unit), so the two always agree.
import type { Db } from '../db/connection.js';
import { getUnit, listUnits, subtreeIds, type Unit, type UnitKind } from '../db/units.js';
import { listRotas } from '../db/schedule.js';
import { RotaError } from '../domain/errors.js';
import { addDays, formatDate, isoWeekday, localToday } from '../domain/time.js';
import { listShifts } from './shifts.js';
import { personShiftStats } from './stats.js';
import type { Scope } from './units.js';

/** Where "this month" and "this week" are counted when the unit owns no rota yet. */
const FALLBACK_ZONE = 'Asia/Shanghai';
/** The chart's span: this month and the eleven before it. */
const MONTHS = 12;

export interface OverviewRow {
  /** The unit of the level, or null for rotas of the chosen unit that sit above that level (a row of their own, so rows add up). */
  unitId: number | null;
  name: string | null;
  personShifts: number;
  people: number;
  /** Places filled up to each shift's minimum, over places needed, this month; null with no shift. */
  filledShare: number | null;
  /** Shifts still to come this week that are below their minimum. */
  gaps: number;
}

export interface UnitOverview {
  unit: Unit;
  level: UnitKind;
  month: string;
  week: { from: string; to: string };
  rows: OverviewRow[];
  /** The chosen unit's own figures: person-shifts and gaps add up over rows; people are distinct. */
  total: Omit<OverviewRow, 'unitId' | 'name'>;
  months: { month: string; personShifts: number; people: number }[];
  rotas: { id: number; name: string; location: string | null; unitId: number | null }[];
  /** The chosen unit's gaps this week, soonest first. */
  gapList: { shiftId: string; rotaId: number; rotaName: string; start: number; end: number; timezone: string; label: string | null; missing: number }[];
}

function monthStart(date: string, back: number): string {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1 - back, 1)).toISOString().slice(0, 10);
}

function monthEnd(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
}

/** Each unit of the subtree that sits in (or is) one of `levelIds`, mapped to that unit, walking up the parents. */
function levelRowOf(subtree: Unit[], levelIds: ReadonlySet<number>): Map<number, number> {
  const parent = new Map(subtree.map((u) => [u.id, u.parentId]));
  const rowOf = new Map<number, number>();
  for (const u of subtree) {
    for (let id: number | null | undefined = u.id; id !== null && id !== undefined; id = parent.get(id)) {
      if (levelIds.has(id)) {
        rowOf.set(u.id, id);
        break;
      }
    }
  }
  return rowOf;
}

export function unitOverview(db: Db, scope: Scope, input: { unitId: number; level?: UnitKind }, now: Date): UnitOverview {
  const unit = getUnit(db, input.unitId);
  if (!unit || !scope.reads.has(unit.id)) throw new RotaError('NOT_FOUND', `No unit has id ${input.unitId}.`);
  const level = input.level ?? 'community';
  const below = new Set(subtreeIds(db, [unit.id]));
  const subtree = listUnits(db, [...below]);
  const levelUnits = subtree.filter((u) => u.kind === level && u.id !== unit.id);
  // The rotas of the subtree, and for each unit the row it counts under (none: above the level).
  const rotas = listRotas(db, false).filter((r) => r.unitId !== null && below.has(r.unitId));
  const rowOf = levelRowOf(subtree, new Set(levelUnits.map((u) => u.id)));
  const zone = rotas[0]?.timezone ?? FALLBACK_ZONE;
  const day = localToday(now, zone);
  const today = formatDate(day);
  const week = { from: formatDate(addDays(day, 1 - isoWeekday(day))), to: formatDate(addDays(day, 7 - isoWeekday(day))) };
  const month = today.slice(0, 7);

  type Tally = { personShifts: number; people: number; needed: number; filled: number; gaps: number };
  const tally = (): Tally => ({ personShifts: 0, people: 0, needed: 0, filled: 0, gaps: 0 });
  const rows = new Map<number | null, Tally>(levelUnits.map((u) => [u.id, tally()]));
  const rowFor = (rotaUnit: number) => {
    const key = rowOf.get(rotaUnit) ?? null;
    if (!rows.has(key)) rows.set(key, tally());
    return rows.get(key)!;
  };

  // Person-shifts and people as the statistics count them: the roll-up's rows for this month; the
  // chosen unit's months (the last one is the total); and on a row of their own, the rotas above the level.
  const thisMonth = { from: monthStart(today, 0), to: monthEnd(today) };
  for (const r of personShiftStats(db, { groupBy: 'unit', level, unitId: unit.id, ...thisMonth }, now).rows) Object.assign(rowFor(Number(r.key)), { personShifts: r.personShifts, people: r.people });
  const above = [...below].filter((id) => !rowOf.has(id));
  const own = personShiftStats(db, { groupBy: 'month', ...thisMonth, unitIds: new Set(above) }, now).total;
  if (own.personShifts > 0) Object.assign(rowFor(unit.id), { personShifts: own.personShifts, people: own.people });
  const counted = new Map(personShiftStats(db, { groupBy: 'month', from: monthStart(today, MONTHS - 1), to: thisMonth.to, unitIds: below }, now).rows.map((r) => [r.key, r]));
  const months = Array.from({ length: MONTHS }, (_, i) => monthStart(today, MONTHS - 1 - i).slice(0, 7)).map((m) => ({
    month: m,
    personShifts: counted.get(m)?.personShifts ?? 0,
    people: counted.get(m)?.people ?? 0,
  }));
  const total = { ...tally(), personShifts: counted.get(month)?.personShifts ?? 0, people: counted.get(month)?.people ?? 0 };

  const gapList: UnitOverview['gapList'] = [];
  for (const rota of rotas) {
    const row = rowFor(rota.unitId!);
    const from = monthStart(today, 0) < week.from ? monthStart(today, 0) : week.from;
    const to = monthEnd(today) > week.to ? monthEnd(today) : week.to;
    for (const view of listShifts(db, { rotaId: rota.id, from, to }, now).shifts) {
      if (view.status === 'cancelled') continue;
      const date = view.shift.localDate;
      if (date.startsWith(month)) {
        for (const t of [row, total]) {
          t.needed += view.shift.min;
          t.filled += Math.min(view.confirmed.length, view.shift.min);
        }
      }
      if (view.status === 'gap' && date >= week.from && date <= week.to && view.shift.start > now.getTime()) {
        row.gaps += 1;
        total.gaps += 1;
        gapList.push({
          shiftId: view.shift.id,
          rotaId: rota.id,
          rotaName: rota.name,
          start: view.shift.start,
          end: view.shift.end,
          timezone: rota.timezone,
          label: view.series.label,
          missing: view.shift.min - view.confirmed.length,
        });
      }
    }
  }
  const out = (t: Tally) => ({ personShifts: t.personShifts, people: t.people, filledShare: t.needed === 0 ? null : t.filled / t.needed, gaps: t.gaps });
  const names = new Map(levelUnits.map((u) => [u.id, u.name]));
  return {
    unit,
    level,
    month,
    week,
    rows: [...rows.entries()].map(([id, t]) => ({ unitId: id, name: id === null ? null : names.get(id)!, ...out(t) })),
    total: out(total),
    months,
    rotas: rotas.map((r) => ({ id: r.id, name: r.name, location: r.location, unitId: r.unitId })),
    gapList: gapList.sort((a, b) => a.start - b.start || b.missing - a.missing),
  };
}
