// Analytics (HR): the predictive validity of each interview dimension (bars with their 95 %
// intervals), high potentials, re-weighting proposals HR approves by clicking, talent pools with
// HR's decisions, and the attrition trend; each table downloads as CSV / XLSX.
import { download, get, post, query } from './api.js';
import { chart } from './charts.js';
import { h, mount, table } from './dom.js';
import { dimension, family, num, t, terms } from './i18n.js';
import { hasRole } from './session.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const r2 = (x) => (x === null || x === undefined ? '–' : num(Math.round(x * 100) / 100 || 0, 2)); // never "-0"

// The analytics section's tabs (the attrition page is part of it).
export function analyticsTabs(active, user) {
  const tabs = [['analytics', 'nav.analytics', ['hr']], ['analytics/reweighting', 'an.reweighting', ['hr']],
    ['talent-pools', 'nav.talent_pools', ['hr', 'manager']], ['attrition', 'nav.attrition', ['hr', 'manager']]];
  return h('div', { class: 'toolbar no-print', 'data-testid': 'analytics-tabs' }, tabs.filter(([, , roles]) => hasRole(user, roles)).map(([path, key]) =>
    h('a', { href: `#/${path}`, class: `tab${path === active ? ' active' : ''}`, 'data-tab': path }, t(key))));
}

function downloads(path, params, formats = ['csv', 'xlsx']) {
  const message = h('span', { class: 'muted' });
  return h('span', { class: 'toolbar downloads' }, formats.map((fmt) => h('button', { class: 'secondary', 'data-download': fmt, onclick: async () => {
    try { message.textContent = await download(`${path}${query({ ...params, format: fmt })}`, fmt === 'xlsx' ? XLSX : '*/*'); }
    catch (err) { message.textContent = err.message; }
  } }, fmt.toUpperCase())), message);
}

async function cycles() {
  const page = await get('/performance/cycles?limit=50');
  return page.items;
}

// The cycle to analyse: the one asked for, else the latest closed one, else the latest.
function pickCycle(items, asked) {
  return items.find((c) => c.id === asked) || items.find((c) => c.status === 'closed') || items[0] || null;
}

function selectors(items, cycle, fam, onchange) {
  const cycleSel = h('select', { 'data-testid': 'analytics-cycle', onchange: () => onchange(cycleSel.value, famSel?.value) },
    items.map((c) => h('option', { value: c.id, selected: c.id === cycle.id }, c.name)));
  const famSel = fam === undefined ? null : h('select', { 'data-testid': 'analytics-family', onchange: () => onchange(cycleSel.value, famSel.value) },
    h('option', { value: '' }, t('an.all_families')), terms('families').map((f) => h('option', { value: f, selected: f === fam }, family(f))));
  return h('div', { class: 'toolbar' }, h('label', {}, t('perf.cycle'), ' ', cycleSel), famSel ? h('label', {}, t('req.role_family'), ' ', famSel) : null);
}

// -- validity and high potentials ------------------------------------------------------------------
export async function analyticsPage(main, { user, query: params }) {
  const items = await cycles();
  const cycle = pickCycle(items, params.get('cycle'));
  if (!cycle) { mount(main, analyticsTabs('analytics', user), h('p', { class: 'notice' }, t('an.no_cycles'))); return; }
  const fam = params.get('family') || '';
  const go = (c, f) => { location.hash = `#/analytics${query({ cycle: c, family: f })}`; };
  const [validity, hp] = await Promise.all([
    get(`/analytics/validity${query({ cycle_id: cycle.id, role_family: fam })}`),
    get(`/analytics/high-potential${query({ cycle_id: cycle.id, role_family: fam })}`)]);
  const group = fam || 'all';
  const overall = validity.items.filter((i) => i.role_family === group && i.cohort === 'all');
  const chartEl = h('div', { class: 'chart', 'data-testid': 'validity-chart' });
  const names = await Promise.all(hp.items.map((x) => get(`/employees/${x.employee_id}`).then((e) => e.name).catch(() => x.employee_id)));
  mount(main, analyticsTabs('analytics', user), h('h1', {}, t('an.validity')), selectors(items, cycle, fam, go),
    h('div', { class: 'card' }, h('p', { class: 'muted' }, t('an.validity_note')), chartEl,
      h('div', { class: 'toolbar' }, downloads('/analytics/validity', { cycle_id: cycle.id, role_family: fam }, ['csv', 'xlsx', 'svg'])),
      table([
        { key: 'dimension', label: t('cand.dimension'), sort: (r) => r.dimension, render: (r) => dimension(r.dimension) },
        { key: 'n', label: 'n', num: true, render: (r) => num(r.n, 0) },
        { key: 'pearson', label: t('an.pearson'), num: true, sort: (r) => r.pearson, render: (r) => r2(r.pearson) },
        { key: 'interval', label: t('an.interval'), num: true, render: (r) => `${r2(r.pearson_low)} – ${r2(r.pearson_high)}` },
        { key: 'spearman', label: t('an.spearman'), num: true, render: (r) => r2(r.spearman) },
        { key: 'significant', label: t('an.significant'), render: (r) => (r.significant ? h('span', { class: 'tag strength' }, '✓') : '–') },
      ], overall.map((r) => ({ ...r, id: r.dimension })), { empty: t('an.too_few'), testid: 'validity' })),
    h('div', { class: 'card' }, h('h2', {}, t('an.high_potential')), h('p', { class: 'muted' }, t('an.hp_note')),
      h('div', { class: 'toolbar' }, downloads('/analytics/high-potential', { cycle_id: cycle.id, role_family: fam })),
      table([
        { key: 'name', label: t('app.name'), sort: (r) => r.name, render: (r) => h('a', { href: `#/performance/${cycle.id}/${r.employee_id}` }, r.name) },
        { key: 'department', label: t('req.department'), sort: (r) => r.department },
        { key: 'role_family', label: t('req.role_family'), render: (r) => family(r.role_family) },
        { key: 'interview_composite', label: t('an.interview_composite'), num: true, sort: (r) => r.interview_composite, render: (r) => `${num(r.interview_composite)} (≥ ${num(r.interview_cut)})` },
        { key: 'performance', label: t('an.performance'), num: true, sort: (r) => r.performance, render: (r) => `${num(r.performance)} (≥ ${num(r.performance_cut)})` },
      ], hp.items.map((x, i) => ({ ...x, id: x.employee_id, name: names[i] })), { empty: t('an.no_hp'), testid: 'high-potential' })));
  chart(chartEl, validityOption(overall));
}

