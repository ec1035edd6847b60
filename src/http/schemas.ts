// TypeBox schemas shared by several routes, and the mappers from domain records to wire objects.
import { Type, type Static } from 'typebox';
import type { Config } from '../config.js';
import { NAME_MAX, TEXT_MAX } from '../domain/validate.js';
import { formatInstant } from '../domain/time.js';
import type { ShiftView } from '../services/shifts.js';
import type { Warning } from '../services/rotas.js';
import { feedLinks } from './links.js';
import type { Person, Rota, SeriesRecord, Signup, Team } from '../domain/types.js';

export const Name = Type.String({ minLength: 1, maxLength: NAME_MAX });
export const Text = Type.String({ maxLength: TEXT_MAX });
export const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date, YYYY-MM-DD' });
export const IdParam = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ErrorBody = Type.Object({
  error: Type.Object(
    { code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) },
    { additionalProperties: true },
  ),
});

/** Standard error responses for a route's schema. */
export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const AffectedMode = Type.Union([Type.Literal('cancel'), Type.Literal('move')], {
  description: 'What happens to sign-ups on shifts the change removes or moves: cancel them, or move them with their shift.',
});

export const AffectedSignupSchema = Type.Object({
  signupId: Type.Integer(),
  personId: Type.Integer(),
  personName: Type.String(),
  shiftId: Type.String(),
  start: Type.String(),
  change: Type.String(),
  newShiftId: Nullable(Type.String()),
  newStart: Nullable(Type.String()),
  outcome: Type.String(),
  reason: Nullable(Type.String()),
});

export const WarningSchema = Type.Object({ code: Type.String(), calendarId: Type.String(), year: Type.Integer(), message: Type.String() });

const FeedLinks = { feedUrl: Type.String(), webcalUrl: Type.String() };

export const PersonSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  locale: Type.String(),
  role: Type.String(),
  teamIds: Type.Array(Type.Integer()),
  homeTeamId: Nullable(Type.Integer()),
  unitId: Nullable(Type.Integer({ description: 'The home unit (issue 13)' })),
  preferences: Type.Object({}, { additionalProperties: true }),
  archived: Type.Boolean(),
  ...FeedLinks,
});

export function personOut(config: Config, p: Person): Static<typeof PersonSchema> {
  const { feedToken, ...rest } = p;
  return { ...rest, ...feedLinks(config, 'people', feedToken) };
}

export const TeamSchema = Type.Object({ id: Type.Integer(), name: Type.String(), memberIds: Type.Array(Type.Integer()), unitId: Nullable(Type.Integer()), archived: Type.Boolean(), ...FeedLinks });

export function teamOut(config: Config, t: Team): Static<typeof TeamSchema> {
  const { feedToken, ...rest } = t;
  return { ...rest, ...feedLinks(config, 'teams', feedToken) };
}

export const RotaSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  timezone: Type.String(),
  location: Nullable(Type.String()),
  description: Nullable(Type.String()),
  waitlist: Type.Boolean(),
  countUnmarked: Type.Boolean(),
  cancelClosesHoursBefore: Type.Integer(),
  requireApproval: Type.Boolean(),
  contactPersonId: Nullable(Type.Integer({ description: 'The coordinator volunteers call about this rota; inside the lock window their page shows this person\'s number' })),
  teamIds: Type.Array(Type.Integer()),
  unitId: Nullable(Type.Integer({ description: 'The unit that owns the rota (issue 13)' })),
  archived: Type.Boolean(),
  ...FeedLinks,
  openFeedUrl: Type.String({ description: 'Shifts of this rota below their minimum, for people who like to help' }),
  openWebcalUrl: Type.String(),
});

export function rotaOut(config: Config, r: Rota, teamIds: number[]): Static<typeof RotaSchema> {
  const { feedToken, updatedAt: _updatedAt, ...rest } = r;
  const open = feedLinks(config, 'rotas', `${feedToken}/open`);
  return { ...rest, teamIds, ...feedLinks(config, 'rotas', feedToken), openFeedUrl: open.feedUrl, openWebcalUrl: open.webcalUrl };
}

const VersionSchema = Type.Object({
  validFrom: Type.String(),
  rrule: Type.String(),
  startTime: Type.String(),
  durationMinutes: Type.Integer(),
  minVolunteers: Type.Integer(),
  maxVolunteers: Type.Integer(),
});

export const SeriesSchema = Type.Object({
  id: Type.Integer(),
  rotaId: Type.Integer(),
  label: Nullable(Type.String()),
  timezone: Type.String(),
  rrule: Type.String(),
  startDate: Type.String(),
  startTime: Type.String(),
  durationMinutes: Type.Integer(),
  minVolunteers: Type.Integer(),
  maxVolunteers: Type.Integer(),
  endDate: Nullable(Type.String()),
  dayCalendarIds: Type.Array(Type.String()),
  versions: Type.Array(VersionSchema),
  warnings: Type.Array(WarningSchema),
});

