import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { afterQuietHours, changeKey, maskSecretUrl, reminderDue, renderChange, renderRoster, retryAt, rosterDue, when, MAX_ATTEMPTS } from '../../src/domain/notices.js';
import { dingtalkUrl } from '../../src/services/delivery.js';

const at = (iso: string) => new Date(iso).getTime();
const SH = 'Asia/Shanghai';
const quiet = { from: '22:00', to: '07:00' };

describe('quiet hours', () => {
  it.each([
    ['a time before quiet hours passes unchanged', '2026-03-02T21:59:00+08:00', '2026-03-02T21:59:00+08:00'],
    ['a time at the start of quiet hours waits until 07:00 the next morning', '2026-03-02T22:00:00+08:00', '2026-03-03T07:00:00+08:00'],
    ['03:00 waits until 07:00 the same morning', '2026-03-03T03:00:00+08:00', '2026-03-03T07:00:00+08:00'],
    ['07:00 itself is no longer quiet', '2026-03-03T07:00:00+08:00', '2026-03-03T07:00:00+08:00'],
  ])('%s', (_name, input, expected) => {
    expect(afterQuietHours(at(input), SH, quiet)).toBe(at(expected));
  });

  it('quiet hours that do not wrap midnight hold notices inside them only', () => {
    expect(afterQuietHours(at('2026-03-02T13:00:00+08:00'), SH, { from: '12:00', to: '14:00' })).toBe(at('2026-03-02T14:00:00+08:00'));
    expect(afterQuietHours(at('2026-03-02T11:00:00+08:00'), SH, { from: '12:00', to: '14:00' })).toBe(at('2026-03-02T11:00:00+08:00'));
  });

  it('the end of quiet hours is read in the rota zone across a daylight-saving change', () => {
    // Berlin springs forward on 29 March 2026: 07:00 that morning is +02:00.
    expect(afterQuietHours(at('2026-03-29T01:30:00+01:00'), 'Europe/Berlin', quiet)).toBe(at('2026-03-29T07:00:00+02:00'));
  });

  it('without quiet hours nothing waits', () => {
    expect(afterQuietHours(at('2026-03-03T03:00:00+08:00'), SH, null)).toBe(at('2026-03-03T03:00:00+08:00'));
  });
});

describe('retries', () => {
  it('wait 30 s, then twice as long each time, at most an hour, and give up after the limit', () => {
    expect(retryAt(1, 0)).toBe(30_000);
    expect(retryAt(2, 0)).toBe(60_000);
    expect(retryAt(3, 0)).toBe(120_000);
    expect(retryAt(MAX_ATTEMPTS - 1, 0)).toBeLessThanOrEqual(3_600_000);
    expect(retryAt(MAX_ATTEMPTS, 0)).toBeNull();
  });
});

describe('when scheduled notices are due', () => {
  it('the roster post for tomorrow is due from its local time until midnight', () => {
    expect(rosterDue(at('2026-03-02T18:59:00+08:00'), SH, '19:00')).toBeNull();
    expect(rosterDue(at('2026-03-02T19:00:00+08:00'), SH, '19:00')).toBe('2026-03-03');
    expect(rosterDue(at('2026-03-02T23:59:00+08:00'), SH, '19:00')).toBe('2026-03-03');
    expect(rosterDue(at('2026-03-02T19:00:00+08:00'), SH, null)).toBeNull();
  });

  it('a reminder is due from N hours before the start until the start', () => {
    const start = at('2026-03-03T07:15:00+08:00');
    expect(reminderDue(start, 18, start - 18 * 3_600_000 - 1)).toBe(false);
    expect(reminderDue(start, 18, start - 18 * 3_600_000)).toBe(true);
    expect(reminderDue(start, 18, start)).toBe(false);
    expect(reminderDue(start, 0, start - 1000)).toBe(false);
  });
});

