// After the offer: the onboarding board per team (IT sees only its own), the employees, an
// employee's tasks, training plan and probation (progress bars per goal, goals, the decision), and
// the attrition chart.
import { get, post, query } from './api.js';
import { chart } from './charts.js';
import { h, mount, table } from './dom.js';
import { date, dimension, enumLabel, lang, num, t } from './i18n.js';
import { analyticsTabs } from './page-analytics.js';
import { patch, put } from './page-candidate-panels.js';
import { hasRole } from './session.js';
import { confirmAction, departmentChoices, errorText } from './ui.js';

const TEAMS = ['it', 'admin', 'hr'];
const STATUSES = ['open', 'in_progress', 'done', 'blocked'];
const NEXT = { open: ['in_progress', 'done', 'blocked'], in_progress: ['done', 'blocked'], blocked: ['in_progress', 'done'], done: ['in_progress'] };
const title = (x) => (lang() === 'en' ? x.title_en : x.title_zh);

function bar(pct, testid) {
  const value = Math.max(0, Math.min(100, pct ?? 0));
  return h('span', { class: 'progress', 'data-testid': testid, 'data-value': String(pct ?? 0), role: 'progressbar', 'aria-valuenow': String(value), 'aria-valuemin': '0', 'aria-valuemax': '100' },
    h('span', { class: 'fill', style: `width:${value}%` }), h('span', { class: 'label' }, `${num(pct ?? 0)}%`));
}

// -- the onboarding board ------------------------------------------------------------------------
export async function onboardingBoard(main, { user, query: params }) {
  const it = !hasRole(user, ['hr']);
  const team = it ? 'it' : (TEAMS.includes(params.get('team')) ? params.get('team') : 'it');
  const items = [];
  let token = null;
  do {
    const page = await get(`/onboarding/tasks${query({ team, limit: 200, next_token: token })}`);
    items.push(...page.items);
    token = page.next_token;
  } while (token && items.length < 1000);
  const picker = it ? null : h('div', { class: 'toolbar', 'data-testid': 'team-picker' }, `${t('board.team')}: `,
    TEAMS.map((x) => h('a', { href: `#/onboarding?team=${x}`, class: `tab${x === team ? ' active' : ''}`, 'data-team': x }, t(`board.team.${x}`))));
  const reload = () => onboardingBoard(main, { user, query: params });
  mount(main, h('h1', {}, `${t('nav.onboarding')} · ${t(`board.team.${team}`)}`),
    it ? h('p', { class: 'notice', 'data-testid': 'it-notice' }, t('home.it_board')) : null, picker,
    h('div', { class: 'board', 'data-testid': 'board', 'data-team': team }, STATUSES.map((status) => {
      const cards = items.filter((x) => x.status === status);
      return h('section', { class: 'column', 'data-status': status },
        h('h2', {}, `${t(`board.status.${status}`)} (${cards.length})`),
        cards.length ? cards.map((task) => taskCard(task, reload)) : h('p', { class: 'muted' }, t('board.empty')));
    })));
}

function taskCard(task, reload) {
  const error = h('p', { class: 'error' });
  return h('article', { class: `task${task.escalated_at ? ' escalated' : ''}`, 'data-testid': 'task', 'data-task': task.id, 'data-status': task.status },
    h('strong', {}, title(task)), h('p', {}, `${task.name} · ${task.department} · ${task.title}`),
    h('p', { class: 'muted' }, `${t('board.due')} ${task.due_date} · ${t('emp.start_date')} ${task.start_date}${task.assignee ? ` · ${task.assignee}` : ''}`),
    task.escalated_at ? h('span', { class: 'tag weak' }, t('board.escalated')) : null,
    task.systems?.length ? h('p', {}, `${t('board.systems')}: `, task.systems.map((s) => h('span', { class: 'tag' }, `${lang() === 'en' ? s.name_en : s.name_zh} (${s.access})`))) : null,
    task.notes ? h('p', { class: 'muted' }, task.notes) : null,
    h('div', { class: 'toolbar' }, NEXT[task.status].map((to) => h('button', { class: 'secondary', 'data-to': to, onclick: async (ev) => {
      ev.target.disabled = true;
      try { await patch(`/onboarding/tasks/${encodeURIComponent(task.id)}`, { status: to, version: task.version }); await reload(); }
      catch (err) { error.textContent = errorText(err); ev.target.disabled = false; }
    } }, t(`board.status.${to}`)))), error);
}

