// Requisitions, the hiring funnel, the applicant list and the shortlist (HR confirms by clicking).
import { get, post, query } from './api.js';
import { chart } from './charts.js';
import { h, mount, table } from './dom.js';
import { date, dimension, family, num, stage, t, terms } from './i18n.js';
import { importPanel } from './page-import.js';
import { hasRole } from './session.js';
import { action, confirmAction, errorText, refuse } from './ui.js';

export async function requisitionsPage(main, { user }) {
  const page = await get('/requisitions?limit=100');
  mount(main, h('div', { class: 'toolbar' }, h('h1', {}, t('nav.requisitions')),
    hasRole(user, ['hr']) ? h('a', { class: 'button', href: '#/requisitions/new', 'data-testid': 'new-requisition' }, t('reqform.title')) : null),
  h('div', { class: 'card' }, table([
    { key: 'title', label: t('req.title'), sort: (r) => r.title, render: (r) => h('a', { href: `#/requisitions/${r.id}` }, r.title) },
    { key: 'department', label: t('req.department'), sort: (r) => r.department },
    { key: 'role_family', label: t('req.role_family'), render: (r) => family(r.role_family) },
    { key: 'headcount', label: t('req.headcount'), num: true, sort: (r) => r.headcount, render: (r) => num(r.headcount, 0) },
    { key: 'created_at', label: t('req.created_at'), sort: (r) => r.created_at, render: (r) => date(r.created_at) },
  ], page.items, { empty: t('app.none'), testid: 'requisitions' })));
}

function funnelChart(el, funnel) {
  chart(el, {
    tooltip: { trigger: 'item' },
    series: [{
      // The labels beside the funnel, not inside it: a narrow step no longer cuts its label off.
      type: 'funnel', sort: 'none', left: '4%', width: '58%', minSize: '8%', gap: 2,
      label: { show: true, position: 'right', formatter: (p) => `${p.name}  ${num(p.value, 0)}` },
      data: funnel.steps.map((s) => ({ name: t(`funnel.${s.step}`), value: s.count })),
    }],
  });
}

export async function requisitionPage(main, { id, user, notice, query: params }) {
  // The funnel counts every stage (slow for thousands): the page and its first rows do not wait for it.
  const funnelLoad = get(`/requisitions/${id}/funnel`);
  const req = await get(`/requisitions/${id}`);
  const funnelEl = h('div', { class: 'chart', 'data-testid': 'funnel-chart' });
  const counts = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const applicants = h('div');
  const shortlist = h('div', { class: 'card no-print', 'data-testid': 'shortlist' });
  const imports = h('div', { class: 'card no-print', 'data-testid': 'import-panel' });
  mount(main,
    h('h1', {}, req.title),
    h('p', { class: 'muted' }, `${req.department} · ${family(req.role_family)} · ${t('req.headcount')} ${num(req.headcount, 0)} · ${t('req.scored')} ${num(req.scored_count ?? 0, 0)}`),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, t('req.funnel')), funnelEl),
      h('div', { class: 'card' }, h('h2', {}, t('req.funnel_counts')), counts)),
    hasRole(user, ['hr']) ? imports : null,
    hasRole(user, ['hr']) ? shortlist : null,
    h('div', { class: 'card' }, h('h2', {}, t('req.applicants')), applicants));
  funnelLoad.then((funnel) => {
    if (!main.isConnected) return;
    mount(counts, h('table', { 'data-testid': 'funnel' }, h('tbody', {}, funnel.steps.map((s) =>
      h('tr', { dataset: { step: s.step } }, h('td', {}, t(`funnel.${s.step}`)), h('td', { class: 'num' }, num(s.count, 0)))))));
    funnelChart(funnelEl, funnel);
  }).catch((err) => mount(counts, h('p', { class: 'error' }, errorText(err))));
  // After a confirmation the page is drawn again with fresh counts, and the outcome stays on it.
  if (hasRole(user, ['hr'])) importPanel(imports, req, () => applicantList(applicants, req, user, new URLSearchParams(location.hash.split('?')[1] || '')));
  if (hasRole(user, ['hr'])) shortlistPanel(shortlist, req, notice, (done) => requisitionPage(main, { id, user, notice: done, query: params }));
  await applicantList(applicants, req, user, params);
}

const PAGE_SIZES = [50, 100, 200];

