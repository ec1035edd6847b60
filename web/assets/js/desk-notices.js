// The desk's outbox (issue 8): notices pending, sent and failed, with a retry for the failed ones,
// and where a rota's notices go (its group robot or webhook; the address is only ever shown masked).
import { api } from './api.js';
import { addStrings, t } from './i18n.js';
import { busy, errorText, h, notify } from './ui.js';

addStrings({
  'zh-CN': {
    navNotices: '通知',
    noticesTitle: '通知发件箱',
    noticesShow: '显示',
    noticesAll: '全部',
    notices_pending: '待发送',
    notices_sent: '已发送',
    notices_failed: '发送失败',
    noticesNone: '没有这类通知。',
    noticesRefresh: '刷新',
    noticesRetry: '重新发送',
    noticesRetried: '已重新排队，稍后发送。',
    noticesTo: '发给',
    noticesGroup: '群',
    noticesAttempts: '试了 {n} 次',
    colNoticeTime: '时间',
    colNoticeTo: '发给',
    colNoticeText: '内容',
    colNoticeStatus: '状态',
    channelTitle: '值班表的群通知',
    channelRota: '值班表',
    channelNow: '现在：{kind} {url}',
    channelNone: '现在：不发到群',
    channelSecretSet: '（已设签名密钥）',
    channelKind: '发到',
    channel_none: '不发',
    channel_wecom: '企业微信群机器人',
    channel_dingtalk: '钉钉群机器人',
    channel_webhook: 'Webhook（JSON）',
    channelUrl: '机器人地址（Webhook）',
    channelSecret: '签名密钥（可不填）',
    channelRosterAt: '每天几点发明天的值班（可不填）',
    channelSave: '保存',
    channelSaved: '已保存。地址只显示一部分。',
  },
  en: {
    navNotices: 'Notices',
    noticesTitle: 'Notices outbox',
    noticesShow: 'Show',
    noticesAll: 'All',
    notices_pending: 'Pending',
    notices_sent: 'Sent',
    notices_failed: 'Failed',
    noticesNone: 'No notices of this kind.',
    noticesRefresh: 'Refresh',
    noticesRetry: 'Send again',
    noticesRetried: 'Queued again; it will go out shortly.',
    noticesTo: 'To',
    noticesGroup: 'group',
    noticesAttempts: '{n} tries',
    colNoticeTime: 'When',
    colNoticeTo: 'To',
    colNoticeText: 'Message',
    colNoticeStatus: 'Status',
    channelTitle: 'Group notices of a rota',
    channelRota: 'Rota',
    channelNow: 'Now: {kind} {url}',
    channelNone: 'Now: no group',
    channelSecretSet: '(signing secret set)',
    channelKind: 'Send to',
    channel_none: 'Nowhere',
    channel_wecom: 'WeChat Work group robot',
    channel_dingtalk: 'DingTalk group robot',
    channel_webhook: 'Webhook (JSON)',
    channelUrl: 'Robot address (webhook URL)',
    channelSecret: 'Signing secret (optional)',
    channelRosterAt: "Daily post of tomorrow's duties at (optional)",
    channelSave: 'Save',
    channelSaved: 'Saved. The address is shown only in part.',
  },
});

function field(id, labelKey, input) {
  input.id = id;
  return h('div', {}, h('label', { for: id }, t(labelKey)), input);
}

/** "2026-03-02 10:00", read from a time that carries its rota's offset: the rota's local time. */
const localTime = (iso) => iso.slice(0, 16).replace('T', ' ');

