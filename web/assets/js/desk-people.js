// The desk's people: the list with teams and a new link for each, a person or team added by hand,
// the bulk import of a pasted list or a CSV file (preview, then everyone at once), and a printable
// sheet of personal QR links for captains who do not use links well.
import { api, apiBlob } from './api.js';
import { addStrings, joinNames, lang, t } from './i18n.js';
import { openAndPrint } from './desk-gaps.js';
import { ask, busy, errorText, h, linkBox, notify, qrCode, show } from './ui.js';

addStrings({
  'zh-CN': {
    navImport: '批量导入',
    importTitle: '批量导入人员',
    importText: '每行一个人：姓名，可加“, 电话”和“, 楼栋”。也可以选一个 CSV 文件（列名：name, phone, email, team, locale）。',
    importBox: '名单',
    importFile: '或者选 CSV 文件',
    importPreview: '先看看',
    importRun: '导入这 {n} 个人',
    importPreviewTitle: '将导入 {n} 个人',
    importInto: '导入到：{name}',
    importNewTeams: '会新建这些楼栋：{names}',
    importSameName: '已有同名的人',
    importDone: '已导入 {n} 个人。下面是他们的个人链接（只显示这一次）。',
    importRefused: '没有导入任何人。请改好下面这些行再试：',
    colLine: '行',
    colPhone: '电话',
    colTeam: '楼栋',
    colNote: '备注',
    qrSheetNew: '打印这些人的二维码卡片',
    qrSheetTitle: '打印个人二维码卡片',
    qrSheetText: '给不会用链接的楼长：每人一张卡片，扫码就能打开自己的值班页面。',
    qrSheetTeam: '打印哪些人',
    qrSheetAll: '所有人',
    qrSheetButton: '换新链接并打印二维码卡片（旧链接会失效）',
    qrSheetQ: '给 {n} 个人换新链接并打印？',
    qrSheetWarn: '打印时会给每个人发一个新链接，他们以前的链接马上失效。请把新卡片发给他们。',
    qrSheetYes: '是的，换新链接并打印',
    qrSheetNobody: '这里没有人。',
    qrCardScan: '用手机扫码，打开我的值班',
    qrSheetDocTitle: '个人值班链接',
    teams: '小组',
    addPerson: '新增人员',
    personName: '姓名',
    personPhone: '电话（可不填）',
    personLang: '语言',
    personRole: '身份',
    roleVolunteer: '志愿者',
    roleCoordinator: '协调员',
    personTeam: '小组（可不填）',
    noTeam: '不选',
    savePerson: '新增',
    search: '按姓名查找',
    newLink: '新链接',
    newLinkQ: '给 {name} 换一个新的个人链接？旧链接会马上失效。',
    newLinkYes: '是的，换新链接',
    linkFor: '{name} 的个人链接',
    linkOnce: '这个链接只显示这一次。请现在复制，或让对方扫码，然后发给 {name}。',
    personAdded: '已新增 {name}。',
    addTeam: '新增小组',
    teamName: '小组名称（例如：3栋）',
    saveTeam: '新增',
    teamAdded: '已新增小组 {name}。',
    members: '{n} 人',
    colName: '姓名',
    colTeams: '小组',
    colRole: '身份',
    colLink: '链接',
  },
  en: {
    navImport: 'Import',
    importTitle: 'Import people',
    importText: 'One person a line: a name, optionally ", phone" and ", building". Or choose a CSV file (columns: name, phone, email, team, locale).',
    importBox: 'The list',
    importFile: 'Or choose a CSV file',
    importPreview: 'Preview',
    importRun: 'Import these {n} people',
    importPreviewTitle: '{n} people will be imported',
    importInto: 'Into: {name}',
    importNewTeams: 'These buildings will be created: {names}',
    importSameName: 'someone has this name already',
    importDone: 'Imported {n} people. Their personal links are below (shown only this once).',
    importRefused: 'Nobody was imported. Fix these rows and try again:',
    colLine: 'Line',
    colPhone: 'Phone',
    colTeam: 'Building',
    colNote: 'Note',
    qrSheetNew: 'Print QR cards for these people',
    qrSheetTitle: 'Print personal QR cards',
    qrSheetText: 'For captains who do not use links well: one card each; scanning it opens their own page.',
    qrSheetTeam: 'Whose cards',
    qrSheetAll: 'Everyone',
    qrSheetButton: 'New links and print QR cards (old links stop working)',
    qrSheetQ: 'New links for {n} people, and print them?',
    qrSheetWarn: 'Printing gives each person a new link; their old link stops working at once. Hand them the new cards.',
    qrSheetYes: 'Yes, new links and print',
    qrSheetNobody: 'Nobody here.',
    qrCardScan: 'Scan with your phone to open your duties',
    qrSheetDocTitle: 'Personal links',
    teams: 'Teams',
    addPerson: 'Add a person',
    personName: 'Name',
    personPhone: 'Phone (optional)',
    personLang: 'Language',
    personRole: 'Role',
    roleVolunteer: 'Volunteer',
    roleCoordinator: 'Coordinator',
    personTeam: 'Team (optional)',
    noTeam: 'None',
    savePerson: 'Add',
    search: 'Find by name',
    newLink: 'New link',
    newLinkQ: 'Give {name} a new personal link? The old link stops working at once.',
    newLinkYes: 'Yes, make a new link',
    linkFor: 'Personal link for {name}',
    linkOnce: 'This link is shown only now. Copy it or let them scan it, then send it to {name}.',
    personAdded: '{name} was added.',
    addTeam: 'Add a team',
    teamName: 'Team name (e.g. Building 3)',
    saveTeam: 'Add',
    teamAdded: 'The team {name} was added.',
    members: '{n} people',
    colName: 'Name',
    colTeams: 'Teams',
    colRole: 'Role',
    colLink: 'Link',
  },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One card per person: name, building, the QR code of their link, and the link in text. */
async function qrSheet(cards) {
  const svgs = await Promise.all(cards.map(async (c) => (await apiBlob('POST', '/qr', { body: { text: c.url } })).text()));
  const body = cards
    .map(
      (c, i) =>
        `<section class="card"><h2>${escape(c.name)}</h2><p class="team">${escape(c.team ?? '')}</p>` +
        `<div class="qr">${svgs[i].replace(/^<\?xml[^>]*>/, '')}</div><p>${escape(t('qrCardScan'))}</p><p class="link">${escape(c.url)}</p></section>`,
    )
    .join('');
  const html =
    `<!doctype html><html lang="${lang()}"><head><meta charset="utf-8"><title>${escape(t('qrSheetDocTitle'))}</title><style>` +
    '@page{size:A4;margin:10mm}body{font-family:sans-serif;margin:0;display:grid;grid-template-columns:1fr 1fr;gap:6mm}' +
    '.card{border:1px dashed #555;padding:5mm;break-inside:avoid;text-align:center}h2{font-size:22pt;margin:0}.team{font-size:16pt;margin:2mm 0}' +
    '.qr svg{width:45mm;height:45mm}.link{font-family:monospace;font-size:8pt;word-break:break-all}' +
    `</style></head><body>${body}</body></html>`;
  return new Blob([html], { type: 'text/html' });
}

function table(headers, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', {}, h('thead', {}, h('tr', {}, headers.map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c ?? '')))))),
  );
}

export function importSection(ctx) {
  const box = h('textarea', { id: 'import-text', rows: '8', class: 'import-text' });
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv' });
  const out = h('div', { 'aria-live': 'polite' });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    // Read as UTF-8; the parser drops the byte-order mark Excel writes.
    if (chosen) box.value = await chosen.text();
  });
  const refused = (error) => {
    if (error.code === 'VALIDATION' && Array.isArray(error.details.problems)) {
      out.replaceChildren(h('p', { class: 'warning' }, t('importRefused')), h('ul', { class: 'problems' }, error.details.problems.map((p) => h('li', {}, p.message))));
    } else notify('error', errorText(error));
  };
  const preview = h('button', { type: 'submit', class: 'button primary' }, t('importPreview'));
  const form = h(
    'form',
    { id: 'import-form' },
    h('p', {}, t('importText')),
    h('div', {}, h('label', { for: 'import-text' }, t('importBox')), box),
    h('div', {}, h('label', { for: 'import-file' }, t('importFile')), file),
    h('div', { class: 'buttons' }, preview),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(preview, async () => {
      const text = box.value;
      let plan;
      try {
        plan = await api('POST', '/people/import', { text, dryRun: true, ...ctx.unitBody() });
      } catch (error) {
        refused(error);
        return;
      }
      const run = h('button', { type: 'button', class: 'button primary' }, t('importRun', { n: plan.people.length }));
      run.addEventListener('click', () => busy(run, () => runImport(text)));
      out.replaceChildren(
        h('h3', {}, t('importPreviewTitle', { n: plan.people.length })),
        ctx.unit() ? h('p', { class: 'import-into' }, t('importInto', { name: ctx.unit().name })) : null,
        plan.newTeams.length ? h('p', {}, t('importNewTeams', { names: plan.newTeams.join(lang() === 'zh-CN' ? '、' : ', ') })) : null,
        table(['colLine', 'colName', 'colPhone', 'colTeam', 'colNote'], plan.people.map((p) => [String(p.line), p.name, p.phone, p.team, p.sameNameExists ? t('importSameName') : ''])),
        h('div', { class: 'buttons' }, run),
      );
    });
  });

  async function runImport(text) {
    let done;
    try {
      done = await api('POST', '/people/import', { text, ...ctx.unitBody() });
    } catch (error) {
      refused(error);
      return;
    }
    box.value = '';
    notify('ok', t('importDone', { n: done.people.length }));
    const cards = done.people.map((p) => ({ name: p.name, team: p.team, url: p.accessUrl }));
    const print = h('button', { type: 'button', class: 'button primary', onclick: () => openAndPrint(() => qrSheet(cards)) }, t('qrSheetNew'));
    out.replaceChildren(
      h('p', { class: 'what' }, t('importDone', { n: done.people.length })),
      h('div', { class: 'buttons' }, print),
      table(['colName', 'colTeam', 'colLink'], done.people.map((p) => [p.name, p.team, h('input', { type: 'text', readOnly: true, value: p.accessUrl, class: 'link-input', 'aria-label': p.name })])),
    );
    ctx.linkShown();
    // The links first: the other sections (the report among them) may take a moment to refresh.
    await ctx.peopleChanged();
  }

  const section = h('section', { id: 'import', 'aria-labelledby': 'import-h' }, h('h2', { id: 'import-h' }, t('importTitle')), form, out);
  return { section, render: () => {} };
}

