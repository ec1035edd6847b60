// Input rules shared by every use case: names, free text, phone numbers.
import { RotaError } from './errors.js';

export const NAME_MAX = 200;
export const TEXT_MAX = 2000;
const PHONE_MAX = 40;

const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Control characters (C0, DEL, C1); tab, line feed and carriage return are listed apart. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE = /[\t\n\r\u2028\u2029]/u;
/** With the u flag this matches a surrogate only when it is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** Embeddings, overrides and isolates: they reorder the text around a name wherever it is shown. */
const DIRECTION = /[\u202A-\u202E\u2066-\u2069]/u;
/** Characters that show nothing: format characters (zero-width, direction marks), spaces, marks, fillers. */
const INVISIBLE = /[\p{Cf}\p{Z}\p{M}\s\u115F\u1160\u3164\uFFA0\u2800]/gu;

/**
 * Why a piece of text cannot be stored, or null when it can. Free text (`multiline`) may hold
 * tabs and line breaks; nothing may hold other control characters (RFC 5545 forbids them in
 * calendar feeds, and they are not text) or half of a UTF-16 surrogate pair (not valid Unicode).
 */
export function textProblem(value: string, multiline: boolean): string | null {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) return `contains a broken character (${hex(lone[0])} without its pair), which is not valid text`;
  const control = CONTROL.exec(value);
  if (control) return `contains the control character ${hex(control[0])}, which is not text`;
  if (!multiline) {
    const line = LINE.exec(value);
    if (line) return `must be on one line (it contains ${line[0] === '\t' ? 'a tab' : 'a line break'})`;
  }
  return null;
}

function requireText(value: string, field: string, multiline: boolean): void {
  const problem = textProblem(value, multiline);
  if (problem) throw new RotaError('VALIDATION', `${field} ${problem}.`, { field });
}

/** Why a trimmed name cannot be stored, or null when it can: 1–200 visible characters on one line. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.length > NAME_MAX) return `may have at most ${NAME_MAX} characters`;
  const problem = textProblem(name, false);
  if (problem) return problem;
  const direction = DIRECTION.exec(name);
  if (direction) return `contains the direction control ${hex(direction[0])}, which would reorder the text around it`;
  if (name.replace(INVISIBLE, '') === '') return 'has no visible characters (only spaces, zero-width or direction marks)';
  return null;
}

/** A trimmed name of 1–200 visible characters on one line. */
export function requireName(value: string, field = 'name'): string {
  const name = value.trim();
  const problem = nameProblem(name);
  if (problem) throw new RotaError('VALIDATION', `${field} ${problem}.`, { field });
  return name;
}

/** Optional free text: trimmed, at most 2,000 characters, tabs and line breaks allowed, empty becomes null. */
export function optionalText(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (text.length > TEXT_MAX) throw new RotaError('VALIDATION', `${field} may have at most ${TEXT_MAX} characters.`, { field });
  requireText(text, field, true);
  return text.length === 0 ? null : text;
}

/** An optional short label (a series' or a day's name): one line of at most 200 characters, empty becomes null. */
export function optionalLabel(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  return requireName(value, field);
}

/** Digits, spaces, `+` only in front, `-` and parentheses, with at least five digits: `138 0013 8000`, `+86 138-0013-8000`, `(010) 6512 3456`. */
const PHONE = /^\+?[0-9 ()-]+$/;

/** Why a phone number cannot be stored, or null when it can. */
export function phoneProblem(phone: string): string | null {
  if (phone.length > PHONE_MAX) return `may have at most ${PHONE_MAX} characters`;
  if (!PHONE.test(phone) || (phone.match(/[0-9]/g) ?? []).length < 5) {
    return 'may hold only digits, spaces, a leading +, - and parentheses, with at least five digits (e.g. 138 0013 8000 or +86 138-0013-8000)';
  }
  return null;
}

/** An optional phone number: trimmed, empty becomes null. */
export function optionalPhone(value: string | null | undefined, field = 'phone'): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const phone = value.trim();
  const problem = phoneProblem(phone);
  if (problem) throw new RotaError('VALIDATION', `${field} ${problem}.`, { field });
  return phone;
}
