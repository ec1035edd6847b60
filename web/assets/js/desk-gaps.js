// The desk's gap tools (issue 6): next week's gaps with the ranked people who could fill each,
// auto-fill for a period (a dry run first, then apply), and the duty sheet to print, download or
// paste into a chat group.
import { api, apiBlob } from './api.js';
import { addDays, addStrings, formatDate, formatDay, formatTime, formatWhen, joinNames, lang, t, todayIn } from './i18n.js';
import { busy, errorText, h, notify, show } from './ui.js';

addStrings({
  'zh-CN': {
    navGaps: '缺人的班次',
    gaps: '缺人的班次',
    gapsWindow: '{from} 至 {to}，最急的在前',
    gapsNone: '这段时间没有缺人的班次。',
    gapsMissing: '缺 {n} 人',
    gapsOnIt: '已有：{names}',
    gapsNobody: '还没有人',
    gapsFind: '找人',
    candidatesTitle: '谁可以来：{when}',
    candidatesNone: '没有人可以安排在这个班次上。',
    candidatesExcluded: '不能安排的人（{n}）',
    candidateAssign: '安排 {name}',
    candidatesMore: '再显示 {n} 个人',
    needRota: '请先建一个值班表（在下面的“值班表”部分）。',
    assignedGap: '已安排 {name}：{when}',
    navAutofill: '自动排班',
    autofill: '自动排班',
    autofillText: '按公平规则给还缺人的班次排人：先试排，看过以后再保存。',
    autofillRota: '值班表',
    autofillFrom: '从',
    autofillTo: '到',
    autofillWeek: '到本周日',
    autofillMonth: '到本月底',
    autofillTerm: '到学期末（请选日期）',
    autofillDry: '试排（先不保存）',
    autofillProposal: '试排结果：{n} 个安排',
    autofillApply: '保存这些安排',
    autofillApplied: '已保存 {n} 个安排。',
    autofillSkipped: '跳过了 {n} 个（试排以后有变化）：',
    autofillUnfilled: '还是排不满的班次（{n}）：',
    autofillNothing: '这段时间没有需要排的班次。',
    fairnessTitle: '公平程度（每人值班次数）',
    fairnessBefore: '排班前',
    fairnessAfter: '排班后',
    fairnessLine: '最多和最少相差 {spread} 次，标准差 {sd}（{people} 人，共 {total} 人次）',
    colWhen: '时间',
    colPost: '岗位',
    colPerson: '安排谁',
    colWhy: '为什么是这个人',
    navSheet: '值班表打印',
    sheet: '打印和分享值班表',
    sheetMonth: '哪个月',
    sheetPrint: '打印这个月的值班表',
    sheetXlsx: '下载 Excel',
    sheetText: '复制群聊文字',
    sheetTextTitle: '发到微信群的文字',
    sheetCopy: '复制文字',
    popupBlocked: '浏览器没让打开新窗口。请允许弹出窗口后再试。',
  },
  en: {
    navGaps: 'Gaps',
    gaps: 'Shifts short of people',
    gapsWindow: '{from} to {to}, most urgent first',
    gapsNone: 'No shift is short of people in this period.',
    gapsMissing: '{n} missing',
    gapsOnIt: 'On it: {names}',
    gapsNobody: 'Nobody yet',
    gapsFind: 'Find someone',
    candidatesTitle: 'Who could take it: {when}',
    candidatesNone: 'Nobody can be put on this shift.',
    candidatesExcluded: 'Who cannot be put on it ({n})',
    candidateAssign: 'Assign {name}',
    candidatesMore: 'Show {n} more people',
    needRota: 'Create a rota first (in the "Rotas" part below).',
    assignedGap: '{name} is on it: {when}',
    navAutofill: 'Auto-fill',
    autofill: 'Auto-fill',
    autofillText: 'Fills the shifts still short of people by the fairness rule: a dry run first, saved only when you say so.',
    autofillRota: 'Rota',
    autofillFrom: 'From',
    autofillTo: 'To',
    autofillWeek: 'To this Sunday',
    autofillMonth: 'To the end of the month',
    autofillTerm: 'To the end of term (pick the date)',
    autofillDry: 'Dry run (nothing saved yet)',
    autofillProposal: 'Dry run: {n} assignments',
    autofillApply: 'Save these assignments',
    autofillApplied: 'Saved {n} assignments.',
    autofillSkipped: 'Skipped {n} (changed since the dry run):',
    autofillUnfilled: 'Shifts still short ({n}):',
    autofillNothing: 'No shift needs filling in this period.',
    fairnessTitle: 'Fairness (shifts per person)',
    fairnessBefore: 'Before',
    fairnessAfter: 'After',
    fairnessLine: 'most and fewest differ by {spread}, standard deviation {sd} ({people} people, {total} person-shifts)',
    colWhen: 'When',
    colPost: 'Post',
    colPerson: 'Who',
    colWhy: 'Why this person',
    navSheet: 'Duty sheet',
    sheet: 'Print and share the duty sheet',
    sheetMonth: 'Month',
    sheetPrint: 'Print the month\'s sheet',
    sheetXlsx: 'Download Excel',
    sheetText: 'Text for the chat group',
    sheetTextTitle: 'Text to paste into the chat group',
    sheetCopy: 'Copy the text',
    popupBlocked: 'The browser did not open a new window. Allow pop-ups and try again.',
  },
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** How many candidates a gap's dialog lists before "more". */
const BEST = 5;

/** The last day of the month holding `date`. */
function monthEnd(date) {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function sundayOf(date) {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, (7 - weekday) % 7);
}

function labelled(labelText, input) {
  input.id ||= `g-${Math.random().toString(36).slice(2, 8)}`;
  return h('div', {}, h('label', { for: input.id }, labelText), input);
}

function rotaSelect(ctx, name) {
  return h('select', { name }, ctx.rotas().map((r) => h('option', { value: String(r.id) }, r.name)));
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function copyText(text, area) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/**
 * Opens an HTML document (a duty sheet, a QR sheet) in a new window from a blob: URL and prints it.
 * The window is opened before the fetch, while the tap still counts as one, so pop-up blockers let
 * it through; the token stays in the request header, never in a URL.
 */
export async function openAndPrint(load) {
  const win = window.open('', '_blank');
  if (!win) {
    notify('error', t('popupBlocked'));
    return;
  }
  try {
    const blob = await load();
    const url = URL.createObjectURL(blob);
    win.location.href = url;
    win.addEventListener('load', () => win.print(), { once: true });
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    win.close();
    notify('error', errorText(error));
  }
}

// ---------- gaps and candidates ----------

function gapCard(ctx, gap, reload) {
  const where = gap.label ? `${gap.rotaName} · ${gap.label}` : gap.rotaName;
  return h(
    'li',
    { class: 'card shift-row gap', 'data-shift-id': gap.id },
    h('div', { class: 'when' }, formatWhen(gap.start, gap.end, gap.timezone)),
    h(
      'div',
      {},
      h('div', { class: 'what' }, where),
      h('div', {}, gap.people.length ? t('gapsOnIt', { names: joinNames(gap.people.map((p) => p.name)) }) : h('span', { class: 'muted' }, t('gapsNobody'))),
    ),
    h('span', { class: 'tag gap' }, '⚠ ', t('gapsMissing', { n: gap.missing })),
    h('button', { type: 'button', class: 'button primary', onclick: (e) => candidates(e.currentTarget, ctx, gap, reload) }, t('gapsFind')),
  );
}

async function candidates(button, ctx, gap, reload) {
  await busy(button, async () => {
    let answer;
    try {
      answer = await api('GET', `/shifts/${encodeURIComponent(gap.id)}/candidates?lang=${lang()}`);
    } catch (error) {
      notify('error', errorText(error));
      return;
    }
    const when = formatWhen(gap.start, gap.end, gap.timezone);
    const dialog = document.getElementById('dialog');
    const assign = (c) => async (e) => {
      await busy(e.currentTarget, async () => {
        try {
          await api('POST', `/shifts/${encodeURIComponent(gap.id)}/signups`, { personId: c.personId });
          dialog.close();
          notify('ok', t('assignedGap', { name: c.personName, when }));
          await reload();
          await ctx.changed();
        } catch (error) {
          dialog.close();
          notify('error', errorText(error));
        }
      });
    };
    const card = (c) =>
      h(
        'li',
        { class: 'card', 'data-person-id': String(c.personId) },
        h('div', { class: 'what' }, c.personName),
        h('p', { class: 'reason' }, c.reasonText),
        h('button', { type: 'button', class: 'button primary', onclick: assign(c) }, t('candidateAssign', { name: c.personName })),
      );
    // The best five first; the rest (on a big community, dozens) one tap away.
    const ranked = h('ol', { class: 'cards candidates' }, answer.candidates.slice(0, BEST).map(card));
    const rest = answer.candidates.slice(BEST);
    const more = rest.length
      ? h('button', {
          type: 'button',
          class: 'button secondary more-candidates',
          onclick: (e) => {
            const first = card(rest[0]);
            ranked.append(first, ...rest.slice(1).map(card));
            e.currentTarget.remove();
            first.querySelector('button').focus();
          },
        }, t('candidatesMore', { n: rest.length }))
      : null;
    const list = answer.candidates.length ? h('div', {}, ranked, more) : h('p', { class: 'empty' }, t('candidatesNone'));
    const excluded = answer.excluded.length
      ? h(
          'details',
          { class: 'excluded' },
          h('summary', {}, t('candidatesExcluded', { n: answer.excluded.length })),
          h('ul', {}, answer.excluded.map((x) => h('li', {}, `${x.personName}${lang() === 'zh-CN' ? '：' : ': '}${x.reasonText}`))),
        )
      : null;
    show({ title: t('candidatesTitle', { when }), content: [h('p', {}, gap.label ? `${gap.rotaName} · ${gap.label}` : gap.rotaName), list, excluded] });
  });
}

export function gapsSection(ctx) {
  const list = h('div');
  const title = h('p', { class: 'what' });
  const select = h('select', { id: 'gaps-rota' });
  const reload = async () => {
    const from = todayIn(ctx.zone());
    const to = addDays(from, 7);
    title.textContent = t('gapsWindow', { from: formatDate(from), to: formatDate(to) });
    const query = new URLSearchParams({ from, to });
    if (select.value) query.set('rotaId', select.value);
    try {
      // Only the chosen unit's rotas (issue 13): a coordinator of several units sees one at a time.
      const shown = new Set(ctx.rotas().map((r) => r.id));
      const gaps = (await api('GET', `/gaps?${query}`)).gaps.filter((g) => shown.has(g.rotaId));
      list.replaceChildren(gaps.length ? h('ul', { class: 'cards' }, gaps.map((g) => gapCard(ctx, g, reload))) : h('p', { class: 'empty' }, t('gapsNone')));
    } catch (error) {
      notify('error', errorText(error));
    }
  };
  select.addEventListener('change', reload);
  const render = (opts = {}) => {
    const chosen = opts.rotaId !== undefined ? String(opts.rotaId) : select.value;
    select.replaceChildren(h('option', { value: '' }, t('allRotas')), ...ctx.rotas().map((r) => h('option', { value: String(r.id), selected: String(r.id) === chosen }, r.name)));
    return reload();
  };
  const section = h(
    'section',
    { id: 'gaps', 'aria-labelledby': 'gaps-h' },
    h('h2', { id: 'gaps-h' }, t('gaps')),
    title,
    h('div', { class: 'week-controls' }, h('div', { class: 'filter' }, h('label', { for: 'gaps-rota' }, t('rotaFilter')), select)),
    list,
  );
  return { section, render, reload };
}

// ---------- auto-fill ----------

function fairnessBox(fairness) {
  const line = (key, s) =>
    h('li', {}, h('strong', {}, t(key)), ' ', t('fairnessLine', { spread: s.spread, sd: s.stdDev.toFixed(2), people: s.people, total: s.personShifts }));
  return h('div', { class: 'fairness' }, h('h3', {}, t('fairnessTitle')), h('ul', {}, line('fairnessBefore', fairness.before), line('fairnessAfter', fairness.after)));
}

function assignmentsTable(assignments, zone) {
  const col = (key) => h('th', { scope: 'col' }, t(key));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'assignments' },
      h('thead', {}, h('tr', {}, col('colWhen'), col('colPost'), col('colPerson'), col('colWhy'))),
      h(
        'tbody',
        {},
        assignments.map((a) =>
          h('tr', {}, h('td', { class: 'nowrap' }, `${formatDate(a.localDate)} ${formatTime(a.start, zone)}`), h('td', {}, a.label ?? ''), h('td', {}, a.personName), h('td', {}, a.reasonText)),
        ),
      ),
    ),
  );
}

