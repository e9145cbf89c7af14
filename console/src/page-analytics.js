// Analytics (HR): the predictive validity of the hiring score and each interview dimension (bars with
// their 95 % intervals), conditional statements, high potentials, score bands, the attrition-risk
// model, re-weighting proposals HR approves with a reason, talent pools with HR's decisions, and the
// attrition trend. Each panel says in one sentence what its number means and how sure it is (the
// jargon in an ⓘ tooltip), states the population it rests on, and says "not enough data" below the
// minimums (docs/analytics.md); each table downloads as CSV / XLSX.
import { download, get, post, query } from './api.js';
import { chart } from './charts.js';
import { h, mount, table } from './dom.js';
import { dimension, enumLabel, family, lang, num, t, terms } from './i18n.js';
import { hasRole } from './session.js';
import { confirmAction, errorText } from './ui.js';

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
    catch (err) { message.textContent = errorText(err); }
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

// -- plain words: one sentence per panel, the jargon in a tooltip ----------------------------------------
const pct = (x) => num(x * 100, 0);
const info = (key, vars) => h('span', { class: 'info', title: t(key, vars), tabindex: 0, 'data-testid': 'info' }, 'ⓘ');
const finding = (text, testid) => h('p', { class: 'finding', 'data-testid': testid }, text);
const pValue = (p) => (p === null || p === undefined ? '–' : p < 0.001 ? '< 0.001' : num(p, 3));
const predictor = (d) => (d === 'hiring_score' ? t('an.hiring_score') : dimension(d));
const notEnough = (x) => t('an.s.not_enough', { n: num(x.n, 0), needed: num(x.needed, 0) });

// "Computed on n complete records; 12 left out: 7 partial, 5 without results."
function population(p) {
  if (!p) return null;
  const left = p.left_out.map((r) => t(`an.left.${r.reason}`, { count: num(r.count, 0) }));
  const text = left.length ? t('an.population', { n: num(p.n, 0), left: num(p.records - p.n, 0), reasons: left.join(t('an.list_sep')) })
    : t('an.population_all', { n: num(p.n, 0) });
  return h('p', { class: 'muted population', 'data-testid': 'population' }, text);
}

function validitySentence(rows) {
  const hs = rows.find((r) => r.dimension === 'hiring_score');
  if (!hs || hs.pearson === null || hs.pearson === undefined) return t('an.s.validity_none');
  const verdict = !hs.significant ? t('an.s.not_significant') : hs.pearson > 0 ? t('an.s.positive') : t('an.s.negative');
  const best = rows.filter((r) => r.dimension !== 'hiring_score' && r.significant && r.pearson > 0).sort((a, b) => b.pearson - a.pearson)[0];
  return t('an.s.validity', { r: r2(hs.pearson), lo: r2(hs.pearson_low), hi: r2(hs.pearson_high), n: num(hs.n, 0), verdict,
    best: best ? t('an.s.best', { dim: dimension(best.dimension), r: r2(best.pearson) }) : '' });
}

function conditionalSentence(c) {
  if (!c.enough_data) return `${t('an.s.conditional_head', { dim: dimension(c.dimension), d: num(c.dimension_threshold), perf: num(c.performance_threshold) })}${notEnough({ n: c.n, needed: c.minimum_n })}`;
  return t('an.s.conditional', { dim: dimension(c.dimension), d: num(c.dimension_threshold), p: pct(c.probability), lo: pct(c.probability_low),
    hi: pct(c.probability_high), perf: num(c.performance_threshold), n: num(c.n, 0), base: pct(c.base_rate) });
}

function highPotentialSentence(hp) {
  const s = hp.summary;
  if (s.not_enough_data) return `${t('an.high_potential')}：${notEnough(s.not_enough_data)}`;
  if (!hp.items.length) return t('an.s.hp_none', { n: num(s.population, 0) });
  const first = hp.items[0];
  return t('an.s.hp', { icut: num(first.interview_cut), pcut: num(first.performance_cut), k: num(hp.items.length, 0), n: num(s.population, 0) });
}

function bandSentence(items, minimum) {
  const shown = items.filter((b) => b.mean_performance !== null && b.mean_performance !== undefined);
  if (!shown.length) return `${t('an.bands')}：${t('an.s.bands_none', { needed: num(minimum, 0) })}`;
  const cell = (b, i) => ({ [`band${i}`]: b.band, [`mean${i}`]: num(b.mean_performance), [`lo${i}`]: num(b.mean_low), [`hi${i}`]: num(b.mean_high), [`n${i}`]: num(b.n, 0) });
  return shown.length === 1 ? t('an.s.band_one', cell(shown[0], 1)) : t('an.s.bands', { ...cell(shown.at(-1), 1), ...cell(shown[0], 2) });
}

