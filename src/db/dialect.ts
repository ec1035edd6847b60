// The few SQL spellings that differ between SQLite and PostgreSQL, for the statements this folder
// writes by hand; drizzle's own SQL is the same for both (pg/sync-client.ts translates parameters).
import type Database from 'better-sqlite3';
import { isPostgres } from './pg/sync-client.js';

/** A table of the values in one parameter, a JSON array text (`[1,2]`), as a subquery's one column `value`. */
export function jsonValues(client: Database.Database, type: 'integer' | 'text'): string {
  if (!isPostgres(client)) return 'SELECT value FROM json_each(?)';
  return type === 'integer' ? 'SELECT value::bigint AS value FROM json_array_elements_text(?::json)' : 'SELECT value FROM json_array_elements_text(?::json)';
}

/** The same values as a table to join (`FROM ${jsonTable(c, 'integer')} j`), SQLite's json_each itself. */
export function jsonTable(client: Database.Database, type: 'integer' | 'text'): string {
  return isPostgres(client) ? `(${jsonValues(client, type)})` : 'json_each(?)';
}

/** `expr` of every row joined by `separator` in `order`: SQLite's group_concat, PostgreSQL's string_agg. */
export function joinedText(client: Database.Database, expr: string, separator: string, order: string): string {
  return isPostgres(client) ? `string_agg(${expr}, '${separator}' ORDER BY ${order})` : `group_concat(${expr}, '${separator}')`;
}

/** A join whose order SQLite must keep (its CROSS JOIN with ON); PostgreSQL's planner chooses its own. */
export function orderedJoin(client: Database.Database): string {
  return isPostgres(client) ? 'JOIN' : 'CROSS JOIN';
}