// The list's state lives in the URL (#/requisitions/<id>?q=…&stage=…&order=…&page=…&size=…), so a view
// can be shared; it is changed in place (no page reload) as the user searches, filters, sorts and pages.
function listState(params) {
  const size = Number(params?.get('size'));
  return {
    q: params?.get('q') || '',
    stage: params?.get('stage') || '',
    order: ['created', 'score', 'name'].includes(params?.get('order')) ? params.get('order') : 'created',
    page: Math.max(1, Number(params?.get('page')) || 1),
    size: PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0],
  };
}

function keepInUrl(req, state) {
  const defaults = listState(null);
  const wanted = Object.fromEntries(Object.entries(state).filter(([k, v]) => v !== defaults[k]));
  history.replaceState(null, '', `#/requisitions/${req.id}${query(wanted)}`);
}

// Page numbers around the current one: 1 … 4 5 [6] 7 8 … 20.
function pageNumbers(current, last) {
  const near = [];
  for (let n = Math.max(1, current - 2); n <= Math.min(last, current + 2); n += 1) near.push(n);
  return [...new Set([1, ...near, last])].filter((n) => n >= 1 && n <= last);
}

async function applicantList(el, req, user, params) {
  const state = listState(params);
  const hr = hasRole(user, ['hr']);
  const chosen = new Set();
  const reset = () => { state.page = 1; load(); };
  const search = h('input', { type: 'search', value: state.q, placeholder: t('list.search'), 'aria-label': t('list.search'), 'data-testid': 'search' });
  const searchForm = h('form', { role: 'search', onsubmit: (e) => { e.preventDefault(); state.q = search.value.trim(); reset(); } },
    search, h('button', { type: 'submit', class: 'secondary', 'data-testid': 'search-go' }, t('list.search_go')));
  const stageSelect = h('select', { 'data-testid': 'stage-filter', 'aria-label': t('app.stage'), onchange: () => { state.stage = stageSelect.value; reset(); } },
    h('option', { value: '' }, t('app.all_stages')), terms('stages').map((s) => h('option', { value: s, selected: s === state.stage }, stage(s))));
  const orderSelect = h('select', { 'data-testid': 'order', 'aria-label': t('app.order'), onchange: () => { state.order = orderSelect.value; reset(); } },
    ['created', 'score', 'name'].map((o) => h('option', { value: o, selected: o === state.order }, t(`order.${o}`))));
  const sizeSelect = h('select', { 'data-testid': 'page-size', 'aria-label': t('list.page_size'), onchange: () => { state.size = Number(sizeSelect.value); reset(); } },
    PAGE_SIZES.map((n) => h('option', { value: n, selected: n === state.size }, t('list.per_page', { n }))));
  const total = h('span', { class: 'muted', 'data-testid': 'total', role: 'status' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('list.pages'), 'data-testid': 'pager' });
  const list = h('div', { class: 'scroll' });
  const bulk = hr ? bulkDecisions(req, chosen, () => load()) : null;
  mount(el, h('div', { class: 'toolbar' }, searchForm, stageSelect, orderSelect, sizeSelect, total), bulk, list, pager);

  // The first page of the default view comes from one index page at once (its rows are the same);
  // the numbered answer (total, page numbers), which reads the whole requisition's list rows, follows.
  let drawn = 0;
  async function load() {
    keepInUrl(req, state);
    const run = ++drawn;
    const started = performance.now();
    const numbered = get(`/requisitions/${req.id}/applications${query({
      q: state.q, stage: state.stage, order: state.order, page: state.page, limit: state.size })}`);
    if (!state.q && !state.stage && state.order === 'created' && state.page === 1) {
      total.textContent = t('list.counting');
      delete total.dataset.total;
      mount(pager);
      const first = await get(`/requisitions/${req.id}/applications${query({ limit: state.size })}`);
      if (run === drawn && total.dataset.total === undefined) { draw({ ...first, total: null }, started); early = run; }
    }
    const page = await numbered;
    if (run === drawn) draw(page, started, early !== run);
  }

  let early = 0;
  function draw(page, started, rows = true) {
    if (page.total !== null) {
      total.textContent = t('list.total', { n: num(page.total, 0) });
      total.dataset.total = page.total;
    }
    if (rows) drawRows(page, started);
    if (page.total !== null) drawPager(page);
  }

  function drawRows(page, started) {
    chosen.clear();
    bulk?.update();
    const box = (r) => h('input', { type: 'checkbox', 'data-select': r.id, 'aria-label': r.name, onchange: (e) => {
      if (e.target.checked) chosen.add(r.id); else chosen.delete(r.id);
      bulk.update();
    } });
    const all = h('input', { type: 'checkbox', 'data-testid': 'select-all', 'aria-label': t('bulk.select_all'), onchange: (e) => {
      list.querySelectorAll('input[data-select]').forEach((b) => { b.checked = e.target.checked; if (b.checked) chosen.add(b.dataset.select); else chosen.delete(b.dataset.select); });
      bulk.update();
    } });
    // The order is the server's (over every page): the headers do not re-sort the rows on screen.
    mount(list, table([
      ...(hr ? [{ key: 'select', label: all, render: box }] : []),
      { key: 'name', label: t('app.name'), render: (r) => h('a', { href: `#/applications/${r.id}` }, r.name) },
      { key: 'external_ref', label: t('list.reference'), render: (r) => r.external_ref || '–' },
      { key: 'stage', label: t('app.stage'), render: (r) => h('span', { class: 'tag', 'data-stage': r.stage }, stage(r.stage)) },
      { key: 'screening_score', label: t('app.screening_score'), num: true, render: (r) => num(r.screening_score) },
      { key: 'weighted_score', label: t('app.weighted_score'), num: true, render: (r) => num(r.weighted_score) },
      { key: 'created_at', label: t('app.created_at'), render: (r) => date(r.created_at) },
    ], page.items, { empty: state.q || state.stage ? t('list.no_match') : t('app.none'), testid: 'applicants' }));
    list.dataset.ms = Math.round(performance.now() - started);
  }

  function drawPager(page) {
    const last = Math.max(1, Math.ceil(page.total / state.size));
    const go = (n) => () => { state.page = n; load(); };
    let previous = 0;
    mount(pager, h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1, onclick: go(state.page - 1), 'data-testid': 'prev-page' }, t('list.prev')),
      pageNumbers(state.page, last).map((n) => {
        const gap = n - previous > 1 ? h('span', { class: 'muted' }, '…') : null;
        previous = n;
        return [gap, h('button', { type: 'button', class: n === state.page ? null : 'secondary', 'aria-current': n === state.page ? 'page' : null, 'data-page': n, onclick: go(n) }, String(n))];
      }),
      h('button', { type: 'button', class: 'secondary', disabled: state.page >= last, onclick: go(state.page + 1), 'data-testid': 'next-page' }, t('list.next')));
  }
  await load();
}

