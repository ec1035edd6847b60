// Coded refusals: the domain says why, the HTTP layer maps the code to a status.
export type ErrorCode =
  | 'VALIDATION'
  | 'RANGE_TOO_LONG'
  | 'RULE_TOO_FINE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'READ_ONLY'
  | 'SHIFT_FULL'
  | 'ALREADY_SIGNED_UP'
  | 'COLLIDES'
  | 'UNAVAILABLE'
  | 'LOCKED'
  | 'PAST'
  | 'SHIFT_CANCELLED'
  | 'OFFER_CLOSED'
  | 'TRADE_CLOSED'
  | 'NOT_SIGNED_UP'
  | 'NOT_IN_TEAM'
  | 'PERSON_ARCHIVED'
  | 'ALREADY_OFFERED'
  | 'NOT_STARTED'
  | 'NOT_A_SHIFT'
  | 'SIGNUPS_AFFECTED'
  | 'OVER_LIMIT'
  | 'SHIFT_CHANGED'
  | 'CONFLICT'
  | 'CHECKIN_WINDOW'
  | 'CHECKIN_CODE'
  | 'LEADER_CODE'
  | 'RATE_LIMITED'
  | 'SHUTTING_DOWN'
  | 'REPORT_FAILED';

export class RotaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RotaError';
  }
}