function riskSentence(s) {
  const m = s.model;
  if (s.not_enough_data) return `${t('an.risk')}：${notEnough(s.not_enough_data)}`;
  if (!m || m.holdout_auc_low === null || m.holdout_auc_low === undefined) return t('an.s.risk_none');
  const vars = { auc: r2(m.holdout_auc), lo: r2(m.holdout_auc_low), hi: r2(m.holdout_auc_high), floor: r2(s.auc_floor), pct: pct(m.holdout_auc) };
  return s.per_person ? t('an.s.risk', vars) : t('an.s.risk_weak', vars);
}

// -- validity, conditional statements, high potentials, bands, attrition risk ---------------------------
export async function analyticsPage(main, { user, query: params }) {
  const items = await cycles();
  const cycle = pickCycle(items, params.get('cycle'));
  if (!cycle) { mount(main, analyticsTabs('analytics', user), h('p', { class: 'notice' }, t('an.no_cycles'))); return; }
  const fam = params.get('family') || '';
  const go = (c, f) => { location.hash = `#/analytics${query({ cycle: c, family: f })}`; };
  const scope = { cycle_id: cycle.id, role_family: fam };
  const [validity, hp, bands, risk] = await Promise.all([
    get(`/analytics/validity${query(scope)}`), get(`/analytics/high-potential${query(scope)}`),
    get(`/analytics/band-performance${query(scope)}`), get('/analytics/attrition-risk')]);
  const group = fam || 'all';
  const overall = validity.items.filter((i) => i.role_family === group && i.cohort === 'all');
  const chartEl = h('div', { class: 'chart', 'data-testid': 'validity-chart' });
  const names = await Promise.all(hp.items.map((x) => get(`/employees/${x.employee_id}`).then((e) => e.name).catch(() => x.employee_id)));
  mount(main, analyticsTabs('analytics', user), h('h1', {}, t('an.validity')), selectors(items, cycle, fam, go),
    h('div', { class: 'card', 'data-testid': 'validity-panel' },
      h('h2', {}, t('an.validity'), ' ', info('an.tip.validity')),
      finding(validitySentence(overall), 'validity-sentence'), population(validity.population), chartEl,
      h('div', { class: 'toolbar' }, downloads('/analytics/validity', scope, ['csv', 'xlsx', 'svg'])),
      table([
        { key: 'dimension', label: t('cand.dimension'), sort: (r) => r.dimension, render: (r) => predictor(r.dimension) },
        { key: 'n', label: 'n', num: true, render: (r) => num(r.n, 0) },
        { key: 'pearson', label: t('an.pearson'), num: true, sort: (r) => r.pearson, render: (r) => r2(r.pearson) },
        { key: 'interval', label: t('an.interval'), num: true, render: (r) => `${r2(r.pearson_low)} – ${r2(r.pearson_high)}` },
        { key: 'spearman', label: t('an.spearman'), num: true, render: (r) => `${r2(r.spearman)} (${r2(r.spearman_low)} – ${r2(r.spearman_high)})` },
        { key: 'p_adjusted', label: t('an.p_adjusted'), num: true, render: (r) => pValue(r.p_adjusted) },
        { key: 'significant', label: t('an.significant'), render: (r) => (r.significant ? h('span', { class: 'tag strength' }, '✓') : '–') },
      ], overall.map((r) => ({ ...r, id: r.dimension })), { empty: t('an.too_few'), testid: 'validity' })),
    conditionalPanel(scope),
    h('div', { class: 'card', 'data-testid': 'hp-panel' }, h('h2', {}, t('an.high_potential'), ' ', info('an.tip.hp', { min: num(hp.summary.minimum_n, 0) })),
      finding(highPotentialSentence(hp), 'hp-sentence'), population(hp.population),
      h('div', { class: 'toolbar' }, downloads('/analytics/high-potential', scope)),
      table([
        { key: 'name', label: t('app.name'), sort: (r) => r.name, render: (r) => h('a', { href: `#/performance/${cycle.id}/${r.employee_id}` }, r.name) },
        { key: 'department', label: t('req.department'), sort: (r) => r.department },
        { key: 'role_family', label: t('req.role_family'), render: (r) => family(r.role_family) },
        { key: 'hiring_score', label: t('an.hiring_score'), num: true, sort: (r) => r.hiring_score, render: (r) => `${num(r.hiring_score)} (≥ ${num(r.interview_cut)})` },
        { key: 'performance', label: t('an.performance'), num: true, sort: (r) => r.performance, render: (r) => `${num(r.performance)} (≥ ${num(r.performance_cut)})` },
      ], hp.items.map((x, i) => ({ ...x, id: x.employee_id, name: names[i] })), { empty: hp.summary.not_enough_data ? notEnough(hp.summary.not_enough_data) : t('an.no_hp'), testid: 'high-potential' })),
    h('div', { class: 'card', 'data-testid': 'bands-panel' }, h('h2', {}, t('an.bands'), ' ', info('an.tip.bands', { min: num(bands.summary.minimum_n, 0) })),
      finding(bandSentence(bands.items, bands.summary.minimum_n), 'bands-sentence'), population(bands.population),
      table([
        { key: 'band', label: t('an.band') },
        { key: 'n', label: 'n', num: true, render: (b) => num(b.n, 0) },
        { key: 'mean', label: t('an.mean_performance'), num: true, render: (b) => (b.mean_performance === null ? notEnough({ n: b.n, needed: bands.summary.minimum_n }) : `${num(b.mean_performance)} (${num(b.mean_low)} – ${num(b.mean_high)})`) },
      ], bands.items.map((b) => ({ ...b, id: b.band })), { empty: t('an.too_few'), testid: 'bands' })),
    h('div', { class: 'card', 'data-testid': 'risk-panel' }, h('h2', {}, t('an.risk'), ' ', info('an.tip.risk', { min: num(risk.summary.minimum_n, 0), floor: r2(risk.summary.auc_floor) })),
      finding(riskSentence(risk.summary), 'risk-sentence'), population(risk.population),
      risk.items.length ? table([
        { key: 'employee_id', label: t('an.employee'), render: (r) => h('a', { href: `#/employees/${r.employee_id}` }, r.employee_id) },
        { key: 'department', label: t('req.department') },
        { key: 'risk', label: t('an.risk_value'), num: true, render: (r) => `${pct(r.risk)}%` },
        { key: 'factors', label: t('an.factors'), render: (r) => r.factors.map((f) => f.factor).join(', ') },
      ], risk.items.slice(0, 10).map((r) => ({ ...r, id: r.employee_id })), { testid: 'risk' }) : null));
  chart(chartEl, validityOption(overall));
}

