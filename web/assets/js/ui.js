// Small DOM helpers shared by the pages: elements, the notice bar, the yes/no dialog, links to
// copy, QR codes, and refusals in plain words.
import { apiBlob } from './api.js';
import { hasText, t } from './i18n.js';

/** Creates an element; text children become text nodes, so names are never read as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** The refusal in plain words, from the API's reason code. */
export function errorText(error) {
  const code = error?.code ?? 'OTHER';
  if (code === 'VALIDATION') {
    // The server names the field in English; the page names it in its own language.
    const field = String(error?.details?.field ?? '').split('.')[0];
    return hasText(`field_${field}`) ? t('err_VALIDATION_field', { field: t(`field_${field}`) }) : t('err_VALIDATION_plain', { message: error?.message ?? '' });
  }
  const key = `err_${code}`;
  const text = t(key, { message: error?.message ?? '' });
  return text === key ? t('err_OTHER') : text;
}

/** Shows a message at the top of the page until the next one (or until closed). */
export function notify(kind, text) {
  const bar = document.getElementById('notice');
  bar.replaceChildren(
    h('p', { class: 'notice-text' }, kind === 'ok' ? '✓ ' : '⚠ ', text),
    h('button', { type: 'button', class: 'notice-close', 'aria-label': t('close'), onclick: () => bar.replaceChildren() }, '×'),
  );
  bar.className = `notice notice-${kind}`;
  bar.focus({ preventScroll: true });
  bar.scrollIntoView({ block: 'nearest' });
}

/**
 * Asks a yes/no question in a dialog; `content` is extra detail (a shift's date and place).
 * Resolves true for yes. Escape or "no" resolve false.
 */
export function ask({ question, content = [], yes, danger = false }) {
  const dialog = document.getElementById('dialog');
  return new Promise((resolve) => {
    const finish = (answer) => {
      dialog.close();
      resolve(answer);
    };
    dialog.replaceChildren(
      h('h2', { id: 'dialog-title' }, question),
      h('div', { class: 'dialog-body' }, content),
      h(
        'div',
        { class: 'dialog-buttons' },
        h('button', { type: 'button', class: danger ? 'button danger' : 'button primary', onclick: () => finish(true) }, yes),
        h('button', { type: 'button', class: 'button secondary', onclick: () => finish(false) }, t('cancel')),
      ),
    );
    dialog.setAttribute('aria-labelledby', 'dialog-title');
    dialog.onclose = () => resolve(false);
    dialog.showModal();
  });
}

/** Shows content in the dialog with a single close button. */
export function show({ title, content }) {
  const dialog = document.getElementById('dialog');
  dialog.replaceChildren(
    h('h2', { id: 'dialog-title' }, title),
    h('div', { class: 'dialog-body' }, content),
    h('div', { class: 'dialog-buttons' }, h('button', { type: 'button', class: 'button secondary', onclick: () => dialog.close() }, t('close'))),
  );
  dialog.setAttribute('aria-labelledby', 'dialog-title');
  dialog.onclose = null;
  dialog.showModal();
}

async function copy(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http (a community's own network) has no clipboard API: select and copy instead.
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

let linkBoxes = 0;

/** A link in a read-only box with a big copy button. */
export function linkBox(url, labelText) {
  const id = `link-${++linkBoxes}`;
  const input = h('input', { id, type: 'text', readOnly: true, value: url, class: 'link-input', spellcheck: 'false' });
  const status = h('span', { class: 'copy-status', role: 'status' });
  return h(
    'div',
    { class: 'link-box' },
    h('label', { for: id }, labelText),
    input,
    h('button', {
      type: 'button',
      class: 'button secondary',
      onclick: async () => {
        status.textContent = (await copy(url, input)) ? t('copied') : t('copyFailed');
      },
    }, t('copy')),
    status,
  );
}

/** A QR code for one of the service's own links, drawn by the server as SVG. */
export function qrCode(url, what) {
  const box = h('div', { class: 'qr', role: 'img', 'aria-label': t('qrLabel', { what }) });
  apiBlob('POST', '/qr', { body: { text: url } })
    .then((blob) => blob.text())
    .then((text) => {
      const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
      svg.setAttribute('aria-hidden', 'true');
      svg.setAttribute('focusable', 'false');
      box.replaceChildren(document.importNode(svg, true));
    })
    .catch(() => box.remove());
  return box;
}

/**
 * Runs an action from a button: the button is disabled until the answer comes, so a double tap
 * sends one request. Refusals are shown as a notice in plain words.
 */
export async function busy(button, fn) {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
