// Filling gaps fairly (issue 6): the gap list, ranked candidates with their reasons in words,
// auto-fill (dry run, stored proposal, apply) and a person's preferences. Each use case loads,
// decides with src/domain/fairness.ts and, when it writes, writes in one IMMEDIATE transaction.
import { transaction } from '../db/store.js';
import { randomUUID } from 'node:crypto';
import type { Conn, Db } from '../db/connection.js';
import { writeAudit } from '../db/audit.js';
import { readProposal, writeProposal } from '../db/proposals.js';
import { listPeople, updatePersonRow } from '../db/people.js';
import { awayBetween, dutiesBetween, lastDutiesBefore } from '../db/signups.js';
import { RotaError } from '../domain/errors.js';
import {
  checkPreferences,
  currentSpread,
  placesNeeded,
  planAutofill,
  rankCandidates,
  readPreferences,
  recheckAssignments,
  type Assignment,
  type Duty,
  type FillTarget,
  type OpenShift,
  type Preferences,
  type PreferencesInput,
  type Reason,
  type Spread,
  type Volunteer,
} from '../domain/fairness.js';
import { checkWindow, shiftDate } from '../domain/recurrence.js';
import type { Refusal, RotaSettings } from '../domain/signup-rules.js';
import { requirePerson } from './people.js';
import { runReport } from './report-pool.js';
import { LISTING_LIMIT, getShift, listShifts, type ShiftQuery, type ShiftView } from './shifts.js';
import { addSignup, rotaSettings } from './signups.js';
import type { Actor, Locale } from '../domain/types.js';

/** Duties this many days either side of a window decide load (4 weeks) and weekly and monthly limits. */
const MARGIN_DAYS = 35;

/** A shift view as the fairness rules see it. */
function openShift(v: ShiftView): OpenShift {
  const s = v.shift;
  return {
    id: s.id,
    rotaId: s.rotaId,
    start: s.start,
    end: s.end,
    localDate: s.localDate,
    localStart: s.localStart,
    timezone: s.timezone,
    min: s.min,
    max: s.max,
    cancelled: s.cancelled,
    confirmed: v.confirmed.length,
    holders: [...v.confirmed, ...v.waitlisted].map((p) => p.id),
  };
}

/**
 * Everyone who may still serve (not archived), with their duties around the local dates
 * [from, to] (and the latest one before those, for "last duty"), and their dates away.
 */
function loadVolunteers(db: Conn, window: { from: string; to: string }): Volunteer[] {
  const list = listPeople(db, { includeArchived: false });
  if (list.length === 0) return [];
  const first = shiftDate(window.from, -MARGIN_DAYS);
  const last = shiftDate(window.to, MARGIN_DAYS);
  // Keyed by person; rows of people not in the list (archived) find no entry and are dropped.
  // No `IN (ids)`: a district has more people than SQLite takes parameters.
  const duties = new Map<number, Duty[]>(list.map((p) => [p.id, []]));
  for (const { personId, ...d } of dutiesBetween(db, first, last)) duties.get(personId)?.push(d);
  // Each person's latest duty before the margin, for "last duty".
  for (const { personId, ...d } of lastDutiesBefore(db, first)) duties.get(personId)?.push(d);
  const away = new Map<number, { from: string; to: string }[]>();
  for (const { personId, from, to } of awayBetween(db, shiftDate(window.from, -1), shiftDate(window.to, 1))) {
    const mine = away.get(personId) ?? [];
    mine.push({ from, to });
    away.set(personId, mine);
  }
  return list.map((p) => ({
    person: { id: p.id, name: p.name, archived: p.archived, teamIds: p.teamIds },
    preferences: readPreferences(p.preferences),
    duties: duties.get(p.id)!,
    unavailable: away.get(p.id) ?? [],
  }));
}

// ---- Words: reasons and refusals in the reader's language ----------------------------------

const WEEKDAYS: Record<Locale, string[]> = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'],
};