export function qrCardsSection(ctx) {
  const team = h('select', { id: 'qr-team' });
  const button = h('button', { type: 'button', class: 'button danger' }, t('qrSheetButton'));
  button.addEventListener('click', () =>
    busy(button, async () => {
      const people = ctx.people().filter((p) => !team.value || p.teamIds.includes(Number(team.value)));
      if (people.length === 0) return notify('error', t('qrSheetNobody'));
      const yes = await ask({ question: t('qrSheetQ', { n: people.length }), content: [h('p', { class: 'warning' }, t('qrSheetWarn'))], yes: t('qrSheetYes'), danger: true });
      if (!yes) return;
      const teamName = new Map(ctx.teams().map((x) => [x.id, x.name]));
      ctx.qrPrinted();
      await openAndPrint(async () => {
        const cards = [];
        for (const p of people) {
          const issued = await api('POST', `/people/${p.id}/tokens`, { kind: 'access' });
          cards.push({ name: p.name, team: teamName.get(p.homeTeamId ?? p.teamIds[0]) ?? '', url: issued.accessUrl });
        }
        return qrSheet(cards);
      });
    }),
  );
  const section = h(
    'section',
    { id: 'qr-cards', 'aria-labelledby': 'qr-cards-h' },
    h('h2', { id: 'qr-cards-h' }, t('qrSheetTitle')),
    h('p', {}, t('qrSheetText')),
    h('div', {}, h('label', { for: 'qr-team' }, t('qrSheetTeam')), team),
    h('p', { class: 'warning' }, t('qrSheetWarn')),
    h('div', { class: 'buttons' }, button),
  );
  const render = () => {
    const chosen = team.value;
    team.replaceChildren(h('option', { value: '' }, t('qrSheetAll')), ...ctx.teams().map((x) => h('option', { value: String(x.id), selected: String(x.id) === chosen }, x.name)));
  };
  return { section, render };
}

