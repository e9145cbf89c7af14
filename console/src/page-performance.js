// Performance management: cycles (HR opens them and enrols employees), an employee's targets with
// the explanation of each, HR's override with a reason, the manager's results and scores, the
// development actions below target, and the employee's history across cycles.
import { ApiError, get, post, query } from './api.js';
import { chart } from './charts.js';
import { h, mount, table } from './dom.js';
import { date, dimension, enumLabel, lang, num, t } from './i18n.js';
import { put } from './page-candidate-panels.js';
import { hasRole } from './session.js';
import { confirmAction, departmentChoices, errorText, withUnit } from './ui.js';

const kpiName = (x) => (lang() === 'en' ? x.name_en : x.name_zh);
const fail = (el) => (err) => {
  el.className = 'error';
  el.textContent = errorText(err);
};

async function optional(promise) {
  try { return await promise; } catch (err) { if (err instanceof ApiError && err.status === 404) return null; throw err; }
}

// -- cycles --------------------------------------------------------------------------------------
export async function cyclesPage(main, { user }) {
  const page = await get('/performance/cycles?limit=50');
  const hr = hasRole(user, ['hr']);
  mount(main, h('h1', {}, t('nav.performance')),
    h('div', { class: 'card' }, table([
      { key: 'name', label: t('perf.cycle'), sort: (c) => c.name, render: (c) => h('a', { href: `#/performance/${c.id}`, 'data-cycle': c.id }, c.name) },
      { key: 'period', label: t('perf.period'), render: (c) => t(`perf.period.${c.period}`) },
      { key: 'start_date', label: t('perf.dates'), sort: (c) => c.start_date, render: (c) => `${c.start_date} – ${c.end_date}` },
      { key: 'talent_threshold', label: t('perf.threshold'), num: true, render: (c) => num(c.talent_threshold) },
      { key: 'status', label: t('emp.status'), render: (c) => h('span', { class: 'tag', 'data-status': c.status }, t(`perf.status.${c.status}`)) },
    ], page.items, { empty: t('perf.no_cycles'), testid: 'cycles' })),
    hr ? openCycleForm(() => cyclesPage(main, { user })) : null);
}

function openCycleForm(reload) {
  const name = h('input', { size: 20, placeholder: '2027 Q1', 'data-testid': 'cycle-name', required: true });
  const period = h('select', { 'data-testid': 'cycle-period' }, ['quarter', 'half', 'year'].map((p) => h('option', { value: p }, t(`perf.period.${p}`))));
  const start = h('input', { type: 'date', required: true, 'data-testid': 'cycle-start' });
  const end = h('input', { type: 'date', required: true, 'data-testid': 'cycle-end' });
  const result = h('p');
  return h('form', { class: 'card toolbar', 'data-testid': 'open-cycle', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await post('/performance/cycles', { name: name.value, period: period.value, start_date: start.value, end_date: end.value });
      await reload();
    } catch (err) { fail(result)(err); }
  } }, h('strong', {}, t('perf.open')), h('label', {}, t('perf.cycle'), ' ', name), h('label', {}, t('perf.period'), ' ', period),
  h('label', {}, t('perf.start'), ' ', start), h('label', {}, t('perf.end'), ' ', end), h('button', { type: 'submit' }, t('perf.open')), result);
}

// -- one cycle: the department's employees, their records; HR enrols --------------------------------
const SHOWN = 100; // employees shown per page view: their records come in one request

