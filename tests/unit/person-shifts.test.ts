import { describe, expect, it } from 'vitest';
import { countsAsPersonShift, safeCell, statsCsv, type CountedSignup } from '../../src/domain/person-shifts.js';

const END = Date.UTC(2026, 2, 2, 0, 0);
const base: CountedSignup = { personId: 1, status: 'confirmed', attendance: null, endAt: END };

describe('the person-shift counting rule', () => {
  it.each([
    ['an attended sign-up', { attendance: 'attended' as const }, true, END - 1, true],
    ['an attended sign-up even where unmarked shifts do not count', { attendance: 'attended' as const }, false, END - 1, true],
    ['a confirmed, unmarked sign-up once its shift has ended', {}, true, END, true],
    ['a confirmed, unmarked sign-up before its shift has ended', {}, true, END - 1, false],
    ['a confirmed, unmarked sign-up on a rota that counts only marked shifts', {}, false, END + 1, false],
    ['a no-show', { attendance: 'no_show' as const }, true, END + 1, false],
    ['a waitlisted sign-up after the shift', { status: 'waitlisted' as const }, true, END + 1, false],
    ['a cancelled sign-up, even marked attended', { status: 'cancelled' as const, attendance: 'attended' as const }, true, END + 1, false],
  ])('%s', (_name, change, countUnmarked, now, expected) => {
    expect(countsAsPersonShift({ ...base, ...change }, countUnmarked, now)).toBe(expected);
  });
});

describe('the CSV export', () => {
  const table = {
    groupBy: 'person' as const,
    rows: [
      { key: '7', label: '=HYPERLINK("http://x")', personShifts: 3, people: 1, minutes: 135, hours: 2.25 },
      { key: '8', label: '李秀英, 1栋', personShifts: 2, people: 1, minutes: 100, hours: 1.67 },
    ],
    total: { personShifts: 5, people: 2, minutes: 235, hours: 3.92 },
  };

  it('starts with a UTF-8 byte order mark so that Excel reads Chinese text', () => {
    expect(statsCsv(table, 'zh-CN').charCodeAt(0)).toBe(0xfeff);
  });

  it('writes headers in the reader\'s language and a total row', () => {
    const zh = statsCsv(table, 'zh-CN').slice(1).split('\r\n');
    expect(zh[0]).toBe('编号,志愿者,人次,人数,服务时长（小时）');
    expect(zh[3]).toBe(',合计,5,2,3.92');
    expect(statsCsv(table, 'en').slice(1).split('\r\n')[0]).toBe('Key,Volunteer,Person-shifts,People,Hours');
  });

  it('neutralises a name that would run as a formula and quotes commas', () => {
    const lines = statsCsv(table, 'en').slice(1).split('\r\n');
    expect(lines[1]).toBe(`7,"'=HYPERLINK(""http://x"")",3,1,2.25`);
    expect(lines[2]).toBe('8,"李秀英, 1栋",2,1,1.67');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx'])('prefixes %j with an apostrophe', (text) => {
    expect(safeCell(text)).toBe(`'${text}`);
  });
});