// -- employees -----------------------------------------------------------------------------------
export async function employeesPage(main, { user, query: params }) {
  const hr = hasRole(user, ['hr']);
  const department = hr ? (params.get('department') || user.department || '零售金融部') : null;
  const input = hr ? h('input', { value: department, size: 16, list: 'employee-departments', 'data-testid': 'department' }) : null;
  const [page, choices] = await Promise.all([get(`/employees${query({ department, limit: 100 })}`), hr ? departmentChoices('employee-departments', user) : null]);
  mount(main, h('h1', {}, `${t('nav.employees')} · ${page.department}`),
    hr ? h('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); location.hash = `#/employees?department=${encodeURIComponent(input.value.trim())}`; } },
      h('label', {}, t('emp.department'), ' ', input), choices, h('button', { type: 'submit' }, t('emp.load'))) : null,
    h('div', { class: 'card' }, table([
      { key: 'name', label: t('app.name'), sort: (r) => r.name, render: (r) => h('a', { href: `#/employees/${r.id}` }, r.name) },
      { key: 'title', label: t('emp.title'), sort: (r) => r.title },
      { key: 'start_date', label: t('emp.start_date'), sort: (r) => r.start_date },
      { key: 'status', label: t('emp.status'), render: (r) => t(`emp.status.${r.status}`) },
    ], page.items, { empty: t('emp.none'), testid: 'employees' })));
}

export async function employeePage(main, { id, user }) {
  const [emp, tasks, training, probation] = await Promise.all([
    get(`/employees/${id}`), get(`/employees/${id}/tasks`), noPlan(get(`/employees/${id}/training`)), get(`/employees/${id}/probation`)]);
  const probationEl = h('div', { class: 'card', 'data-testid': 'probation' });
  mount(main, h('h1', {}, emp.name, ' ', h('span', { class: 'tag' }, t(`emp.status.${emp.status}`))),
    h('p', { class: 'muted' }, `${emp.department} · ${emp.title} · ${emp.grade} · ${t('emp.start_date')} ${emp.start_date}`),
    probationEl,
    h('div', { class: 'grid' },
      h('div', { class: 'card', 'data-testid': 'training' }, h('h2', {}, t('emp.training')), trainingPlan(training)),
      h('div', { class: 'card' }, h('h2', {}, t('emp.tasks')), table([
        { key: 'team', label: t('board.team'), render: (r) => t(`board.team.${r.team}`) },
        { key: 'title', label: t('prob.goal'), render: (r) => title(r) },
        { key: 'due_date', label: t('board.due'), sort: (r) => r.due_date },
        { key: 'status', label: t('emp.status'), render: (r) => h('span', { class: 'tag', 'data-status': r.status }, t(`board.status.${r.status}`)) },
      ], tasks.items, { testid: 'employee-tasks', empty: t('emp.no_tasks') }))));
  probationPanel(probationEl, emp, probation, user, () => employeePage(main, { id, user }));
}

// An employee without a training plan (none was needed, or hired before plans existed): 404 → empty.
async function noPlan(promise) {
  try { return await promise; } catch (err) { if (err.status === 404) return { dimensions: [] }; throw err; }
}

function trainingPlan(plan) {
  if (!plan.dimensions.length) return h('p', { class: 'muted' }, t('emp.no_training'));
  return plan.dimensions.map((d) => h('div', { class: 'plan-dimension', 'data-dimension': d.dimension },
    h('p', {}, h('strong', {}, dimension(d.dimension)), ` ${t('cand.score')} ${num(d.score)} / ${t('cand.bar')} ${num(d.bar, 0)} · ${t('emp.reassess_due')} ${d.reassess_due}`),
    h('ul', {}, d.courses.map((c) => h('li', {}, `${title(c)} · ${num(c.hours)} h · ${c.format}`))),
    d.assessments.map((a) => h('p', { class: 'muted' }, `${num(a.score)} · ${a.comment} (${a.assessed_by}, ${date(a.assessed_at)})`))));
}

