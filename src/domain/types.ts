// The records and words shared across the layers, declared once: src/db builds them from rows,
// services pass them, feeds and http shape them for their readers.
import type { SeriesDef } from './recurrence.js';
import type { SignupStatus } from './signup-rules.js';

export const ROLES = ['volunteer', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface Actor {
  id: number;
  role: Role;
}

export type FeedKind = 'people' | 'teams' | 'rotas' | 'open';

export interface PersonPreferences {
  weekdays?: number[];
  times?: string[];
  maxPerWeek?: number | null;
  maxPerMonth?: number | null;
}

export interface Person {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  locale: Locale;
  role: Role;
  homeTeamId: number | null;
  /** The home unit (issue 13). */
  unitId: number | null;
  teamIds: number[];
  preferences: PersonPreferences;
  feedToken: string;
  archived: boolean;
}

export interface Team {
  id: number;
  name: string;
  memberIds: number[];
  /** The unit whose coordinators manage the team. */
  unitId: number | null;
  feedToken: string;
  archived: boolean;
}

export interface Rota {
  id: number;
  name: string;
  timezone: string;
  location: string | null;
  description: string | null;
  waitlist: boolean;
  countUnmarked: boolean;
  cancelClosesHoursBefore: number;
  requireApproval: boolean;
  contactPersonId: number | null;
  feedToken: string;
  /** The coordinator who created it, when known. */
  createdBy: number | null;
  /** The unit that owns it (issue 13). */
  unitId: number | null;
  archived: boolean;
  updatedAt: number;
}

export interface SeriesRecord extends SeriesDef {
  label: string | null;
  dayCalendarIds: string[];
  updatedAt: number;
}

export interface Signup {
  id: number;
  shiftId: string;
  seriesId: number;
  rotaId: number;
  rotaName: string;
  timezone: string;
  personId: number;
  personName: string;
  status: SignupStatus;
  attendance: 'attended' | 'no_show' | null;
  walkIn: boolean;
  /** The shift's UTC start and end (ms) and its local date, copied when the sign-up was made. */
  startAt: number;
  endAt: number;
  localDate: string;
  createdAt: number;
  cancelledAt: number | null;
}

/** A person as a feed names them. */
export interface FeedPerson {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  role: Role;
  archived: boolean;
  updatedAt: number;
}

/** A sign-up as a feed shows it. */
export interface FeedSignup {
  id: number;
  shiftId: string;
  seriesId: number;
  rotaId: number;
  personId: number;
  status: SignupStatus;
  startAt: number;
  endAt: number;
  localDate: string;
  cancelReason: 'left' | 'removed' | 'given_away' | 'shift_changed' | null;
}

/** The levels of the unit tree, top down (区—街道—社区—小区—楼栋). */
export const UNIT_KINDS = ['district', 'street', 'community', 'estate', 'building'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
