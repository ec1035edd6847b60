// The personal page's first view in one call (issue 14): her coming duties, swaps and cover
// offers waiting, the duties she could take, and each rota's contact, so the page can draw the
// next duty before anything else loads.
import type { Db } from '../db/connection.js';
import { getPerson, type Person } from '../db/people.js';
import { listRotas, type Rota } from '../db/schedule.js';
import type { Signup } from '../db/signups.js';
import { shiftDate } from '../domain/recurrence.js';
import { formatDate, localToday } from '../domain/time.js';
import { claimableOffers, offersOfPerson, type OfferView } from './offers.js';
import { rotaTeamIds } from './schedule.js';
import { getShift, listShifts, type ShiftView } from './shifts.js';
import { listPersonSignups } from './signups.js';
import { openTrades, type TradeView } from './trades.js';

/** Open duties are looked for this many days ahead (or up to her last duty, within a year). */
const OPEN_DAYS = 30;

export interface RotaContact {
  id: number;
  name: string;
  phone: string | null;
}

export interface Overview {
  signups: Signup[];
  myOffers: OfferView[];
  offers: OfferView[];
  trades: TradeView[];
  /** The shifts the lists above name, and the open ones, soonest first. */
  shifts: ShiftView[];
  /** Ids of the shifts she could sign up for now (a place left, or a waitlist), soonest first. */
  openShiftIds: string[];
  rotas: { rota: Rota; teamIds: number[]; contact: RotaContact | null }[];
}

function contactOf(db: Db, rota: Rota): RotaContact | null {
  const person = rota.contactPersonId === null ? null : getPerson(db, rota.contactPersonId);
  return person && !person.archived ? { id: person.id, name: person.name, phone: person.phone } : null;
}

/** `unitIds`: the units whose rotas the person sees (their home unit and its ancestors, and what they read). */
export function personalOverview(db: Db, person: Person, now: Date, unitIds: ReadonlySet<number>): Overview {
  const signups = listPersonSignups(db, person.id, {}, now).filter((s) => s.status !== 'cancelled');
  const myOffers = offersOfPerson(db, person.id, ['open', 'pending_approval'], now);
  const visible = new Set(listRotas(db, false, unitIds).map((r) => r.id));
  const offers = claimableOffers(db, person.id, now).filter((o) => visible.has(o.signup.rotaId));
  const trades = openTrades(db, { personId: person.id }, now);
  const rotas = listRotas(db, false, unitIds).map((rota) => ({ rota, teamIds: rotaTeamIds(db, rota.id), contact: contactOf(db, rota) }));

  // Yesterday in UTC covers today everywhere; the window reaches her last duty (within a year).
  const from = shiftDate(formatDate(localToday(now, 'UTC')), -1);
  const last = signups.at(-1)?.localDate ?? from;
  const to = [shiftDate(from, OPEN_DAYS - 1), last < shiftDate(from, 365) ? last : shiftDate(from, 365)].sort().at(-1)!;
  const window = listShifts(db, { from, to, unitIds }, now).shifts;

  const mine = new Set(signups.map((s) => s.shiftId));
  const settings = new Map(rotas.map((r) => [r.rota.id, r]));
  const canTake = (v: ShiftView): boolean => {
    const r = settings.get(v.rota.id);
    if (mine.has(v.shift.id) || v.status === 'cancelled' || v.shift.start <= now.getTime() || !r) return false;
    if (r.teamIds.length > 0 && !person.teamIds.some((id) => r.teamIds.includes(id))) return false;
    return v.confirmed.length < v.shift.max || r.rota.waitlist;
  };
  const open = window.filter(canTake);

  const named = new Set([...mine, ...offers.map((o) => o.signup.shiftId), ...trades.flatMap((tr) => [tr.signup.shiftId, tr.withSignup.shiftId])]);
  const shifts = window.filter((v) => named.has(v.shift.id) || open.includes(v));
  // A duty further away than the window (a swap, an offer) is looked up on its own.
  const found = new Set(shifts.map((v) => v.shift.id));
  for (const id of named) if (!found.has(id)) shifts.push(getShift(db, id));

  return { signups, myOffers, offers, trades, shifts, openShiftIds: open.map((v) => v.shift.id), rotas };
}