function probationPanel(el, emp, p, user, reload) {
  const editable = ['proposed', 'draft'].includes(p.status) && hasRole(user, ['hr', 'manager']);
  const result = h('p', { 'data-testid': 'probation-result' });
  const fail = (err) => { result.textContent = errorText(err); result.className = 'error'; };
  const weights = new Map();
  const targets = new Map();
  const goals = table([
    { key: 'title', label: t('prob.goal'), render: (g) => [h('strong', {}, title(g)), h('br'), h('span', { class: 'muted' }, `${dimension(g.dimension)} · ${lang() === 'en' ? g.progress_en : g.progress_zh}`)] },
    { key: 'weight', label: t('prob.weight'), num: true, render: (g) => (editable ? put1(weights, g.id, g.weight, 'weight') : `${g.weight}%`) },
    { key: 'target', label: t('prob.target'), num: true, render: (g) => (editable ? put1(targets, g.id, g.target, 'target') : num(g.target)) },
    { key: 'completion_pct', label: '', render: (g) => bar(g.completion_pct, 'goal-progress') },
  ], p.goals.map((g) => ({ ...g })), { testid: 'goals' });
  const goalInputs = () => p.goals.map((g) => ({
    id: g.id, dimension: g.dimension, title_zh: g.title_zh, title_en: g.title_en, target: Number(targets.get(g.id).value),
    unit_zh: g.unit_zh, unit_en: g.unit_en, measure: g.measure, weight: Number(weights.get(g.id).value),
  }));
  const save = async () => { await put(`/employees/${emp.id}/probation/goals`, { goals: goalInputs(), version: p.status === 'draft' ? p.version : undefined }); };
  mount(el, h('h2', {}, t('prob.title'), ' ', h('span', { class: 'tag', 'data-testid': 'probation-status' }, t(`prob.status.${p.status}`))),
    h('p', {}, lang() === 'en' ? p.summary_en : p.summary_zh),
    h('p', { class: 'toolbar' }, `${t('prob.weighted')} `, bar(p.weighted_completion, 'weighted-completion'),
      p.elapsed_pct !== null && p.elapsed_pct !== undefined ? [` ${t('prob.elapsed')} `, bar(p.elapsed_pct, 'elapsed')] : null,
      p.lagging ? h('span', { class: 'tag weak' }, t('prob.lagging')) : null,
      p.phase ? h('span', { class: 'muted' }, ` ${t('prob.phase')}: ${enumLabel('phase', p.phase)}`) : null,
      p.outcome ? h('span', { class: 'tag' }, `${t('prob.outcome')}: ${p.outcome}`) : null),
    goals,
    editable ? h('div', { class: 'toolbar' },
      h('button', { class: 'secondary', 'data-testid': 'save-goals', onclick: async () => { try { await save(); await reload(); } catch (err) { fail(err); } } }, t('prob.save')),
      h('span', { class: 'muted' }, t('prob.months')),
      h('button', { 'data-testid': 'confirm-goals', onclick: async () => {
        try {
          await save();
          await post(`/employees/${emp.id}/probation/confirm`, {});
          await reload();
        } catch (err) { fail(err); }
      } }, t('prob.confirm'))) : null,
    p.status === 'running' && hasRole(user, ['hr', 'manager']) ? progressForm(emp, p, reload, fail) : null,
    p.awaiting_decision && hasRole(user, ['manager']) ? decisionForm(emp, reload, fail) : null,
    result);
}

function put1(map, id, value, kind) {
  const input = h('input', { type: 'number', value, min: kind === 'weight' ? 1 : 0, max: kind === 'weight' ? 100 : undefined, size: 5, 'data-goal': id, 'data-field': kind });
  map.set(id, input);
  return input;
}

// The manager (or HR) records progress on one goal; the bars above are redrawn from the answer.
function progressForm(emp, p, reload, fail) {
  const goal = h('select', { 'data-testid': 'progress-goal' }, p.goals.map((g) => h('option', { value: g.id }, title(g))));
  const amount = h('input', { type: 'number', step: 'any', min: 0, size: 5, value: 1, 'data-testid': 'progress-amount' });
  const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  const day = h('input', { type: 'date', value: today, 'data-testid': 'progress-date' });
  const note = h('input', { size: 24, placeholder: t('prob.note'), 'data-testid': 'progress-note' });
  return h('form', { class: 'toolbar', 'data-testid': 'progress-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await post(`/employees/${emp.id}/probation/progress`, { goal_id: goal.value, amount: Number(amount.value), date: day.value, note: note.value || undefined });
      await reload();
    } catch (err) { fail(err); }
  } }, h('strong', {}, t('prob.progress')), goal, h('label', {}, t('prob.amount'), ' ', amount), day, note,
  h('button', { type: 'submit', 'data-testid': 'record-progress' }, t('prob.record')));
}

