// Input rules shared by every use case: names, free text, ids.
import { RotaError } from './errors.js';

export const NAME_MAX = 200;
export const TEXT_MAX = 2000;

/** A trimmed name of 1–200 characters. */
export function requireName(value: string, field = 'name'): string {
  const name = value.trim();
  if (name.length === 0) throw new RotaError('VALIDATION', `${field} must not be empty.`, { field });
  if (name.length > NAME_MAX) throw new RotaError('VALIDATION', `${field} may have at most ${NAME_MAX} characters.`, { field });
  return name;
}

/** Optional free text: trimmed, at most 2,000 characters, empty becomes null. */
export function optionalText(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (text.length > TEXT_MAX) throw new RotaError('VALIDATION', `${field} may have at most ${TEXT_MAX} characters.`, { field });
  return text.length === 0 ? null : text;
}