// ---------- the list, one person, one team ----------

function field(labelKey, input) {
  input.id ||= `p-${labelKey}-${Math.random().toString(36).slice(2, 8)}`;
  return h('div', {}, h('label', { for: input.id, 'data-i18n': labelKey }, t(labelKey)), input);
}

/** A new personal link, shown this once with its QR code (and a warning when nobody else can open it). */
function showLink(ctx, name, url) {
  ctx.linkShown();
  show({
    title: t('linkFor', { name }),
    content: [
      h('p', {}, t('linkOnce', { name })),
      ctx.localLinks() ? h('p', { class: 'warning local-links' }, t('localLinksWarn')) : null,
      linkBox(url, t('linkFor', { name })),
      qrCode(url, t('linkFor', { name })),
    ],
  });
}

export function peopleSection(ctx) {
  let filter = '';
  const body = h('tbody');
  const teamSelect = h('select', { name: 'team' });
  const teamList = h('ul');
  const search = h('input', {
    type: 'search',
    oninput: (e) => {
      filter = e.currentTarget.value;
      render();
    },
  });

  async function newLink(button, person) {
    await busy(button, async () => {
      const yes = await ask({ question: t('newLinkQ', { name: person.name }), yes: t('newLinkYes'), danger: true });
      if (!yes) return;
      try {
        const issued = await api('POST', `/people/${person.id}/tokens`, { kind: 'access' });
        showLink(ctx, person.name, issued.accessUrl);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  }

  const addPerson = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'savePerson' }, t('savePerson'));
  const personForm = h(
    'form',
    { id: 'new-person-form' },
    field('personName', h('input', { type: 'text', name: 'name', required: true, maxlength: '200' })),
    field('personPhone', h('input', { type: 'tel', name: 'phone', maxlength: '40' })),
    field('personLang', h('select', { name: 'locale' }, h('option', { value: 'zh-CN', selected: lang() === 'zh-CN' }, '中文'), h('option', { value: 'en', selected: lang() === 'en' }, 'English'))),
    field(
      'personRole',
      h('select', { name: 'role' }, h('option', { value: 'volunteer', 'data-i18n': 'roleVolunteer' }, t('roleVolunteer')), h('option', { value: 'coordinator', 'data-i18n': 'roleCoordinator' }, t('roleCoordinator'))),
    ),
    field('personTeam', teamSelect),
    addPerson,
  );
  personForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(addPerson, async () => {
      const f = personForm.elements;
      const person = { name: f.name.value.trim(), locale: f.locale.value, role: f.role.value, ...ctx.unitBody() };
      if (f.phone.value.trim()) person.phone = f.phone.value.trim();
      if (f.team.value) person.teamIds = [Number(f.team.value)];
      try {
        const created = await api('POST', '/people', person);
        personForm.reset();
        await ctx.peopleChanged();
        notify('ok', t('personAdded', { name: created.name }));
        showLink(ctx, created.name, created.accessUrl);
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });

  const addTeam = h('button', { type: 'submit', class: 'button primary', 'data-i18n': 'saveTeam' }, t('saveTeam'));
  const teamForm = h('form', { id: 'new-team-form' }, field('teamName', h('input', { type: 'text', name: 'name', required: true, maxlength: '200' })), addTeam);
  teamForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(addTeam, async () => {
      const name = teamForm.elements.name.value.trim();
      try {
        await api('POST', '/teams', { name });
        teamForm.reset();
        await ctx.peopleChanged();
        notify('ok', t('teamAdded', { name }));
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });

  function render() {
    const teamName = new Map(ctx.teams().map((team) => [team.id, team.name]));
    const needle = filter.trim().toLowerCase();
    const rows = ctx.people().filter((p) => !needle || p.name.toLowerCase().includes(needle));
    body.replaceChildren(
      ...rows.map((p) =>
        h(
          'tr',
          { 'data-person-id': String(p.id) },
          h('td', {}, p.name),
          h('td', {}, joinNames(p.teamIds.map((id) => teamName.get(id) ?? id))),
          h('td', {}, t(p.role === 'coordinator' ? 'roleCoordinator' : 'roleVolunteer')),
          h('td', {}, h('button', { type: 'button', class: 'button secondary', onclick: (e) => newLink(e.currentTarget, p) }, t('newLink'))),
        ),
      ),
    );
    const chosen = teamSelect.value;
    teamSelect.replaceChildren(h('option', { value: '' }, t('noTeam')), ...ctx.teams().map((team) => h('option', { value: String(team.id), selected: String(team.id) === chosen }, team.name)));
    teamList.replaceChildren(...ctx.teams().map((team) => h('li', {}, `${team.name} — ${t('members', { n: team.memberIds.length })}`)));
  }

  const col = (key) => h('th', { scope: 'col', 'data-i18n': key }, t(key));
  const heading = (level, key, attrs = {}) => h(level, { 'data-i18n': key, ...attrs }, t(key));
  const section = h(
    'section',
    { id: 'people', 'aria-labelledby': 'people-h' },
    heading('h2', 'navPeople', { id: 'people-h' }),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        {},
        heading('h3', 'people'),
        field('search', search),
        h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, col('colName'), col('colTeams'), col('colRole'), col('colLink'))), body)),
        h('details', { id: 'add-person' }, h('summary', { 'data-i18n': 'addPerson' }, t('addPerson')), personForm),
      ),
      h('div', {}, heading('h3', 'teams'), teamList, h('details', {}, h('summary', { 'data-i18n': 'addTeam' }, t('addTeam')), teamForm)),
    ),
  );
  return { section, render, keep: true };
}