describe('words', () => {
  const context = { zone: SH, rotaName: '护学岗', post: '校园门口', name: '张三', otherName: '李四' };
  const moved = { kind: 'signup-moved' as const, signupId: 7, personId: 3, rotaId: 1, seriesId: 2, start: at('2026-03-03T07:15:00+08:00'), newStart: at('2026-03-03T08:00:00+08:00') };

  it('a date and time read the way each language writes them, in the rota zone', () => {
    expect(when(at('2026-03-02T23:15:00Z'), SH, 'zh-CN')).toBe('3月3日 周二 07:15');
    expect(when(at('2026-03-02T23:15:00Z'), SH, 'en')).toBe('Tue 3 Mar 07:15');
  });

  it('a moved duty reads as one short sentence in Chinese and in English', () => {
    expect(renderChange(moved, { ...context, locale: 'zh-CN' }).text).toBe('【护学岗】张三，您 3月3日 周二 07:15 校园门口 的值班改到了 3月3日 周二 08:00。');
    expect(renderChange(moved, { ...context, locale: 'en', name: 'Ann' }).text).toBe('[护学岗] Ann, your duty on Tue 3 Mar 07:15 校园门口 moved to Tue 3 Mar 08:00.');
  });

  it('the roster post puts a heading above the duty sheet lines', () => {
    expect(renderRoster('护学岗', ['3月3日 周二 07:15 校园门口：张三、李四'], 'zh-CN').text).toBe('【护学岗】明天的值班：\n3月3日 周二 07:15 校园门口：张三、李四');
  });

  it('typed text cannot carry markdown, links, mentions, markup or new lines into a robot message', () => {
    const typed = { ...context, locale: 'en' as const, rotaName: '**Rota** # _x_', post: '`post` ~~x~~ | y \\ z', name: 'Ann\n> quote <@all>', otherName: 'see www.phish.example & https://x.cn' };
    expect(renderChange(moved, typed).text).toBe('[＊＊Rota＊＊ ＃ ＿x＿] Ann ＞ quote ＜＠all＞, your duty on Tue 3 Mar 07:15 ｀post｀ ～～x～～ ｜ y ＼ z moved to Tue 3 Mar 08:00.');
    const cover = { kind: 'cover-claimed' as const, offerId: 1, personId: 3, rotaId: 1, seriesId: 2, start: at('2026-03-03T07:15:00+08:00'), otherId: 4 };
    expect(renderChange(cover, typed).text).toContain('see www．phish．example ＆ https：//x．cn took over');
    expect(renderRoster('[a](http://b.c)', ['3月3日 周二 07:15 校园门口：<font color="warning">x</font>'], 'zh-CN').text).toBe(
      '【［a］(http：//b．c)】明天的值班：\n3月3日 周二 07:15 校园门口：＜font color="warning"＞x＜/font＞',
    );
  });

  it('a change key names the change, the person and the audit entry, so each change has its own', () => {
    expect(changeKey(moved, 41)).toBe('signup-moved:7:3:41');
    expect(changeKey({ kind: 'offer-open', offerId: 5, personId: null, rotaId: 1, seriesId: 2, start: 0, otherId: 3 }, 42)).toBe('offer-open:5:group:42');
  });
});

describe('secrets', () => {
  it('a robot URL is shown by its host and the last four characters of its key', () => {
    const masked = maskSecretUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifaabcd');
    expect(masked).toBe('https://qyapi.weixin.qq.com/…?key=****abcd');
  });

  it('a short secret is not shown at all, and a webhook without a query shows only its path end', () => {
    expect(maskSecretUrl('https://example.org/hook?key=abc')).toBe('https://example.org/…?key=****');
    expect(maskSecretUrl('https://hooks.example.org/T000/B000/XXXXXXXXwxyz')).toBe('https://hooks.example.org/…****wxyz');
  });

  it('DingTalk signing adds timestamp and the URL-encoded base64 HMAC of "timestamp\\nsecret"', () => {
    const secret = 'SEC0123456789abcdef';
    const url = new URL(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=tok', secret, 1_772_000_000_000));
    const expected = createHmac('sha256', secret).update(`1772000000000\n${secret}`).digest('base64');
    expect(url.searchParams.get('access_token')).toBe('tok');
    expect(url.searchParams.get('timestamp')).toBe('1772000000000');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(url.search).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=tok', null, 1)).toBe('https://oapi.dingtalk.com/robot/send?access_token=tok');
  });
});
