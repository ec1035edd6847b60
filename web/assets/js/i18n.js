// Words and dates in Chinese or English: chosen from the browser, switchable, remembered.
// Dates and times are always shown in the rota's own zone, never the phone's.

const STRINGS = {
  'zh-CN': {
    appName: '值班表',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    skip: '跳到正文',
    loading: '正在加载…',
    close: '关闭',
    cancel: '不用了',
    yes: '是的',
    copy: '复制链接',
    copied: '已复制。',
    copyFailed: '没能自动复制，请长按链接手动复制。',
    qrLabel: '二维码：{what}',
    noLinkTitle: '请用您的个人链接打开',
    noLinkText: '您的协调员会在微信群里发给您一个个人链接。点开那个链接就能看到您的值班。',
    homeTitle: '值班表',
    homeMe: '我的值班',
    homeDesk: '协调员工作台',
    hello: '您好，{name}',
    nextDuty: '我的下一次值班',
    noNextDuty: '您最近没有值班。下面有可以报名的班次。',
    withYou: '同班：{names}',
    aloneSoFar: '目前只有您一个人。',
    place: '地点：{place}',
    myShifts: '我接下来的值班',
    noMyShifts: '暂时没有其他值班。',
    openShifts: '可以报名的班次',
    noOpenShifts: '最近四周没有缺人的班次。谢谢！',
    showMore: '再显示 {n} 个',
    onWaitlist: '候补中（有人退出时自动补上）',
    retry: '再试一次',
    signUp: '报名',
    signUpFor: '报名这个班次？',
    signUpYes: '是的，我报名',
    signedUp: '报名成功：{when}',
    waitlisted: '这个班次已满，您已排在候补名单上：{when}',
    alreadyOn: '您已经在这个班次上了：{when}',
    cancelSignup: '取消报名',
    cancelSignupQ: '确定不去这个班次了吗？',
    cancelSignupYes: '是的，取消',
    cancelled: '已取消：{when}',
    offer: '找人替班',
    offerQ: '请别人替您这个班次？在有人接之前，您仍然在班上。',
    offerYes: '是的，找人替',
    offered: '已发出替班请求：{when}。有人接了以后，这个班就不是您的了。',
    offerTakenAtOnce: '候补名单上的人已经接了这个班，您不用去了：{when}',
    coverOffers: '请人替班的班次',
    offeredBy: '{name} 请人替班',
    claim: '我来替',
    claimQ: '替 {name} 值这个班次？',
    claimYes: '是的，我来替',
    claimed: '谢谢！这个班次现在是您的了：{when}',
    claimPending: '已申请替班，等协调员确认后生效：{when}',
    openMore: '其他还缺人的班次',
    trades: '换班',
    tradeFrom: '{name} 想用 {theirs} 换您的 {yours}',
    accept: '同意换班',
    acceptQ: '同意换班？您改去 {theirs}，不再去 {yours}。',
    acceptYes: '是的，同意',
    accepted: '换班成功：您现在去 {when}',
    acceptPending: '您已同意换班，等协调员确认后生效：{when}',
    tradeWaiting: '等 {name} 回复：用您的 {yours} 换 {theirs}',
    tradeNeedsApproval: '等协调员确认',
    withdraw: '撤回换班请求',
    withdrawQ: '撤回给 {name} 的换班请求？',
    withdrawYes: '是的，撤回',
    withdrawn: '换班请求已撤回。',
    decline: '不换',
    declineQ: '不和 {name} 换班？',
    declineYes: '是的，不换',
    declined: '已告诉 {name}：不换班。',
    lookingForCover: '正在找人替班（有人接之前，还是您的班）',
    coverClaimPending: '有人要接，等协调员确认（确认之前，还是您的班）',
    coverWithdraw: '不找人了，我自己去',
    coverWithdrawQ: '不找人替了？这个班次您自己去。',
    coverWithdrawYes: '是的，我自己去',
    coverWithdrawn: '已不再找人替班，您自己去：{when}',
    swap: '换班',
    swapPick: '想换成哪个班次？',
    swapGiving: '您换出去的班次：{when}',
    swapNowWith: '现在是 {name} 的班',
    swapNone: '最近四周没有能换的班次',
    swapNoneText: '别人的班次您去不了，或者他们来不了您的班次。可以点“找人替班”，请别人接您的班。',
    swapQ: '请 {name} 和您换班？',
    swapYouGo: '您改去：{when}',
    swapTheyGo: '{name} 改去：{when}',
    swapUntil: '{name} 同意以后才换；在那之前，您还是去原来的班次。',
    swapYes: '是的，请对方换班',
    swapAsked: '已请 {name} 换班。对方同意以后才换。',
    spots: '{confirmed} 人已报名，还能报 {left} 人',
    spotsFull: '已满（{confirmed} 人），可以候补',
    needs: '还差 {n} 人',
    subscribe: '把值班放进手机日历',
    subscribeText: '订阅以后，您的值班会自动出现在手机日历里，有变化也会跟着更新。',
    subscribeButton: '订阅到我的日历',
    subscribeLink: '订阅链接',
    subscribeQr: '也可以用另一部手机扫这个二维码：',
    download: '下载一次日历文件（.ics，不会自动更新）',
    calendar: '日历',
    calendarMonth: '月',
    calendarWeek: '周',
    calendarList: '列表',
    calendarToday: '今天',
    calendarPrev: '‹ 往前',
    calendarNext: '往后 ›',
    calendarNoEvents: '这段时间没有班次。',
    calendarTime: '时间',
    calendarEvent: '班次',
    calendarFailed: '日历暂时打不开，请稍后再试。',
    today: '今天',
    tomorrow: '明天',
    dayAfter: '后天',
    inDays: '{n} 天后',
    // Desk
    groupMonth: '按月',
    groupPerson: '按人',
    groupTeam: '按小组',
    groupRota: '按值班表',
    warning: '提醒：',
    warn_NO_HOLIDAY_DATA: '“{calendar}”还没有 {year} 年的数据：{year} 年的班次暂时不会跳过那一年的节假日。',
    // Refusals, by the API's reason code
    wd1: '周一',
    wd2: '周二',
    wd3: '周三',
    wd4: '周四',
    wd5: '周五',
    wd6: '周六',
    wd7: '周日',
    err_NOT_IN_TEAM: '这个班次只给指定小组的人报名。',
    err_PERSON_ARCHIVED: '这个人已经停用了。',
    err_ALREADY_OFFERED: '您已经在找人替这个班次了。',
    err_NOT_STARTED: '这个班次还没有开始。',
    err_SHIFT_FULL: '这个班次已经满员了。',
    err_COLLIDES: '您（或这个人）同一时间已经有别的班次了。',
    err_UNAVAILABLE: '这一天登记了不方便，不能安排。',
    err_LOCKED: '离开始时间太近了，不能在这里取消或找人替。请直接联系协调员。',
    err_PAST: '这个班次已经开始或已经结束了。',
    err_SHIFT_CANCELLED: '这个班次已经取消了。',
    err_OFFER_CLOSED: '已经有人接了这个班，或者对方已经不需要替班了。',
    err_TRADE_CLOSED: '这个换班请求已经失效了。',
    err_NOT_SIGNED_UP: '您不在这个班次上。',
    err_UNAUTHENTICATED: '这个链接已经失效（可能换了新链接）。请向协调员要一个新链接。',
    err_FORBIDDEN: '只有协调员可以这样做。',
    err_NOT_FOUND: '没找到，可能已经被删除或改动了。请刷新页面。',
    err_NOT_A_SHIFT: '没找到这个班次，可能已经改动了。请刷新页面。',
    err_RANGE_TOO_LONG: '时间段太长了，最多一年。',
    err_RULE_TOO_FINE: '值班规则太密了，最多每小时一次。',
    err_SIGNUPS_AFFECTED: '这个改动会影响已经报名的人，请先处理他们的报名。',
    err_CONFLICT: '现在不能这样改：{message}',
    err_READ_ONLY: '这个日历是内置的，不能修改。',
    err_RATE_LIMITED: '点得太快了，请等一下再试。',
    err_NETWORK: '网络连不上。请检查网络后再试一次。',
    err_OTHER: '出了点问题，什么都没有改。请再试一次。',
  },
  en: {
    appName: 'Rota',
    switchLang: '中文',
    switchLangLabel: '切换到中文',
    skip: 'Skip to the content',
    loading: 'Loading…',
    close: 'Close',
    cancel: 'No, go back',
    yes: 'Yes',
    copy: 'Copy the link',
    copied: 'Copied.',
    copyFailed: 'Could not copy by itself; press and hold the link to copy it.',
    qrLabel: 'QR code: {what}',
    noLinkTitle: 'Please open your personal link',
    noLinkText: 'Your coordinator sends you a personal link in the group chat. Open that link to see your duties.',
    homeTitle: 'Rota',
    homeMe: 'My duties',
    homeDesk: 'Coordinator desk',
    hello: 'Hello, {name}',
    nextDuty: 'My next duty',
    noNextDuty: 'You have no duty coming up. You can sign up for one below.',
    withYou: 'With you: {names}',
    aloneSoFar: 'So far only you.',
    place: 'Place: {place}',
    myShifts: 'My coming duties',
    noMyShifts: 'No other duties yet.',
    openShifts: 'Duties you can sign up for',
    noOpenShifts: 'Every duty in the next four weeks has enough people. Thank you!',
    showMore: 'Show {n} more',
    onWaitlist: 'On the waiting list (you move up when someone leaves)',
    retry: 'Try again',
    signUp: 'Sign up',
    signUpFor: 'Sign up for this duty?',
    signUpYes: 'Yes, sign me up',
    signedUp: 'You are signed up: {when}',
    waitlisted: 'This duty is full; you are on the waiting list: {when}',
    alreadyOn: 'You are already on this duty: {when}',
    cancelSignup: 'Cancel',
    cancelSignupQ: 'Are you sure you will not come to this duty?',
    cancelSignupYes: 'Yes, cancel it',
    cancelled: 'Cancelled: {when}',
    offer: 'Ask for cover',
    offerQ: 'Ask someone else to take this duty? You stay on it until someone takes it.',
    offerYes: 'Yes, ask for cover',
    offered: 'You asked for cover: {when}. Once someone takes it, it is no longer yours.',
    offerTakenAtOnce: 'Someone on the waiting list took it at once; you are free: {when}',
    coverOffers: 'Duties others asked to be covered',
    offeredBy: '{name} asks for cover',
    claim: 'I will cover',
    claimQ: 'Take this duty for {name}?',
    claimYes: 'Yes, I will take it',
    claimed: 'Thank you! This duty is now yours: {when}',
    claimPending: 'You asked to cover it; it counts once a coordinator agrees: {when}',
    openMore: 'Other duties that need people',
    trades: 'Swaps',
    tradeFrom: '{name} would like to give you {theirs} for your {yours}',
    accept: 'Accept the swap',
    acceptQ: 'Accept the swap? You go on {theirs} instead of {yours}.',
    acceptYes: 'Yes, accept',
    accepted: 'Swapped: you now go on {when}',
    acceptPending: 'You agreed to the swap; it counts once a coordinator agrees: {when}',
    tradeWaiting: 'Waiting for {name}: your {yours} for their {theirs}',
    tradeNeedsApproval: 'Waiting for a coordinator',
    withdraw: 'Withdraw the swap request',
    withdrawQ: 'Withdraw your swap request to {name}?',
    withdrawYes: 'Yes, withdraw it',
    withdrawn: 'Your swap request was withdrawn.',
    decline: 'Decline',
    declineQ: 'Decline the swap with {name}?',
    declineYes: 'Yes, decline',
    declined: '{name} is told: no swap.',
    lookingForCover: 'Looking for cover (still yours until someone takes it)',
    coverClaimPending: 'Someone will take it once a coordinator agrees (still yours until then)',
    coverWithdraw: 'I will go myself after all',
    coverWithdrawQ: 'Stop looking for cover? You go on this duty yourself.',
    coverWithdrawYes: 'Yes, I will go',
    coverWithdrawn: 'You no longer ask for cover; you go yourself: {when}',
    swap: 'Swap',
    swapPick: 'Which duty would you take instead?',
    swapGiving: 'You give up: {when}',
    swapNowWith: 'Now on it: {name}',
    swapNone: 'No duty to swap with in the next four weeks',
    swapNoneText: 'You cannot take the other duties, or their people cannot take yours. You can tap "Ask for cover" instead, so that someone takes your duty.',
    swapQ: 'Ask {name} to swap with you?',
    swapYouGo: 'You would go on: {when}',
    swapTheyGo: '{name} would go on: {when}',
    swapUntil: 'Nothing changes until {name} agrees; until then you keep your own duty.',
    swapYes: 'Yes, ask for the swap',
    swapAsked: 'You asked {name} to swap. Nothing changes until they agree.',
    spots: '{confirmed} signed up, room for {left} more',
    spotsFull: 'Full ({confirmed}); you can join the waiting list',
    needs: '{n} more needed',
    subscribe: 'Put your duties in your phone\'s calendar',
    subscribeText: 'Once subscribed, your duties appear in your phone\'s calendar by themselves and follow every change.',
    subscribeButton: 'Subscribe in my calendar',
    subscribeLink: 'Subscription link',
    subscribeQr: 'Or scan this QR code with another phone:',
    download: 'Download a calendar file once (.ics, does not update)',
    calendar: 'Calendar',
    calendarMonth: 'Month',
    calendarWeek: 'Week',
    calendarList: 'List',
    calendarToday: 'Today',
    calendarPrev: '‹ Earlier',
    calendarNext: 'Later ›',
    calendarNoEvents: 'No duties in this period.',
    calendarTime: 'Time',
    calendarEvent: 'Duty',
    calendarFailed: 'The calendar could not be opened; please try again later.',
    today: 'Today',
    tomorrow: 'Tomorrow',
    dayAfter: 'In 2 days',
    inDays: 'In {n} days',
    groupMonth: 'Month',
    groupPerson: 'Person',
    groupTeam: 'Team',
    groupRota: 'Rota',
    warning: 'Note:',
    warn_NO_HOLIDAY_DATA: '"{calendar}" has no data for {year} yet: shifts in {year} do not skip that year\'s holidays until it is added.',
    wd1: 'Mon',
    wd2: 'Tue',
    wd3: 'Wed',
    wd4: 'Thu',
    wd5: 'Fri',
    wd6: 'Sat',
    wd7: 'Sun',
    err_NOT_IN_TEAM: 'This duty is only for members of certain teams.',
    err_PERSON_ARCHIVED: 'This person is no longer active.',
    err_ALREADY_OFFERED: 'You already asked for cover for this duty.',
    err_NOT_STARTED: 'This shift has not started yet.',
    err_SHIFT_FULL: 'This duty is already full.',
    err_COLLIDES: 'You (or this person) already have a duty at that time.',
    err_UNAVAILABLE: 'That day is marked as not available.',
    err_LOCKED: 'It is too close to the start to cancel or ask for cover here. Please call your coordinator.',
    err_PAST: 'This duty has already started or is over.',
    err_SHIFT_CANCELLED: 'This duty was cancelled.',
    err_OFFER_CLOSED: 'Someone else already took this duty, or it no longer needs cover.',
    err_TRADE_CLOSED: 'This swap request is no longer open.',
    err_NOT_SIGNED_UP: 'You are not on this duty.',
    err_UNAUTHENTICATED: 'This link no longer works (it may have been replaced). Please ask your coordinator for a new one.',
    err_FORBIDDEN: 'Only a coordinator can do this.',
    err_NOT_FOUND: 'Not found; it may have been removed or changed. Please reload the page.',
    err_NOT_A_SHIFT: 'This shift was not found; it may have changed. Please reload the page.',
    err_RANGE_TOO_LONG: 'That period is too long; at most one year.',
    err_RULE_TOO_FINE: 'That rule is too frequent; at most once an hour.',
    err_SIGNUPS_AFFECTED: 'This change affects people who signed up; deal with their sign-ups first.',
    err_CONFLICT: 'This cannot be changed now: {message}',
    err_READ_ONLY: 'This calendar is built in and cannot be changed.',
    err_RATE_LIMITED: 'Too many taps at once; please wait a moment and try again.',
    err_NETWORK: 'No connection. Please check your network and try again.',
    err_OTHER: 'Something went wrong; nothing was changed. Please try again.',
  },
};