function reasonWords(r: Reason, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const days = (list: number[]) => list.map((d) => WEEKDAYS[locale][d - 1]).join(zh ? '、' : ', ');
  switch (r.code) {
    case 'LOAD':
      return zh ? `前后 ${r.weeks} 周内有 ${r.count} 次值班` : `${r.count} ${r.count === 1 ? 'shift' : 'shifts'} within ${r.weeks} weeks either side`;
    case 'LAST_DUTY':
      return zh ? (r.days === 0 ? '当天稍早已有值班' : `距上次值班 ${r.days} 天`) : r.days === 0 ? 'on duty earlier that day' : `last duty ${r.days} ${r.days === 1 ? 'day' : 'days'} before`;
    case 'NO_EARLIER_DUTY':
      return zh ? '此前没有值班' : 'no earlier duty';
    case 'PREFERS_WEEKDAY':
      return zh ? `希望${days([r.weekday])}值班` : `prefers ${days([r.weekday])}`;
    case 'OTHER_WEEKDAYS':
      return zh ? `更希望${days(r.weekdays)}值班` : `would rather serve on ${days(r.weekdays)}`;
    case 'PREFERS_TIME':
      return zh ? `希望 ${r.time} 的班` : `prefers ${r.time}`;
    case 'OTHER_TIMES':
      return zh ? `更希望 ${r.times.join('、')} 的班` : `would rather serve at ${r.times.join(', ')}`;
    case 'WEEK_LIMIT':
      return zh ? `本周已排 ${r.count} 次（每周最多 ${r.max} 次）` : `${r.count} of at most ${r.max} this week`;
    case 'MONTH_LIMIT':
      return zh ? `本月已排 ${r.count} 次（每月最多 ${r.max} 次）` : `${r.count} of at most ${r.max} this month`;
  }
}

/** "2 shifts within 4 weeks either side; prefers Tuesdays; last duty 12 days before" in the reader's language. */
export function describeReasons(reasons: readonly Reason[], locale: Locale): string {
  return reasons.map((r) => reasonWords(r, locale)).join(locale === 'zh-CN' ? '；' : '; ');
}

/** Why someone cannot be put on a shift (or was skipped when a proposal was applied), in words. */
export function describeRefusal(refusal: Refusal, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const d = refusal.details ?? {};
  switch (refusal.code) {
    case 'UNAVAILABLE':
      return zh ? `${d.from === d.to ? d.from : `${d.from} 至 ${d.to}`} 不方便` : `away ${d.from === d.to ? `on ${d.from}` : `${d.from} to ${d.to}`}`;
    case 'COLLIDES':
      return zh ? '同一时间已有其他班' : 'has another shift at that time';
    case 'OVER_LIMIT':
      return d.limit === 'week'
        ? zh ? `已达每周 ${d.max} 次的上限` : `at their limit of ${d.max} a week`
        : zh ? `已达每月 ${d.max} 次的上限` : `at their limit of ${d.max} a month`;
    case 'SHIFT_FULL':
      return zh ? '班次已满' : 'the shift is full';
    case 'PAST':
      return zh ? '班次已开始' : 'the shift has started';
    case 'SHIFT_CANCELLED':
      return zh ? '班次已取消' : 'the shift was cancelled';
    case 'PERSON_ARCHIVED':
      return zh ? '此人已停用' : 'no longer active';
    case 'NOT_IN_TEAM':
      return zh ? '不在此任务限定的团队中' : 'not in the rota\'s teams';
    case 'ALREADY_SIGNED_UP':
      return zh ? '已在此班次' : 'already on the shift';
    case 'SHIFT_CHANGED':
      return zh ? '预览之后班次有变动，已跳过' : 'the shift changed after the dry run, so it was skipped';
    default:
      return refusal.message;
  }
}

// ---- Gaps ----------------------------------------------------------------------------------

export interface Gap {
  view: ShiftView;
  missing: number;
}