export async function cyclePage(main, { id, user, query: params }) {
  const hr = hasRole(user, ['hr']);
  const department = hr ? (params.get('department') || user.department || '零售金融部') : null;
  const [cycle, staff] = await Promise.all([get(`/performance/cycles/${id}`), get(`/employees${query({ department, limit: 100 })}`)]);
  const people = staff.items.filter((e) => e.status !== 'departed').slice(0, SHOWN);
  const found = people.length ? await get(`/performance/cycles/${id}/records${query({ employee_ids: people.map((e) => e.id).join(',') })}`) : { items: [] };
  const records = new Map(found.items.map((r) => [r.employee_id, r]));
  const rows = people.map((e) => ({ ...e, record: records.get(e.id) || null }));
  const picked = new Map();
  const result = h('p', { 'data-testid': 'enrol-result' });
  const input = hr ? h('input', { value: department, size: 16, list: 'cycle-departments', 'data-testid': 'department' }) : null;
  const choices = hr ? await departmentChoices('cycle-departments', user) : null;
  const canEnrol = hr && cycle.status === 'open';
  mount(main, h('h1', {}, cycle.name, ' ', h('span', { class: 'tag' }, t(`perf.status.${cycle.status}`))),
    h('p', { class: 'muted' }, `${t(`perf.period.${cycle.period}`)} · ${cycle.start_date} – ${cycle.end_date} · ${t('perf.rule', { pivot: num(cycle.target_rule.pivot), max: num(cycle.target_rule.max_shift_points) })} · ${t('perf.threshold')} ${num(cycle.talent_threshold)}`),
    h('p', { class: 'toolbar' }, h('a', { href: '#/performance' }, `← ${t('nav.performance')}`)),
    hr ? h('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); location.hash = `#/performance/${id}?department=${encodeURIComponent(input.value.trim())}`; } },
      h('label', {}, t('emp.department'), ' ', input), choices, h('button', { type: 'submit' }, t('emp.load'))) : null,
    h('div', { class: 'card' }, h('h2', {}, `${t('perf.people')} · ${staff.department}`), table([
      canEnrol ? { key: 'pick', label: '', render: (r) => (r.record ? '' : (() => { const box = h('input', { type: 'checkbox', 'data-employee': r.id }); picked.set(r.id, box); return box; })()) } : null,
      { key: 'name', label: t('app.name'), sort: (r) => r.name, render: (r) => (r.record ? h('a', { href: `#/performance/${id}/${r.id}`, 'data-employee': r.id }, r.name) : r.name) },
      { key: 'title', label: t('emp.title') },
      { key: 'status', label: t('emp.status'), render: (r) => h('span', { class: 'tag', 'data-record': r.record ? r.record.status : 'none' }, r.record ? t(`perf.record.${r.record.status}`) : t('perf.not_enrolled')) },
      { key: 'score', label: t('perf.overall'), num: true, sort: (r) => r.record?.overall_score ?? null, render: (r) => num(r.record?.overall_score) },
      { key: 'below', label: t('perf.below'), num: true, render: (r) => (r.record ? num(r.record.development.length, 0) : '') },
      { key: 'pools', label: t('perf.pools'), render: (r) => (r.record?.talent_proposals || []).map((p) => h('span', { class: 'tag strength' }, enumLabel('pool', p))) },
    ].filter(Boolean), rows, { empty: t('emp.none'), testid: 'cycle-people' }),
    canEnrol ? h('div', { class: 'toolbar' }, h('button', { 'data-testid': 'enrol', onclick: async () => {
      const ids = [...picked].filter(([, box]) => box.checked).map(([eid]) => eid);
      if (!ids.length) return;
      try {
        const out = await post(`/performance/cycles/${id}/enrolments`, { employee_ids: ids });
        result.className = '';
        result.textContent = t('perf.enrolled', { n: out.created.length });
        await cyclePage(main, { id, user, query: params });
      } catch (err) { fail(result)(err); }
    } }, t('perf.enrol'))) : null, result));
}

// -- one employee's record in a cycle, and the history ----------------------------------------------
export async function recordPage(main, { id, employee, user }) {
  const [cycle, emp, record, history] = await Promise.all([
    get(`/performance/cycles/${id}`), get(`/employees/${employee}`),
    optional(get(`/performance/cycles/${id}/employees/${employee}`)), get(`/employees/${employee}/performance`)]);
  const hr = hasRole(user, ['hr']);
  const mayRecord = hasRole(user, ['hr', 'manager']) && cycle.status === 'open';
  const reload = () => recordPage(main, { id, employee, user });
  const historyChart = h('div', { class: 'chart small', 'data-testid': 'history-chart' });
  mount(main, h('h1', {}, `${emp.name} · ${cycle.name}`),
    h('p', { class: 'muted' }, `${emp.department} · ${emp.title} · ${emp.grade}`, ' · ', h('a', { href: `#/employees/${emp.id}` }, t('perf.employee_page')), ' · ',
      h('a', { href: `#/performance/${id}` }, t('perf.cycle'))),
    record ? recordCard(record, cycle, { hr, mayRecord, reload }) : h('p', { class: 'notice' }, t('perf.not_enrolled')),
    h('div', { class: 'card', 'data-testid': 'history' }, h('h2', {}, t('perf.history')), historyChart, table([
      { key: 'cycle_name', label: t('perf.cycle'), render: (r) => h('a', { href: `#/performance/${r.cycle_id}/${employee}` }, r.cycle_name) },
      { key: 'period', label: t('perf.period'), render: (r) => t(`perf.period.${r.period}`) },
      { key: 'status', label: t('emp.status'), render: (r) => t(`perf.record.${r.status}`) },
      { key: 'overall_score', label: t('perf.overall'), num: true, render: (r) => num(r.overall_score) },
      { key: 'development', label: t('perf.below'), num: true, render: (r) => num(r.development.length, 0) },
      { key: 'pools', label: t('perf.pools'), render: (r) => r.talent_proposals.map((p) => h('span', { class: 'tag strength' }, enumLabel('pool', p))) },
    ], history.items.map((r) => ({ ...r, id: r.cycle_id })), { testid: 'history-table' })));
  const scored = history.items.filter((r) => r.overall_score !== null && r.overall_score !== undefined);
  if (scored.length) {
    chart(historyChart, {
      tooltip: { trigger: 'axis' }, grid: { left: 40, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: scored.map((r) => r.cycle_name) },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [{ type: 'line', data: scored.map((r) => r.overall_score), itemStyle: { color: '#a4161a' }, label: { show: true } },
        { type: 'line', data: scored.map(() => 80), lineStyle: { type: 'dashed', color: '#61707f' }, symbol: 'none', name: t('perf.met') }],
    });
  } else { historyChart.remove(); }
}