// HR's screening decision on the selected applicants at once, with one reason; asked first.
function bulkDecisions(req, chosen, reload) {
  const decision = h('select', { 'data-testid': 'bulk-decision', 'aria-label': t('bulk.decision') },
    ['advance', 'reject'].map((d) => h('option', { value: d }, t(`bulk.${d}`))));
  const reason = h('input', { size: 30, placeholder: t('cand.reason'), 'data-testid': 'bulk-reason', 'aria-label': t('cand.reason') });
  const count = h('span', { class: 'muted', 'data-testid': 'selected-count' });
  const result = h('span', { 'data-testid': 'bulk-result', role: 'status' });
  const apply = action(t('bulk.apply'), async () => {
    if (!reason.value.trim()) throw refuse(t('bulk.reason_needed'));
    const ids = [...chosen];
    const out = await post(`/requisitions/${req.id}/screening/decisions`, {
      decisions: ids.map((id) => ({ application_id: id, decision: decision.value, reason: reason.value.trim() })) });
    result.className = '';
    result.textContent = t('bulk.done', { applied: out.counts.applied ?? 0, other: ids.length - (out.counts.applied ?? 0) });
    await reload();
  }, { 'data-testid': 'bulk-apply' }, { confirm: () => t(`bulk.confirm.${decision.value}`, { n: chosen.size }) });
  const el = h('div', { class: 'toolbar', 'data-testid': 'bulk' }, count, decision, reason, apply, result);
  el.update = () => { count.textContent = t('bulk.selected', { n: chosen.size }); apply.disabled = chosen.size === 0; };
  el.update();
  return el;
}