/** Shifts still to come that are below their minimum, most urgent first: soonest, then most missing. */
export function listGaps(db: Db, query: ShiftQuery, now: Date): Gap[] {
  return listShifts(db, { ...query, maxShifts: LISTING_LIMIT }, now)
    .shifts.filter((v) => v.status === 'gap' && v.shift.start > now.getTime())
    .map((view) => ({ view, missing: placesNeeded(openShift(view), 'min') }))
    .sort((a, b) => a.view.shift.start - b.view.shift.start || b.missing - a.missing || a.view.shift.seriesId - b.view.shift.seriesId);
}

// ---- Candidates ----------------------------------------------------------------------------

export interface Candidate {
  rank: number;
  personId: number;
  name: string;
  load: number;
  lastDutyDays: number | null;
  preferenceMatches: number;
  reasons: Reason[];
  reasonText: string;
}

export interface Candidates {
  view: ShiftView;
  candidates: Candidate[];
  excluded: { personId: number; name: string; code: string; reasonText: string }[];
}

/** Eligible people for one shift, ranked (DESIGN "Fairness"), each with the reasons in words. */
export function shiftCandidates(db: Db, shiftId: string, locale: Locale): Candidates {
  const view = getShift(db, shiftId);
  if (view.shift.cancelled) throw new RotaError('SHIFT_CANCELLED', 'This shift has been cancelled, so nobody is needed on it.');
  const volunteers = loadVolunteers(db, { from: view.shift.localDate, to: view.shift.localDate });
  const list = rankCandidates(openShift(view), volunteers, rotaSettings(db, view.rota.id));
  return {
    view,
    candidates: list.ranked.map((s, i) => ({ rank: i + 1, ...s, reasonText: describeReasons(s.reasons, locale) })),
    excluded: list.excluded.map((e) => ({ personId: e.personId, name: e.name, code: e.refusal.code, reasonText: describeRefusal(e.refusal, locale) })),
  };
}

// ---- Auto-fill -----------------------------------------------------------------------------

export interface AutofillRequest {
  from?: string;
  to?: string;
  dryRun?: boolean;
  target?: FillTarget;
  proposalId?: string;
}

export interface PlacedAssignment extends Assignment {
  start: number;
  localDate: string;
  timezone: string;
  label: string | null;
  /** The sign-up written, once applied. */
  signupId: number | null;
}

export interface AutofillResult {
  proposalId: string;
  rotaId: number;
  from: string;
  to: string;
  target: FillTarget;
  applied: boolean;
  assignments: PlacedAssignment[];
  /** Proposed places left out when applying, with the rule they would now break. */
  skipped: { assignment: PlacedAssignment; refusal: Refusal }[];
  unfilled: { shiftId: string; start: number; timezone: string; label: string | null; missing: number }[];
  fairness: { before: Spread; after: Spread };
}

export interface Proposal {
  result: AutofillResult;
  /** Each proposed shift's state at the dry run; a shift whose state differs at apply time is skipped. */
  fingerprints: Map<string, string>;
}

/** A proposal as stored: its fingerprints as pairs. */
interface StoredProposal {
  result: AutofillResult;
  fingerprints: [string, string][];
}

function storeProposal(db: Conn, proposal: Proposal, now: Date): void {
  const stored: StoredProposal = { result: proposal.result, fingerprints: [...proposal.fingerprints] };
  writeProposal(db, proposal.result.proposalId, proposal.result.rotaId, stored as unknown as Record<string, unknown>, now.getTime());
}

function storedProposal(db: Conn, id: string, rotaId: number): Proposal | null {
  const row = readProposal(db, id);
  if (!row || row.rotaId !== rotaId) return null;
  const stored = row.body as unknown as StoredProposal;
  return { result: stored.result, fingerprints: new Map(stored.fingerprints) };
}

function fingerprint(v: ShiftView): string {
  const s = v.shift;
  return [s.start, s.end, s.min, s.max, s.cancelled, v.confirmed.map((p) => p.id).join(','), v.waitlisted.map((p) => p.id).join(',')].join('|');
}