// Ten times below or above the target (a target of 0 excepted).
const implausible = (actual, target) => target > 0 && (actual < target / 10 || actual > target * 10);

function recordCard(record, cycle, { hr, mayRecord, reload }) {
  const result = h('p', { 'data-testid': 'record-result' });
  const actuals = new Map();
  const base = `/performance/cycles/${cycle.id}/employees/${record.employee_id}`;
  const columns = [
    { key: 'kpi', label: t('perf.kpi'), render: (x) => [h('strong', {}, kpiName(x)), h('br'), h('span', { class: 'muted' }, `${dimension(x.dimension)} · ${x.direction === 'higher' ? '↑' : '↓'} · ${t('prob.weight')} ${num(x.weight * 100, 0)}%`)] },
    { key: 'interview_score', label: t('perf.interview'), num: true, render: (x) => num(x.interview_score) },
    { key: 'baseline_target', label: t('perf.baseline'), num: true, render: (x) => `${num(x.baseline_target, 2)} ${enumLabel('unit', x.unit)}` },
    { key: 'target', label: t('prob.target'), num: true, render: (x) => h('strong', { 'data-testid': 'target-value', 'data-kpi': x.kpi_id }, `${num(x.target, 2)} ${enumLabel('unit', x.unit)}`) },
    { key: 'reason', label: t('perf.reason'), render: (x) => [h('span', { class: x.overridden_by ? 'tag weak' : null }, x.overridden_by ? t('perf.overridden', { by: x.overridden_by }) : null), h('span', { class: 'muted', 'data-testid': 'target-reason' }, x.reason)] },
    { key: 'actual', label: t('perf.actual'), num: true, render: (x) => (mayRecord && !x.excluded ? (() => {
      const input = h('input', { type: 'number', step: 'any', min: 0, size: 7, value: x.actual ?? '', 'data-testid': 'actual', 'data-kpi': x.kpi_id, 'aria-label': `${kpiName(x)} (${enumLabel('unit', x.unit)})` });
      actuals.set(x.kpi_id, input);
      return withUnit(input, enumLabel('unit', x.unit));
    })() : num(x.actual, 2)) },
    { key: 'score', label: t('perf.score'), num: true, render: (x) => (x.excluded ? h('span', { class: 'tag', 'data-testid': 'excluded', 'data-kpi': x.kpi_id }, t('perf.excluded'))
      : h('span', { 'data-testid': 'kpi-score', 'data-kpi': x.kpi_id, class: x.score === null || x.score === undefined ? null : x.score < 80 ? 'gap-neg' : 'gap-pos' }, num(x.score))) },
  ];
  if (hr && cycle.status === 'open') columns.push({ key: 'override', label: t('perf.override'), render: (x) => overrideForm(x, record, base, reload, result) });
  const entered = record.targets.filter((x) => x.score !== null && x.score !== undefined).length;
  return h('div', { class: 'card', 'data-testid': 'record', 'data-status': record.status },
    h('h2', {}, t('perf.targets'), ' ', h('span', { class: record.status === 'partial' ? 'tag weak' : 'tag', 'data-testid': 'record-status' }, t(`perf.record.${record.status}`)),
      record.overall_score !== null && record.overall_score !== undefined ? h('span', { class: 'tag strength', 'data-testid': 'overall-score' }, `${t('perf.overall')} ${num(record.overall_score)}`) : null),
    h('p', { class: 'muted' }, t('perf.scoring_note')),
    record.status === 'partial' ? h('p', { class: 'notice', 'data-testid': 'partial-note' }, t('perf.results_entered', { k: num(entered, 0), n: num(record.targets.length, 0) })) : null,
    record.closure ? h('p', { class: 'notice', 'data-testid': 'closure' }, t('perf.closed', { by: record.closure.by, n: num(record.closure.excluded.length, 0), reason: record.closure.reason })) : null,
    table(columns, record.targets.map((x) => ({ ...x, id: x.kpi_id })), { testid: 'targets' }),
    hr && record.status === 'partial' ? closeForm(record, base, reload, result) : null,
    mayRecord ? h('div', { class: 'toolbar' }, h('button', { 'data-testid': 'save-results', onclick: async () => {
      const results = [...actuals].filter(([, input]) => input.value !== '').map(([kpi, input]) => ({ kpi_id: kpi, actual: Number(input.value) }));
      if (!results.length) { result.className = 'error'; result.textContent = t('perf.no_results'); return; }
      // A result ten times off its target is most likely in the wrong unit (3 typed for 78.6 %): named
      // in the confirmation, and marked, before anything is scored.
      const odd = results.map((r) => [r, record.targets.find((x) => x.kpi_id === r.kpi_id)])
        .filter(([r, x]) => x && implausible(r.actual, x.target));
      actuals.forEach((input, kpi) => input.setAttribute('aria-invalid', String(odd.some(([r]) => r.kpi_id === kpi))));
      const warning = odd.map(([r, x]) => t('perf.implausible_one', { kpi: kpiName(x), actual: num(r.actual, 2), target: num(x.target, 2), unit: enumLabel('unit', x.unit) })).join('；');
      if (!(await confirmAction(`${odd.length ? `${t('perf.implausible', { list: warning })} ` : ''}${t('confirm.results', { n: results.length })}`))) return;
      try { await post(`${base}/results`, { results, version: record.version }); await reload(); } catch (err) { fail(result)(err); }
    } }, t('perf.save_results'))) : null,
    record.development.length ? [h('h3', {}, t('perf.development')), record.development.map((d) => developmentItem(d, record, base, mayRecord, reload, result))] : null,
    record.talent_proposals.length ? h('p', {}, `${t('perf.pools')}: `, record.talent_proposals.map((p) => h('a', { class: 'tag strength', href: `#/talent-pools?pool=${p}` }, enumLabel('pool', p)))) : null,
    result);
}

