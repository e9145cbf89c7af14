// The audit trail of one subject (HR): application:<id>, requisition:<id>, question:<id>.
import { get, query } from './api.js';
import { h, mount, table } from './dom.js';
import { date, stage, t } from './i18n.js';

// Finds the subject by name instead of its id: a requisition (by title), then an applicant of it by
// name or reference (the server's search); a click shows that application's trail.
async function subjectPicker(pick) {
  const requisitions = await get('/requisitions?limit=100');
  const req = h('select', { 'data-testid': 'audit-requisition', 'aria-label': t('nav.requisitions') },
    requisitions.items.map((r) => h('option', { value: r.id }, r.title)));
  const name = h('input', { type: 'search', placeholder: t('list.search'), 'aria-label': t('list.search'), 'data-testid': 'audit-name' });
  const found = h('div', { class: 'toolbar', 'data-testid': 'audit-found' });
  return h('form', { class: 'card toolbar', role: 'search', onsubmit: async (e) => {
    e.preventDefault();
    const page = await get(`/requisitions/${req.value}/applications${query({ q: name.value.trim() || null, page: 1, limit: 10 })}`);
    mount(found, page.items.length ? page.items.map((a) => h('button', { type: 'button', class: 'secondary', 'data-subject': `application:${a.id}`, onclick: () => pick(`application:${a.id}`) },
      `${a.name} · ${stage(a.stage)}`)) : h('span', { class: 'muted' }, t('list.no_match')));
  } },
  h('label', {}, t('audit.requisition_subject'), ' ', req), name,
  h('button', { type: 'submit', class: 'secondary', 'data-testid': 'audit-find' }, t('list.search_go')),
  h('button', { type: 'button', class: 'secondary', onclick: () => pick(`requisition:${req.value}`) }, t('audit.requisition_trail')),
  found);
}

export async function auditPage(main, { query: params }) {
  const subject = h('input', { size: 50, value: params.get('subject') || '', placeholder: 'application:<id>', 'data-testid': 'subject' });
  const list = h('div');
  const state = { tokens: [null] };
  const more = h('button', { class: 'secondary', onclick: () => load(state.next) }, t('app.next'));
  mount(main, h('h1', {}, t('nav.audit')),
    await subjectPicker((value) => { subject.value = value; load(null); }),
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