interface Situation {
  rota: RotaSettings & { id: number };
  views: Map<string, ShiftView>;
  shifts: OpenShift[];
  volunteers: Volunteer[];
}

/** Most shifts one auto-fill plans at once: a year of two daily posts, or a term of five. */
const AUTOFILL_LIMIT = 800;

function situation(db: Conn, rotaId: number, window: { from: string; to: string }, now: Date): Situation {
  const rota = { ...rotaSettings(db, rotaId), id: rotaId };
  if (rota.archived) throw new RotaError('SHIFT_CANCELLED', 'This rota has been archived.');
  const views = listShifts(db, { rotaId, ...window, maxShifts: AUTOFILL_LIMIT }, now).shifts;
  return { rota, views: new Map(views.map((v) => [v.shift.id, v])), shifts: views.map(openShift), volunteers: loadVolunteers(db, window) };
}

function placed(a: Assignment, views: Map<string, ShiftView>): PlacedAssignment {
  const v = views.get(a.shiftId)!;
  return { ...a, start: v.shift.start, localDate: v.shift.localDate, timezone: v.shift.timezone, label: v.series.label, signupId: null };
}

function plan(db: Conn, rotaId: number, window: { from: string; to: string }, target: FillTarget, now: Date) {
  const sit = situation(db, rotaId, window, now);
  const result = planAutofill({ ...sit, window, target, now: now.getTime() });
  return { sit, result };
}

/**
 * The read-and-plan half of auto-fill, on a report thread: the proposal a dry run answers, with
 * each proposed shift's state so that applying it can tell what changed since.
 */
export function planProposal(db: Conn, proposalId: string, rotaId: number, window: { from: string; to: string }, target: FillTarget, now: Date): Proposal {
  const { sit, result } = plan(db, rotaId, window, target, now);
  const out = resultOf(proposalId, rotaId, window, target, sit, result, false);
  const fingerprints = new Map(result.assignments.map((a) => [a.shiftId, fingerprint(sit.views.get(a.shiftId)!)]));
  return { result: out, fingerprints };
}

/**
 * Auto-fill a rota over local dates [from, to]: a dry run stores and answers a proposal; a call
 * with `proposalId` applies exactly that proposal, skipping shifts that changed since and places
 * that would now break a rule; a call with neither plans and applies at once. Planning (up to 800
 * shifts against everyone's duties) runs on a report thread; the writes stay here, in one
 * IMMEDIATE transaction that checks each place again, as applying a proposal does.
 */
export async function autofill(db: Db, actor: Actor, rotaId: number, req: AutofillRequest, now: Date): Promise<AutofillResult> {
  if (req.proposalId !== undefined) return applyProposal(db, actor, rotaId, req, now);
  if (req.from === undefined || req.to === undefined) {
    throw new RotaError('VALIDATION', 'Give from and to (local dates) for the period to fill, or the proposalId of a dry run to apply.', { field: req.from === undefined ? 'from' : 'to' });
  }
  const window = { from: req.from, to: req.to };
  checkWindow(window);
  const target = req.target ?? 'min';
  const proposal = await runReport(db, { kind: 'autofill-plan', proposalId: randomUUID(), rotaId, window, target, now: now.getTime() });
  storeProposal(db, proposal, now);
  if (req.dryRun) return proposal.result;
  return applyProposal(db, actor, rotaId, { proposalId: proposal.result.proposalId }, now);
}

function resultOf(
  proposalId: string,
  rotaId: number,
  window: { from: string; to: string },
  target: FillTarget,
  sit: Situation,
  p: ReturnType<typeof planAutofill>,
  applied: boolean,
): AutofillResult {
  return {
    proposalId,
    rotaId,
    ...window,
    target,
    applied,
    assignments: p.assignments.map((a) => placed(a, sit.views)),
    skipped: [],
    unfilled: p.unfilled.map((u) => {
      const v = sit.views.get(u.shiftId)!;
      return { shiftId: u.shiftId, start: v.shift.start, timezone: v.shift.timezone, label: v.series.label, missing: u.missing };
    }),
    fairness: p.fairness,
  };
}