// HR closes a partial record: the KPIs without a result are excluded, with the reason (audited).
function closeForm(record, base, reload, result) {
  const reason = h('input', { size: 36, placeholder: t('perf.close_reason'), 'data-testid': 'close-reason' });
  return h('div', { class: 'toolbar', 'data-testid': 'close-record' }, reason, h('button', { class: 'secondary', 'data-testid': 'close', onclick: async () => {
    if (!(await confirmAction(t('confirm.close_record', { n: record.targets.filter((x) => x.score === null || x.score === undefined).length })))) return;
    try { await post(`${base}/closure`, { reason: reason.value, version: record.version }); await reload(); }
    catch (err) { fail(result)(err); }
  } }, t('perf.close')));
}

function overrideForm(x, record, base, reload, result) {
  const target = h('input', { type: 'number', step: 'any', min: 0, size: 6, value: x.target, 'data-testid': 'override-target', 'data-kpi': x.kpi_id });
  const reason = h('input', { size: 14, placeholder: t('cand.reason'), 'data-testid': 'override-reason', 'data-kpi': x.kpi_id });
  return h('span', { class: 'toolbar' }, target, reason, h('button', { class: 'secondary', 'data-testid': 'override', 'data-kpi': x.kpi_id, onclick: async () => {
    try { await put(`${base}/targets/${encodeURIComponent(x.kpi_id)}`, { target: Number(target.value), reason: reason.value, version: record.version }); await reload(); }
    catch (err) { fail(result)(err); }
  } }, t('perf.override')));
}

function developmentItem(d, record, base, mayConfirm, reload, result) {
  const action = h('input', { size: 40, placeholder: t('perf.action'), 'data-testid': 'development-action' });
  const report = d.interview_report || {};
  return h('div', { class: 'check', 'data-testid': 'development', 'data-kpi': d.kpi_id, 'data-status': d.status },
    h('p', {}, h('strong', {}, dimension(d.dimension)), ` · ${t('perf.score')} ${num(d.kpi_score)} · ${t('perf.interview')} ${num(report.interview_score)} / ${t('cand.bar')} ${num(report.competency_bar, 0)}`),
    d.recommended_courses?.length ? h('ul', {}, d.recommended_courses.map((c) => h('li', {}, `${lang() === 'en' ? c.title_en : c.title_zh} · ${num(c.hours)} h`))) : null,
    d.status === 'confirmed' ? h('p', { class: 'muted' }, `${t('perf.action')}: ${d.action} (${d.confirmed_by}, ${date(d.confirmed_at)})`)
      : mayConfirm ? h('div', { class: 'toolbar' }, action, h('button', { class: 'secondary', onclick: async () => {
        try { await post(`${base}/development/${encodeURIComponent(d.kpi_id)}`, { action: action.value, version: record.version }); await reload(); }
        catch (err) { fail(result)(err); }
      } }, t('perf.confirm_action'))) : null);
}