function decisionForm(emp, reload, fail) {
  const reason = h('input', { size: 30, placeholder: t('cand.reason'), 'data-testid': 'decision-reason' });
  const end = h('input', { type: 'date', 'data-testid': 'decision-end' });
  const decide = (decision) => h('button', { class: decision === 'confirm' ? null : 'secondary', 'data-decision': decision, onclick: async () => {
    if (!(await confirmAction(t(`confirm.probation.${decision}`, { name: emp.name || emp.id })))) return;
    try {
      await post(`/employees/${emp.id}/probation/decision`, {
        decision, reason: decision === 'confirm' ? undefined : reason.value, new_end_date: decision === 'extend' ? end.value : undefined });
      await reload();
    } catch (err) { fail(err); }
  } }, t(`prob.decide.${decision}`));
  return h('div', { class: 'toolbar', 'data-testid': 'probation-decision' }, h('strong', {}, t('prob.decision')), reason,
    h('label', {}, t('prob.new_end'), ' ', end), decide('confirm'), decide('extend'), decide('not_confirm'));
}

// -- attrition -----------------------------------------------------------------------------------
// Every month of the report's period (YYYY-MM, in order), those without a hire included.
function everyMonth(cohorts, since, until) {
  const month = (x) => (/^\d{4}-\d{2}/.test(x || '') ? x.slice(0, 7) : null);
  const from = month(since) || cohorts[0]?.cohort;
  const to = month(until) || cohorts[cohorts.length - 1]?.cohort;
  if (!from || !to) return cohorts;
  const byMonth = new Map(cohorts.map((c) => [c.cohort, c]));
  const [first, last] = [from, to].map((m) => m.split('-').map(Number));
  const out = [];
  for (let [y, m] = first; y < last[0] || (y === last[0] && m <= last[1]); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(byMonth.get(key) || { cohort: key, hires: 0, rate_percent: null });
  }
  return out;
}

export async function attritionPage(main, { query: params, user }) {
  const report = await get(`/analytics/attrition${query({ window: params.get('window') || '90d', since: params.get('since'), until: params.get('until') })}`);
  const el = h('div', { class: 'chart', 'data-testid': 'attrition-chart' });
  mount(main, analyticsTabs('attrition', user), h('h1', {}, t('attr.title')),
    h('p', { class: 'muted' }, `${report.since} – ${report.until} · ${t('attr.window')} ${report.window_days} · ${t('attr.total')}: ${num(report.total.departures, 0)} / ${num(report.total.hires, 0)} = ${num(report.total.rate_percent)}%`),
    h('div', { class: 'card' }, el),
    h('div', { class: 'card' }, table([
      { key: 'cohort', label: t('attr.cohort'), sort: (r) => r.cohort },
      { key: 'title', label: t('req.title'), render: (r) => r.title ?? t('attr.total') },
      { key: 'department', label: t('req.department') },
      { key: 'hires', label: t('attr.hires'), num: true, render: (r) => num(r.hires, 0) },
      { key: 'departures', label: t('attr.departures'), num: true, render: (r) => num(r.departures, 0) },
      { key: 'rate_percent', label: t('attr.rate'), num: true, sort: (r) => r.rate_percent, render: (r) => num(r.rate_percent) },
      { key: 'interval', label: t('attr.interval'), num: true, render: (r) => `${num(r.rate_low_percent)} – ${num(r.rate_high_percent)}` },
      { key: 'complete', label: t('attr.complete'), render: (r) => (r.complete ? '✓' : '…') },
    ], report.rows, { testid: 'attrition' })));
  // Every month of the period is on the axis: a month without hires is a gap, not skipped.
  const cohorts = everyMonth(report.cohorts, report.since, report.until);
  chart(el, {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, data: [t('attr.rate'), t('attr.hires')] },
    xAxis: { type: 'category', data: cohorts.map((c) => c.cohort) },
    yAxis: [{ type: 'value', name: t('attr.rate'), min: 0 }, { type: 'value', name: t('attr.hires'), min: 0 }],
    series: [
      { name: t('attr.hires'), type: 'bar', yAxisIndex: 1, data: cohorts.map((c) => c.hires ?? 0), itemStyle: { color: '#c9d3dd' } },
      { name: t('attr.rate'), type: 'line', connectNulls: false, data: cohorts.map((c) => c.rate_percent ?? '-'), itemStyle: { color: '#a4161a' }, label: { show: true, formatter: (p) => `${num(p.value)}%` } },
    ],
  });
}
