import type { Locale } from '../domain/types.js';
// The words of a feed, in the subscriber's language: a person's feed speaks their locale; team,
// rota and open-shift feeds default to Chinese and take `?lang=en`.

export interface Labels {
  personCalendar(name: string): string;
  teamCalendar(name: string): string;
  openCalendar(rotaName: string): string;
  cancelledPrefix: string;
  waitlistSuffix: string;
  needs(count: number): string;
  rota: string;
  status: string;
  fill: string;
  place: string;
  yourPlace: string;
  confirmed: string;
  waitlisted: string;
  cancelledByCoordinator: string;
  shiftCancelled: string;
  with: string;
  signedUp: string;
  waitlist: string;
  filled(confirmed: number, max: number, min: number): string;
  note: string;
  coordinator: string;
  colon: string;
  listSeparator: string;
  nobody: string;
}

const zh: Labels = {
  personCalendar: (name) => `${name}的值班`,
  teamCalendar: (name) => `${name}的值班`,
  openCalendar: (rotaName) => `${rotaName}：缺人的班次`,
  cancelledPrefix: '已取消：',
  waitlistSuffix: '（候补）',
  needs: (count) => `缺 ${count} 人`,
  rota: '值班',
  status: '状态',
  fill: '人数',
  place: '地点',
  yourPlace: '你的状态',
  confirmed: '已确认',
  waitlisted: '候补中',
  cancelledByCoordinator: '协调人已取消这个班次',
  shiftCancelled: '这个班次已取消',
  with: '同班',
  signedUp: '已报名',
  waitlist: '候补',
  filled: (confirmed, max, min) => `${confirmed}/${max}（至少 ${min} 人）`,
  note: '备注',
  coordinator: '协调人',
  colon: '：',
  listSeparator: '、',
  nobody: '暂无',
};

const en: Labels = {
  personCalendar: (name) => `Shifts of ${name}`,
  teamCalendar: (name) => `Shifts of ${name}`,
  openCalendar: (rotaName) => `${rotaName}: open shifts`,
  cancelledPrefix: 'Cancelled: ',
  waitlistSuffix: ' (waitlist)',
  needs: (count) => `needs ${count}`,
  rota: 'Rota',
  status: 'Status',
  fill: 'Filled',
  place: 'Place',
  yourPlace: 'Your place',
  confirmed: 'confirmed',
  waitlisted: 'on the waitlist',
  cancelledByCoordinator: 'the coordinator cancelled this shift',
  shiftCancelled: 'this shift is cancelled',
  with: 'With',
  signedUp: 'Signed up',
  waitlist: 'Waitlist',
  filled: (confirmed, max, min) => `${confirmed}/${max} (at least ${min})`,
  note: 'Note',
  coordinator: 'Coordinator',
  colon: ': ',
  listSeparator: ', ',
  nobody: 'nobody yet',
};

export const LABELS: Record<Locale, Labels> = { 'zh-CN': zh, en };