function shortlistPanel(el, req, notice, reload) {
  const propose = h('button', { 'data-testid': 'propose', onclick: async () => {
    propose.disabled = true;
    try { show(await post(`/requisitions/${req.id}/shortlist`)); } catch (err) { mount(body, h('p', { class: 'error' }, errorText(err))); }
    propose.disabled = false;
  } }, t('shortlist.propose'));
  const body = h('div');
  mount(el, h('h2', {}, t('shortlist.propose')), h('div', { class: 'toolbar' }, propose), body);
  if (notice) mount(body, h('p', { 'data-testid': 'shortlist-result' }, notice));

  function show(proposal) {
    const tomorrow = new Date(Date.now() + 86400000);
    tomorrow.setHours(9, 30, 0, 0);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    const startsAt = h('input', { type: 'datetime-local', value: local, 'data-testid': 'starts-at' });
    const place = h('input', { value: '总行大厦 12 楼 1203 会议室', size: 30, 'data-testid': 'place' });
    const boxes = new Map();
    const rows = proposal.entries.map((e) => {
      const box = h('input', { type: 'checkbox', checked: e.eligible, disabled: !e.eligible, 'data-application': e.application_id });
      boxes.set(e.application_id, box);
      return { ...e, id: e.application_id, box };
    });
    const result = h('p', { 'data-testid': 'shortlist-result' });
    const confirm = h('button', { 'data-testid': 'confirm', onclick: async () => {
      const ids = [...boxes].filter(([, b]) => b.checked).map(([i]) => i);
      if (!(await confirmAction(t('confirm.shortlist', { n: ids.length })))) return;
      confirm.disabled = true;
      try {
        const out = await post(`/requisitions/${req.id}/shortlist/confirm`, {
          proposal_id: proposal.proposal_id, application_ids: ids,
          interview: { starts_at: new Date(startsAt.value).toISOString(), place: place.value },
        });
        await reload(t('shortlist.done', { n: out.counts.moved ?? 0, m: out.invitations_queued }));
      } catch (err) { result.textContent = errorText(err); result.className = 'error'; confirm.disabled = false; }
    } }, t('shortlist.confirm'));
    mount(body, table([
      { key: 'box', label: '', render: (r) => r.box },
      { key: 'rank', label: t('shortlist.rank'), num: true, sort: (r) => r.rank },
      { key: 'name', label: t('app.name'), render: (r) => h('a', { href: `#/applications/${r.id}` }, r.name) },
      { key: 'stage', label: t('app.stage'), render: (r) => stage(r.stage) },
      { key: 'weighted_score', label: t('app.weighted_score'), num: true, sort: (r) => r.weighted_score, render: (r) => num(r.weighted_score) },
      { key: 'below_bar', label: t('shortlist.below_bar'), render: (r) => Object.keys(r.below_bar).map(dimension).join('、') || '–' },
    ], rows, { empty: t('app.none'), testid: 'proposal' }),
    h('div', { class: 'toolbar' }, h('label', {}, t('shortlist.starts_at'), ' ', startsAt), h('label', {}, t('shortlist.place'), ' ', place), confirm),
    result);
  }
}

export async function assignedPage(main) {
  const input = h('input', { size: 40, 'data-testid': 'application-id' });
  const page = await get('/me/assignments?limit=100');
  mount(main, h('h1', {}, t('nav.assigned')),
    h('div', { class: 'card' }, h('h2', {}, t('assigned.title')), table([
      { key: 'name', label: t('app.name'), sort: (r) => r.name, render: (r) => h('a', { href: `#/applications/${r.application_id}`, 'data-application': r.application_id }, r.name) },
      { key: 'requisition_title', label: t('assigned.req'), sort: (r) => r.requisition_title },
      { key: 'stage', label: t('app.stage'), sort: (r) => r.stage, render: (r) => (r.stage ? h('span', { class: 'tag', 'data-stage': r.stage }, stage(r.stage)) : '–') },
      { key: 'assigned_at', label: t('assigned.at'), sort: (r) => r.assigned_at, render: (r) => date(r.assigned_at) },
      { key: 'kit', label: t('cand.kit'), render: (r) => h('a', { href: `#/kit/${r.application_id}` }, t('assigned.open')) },
    ], page.items.map((r) => ({ ...r, id: r.application_id })), { empty: t('assigned.none'), testid: 'assignments' })),
    h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      if (input.value.trim()) location.hash = `#/kit/${encodeURIComponent(input.value.trim())}`;
    } }, h('p', {}, t('assigned.hint')), h('div', { class: 'toolbar' }, input, h('button', { type: 'submit' }, t('assigned.open')))));
}