function validityOption(rows) {
  const labels = rows.map((r) => dimension(r.dimension));
  return {
    tooltip: { trigger: 'axis', formatter: (ps) => { const r = rows[ps[0].dataIndex]; return `${labels[ps[0].dataIndex]}<br>r = ${num(r.pearson, 2)} [${num(r.pearson_low, 2)}, ${num(r.pearson_high, 2)}] · n = ${r.n}`; } },
    grid: { left: 50, right: 20, top: 20, bottom: 60 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value', min: -1, max: 1, name: 'r' },
    series: [
      { type: 'bar', data: rows.map((r) => ({ value: r.pearson, itemStyle: { color: r.significant ? '#2b8a3e' : '#c9d3dd' } })) },
      { type: 'custom', name: t('an.interval'), data: rows.map((r, i) => [i, r.pearson_low, r.pearson_high]), z: 10,
        renderItem: (params, api) => {
          const low = api.coord([api.value(0), api.value(1)]);
          const high = api.coord([api.value(0), api.value(2)]);
          const w = 6;
          const style = { stroke: '#1f2933', lineWidth: 1.5 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
            { type: 'line', shape: { x1: low[0] - w, y1: low[1], x2: low[0] + w, y2: low[1] }, style },
            { type: 'line', shape: { x1: high[0] - w, y1: high[1], x2: high[0] + w, y2: high[1] }, style }] };
        } },
    ],
  };
}

