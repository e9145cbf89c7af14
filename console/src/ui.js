// The console's shared controls: the confirmation of what cannot be undone, a button that runs an API
// call, an error's Chinese text, and the upload of a file to a presigned S3 POST.
import { get } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

// An API error in the user's language: the message of its code (messages.json `errcode.<code>`), the
// fields it names through their labels (`field.<name>`); an unknown code shows the code itself, never
// the API's English prose.
export function errorText(err) {
  if (err?.refusal) return err.message;
  if (err instanceof TypeError && /fetch|network/i.test(err.message)) return `${t('error')}: ${t('error.network')}`;
  if (!err || err.code === undefined || err.code === null) return err?.status ? `${t('error')} (HTTP ${err.status})` : t('error');
  const known = t(`errcode.${err.code}`);
  const head = known === `errcode.${err.code}` ? `${t('error')} (${err.code})` : known;
  const fields = [...new Set((err.details || []).map((d) => d.field).filter(Boolean))];
  return fields.length ? `${head}: ${fields.map(fieldLabel).join('、')}` : head;
}

function fieldLabel(path) {
  // "body.dimension_weights" → the label of its most specific known part
  const parts = String(path).split('.').reverse();
  for (const part of parts) {
    const text = t(`field.${part}`);
    if (text !== `field.${part}`) return text;
  }
  return parts[0];
}

// The console's own refusal before any call (a required choice missing): shown as the error is.
export const refuse = (message) => Object.assign(new Error(message), { refusal: true });

// Asks before an action that cannot be undone: `message` names the count and the effect. Resolves
// true only when the user confirms (Enter or the button); Escape and 取消 resolve false.
export function confirmAction(message, { ok = t('confirm.ok') } = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'data-testid': 'confirm-dialog', 'aria-labelledby': 'confirm-title' });
    const done = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.append(
      h('h2', { id: 'confirm-title' }, t('confirm.title')),
      h('p', { 'data-testid': 'confirm-message' }, message),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', 'data-testid': 'confirm-ok', onclick: () => done(true) }, ok),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'confirm-cancel', onclick: () => done(false) }, t('confirm.cancel'))));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('[data-testid=confirm-ok]').focus();
  });
}

// A button that runs an API call, disables itself meanwhile and reports the error next to it;
// `confirm` (a function returning the message) asks first.
export function action(label, run, attrs = {}, { confirm } = {}) {
  const button = h('button', { type: 'button', ...attrs, onclick: async () => {
    if (confirm && !(await confirmAction(confirm()))) return;
    button.disabled = true;
    const out = button.parentElement?.querySelector('.action-error');
    if (out) out.textContent = '';
    try { await run(); } catch (err) {
      const shown = out || h('span', { class: 'error action-error', role: 'alert', 'data-testid': 'action-error' });
      shown.textContent = errorText(err);
      button.after(shown);
      button.disabled = false;
    }
  } }, label);
  return button;
}

// Sends `file` to a presigned POST (the fields first, the file last, as S3 requires).
export async function uploadTo(upload, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', file);
  const response = await fetch(upload.url, { method: 'POST', body: form });
  if (!response.ok && response.type !== 'opaque') throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status, code: 'upload_failed' });
}

// The departments HR works with (those of today's requisitions and the user's own), offered as the
// choices of a department input (`list` = the datalist's id): a misspelt department finds nobody.
export async function departmentChoices(id, user) {
  const known = await get('/requisitions?limit=100').catch(() => ({ items: [] }));
  const names = [...new Set([user?.department, ...known.items.map((r) => r.department)].filter(Boolean))].sort();
  return h('datalist', { id }, names.map((d) => h('option', { value: d })));
}

// A number input with its unit after it (%, 人, 分, 元).
export function withUnit(input, unit) {
  return h('span', { class: 'unit' }, input, h('span', { class: 'muted' }, unit));
}
