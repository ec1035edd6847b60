// The desk at each level of the unit tree (issue 13, item 4): a street's or district's overview, one
// row per unit of a level below it, with this month's person-shifts (人次), people (人数), filled
// share and this week's gaps; the unit's months, rotas and gaps.
import type { Db } from '../db/connection.js';
import { countsByRotaUnit, levelRows } from '../db/unit-overview.js';
import { getUnit, listUnits, subtreeIds, type Unit, type UnitKind } from '../db/units.js';
import { listRotas } from '../db/schedule.js';
import { RotaError } from '../domain/errors.js';
import { addDays, formatDate, isoWeekday, localToday } from '../domain/time.js';
import { listShifts } from './shifts.js';
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

export function unitOverview(db: Db, scope: Scope, input: { unitId: number; level?: UnitKind }, now: Date): UnitOverview {
  const unit = getUnit(db, input.unitId);
  if (!unit || !scope.reads.has(unit.id)) throw new RotaError('NOT_FOUND', `No unit has id ${input.unitId}.`);
  const level = input.level ?? 'community';
  const below = new Set(subtreeIds(db, [unit.id]));
  const levelUnits = listUnits(db, [...below]).filter((u) => u.kind === level && u.id !== unit.id);
  // The rotas of the subtree, and for each unit the row it counts under (none: above the level).
  const rotas = listRotas(db, false).filter((r) => r.unitId !== null && below.has(r.unitId));
  const rowOf = levelRows(db, unit.id, level);
  const zone = rotas[0]?.timezone ?? FALLBACK_ZONE;
  const day = localToday(now, zone);
  const today = formatDate(day);
  const week = { from: formatDate(addDays(day, 1 - isoWeekday(day))), to: formatDate(addDays(day, 7 - isoWeekday(day))) };
  const month = today.slice(0, 7);

  type Tally = { personShifts: number; people: Set<number>; needed: number; filled: number; gaps: number };
  const tally = (): Tally => ({ personShifts: 0, people: new Set(), needed: 0, filled: 0, gaps: 0 });
  const rows = new Map<number | null, Tally>(levelUnits.map((u) => [u.id, tally()]));
  const total = tally();
  const months = new Map<string, { personShifts: number; people: Set<number> }>();
  for (let back = MONTHS - 1; back >= 0; back -= 1) months.set(monthStart(today, back).slice(0, 7), { personShifts: 0, people: new Set() });

  const rowFor = (rotaUnit: number) => {
    const key = rowOf.get(rotaUnit) ?? null;
    if (!rows.has(key)) rows.set(key, tally());
    return rows.get(key)!;
  };
  for (const [rotaUnit, m, personId, count] of countsByRotaUnit(db, unit.id, monthStart(today, MONTHS - 1), monthEnd(today), now)) {
    const bucket = months.get(m)!;
    bucket.personShifts += count;
    bucket.people.add(personId);
    if (m !== month) continue;
    for (const t of [rowFor(rotaUnit), total]) {
      t.personShifts += count;
      t.people.add(personId);
    }
  }

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
  const out = (t: Tally) => ({ personShifts: t.personShifts, people: t.people.size, filledShare: t.needed === 0 ? null : t.filled / t.needed, gaps: t.gaps });
  const names = new Map(levelUnits.map((u) => [u.id, u.name]));
  return {
    unit,
    level,
    month,
    week,
    rows: [...rows.entries()].map(([id, t]) => ({ unitId: id, name: id === null ? null : names.get(id)!, ...out(t) })),
    total: out(total),
    months: [...months.entries()].map(([m, b]) => ({ month: m, personShifts: b.personShifts, people: b.people.size })),
    rotas: rotas.map((r) => ({ id: r.id, name: r.name, location: r.location, unitId: r.unitId })),
    gapList: gapList.sort((a, b) => a.start - b.start || b.missing - a.missing),
  };
}