// -- re-weighting proposals (HR approves) -----------------------------------------------------------
export async function reweightingPage(main, { user, query: params }) {
  const items = await cycles();
  const cycle = pickCycle(items, params.get('cycle'));
  if (!cycle) { mount(main, analyticsTabs('analytics/reweighting', user), h('p', { class: 'notice' }, t('an.no_cycles'))); return; }
  const fam = params.get('family') || 'customer_manager';
  const go = (c, f) => { location.hash = `#/analytics/reweighting${query({ cycle: c, family: f || 'customer_manager' })}`; };
  const out = await get(`/analytics/reweighting/${fam}${query({ cycle_id: cycle.id })}`);
  const p = out.summary;
  const reason = h('input', { size: 40, placeholder: t('cand.reason'), 'data-testid': 'approve-reason' });
  const result = h('p', { 'data-testid': 'approve-result' });
  const chartEl = h('div', { class: 'chart', 'data-testid': 'weights-chart' });
  mount(main, analyticsTabs('analytics/reweighting', user), h('h1', {}, `${t('an.reweighting')} · ${family(fam)}`),
    selectors(items, cycle, fam, go),
    h('div', { class: 'card' }, h('p', { class: 'muted' }, p.method || ''),
      h('p', {}, `n = ${num(p.n, 0)} · ${t('an.current_validity')} ${num(p.current_validity, 3)} → ${t('an.expected_validity')} ${num(p.expected_validity, 3)} (${t('an.gain')} ${num(p.expected_gain, 3)})`),
      chartEl,
      table([
        { key: 'dimension', label: t('cand.dimension'), render: (r) => dimension(r.dimension) },
        { key: 'validity', label: t('an.pearson'), num: true, render: (r) => r2(r.validity) },
        { key: 'current_weight', label: t('an.current_weight'), num: true, render: (r) => num(r.current_weight, 3) },
        { key: 'proposed_weight', label: t('an.proposed_weight'), num: true, render: (r) => num(r.proposed_weight, 3) },
      ], out.items.map((r) => ({ ...r, id: r.dimension })), { testid: 'reweighting' }),
      h('div', { class: 'toolbar' }, downloads(`/analytics/reweighting/${fam}`, { cycle_id: cycle.id })),
      p.proposed_weights ? h('div', { class: 'toolbar' }, reason, h('button', { 'data-testid': 'approve-weights', onclick: async () => {
        try {
          const approved = await post(`/analytics/reweighting/${fam}/approval`, { cycle_id: cycle.id, reason: reason.value });
          result.className = 'notice';
          result.textContent = t('an.approved', { by: approved.approved_by || '', family: family(fam) });
        } catch (err) { result.className = 'error'; result.textContent = err.message; }
      } }, t('an.approve'))) : h('p', { class: 'notice' }, t('an.no_proposal')),
      result));
  const rows = out.items;
  chart(chartEl, {
    tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: { left: 50, right: 20, top: 20, bottom: 70 },
    xAxis: { type: 'category', data: rows.map((r) => dimension(r.dimension)), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value', min: 0 },
    series: [
      { name: t('an.current_weight'), type: 'bar', data: rows.map((r) => r.current_weight ?? 0), itemStyle: { color: '#c9d3dd' } },
      { name: t('an.proposed_weight'), type: 'bar', data: rows.map((r) => r.proposed_weight ?? 0), itemStyle: { color: '#a4161a' } },
    ],
  });
}

// -- talent pools (HR decides; managers see their department's) -------------------------------------
export async function talentPoolsPage(main, { user, query: params }) {
  const hr = hasRole(user, ['hr']);
  const pools = await get('/talent-pools');
  const name = params.get('pool') || pools.items.find((p) => p.proposed)?.name || pools.items[0]?.name;
  const members = name ? await get(`/talent-pools/${name}`) : { items: [] };
  const result = h('p', { 'data-testid': 'pool-result' });
  const reload = () => talentPoolsPage(main, { user, query: new URLSearchParams({ pool: name }) }); // stay on this pool
  mount(main, analyticsTabs('talent-pools', user), h('h1', {}, t('nav.talent_pools')),
    h('div', { class: 'card' }, table([
      { key: 'name', label: t('an.pool'), render: (p) => h('a', { href: `#/talent-pools?pool=${p.name}`, class: p.name === name ? 'active' : null, 'data-pool': p.name }, `${p.name_zh} · ${p.name}`) },
      { key: 'description', label: t('an.pool_description'), render: (p) => h('span', { class: 'muted' }, p.description) },
      { key: 'proposed', label: t('an.proposed'), num: true, render: (p) => num(p.proposed, 0) },
      { key: 'members', label: t('an.members'), num: true, render: (p) => num(p.members, 0) },
    ], pools.items.map((p) => ({ ...p, id: p.name })), { testid: 'pools' })),
    name ? h('div', { class: 'card' }, h('h2', {}, pools.items.find((p) => p.name === name)?.name_zh || name), table([
      { key: 'name', label: t('app.name'), sort: (m) => m.name, render: (m) => h('a', { href: `#/employees/${m.employee_id}` }, m.name) },
      { key: 'department', label: t('req.department'), sort: (m) => m.department },
      { key: 'role_family', label: t('req.role_family'), render: (m) => family(m.role_family) },
      { key: 'status', label: t('emp.status'), sort: (m) => m.status, render: (m) => h('span', { class: 'tag', 'data-status': m.status }, t(`an.member.${m.status}`)) },
      { key: 'why', label: t('perf.reason'), render: (m) => h('span', { class: 'muted' }, m.history.at(-1)?.reason || '') },
      hr ? { key: 'decide', label: '', render: (m) => decide(name, m, reload, result) } : null,
    ].filter(Boolean), members.items.map((m) => ({ ...m, id: m.employee_id })), { empty: t('an.no_members'), testid: 'pool-members' }), result) : null);
}

function decide(pool, m, reload, result) {
  const options = m.status === 'proposed' ? ['accept', 'decline'] : m.status === 'member' ? ['remove'] : [];
  if (!options.length) return '';
  const reason = h('input', { size: 14, placeholder: t('cand.reason'), 'data-testid': 'pool-reason' });
  return h('span', { class: 'toolbar' }, reason, options.map((d) => h('button', { class: d === 'accept' ? null : 'secondary', 'data-decision': d, 'data-employee': m.employee_id, onclick: async () => {
    try { await post(`/talent-pools/${pool}/members/${encodeURIComponent(m.employee_id)}`, { decision: d, reason: reason.value || t('an.reviewed', { decision: t(`an.decision.${d}`) }), version: m.version }); await reload(); }
    catch (err) { result.className = 'error'; result.textContent = err.message; }
  } }, t(`an.decision.${d}`))));
}
