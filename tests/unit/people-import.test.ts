import { describe, expect, it } from 'vitest';
import { IMPORT_MAX_ROWS, parsePeopleImport } from '../../src/domain/people-import.js';

const person = (line: number, name: string, extra: Partial<{ phone: string; email: string; team: string; locale: 'zh-CN' | 'en' }> = {}) => ({
  line,
  name,
  phone: extra.phone ?? null,
  email: extra.email ?? null,
  team: extra.team ?? null,
  locale: extra.locale ?? null,
});

describe('reading a pasted list of people', () => {
  it.each([
    ['a name alone', '王建国', person(1, '王建国')],
    ['a name and a phone', '王建国, 138 0013 8000', person(1, '王建国', { phone: '138 0013 8000' })],
    ['a name and a team', '王建国, 3栋', person(1, '王建国', { team: '3栋' })],
    ['a name, a phone and a team', '王建国，+86 138-0013-8000，3栋', person(1, '王建国', { phone: '+86 138-0013-8000', team: '3栋' })],
    ['a team whose name is digits too short for a phone', '王建国, 12', person(1, '王建国', { team: '12' })],
    ['an email among the values', 'Li Na, li@example.org, Block 3', person(1, 'Li Na', { email: 'li@example.org', team: 'Block 3' })],
  ])('reads %s', (_, text, expected) => {
    expect(parsePeopleImport(text)).toEqual({ ok: true, format: 'list', rows: [expected] });
  });

  it('skips blank lines but keeps each person\'s own line number', () => {
    const parsed = parsePeopleImport('王建国\n\n  \r\n张丽华, 5栋\n');
    expect(parsed).toEqual({ ok: true, format: 'list', rows: [person(1, '王建国'), person(4, '张丽华', { team: '5栋' })] });
  });

  it('refuses the whole list, naming every bad row by its line', () => {
    const parsed = parsePeopleImport(`王建国\n, 138 0013 8000\n张丽华, 3栋, 5栋\n${'长'.repeat(201)}`);
    expect(parsed).toEqual({
      ok: false,
      format: 'list',
      problems: [
        { line: 2, message: 'Row 2: the name is missing.' },
        { line: 3, message: 'Row 3: "5栋" is one value too many (a line is: name, phone, team).' },
        { line: 4, message: 'Row 4: the name is longer than 200 characters.' },
      ],
    });
  });

  it('refuses the same person twice, as a list pasted twice', () => {
    const parsed = parsePeopleImport('王建国, 13800138000\n王建国, 13800138000');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual([{ line: 2, message: 'Row 2: 王建国 (13800138000) is already on row 1.' }]);
  });

  it('refuses an empty text and more than the most people at once', () => {
    expect(parsePeopleImport(' \n\n')).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    const many = Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => `Person ${i}`).join('\n');
    expect(parsePeopleImport(many)).toMatchObject({ ok: false, problems: [{ line: 1, message: `At most ${IMPORT_MAX_ROWS} people can be imported at once.` }] });
  });
});

describe('reading a CSV file of people', () => {
  const csv = 'name,phone,email,team,locale\r\n王建国,13800138000,,3栋,zh-CN\r\n"Li, Na",,li@example.org,"Block ""3""",en\r\n';

  it.each([
    ['without a byte-order mark', csv],
    ['with the byte-order mark Excel writes', `\uFEFF${csv}`],
  ])('reads every column %s, quoted commas and quotes included', (_, text) => {
    expect(parsePeopleImport(text)).toEqual({
      ok: true,
      format: 'csv',
      rows: [
        person(2, '王建国', { phone: '13800138000', team: '3栋', locale: 'zh-CN' }),
        person(3, 'Li, Na', { email: 'li@example.org', team: 'Block "3"', locale: 'en' }),
      ],
    });
  });

  it('takes the columns in any order, with Chinese headers, and leaves out the missing ones', () => {
    expect(parsePeopleImport('楼栋,姓名\n3栋,王建国\n,张丽华')).toEqual({ ok: true, format: 'csv', rows: [person(2, '王建国', { team: '3栋' }), person(3, '张丽华')] });
  });

  it('keeps a quoted value over two lines in one row, numbered by the line it starts on (a name is one line, so the break becomes a space)', () => {
    expect(parsePeopleImport('name,team\n"王建国","3栋\n东"\n张丽华,5栋')).toEqual({
      ok: true,
      format: 'csv',
      rows: [person(2, '王建国', { team: '3栋 东' }), person(4, '张丽华', { team: '5栋' })],
    });
  });

  it('refuses the whole file, naming every bad row and an unknown column', () => {
    const parsed = parsePeopleImport('name,phone,email,locale,floor\n,,,,\n王建国,call me,,,\n张丽华,,zhang@,fr,\n李娜,,,,2,extra');
    expect(parsed).toEqual({
      ok: false,
      format: 'csv',
      problems: [
        { line: 1, message: 'Row 1: unknown column(s) "floor"; use name, phone, email, team, locale.' },
        { line: 3, message: 'Row 3: "call me" is not a phone number.' },
        { line: 4, message: 'Row 4: "zhang@" is not an email address; language "fr" is neither zh-CN nor en.' },
        { line: 5, message: 'Row 5: it has 6 values but the header names 5 columns.' },
      ],
    });
  });
});