export function noticesSection(ctx) {
  const status = h('select', { id: 'notices-status' }, h('option', { value: '' }, t('noticesAll')), ['pending', 'sent', 'failed'].map((s) => h('option', { value: s }, t(`notices_${s}`))));
  const refresh = h('button', { type: 'button', class: 'button' }, t('noticesRefresh'));
  const list = h('div', { class: 'table-wrap', 'aria-live': 'polite' });

  const rota = h('select', {});
  const current = h('p', { class: 'channel-now' });
  const kind = h('select', {}, ['none', 'wecom', 'dingtalk', 'webhook'].map((k) => h('option', { value: k }, t(`channel_${k}`))));
  const url = h('input', { type: 'url', maxlength: '2000', autocomplete: 'off' });
  const secret = h('input', { type: 'password', maxlength: '500', autocomplete: 'off' });
  const rosterAt = h('input', { type: 'time' });
  const save = h('button', { type: 'submit', class: 'button primary' }, t('channelSave'));
  const form = h(
    'form',
    { id: 'channel-form' },
    h('div', { class: 'fields' }, field('channel-rota', 'channelRota', rota), field('channel-kind', 'channelKind', kind), field('channel-url', 'channelUrl', url), field('channel-secret', 'channelSecret', secret), field('channel-roster', 'channelRosterAt', rosterAt)),
    current,
    h('div', { class: 'buttons' }, save),
  );

  let notices = [];

  function personName(id) {
    return ctx.people().find((p) => p.id === id)?.name ?? `#${id}`;
  }

  function renderList() {
    if (notices.length === 0) {
      list.replaceChildren(h('p', { class: 'muted' }, t('noticesNone')));
      return;
    }
    const rotaName = (id) => ctx.rotas().find((r) => r.id === id)?.name ?? `#${id}`;
    list.replaceChildren(
      h(
        'table',
        { class: 'notices' },
        h('thead', {}, h('tr', {}, ['colNoticeTime', 'colNoticeTo', 'colNoticeText', 'colNoticeStatus', null].map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
        h(
          'tbody',
          {},
          notices.map((n) =>
            h(
              'tr',
              { 'data-notice-id': String(n.id), 'data-status': n.status },
              h('td', {}, localTime(n.sentAt ?? n.createdAt)),
              h('td', {}, n.personId === null ? `${rotaName(n.rotaId)} · ${t('noticesGroup')}` : personName(n.personId)),
              h('td', { class: 'notice-text' }, n.text),
              h('td', {}, h('span', { class: `status status-${n.status}` }, t(`notices_${n.status}`)), n.attempts > 1 ? ` · ${t('noticesAttempts', { n: n.attempts })}` : '', n.lastError ? h('div', { class: 'warning' }, n.lastError) : null),
              h('td', {}, n.status === 'failed' ? h('button', { type: 'button', class: 'button', onclick: (event) => retry(event.currentTarget, n) }, t('noticesRetry')) : null),
            ),
          ),
        ),
      ),
    );
  }

  async function reload() {
    try {
      notices = (await api('GET', `/notices${status.value ? `?status=${status.value}` : ''}`)).notices;
    } catch (error) {
      notify('error', errorText(error));
      return;
    }
    renderList();
  }

  function retry(button, n) {
    busy(button, async () => {
      try {
        await api('POST', `/notices/${n.id}/retry`);
        notify('ok', t('noticesRetried'));
      } catch (error) {
        notify('error', errorText(error));
      }
      await reload();
    });
  }

  function showChannel(c) {
    current.textContent = c.kind ? `${t('channelNow', { kind: t(`channel_${c.kind}`), url: c.url })}${c.secretSet ? ` ${t('channelSecretSet')}` : ''}` : t('channelNone');
    kind.value = c.kind ?? 'none';
    rosterAt.value = c.rosterAt ?? '';
  }

  async function loadChannel() {
    if (!rota.value) return;
    try {
      showChannel(await api('GET', `/rotas/${rota.value}/channel`));
    } catch (error) {
      notify('error', errorText(error));
    }
  }

  status.addEventListener('change', reload);
  refresh.addEventListener('click', () => busy(refresh, reload));
  rota.addEventListener('change', loadChannel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(save, async () => {
      if (!rota.value) return notify('error', t('needRota'));
      // The address is never sent back whole, so it is typed again to change it.
      const body = kind.value === 'none' ? { kind: 'none' } : { kind: kind.value, url: url.value.trim(), secret: secret.value || null };
      try {
        showChannel(await api('PUT', `/rotas/${rota.value}/channel`, { ...body, rosterAt: rosterAt.value || null }));
        url.value = '';
        secret.value = '';
        notify('ok', t('channelSaved'));
      } catch (error) {
        notify('error', errorText(error));
      }
    });
  });

  const section = h(
    'section',
    { id: 'notices', 'aria-labelledby': 'notices-h' },
    h('h2', { id: 'notices-h' }, t('noticesTitle')),
    h('div', { class: 'fields' }, field('notices-status', 'noticesShow', status), h('div', { class: 'buttons' }, refresh)),
    list,
    h('h3', {}, t('channelTitle')),
    form,
  );

  const render = async (opts = {}) => {
    const chosen = opts.rotaId !== undefined ? String(opts.rotaId) : rota.value;
    rota.replaceChildren(...ctx.rotas().map((r) => h('option', { value: String(r.id), selected: String(r.id) === chosen }, r.name)));
    await Promise.all([reload(), loadChannel()]);
  };
  return { section, render, reload };
}
