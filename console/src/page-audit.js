// The audit trail of one subject (HR): application:<id>, requisition:<id>, question:<id>.
import { get, query } from './api.js';
import { h, mount, table } from './dom.js';
import { date, t } from './i18n.js';

export async function auditPage(main, { query: params }) {
  const subject = h('input', { size: 50, value: params.get('subject') || '', placeholder: 'application:<id>', 'data-testid': 'subject' });
  const list = h('div');
  const state = { tokens: [null] };
  const more = h('button', { class: 'secondary', onclick: () => load(state.next) }, t('app.next'));
  mount(main, h('h1', {}, t('nav.audit')),
    h('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); load(null); } }, h('label', {}, t('audit.subject'), ' ', subject),
      h('button', { type: 'submit' }, t('audit.load')), more),
    h('div', { class: 'card' }, list));
  async function load(token) {
    more.disabled = true;
    if (!subject.value.trim()) return;
    const page = await get(`/audit${query({ subject: subject.value.trim(), limit: 50, next_token: token })}`);
    state.next = page.next_token;
    more.disabled = !page.next_token;
    mount(list, table([
      { key: 'at', label: t('audit.at'), sort: (r) => r.at, render: (r) => date(r.at) },
      { key: 'actor', label: t('audit.actor'), sort: (r) => r.actor },
      { key: 'action', label: t('audit.action'), sort: (r) => r.action },
      { key: 'details', label: t('audit.details'), render: (r) => h('code', {}, JSON.stringify(r.details)) },
    ], page.items, { empty: t('audit.none'), testid: 'audit' }));
  }
  await load(null);
}