/** A series on the wire: its current rule at the top level, all versions below. */
export function seriesOut(s: SeriesRecord, warnings: Warning[], today: string): Static<typeof SeriesSchema> {
  const current = [...s.versions].reverse().find((v) => v.validFrom <= today) ?? s.versions[0]!;
  return {
    id: s.id,
    rotaId: s.rotaId,
    label: s.label,
    timezone: s.timezone,
    rrule: current.rrule,
    startDate: s.versions[0]!.validFrom,
    startTime: current.startTime,
    durationMinutes: current.durationMinutes,
    minVolunteers: current.minVolunteers,
    maxVolunteers: current.maxVolunteers,
    endDate: s.endDate,
    dayCalendarIds: s.dayCalendarIds,
    versions: [...s.versions],
    warnings,
  };
}

const PersonRef = Type.Object({ id: Type.Integer(), name: Type.String() });

export const ShiftSchema = Type.Object({
  id: Type.String(),
  rotaId: Type.Integer(),
  rotaName: Type.String(),
  seriesId: Type.Integer(),
  label: Nullable(Type.String()),
  location: Nullable(Type.String()),
  start: Type.String({ description: 'ISO 8601 with the rota zone\'s offset' }),
  end: Type.String(),
  localDate: Type.String(),
  timezone: Type.String(),
  min: Type.Integer(),
  max: Type.Integer(),
  confirmed: Type.Integer(),
  waitlisted: Type.Integer(),
  people: Type.Array(PersonRef),
  waitlist: Type.Array(PersonRef),
  status: Type.String({ description: 'cancelled, gap (below minimum), ok, or full' }),
  origin: Type.String({ description: 'rule, or open-day for a make-up working day' }),
  moved: Type.Boolean(),
});

/** Each view's answer, made once: listings hand out the same kept views until their rota changes. */
const shiftsOut = new WeakMap<ShiftView, Static<typeof ShiftSchema>>();

export function shiftOut(v: ShiftView): Static<typeof ShiftSchema> {
  let out = shiftsOut.get(v);
  if (!out) shiftsOut.set(v, (out = shiftOutOf(v)));
  return out;
}

/** A view's answer made afresh and not kept, for an answer that is itself kept whole. */
export function shiftOutOf(v: ShiftView): Static<typeof ShiftSchema> {
  const s = v.shift;
  return {
    id: s.id,
    rotaId: s.rotaId,
    rotaName: v.rota.name,
    seriesId: s.seriesId,
    label: v.series.label,
    location: v.rota.location,
    start: formatInstant(s.start, s.timezone),
    end: formatInstant(s.end, s.timezone),
    localDate: s.localDate,
    timezone: s.timezone,
    min: s.min,
    max: s.max,
    confirmed: v.confirmed.length,
    waitlisted: v.waitlisted.length,
    // The answer is only serialised, never changed: the view's own (readonly) lists, not copies.
    people: v.confirmed as ShiftView['confirmed'][number][],
    waitlist: v.waitlisted as ShiftView['waitlisted'][number][],
    status: v.status,
    origin: s.origin,
    moved: s.moved,
  };
}

export const SignupSchema = Type.Object({
  id: Type.Integer(),
  shiftId: Type.String(),
  personId: Type.Integer(),
  personName: Type.String(),
  rotaId: Type.Integer(),
  rotaName: Type.String(),
  status: Type.Union([Type.Literal('confirmed'), Type.Literal('waitlisted'), Type.Literal('cancelled')]),
  attendance: Nullable(Type.Union([Type.Literal('attended'), Type.Literal('no_show')])),
  walkIn: Type.Boolean({ description: 'Recorded at the gate without a place: counts as attended, takes no place' }),
  start: Type.String({ description: 'ISO 8601 with the rota zone\'s offset' }),
  end: Type.String(),
  localDate: Type.String(),
});

export function signupOut(s: Signup): Static<typeof SignupSchema> {
  return {
    id: s.id,
    shiftId: s.shiftId,
    personId: s.personId,
    personName: s.personName,
    rotaId: s.rotaId,
    rotaName: s.rotaName,
    status: s.status,
    attendance: s.attendance,
    walkIn: s.walkIn,
    start: formatInstant(s.startAt, s.timezone),
    end: formatInstant(s.endAt, s.timezone),
    localDate: s.localDate,
  };
}

/** preValidation hook for POSTs whose body may be left out altogether (`{}` is meant). */
export async function bodyMayBeOmitted(request: { body: unknown }): Promise<void> {
  request.body ??= {};
}