const LANG_KEY = 'rota.lang';
function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && saved in STRINGS) return saved;
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of wanted) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

let current = initialLang();
const listeners = [];

export function lang() {
  return current;
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function hasText(key) {
  return key in STRINGS[current];
}

/** Adds a module's own words (`{ 'zh-CN': {...}, en: {...} }`), so each desk part keeps its text beside its code. */
export function addStrings(more) {
  for (const [language, table] of Object.entries(more)) Object.assign(STRINGS[language], table);
}

/** Fills every element marked `data-i18n` (text) or `data-i18n-label` (aria-label). */
export function applyStaticText(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
}

function setLang(next) {
  if (!(next in STRINGS) || next === current) return;
  current = next;
  localStorage.setItem(LANG_KEY, next);
  applyStaticText();
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.push(fn);
}

/** The language button: shows the other language's name, switches on a tap. */
export function bindLangButton(button) {
  const label = () => {
    button.textContent = t('switchLang');
    button.setAttribute('aria-label', t('switchLangLabel'));
    button.setAttribute('lang', current === 'zh-CN' ? 'en' : 'zh-CN');
  };
  label();
  button.addEventListener('click', () => setLang(current === 'zh-CN' ? 'en' : 'zh-CN'));
  onLangChange(label);
}

const formatters = new Map();
function formatter(locale, options) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

function parts(date, zone, options, locale) {
  const out = {};
  for (const p of formatter(locale, { timeZone: zone, ...options }).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** "3月2日 周一" or "Mon 2 Mar", in the rota's zone. */
export function formatDay(iso, zone) {
  const date = new Date(iso);
  if (current === 'zh-CN') {
    const p = parts(date, zone, { month: 'numeric', day: 'numeric', weekday: 'short' }, 'zh-CN');
    return `${p.month}月${p.day}日 ${p.weekday}`;
  }
  const p = parts(date, zone, { month: 'short', day: 'numeric', weekday: 'short' }, 'en-GB');
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** "07:15", 24-hour, in the rota's zone. */
export function formatTime(iso, zone) {
  const p = parts(new Date(iso), zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, 'en-GB');
  return `${p.hour}:${p.minute}`;
}

/** "3月2日 周一 07:15–08:00". */
export function formatWhen(start, end, zone) {
  return `${formatDay(start, zone)} ${formatTime(start, zone)}–${formatTime(end, zone)}`;
}

/** A local date `YYYY-MM-DD` (no zone needed: it is a calendar day) as "3月2日 周一". */
export function formatDate(date) {
  return formatDay(`${date}T12:00:00Z`, 'UTC');
}

/** Today's date `YYYY-MM-DD` in `zone`, by this device's clock. */
export function todayIn(zone, now = new Date()) {
  const p = parts(now, zone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA');
  return `${p.year}-${p.month}-${p.day}`;
}

/** Whole days from local date `a` to local date `b`. */
function daysFrom(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** "今天", "明天", "3 天后" for a shift's local date, or "" when it is further away. */
export function relativeDay(localDate, zone) {
  const n = daysFrom(todayIn(zone), localDate);
  if (n === 0) return t('today');
  if (n === 1) return t('tomorrow');
  if (n === 2) return t('dayAfter');
  if (n > 2 && n <= 6) return t('inDays', { n });
  return '';
}

/** Adds `n` days to a `YYYY-MM-DD` date. */
export function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A list of names in the language's style: "王建国、张丽华" or "Wang, Zhang". */
export function joinNames(names) {
  return names.join(current === 'zh-CN' ? '、' : ', ');
}

// Issue 14 (desk): a refused field in the page's language, never the server's English words.
addStrings({
  'zh-CN': {
    err_VALIDATION_field: '请检查“{field}”这一项。',
    err_VALIDATION_plain: '请检查填写的内容。',
    field_name: '名称',
    field_timezone: '时区',
    field_location: '地点',
    field_description: '说明',
    field_rrule: '哪几天',
    field_label: '岗位名称',
    field_startDate: '从哪天开始',
    field_endDate: '到哪天结束',
    field_startTime: '开始时间',
    field_durationMinutes: '时长（分钟）',
    field_minVolunteers: '最少几人',
    field_maxVolunteers: '最多几人',
    field_dayCalendarIds: '节假日日历',
    field_rotaId: '值班表',
    field_from: '从',
    field_to: '到',
    field_date: '日期',
    field_phone: '电话',
    field_email: '电子邮件',
    field_teamIds: '小组',
    field_personId: '人员',
    field_text: '名单',
    field_note: '原因',
    field_proposalId: '试排结果',
    field_url: '群机器人地址',
  },
  en: {
    err_VALIDATION_field: 'Please check "{field}".',
    err_VALIDATION_plain: 'Please check what you entered: {message}',
    field_name: 'Name',
    field_timezone: 'Time zone',
    field_location: 'Place',
    field_description: 'Description',
    field_rrule: 'Days',
    field_label: 'Post',
    field_startDate: 'Starts on',
    field_endDate: 'Ends on',
    field_startTime: 'Start time',
    field_durationMinutes: 'Length (minutes)',
    field_minVolunteers: 'At least',
    field_maxVolunteers: 'At most',
    field_dayCalendarIds: 'Holiday calendars',
    field_rotaId: 'Rota',
    field_from: 'From',
    field_to: 'To',
    field_date: 'Date',
    field_phone: 'Phone',
    field_email: 'Email',
    field_teamIds: 'Teams',
    field_personId: 'Person',
    field_text: 'The list',
    field_note: 'Reason',
    field_proposalId: 'Dry run',
    field_url: 'Group robot address',
  },
});