function auditAutofill(tx: Conn, actor: Actor, res: AutofillResult, now: Date): void {
  writeAudit(tx, now, {
    actorId: actor.id,
    action: 'rota.autofill',
    entity: 'rota',
    entityId: res.rotaId,
    detail: { proposalId: res.proposalId, from: res.from, to: res.to, target: res.target, signups: res.assignments.map((a) => a.signupId), skipped: res.skipped.length },
  });
}

/**
 * Applies a stored proposal. It is read, applied and stored again as applied in one IMMEDIATE
 * transaction: two taps, on one node or two, apply it once, and the second answers the first's result.
 */
function applyProposal(db: Db, actor: Actor, rotaId: number, req: AutofillRequest, now: Date): AutofillResult {
  return transaction(db,
    (tx) => {
      const proposal = storedProposal(tx, req.proposalId!, rotaId);
      if (!proposal) {
        throw new RotaError('NOT_FOUND', 'No such auto-fill proposal for this rota (proposals are kept for a limited time); run a new dry run.', { field: 'proposalId' });
      }
      const p = proposal.result;
      if (req.dryRun) throw new RotaError('VALIDATION', 'A proposal is applied as it stands: leave out dryRun, or run a new dry run without proposalId.', { field: 'dryRun' });
      if ((req.from !== undefined && req.from !== p.from) || (req.to !== undefined && req.to !== p.to) || (req.target !== undefined && req.target !== p.target)) {
        throw new RotaError('VALIDATION', `This proposal covers ${p.from} to ${p.to} (target ${p.target}); leave out from, to and target, or run a new dry run.`, { field: 'proposalId' });
      }
      // Applying twice (a double tap) answers the first result again.
      if (p.applied) return p;
      const sit = situation(tx, rotaId, p, now);
      const unchanged = sit.shifts.filter((s) => proposal.fingerprints.get(s.id) === fingerprint(sit.views.get(s.id)!));
      const check = recheckAssignments(p.assignments, unchanged, sit.volunteers, sit.rota, now.getTime());
      const accepted = new Set(check.accepted);
      const refused = new Map(check.refused.map((r) => [r.assignment, r.refusal]));
      const changed: Refusal = { code: 'SHIFT_CHANGED', message: 'The shift changed after the dry run, so it was skipped.' };
      const res: AutofillResult = { ...p, applied: true, assignments: [], skipped: [] };
      for (const a of p.assignments) {
        if (accepted.has(a)) {
          res.assignments.push({ ...a, signupId: addSignup(tx, actor, sit.views.get(a.shiftId)!.shift, a.personId, 'confirmed', now) });
        } else {
          res.skipped.push({ assignment: a, refusal: refused.get(a) ?? changed });
        }
      }
      const after = situation(tx, rotaId, p, now);
      res.fairness = { before: p.fairness.before, after: currentSpread({ ...after, window: p, now: now.getTime() }) };
      auditAutofill(tx, actor, res, now);
      storeProposal(tx, { ...proposal, result: res }, now);
      return res;
    },
  );
}

// ---- Preferences ---------------------------------------------------------------------------

export function getPreferences(db: Db, personId: number): Preferences {
  return readPreferences(requirePerson(db, personId).preferences);
}

/** Replaces a person's preferred weekdays and times and their limits. */
export function setPreferences(db: Db, actor: Actor, personId: number, input: PreferencesInput, now: Date): Preferences {
  const prefs = checkPreferences(input);
  transaction(db,
    (tx) => {
      requirePerson(tx, personId);
      updatePersonRow(tx, personId, { preferences: prefs }, now.getTime());
      writeAudit(tx, now, { actorId: actor.id, action: 'person.preferences', entity: 'person', entityId: personId, detail: { ...prefs } });
    },
  );
  return prefs;
}