export function autofillSection(ctx) {
  const rota = rotaSelect(ctx, 'rota');
  const from = h('input', { type: 'date', name: 'from', required: true });
  const to = h('input', { type: 'date', name: 'to', required: true });
  const result = h('div', { class: 'autofill-result', 'aria-live': 'polite' });
  const zone = () => ctx.rotas().find((r) => String(r.id) === rota.value)?.timezone ?? ctx.zone();
  const setTo = (fn) => () => {
    from.value = todayIn(zone());
    to.value = fn(from.value);
  };
  const quick = (key, fn) => h('button', { type: 'button', class: 'button secondary', onclick: setTo(fn) }, t(key));
  const termButton = h('button', {
    type: 'button',
    class: 'button secondary',
    onclick: () => {
      from.value = todayIn(zone());
      to.focus();
    },
  }, t('autofillTerm'));
  const dry = h('button', { type: 'submit', class: 'button primary' }, t('autofillDry'));
  const form = h(
    'form',
    { id: 'autofill-form' },
    labelled(t('autofillRota'), rota),
    h('div', { class: 'buttons' }, quick('autofillWeek', sundayOf), quick('autofillMonth', monthEnd), termButton),
    h('div', { class: 'fields' }, labelled(t('autofillFrom'), from), labelled(t('autofillTo'), to)),
    h('div', { class: 'buttons' }, dry),
  );

  const showResult = (answer, applied) => {
    const z = zone();
    const parts = [];
    if (applied) {
      parts.push(h('p', { class: 'what' }, t('autofillApplied', { n: answer.assignments.length })));
      if (answer.skipped.length) {
        parts.push(h('p', { class: 'warning' }, t('autofillSkipped', { n: answer.skipped.length })), h('ul', { class: 'skipped' }, answer.skipped.map((s) => h('li', {}, `${formatDay(s.start, z)} ${formatTime(s.start, z)} ${s.personName}: ${s.reasonText}`))));
      }
    } else {
      parts.push(h('h3', {}, t('autofillProposal', { n: answer.assignments.length })));
    }
    // The fairness summary and the save button travel together, and stay in view while the table scrolls.
    const summary = h('div', { class: 'autofill-summary' }, fairnessBox(answer.fairness));
    parts.push(summary);
    if (answer.assignments.length) parts.push(assignmentsTable(answer.assignments, z));
    else if (!applied) parts.push(h('p', { class: 'empty' }, t('autofillNothing')));
    if (answer.unfilled.length) {
      parts.push(h('p', { class: 'warning' }, t('autofillUnfilled', { n: answer.unfilled.length })), h('ul', {}, answer.unfilled.map((u) => h('li', {}, `${formatDay(u.start, z)} ${formatTime(u.start, z)} ${u.label ?? ''} — ${t('gapsMissing', { n: u.missing })}`))));
    }
    if (!applied && answer.assignments.length) {
      const apply = h('button', { type: 'button', class: 'button primary' }, t('autofillApply'));
      apply.addEventListener('click', () =>
        busy(apply, async () => {
          try {
            const done = await api('POST', `/rotas/${answer.rotaId}/autofill?lang=${lang()}`, { proposalId: answer.proposalId });
            showResult(done, true);
            notify('ok', t('autofillApplied', { n: done.assignments.length }));
            await ctx.changed();
          } catch (error) {
            notify('error', errorText(error));
          }
        }),
      );
      summary.append(h('div', { class: 'buttons' }, apply));
    }
    result.replaceChildren(...parts);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(dry, async () => {
      if (!rota.value) return notify('error', t('needRota'));
      try {
        showResult(await api('POST', `/rotas/${rota.value}/autofill?lang=${lang()}`, { from: from.value, to: to.value, dryRun: true }), false);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });
  const section = h('section', { id: 'autofill', 'aria-labelledby': 'autofill-h' }, h('h2', { id: 'autofill-h' }, t('autofill')), h('p', {}, t('autofillText')), form, result);
  const render = (opts = {}) => {
    const chosen = opts.rotaId !== undefined ? String(opts.rotaId) : rota.value;
    rota.replaceChildren(...ctx.rotas().map((r) => h('option', { value: String(r.id), selected: String(r.id) === chosen }, r.name)));
    if (!from.value) setTo(monthEnd)();
  };
  return { section, render };
}

// ---------- duty sheets ----------

export function sheetSection(ctx) {
  const rota = rotaSelect(ctx, 'rota');
  const month = h('input', { type: 'month', name: 'month', required: true });
  const query = (format) => {
    const from = `${month.value}-01`;
    return new URLSearchParams({ format, from, to: monthEnd(from), lang: lang() });
  };
  const path = (format) => `/rotas/${rota.value}/sheet?${query(format)}`;
  /** Runs a button's action once a rota exists; before that, says to create one. */
  const withRota = (fn) => (e) => (rota.value ? fn(e) : notify('error', t('needRota')));
  const print = h('button', { type: 'button', class: 'button primary', onclick: withRota(() => openAndPrint(() => apiBlob('GET', path('html')))) }, t('sheetPrint'));
  const xlsx = h('button', {
    type: 'button',
    class: 'button secondary',
    onclick: withRota((e) =>
      busy(e.currentTarget, async () => {
        try {
          download(await apiBlob('GET', path('xlsx'), { accept: XLSX }), `duty-sheet-${rota.value}-${month.value}.xlsx`);
        } catch (error) {
          notify('error', errorText(error));
        }
      })),
  }, t('sheetXlsx'));
  const text = h('button', {
    type: 'button',
    class: 'button secondary',
    onclick: withRota((e) =>
      busy(e.currentTarget, async () => {
        try {
          const body = await (await apiBlob('GET', path('text'))).text();
          const area = h('textarea', { id: 'sheet-text', readOnly: true, rows: '12', class: 'sheet-text' });
          area.value = body;
          const status = h('span', { class: 'copy-status', role: 'status' });
          const copy = h('button', { type: 'button', class: 'button primary', onclick: async () => (status.textContent = (await copyText(body, area)) ? t('copied') : t('copyFailed')) }, t('sheetCopy'));
          show({ title: t('sheetTextTitle'), content: [h('label', { for: 'sheet-text' }, t('sheetTextTitle')), area, h('div', { class: 'buttons' }, copy, status)] });
        } catch (error) {
          notify('error', errorText(error));
        }
      })),
  }, t('sheetText'));
  const section = h(
    'section',
    { id: 'sheet', 'aria-labelledby': 'sheet-h' },
    h('h2', { id: 'sheet-h' }, t('sheet')),
    h('div', { class: 'fields' }, labelled(t('autofillRota'), rota), labelled(t('sheetMonth'), month)),
    h('div', { class: 'buttons' }, print, xlsx, text),
  );
  const render = (opts = {}) => {
    const chosen = opts.rotaId !== undefined ? String(opts.rotaId) : rota.value;
    rota.replaceChildren(...ctx.rotas().map((r) => h('option', { value: String(r.id), selected: String(r.id) === chosen }, r.name)));
    if (!month.value) month.value = todayIn(ctx.zone()).slice(0, 7);
  };
  return { section, render };
}