const DIMENSION_KEYS = ['logic', 'expression', 'customer_orientation', 'risk_awareness', 'innovation', 'teamwork', 'stress_tolerance', 'data_analysis'];

// P(performance ≥ p | dimension ≥ d), asked for by HR, in one sentence.
function conditionalPanel(scope) {
  const dim = h('select', { 'data-testid': 'conditional-dimension' }, DIMENSION_KEYS.map((d) => h('option', { value: d }, dimension(d))));
  const dThreshold = h('input', { type: 'number', min: 0, max: 100, value: 80, size: 4, 'data-testid': 'conditional-d' });
  const pThreshold = h('input', { type: 'number', min: 0, max: 100, value: 90, size: 4, 'data-testid': 'conditional-p' });
  const sentence = finding('', 'conditional-sentence');
  const pop = h('div');
  const load = async () => {
    try {
      const out = await get(`/analytics/conditional${query({ ...scope, dimension: dim.value, dimension_threshold: dThreshold.value, performance_threshold: pThreshold.value })}`);
      sentence.textContent = conditionalSentence(out.summary);
      sentence.dataset.enough = out.summary.enough_data ? 'yes' : 'no';
      mount(pop, population(out.population));
    } catch (err) { sentence.textContent = errorText(err); }
  };
  load();
  return h('div', { class: 'card', 'data-testid': 'conditional-panel' }, h('h2', {}, t('an.conditional'), ' ', info('an.tip.conditional')),
    h('div', { class: 'toolbar' }, h('label', {}, t('cand.dimension'), ' ', dim), h('label', {}, '≥ ', dThreshold), h('label', {}, t('an.performance'), ' ≥ ', pThreshold),
      h('button', { class: 'secondary', 'data-testid': 'conditional-go', onclick: load }, t('an.ask'))),
    sentence, pop);
}

