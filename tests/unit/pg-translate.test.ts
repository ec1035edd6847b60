// SQLite's SQL as the PostgreSQL client sends it (src/db/pg/sync-client.ts): parameters, the names
// given to columns, and the two spellings of drizzle's SQLite inserts PostgreSQL does not take.
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/db/pg/sync-client.js';

describe('translate', () => {
  it('numbers positional parameters, and gives a named one the same number wherever it appears', () => {
    expect(translate('SELECT a FROM t WHERE b = ? AND c < ?')).toEqual({ text: 'SELECT a FROM t WHERE b = $1 AND c < $2', names: null });
    expect(translate('SELECT count(*) FROM s WHERE shift_id = @shiftId AND x = 1 OR m.person_id = @personId AND m.shift_id = @shiftId')).toEqual({
      text: 'SELECT count(*) FROM s WHERE shift_id = $1 AND x = 1 OR m.person_id = $2 AND m.shift_id = $1',
      names: ['shiftId', 'personId'],
    });
  });

  it('leaves question marks and at signs inside quotes, identifiers and comments alone, and casts as they are', () => {
    expect(translate(`SELECT '?', "a?b", x::json -- why? @no\nFROM t WHERE y = ?`).text).toBe(`SELECT '?', "a?b", x::json -- why? @no\nFROM t WHERE y = $1`);
  });

  it('quotes camelCase column names, which PostgreSQL would fold to lower case', () => {
    expect(translate('SELECT home_team_id AS homeTeamId, name AS name, s.id AS "id" FROM people').text).toBe('SELECT home_team_id AS "homeTeamId", name AS name, s.id AS "id" FROM people');
  });

  it("drops the table from a conflict target's columns, and lets identities number rows inserted without an id", () => {
    expect(translate('insert into "unit_roles" ("person_id", "unit_id") values (?, ?) on conflict ("unit_roles"."person_id", "unit_roles"."unit_id") do update set "role" = ?').text).toBe(
      'insert into "unit_roles" ("person_id", "unit_id") values ($1, $2) on conflict ("person_id", "unit_id") do update set "role" = $3',
    );
    expect(translate('insert into "people" ("id", "name", "phone") values (null, ?, null), (null, ?, ?)').text).toBe(
      'insert into "people" ("id", "name", "phone") values (default, $1, null), (default, $2, $3)',
    );
  });
});