function validityOption(rows) {
  const labels = rows.map((r) => predictor(r.dimension));
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

// -- re-weighting proposals (HR approves, with a reason) -----------------------------------------------
function gainSentence(p) {
  if (!p.proposed_weights) return t('an.no_proposal');
  return t('an.s.gain', { now: r2(p.current_validity), cv: r2(p.expected_validity), gain: r2(p.expected_gain), lo: r2(p.gain_low), hi: r2(p.gain_high), n: num(p.n, 0), folds: p.guards.folds });
}

function blockedSentence(p) {
  const reasons = [];
  if (!p.proposed_weights) reasons.push(t('an.no_proposal'));
  if (p.n < p.minimum_n) reasons.push(notEnough({ n: p.n, needed: p.minimum_n }));
  return t('an.s.blocked', { why: reasons.join(t('an.list_sep')) });
}

export async function reweightingPage(main, { user, query: params }) {
  const items = await cycles();
  const cycle = pickCycle(items, params.get('cycle'));
  if (!cycle) { mount(main, analyticsTabs('analytics/reweighting', user), h('p', { class: 'notice' }, t('an.no_cycles'))); return; }
  const fam = params.get('family') || 'customer_manager';
  const go = (c, f) => { location.hash = `#/analytics/reweighting${query({ cycle: c, family: f || 'customer_manager' })}`; };
  const out = await get(`/analytics/reweighting/${fam}${query({ cycle_id: cycle.id })}`);
  const p = out.summary;
  const g = p.guards;
  const result = h('p', { 'data-testid': 'approve-result' });
  const chartEl = h('div', { class: 'chart', 'data-testid': 'weights-chart' });
  const reason = h('input', { size: 40, placeholder: t('an.approve_reason'), required: true, 'data-testid': 'approve-reason' });
  const approve = h('button', { 'data-testid': 'approve-weights', disabled: true, onclick: async () => {
    if (!(await confirmAction(t('confirm.weights', { family: family(fam) })))) return;
    try {
      const approved = await post(`/analytics/reweighting/${fam}/approval`, { cycle_id: cycle.id, reason: reason.value });
      result.className = 'notice';
      result.textContent = t('an.approved', { by: approved.approved_by || '', family: family(fam), n: num(approved.n, 0) });
      approve.disabled = true;
    } catch (err) { result.className = 'error'; result.textContent = errorText(err); }
  } }, t('an.approve'));
  reason.addEventListener('input', () => { approve.disabled = reason.value.trim().length < 3; });
  const change = (r) => (r.proposed_weight === null || r.proposed_weight === undefined ? '–' : h('span', { class: r.proposed_weight > r.current_weight ? 'gap-pos' : r.proposed_weight < r.current_weight ? 'gap-neg' : null }, `${r.proposed_weight >= r.current_weight ? '+' : ''}${num(r.proposed_weight - r.current_weight, 3)}`));
  mount(main, analyticsTabs('analytics/reweighting', user), h('h1', {}, `${t('an.reweighting')} · ${family(fam)}`),
    selectors(items, cycle, fam, go),
    h('div', { class: 'card', 'data-testid': 'reweighting-panel' },
      h('h2', {}, t('an.reweighting'), ' ', info('an.tip.reweighting', { step: num(g.step, 2), floor: num(g.floor, 2), k: num(g.shrinkage_n, 0), folds: g.folds })),
      finding(gainSentence(p), 'gain-sentence'), population(out.population),
      h('p', { class: 'muted', 'data-testid': 'guards' }, t('an.guards', { min: num(p.minimum_n, 0), n: num(p.n, 0), step: num(g.step, 2), floor: num(g.floor, 2), lambda: num(g.shrinkage, 2) })),
      chartEl,
      table([
        { key: 'dimension', label: t('cand.dimension'), render: (r) => dimension(r.dimension) },
        { key: 'validity', label: t('an.pearson'), num: true, render: (r) => r2(r.validity) },
        { key: 'p_adjusted', label: t('an.p_adjusted'), num: true, render: (r) => pValue(r.p_adjusted) },
        { key: 'baseline_weight', label: t('an.baseline_weight'), num: true, render: (r) => num(r.baseline_weight, 3) },
        { key: 'current_weight', label: t('an.current_weight'), num: true, render: (r) => num(r.current_weight, 3) },
        { key: 'proposed_weight', label: t('an.proposed_weight'), num: true, render: (r) => num(r.proposed_weight, 3) },
        { key: 'change', label: t('an.change'), num: true, render: change },
      ], out.items.map((r) => ({ ...r, id: r.dimension })), { testid: 'reweighting' }),
      h('div', { class: 'toolbar' }, downloads(`/analytics/reweighting/${fam}`, { cycle_id: cycle.id })),
      p.approvable ? h('div', { class: 'toolbar', 'data-testid': 'approval' }, h('strong', {}, t('an.approve_ask')), reason, approve)
        : h('p', { class: 'notice', 'data-testid': 'approval-blocked' }, blockedSentence(p)),
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
      { key: 'name', label: t('an.pool'), render: (p) => h('a', { href: `#/talent-pools?pool=${p.name}`, class: p.name === name ? 'active' : null, 'data-pool': p.name }, lang() === 'en' ? p.name : p.name_zh) },
      { key: 'description', label: t('an.pool_description'), render: (p) => h('span', { class: 'muted' }, enumLabel('pool_description', p.name)) },
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
    catch (err) { result.className = 'error'; result.textContent = errorText(err); }
  } }, t(`an.decision.${d}`))));
}
