// HR creates a requisition: the interview dimensions with weights that sum to 1 and their bars, the
// screening keywords with their aliases, the headcount, the department and the salary band.
import { post } from './api.js';
import { h, mount } from './dom.js';
import { dimension, family, num, t, terms } from './i18n.js';
import { departmentChoices, errorText, withUnit } from './ui.js';

// "金融从业经验：银行工作经历，证券从业" → { term, aliases }; one keyword a line.
export function parseKeywords(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [term, rest = ''] = line.split(/[:：]/, 2);
    return { term: term.trim(), aliases: rest.split(/[,，、;；]/).map((a) => a.trim()).filter(Boolean) };
  });
}

const round = (x) => Math.round(x * 10000) / 10000;

export async function requisitionFormPage(main) {
  const departments = await departmentChoices('departments');
  const title = h('input', { required: true, maxlength: 200, size: 40, 'data-testid': 'req-title' });
  const department = h('input', { required: true, maxlength: 100, 'data-testid': 'req-department', list: 'departments' });
  const roleFamily = h('select', { 'data-testid': 'req-family' }, terms('families').map((f) => h('option', { value: f }, family(f))));
  const headcount = h('input', { type: 'number', min: 1, max: 10000, step: 1, value: 1, required: true, 'data-testid': 'req-headcount' });
  const salaryMin = h('input', { type: 'number', min: 0, max: 10000000, step: 1000, required: true, 'data-testid': 'req-salary-min' });
  const salaryMax = h('input', { type: 'number', min: 0, max: 10000000, step: 1000, required: true, 'data-testid': 'req-salary-max' });
  const ratio = h('input', { type: 'number', min: 1, max: 100, step: 1, value: 30, 'data-testid': 'req-ratio' });
  const required = h('textarea', { rows: 3, cols: 50, 'data-testid': 'req-required', placeholder: t('reqform.keywords_hint') });
  const preferred = h('textarea', { rows: 3, cols: 50, 'data-testid': 'req-preferred', placeholder: t('reqform.keywords_hint') });
  const dims = terms('dimensions');
  const rows = dims.map((d) => ({
    d,
    on: h('input', { type: 'checkbox', checked: true, 'data-dimension': d, 'aria-label': dimension(d) }),
    weight: h('input', { type: 'number', min: 0, max: 1, step: 'any', value: round(1 / dims.length), 'data-weight': d, 'aria-label': `${dimension(d)} ${t('reqform.weight')}` }),
    bar: h('input', { type: 'number', min: 0, max: 100, step: 1, 'data-bar': d, 'aria-label': `${dimension(d)} ${t('reqform.bar')}` }),
  }));
  const sum = h('strong', { 'data-testid': 'weight-sum' });
  const total = () => round(rows.filter((r) => r.on.checked).reduce((s, r) => s + (Number(r.weight.value) || 0), 0));
  const showSum = () => {
    const s = total();
    sum.textContent = num(s, 2);
    sum.className = Math.abs(s - 1) < 1e-6 ? 'ok' : 'error';
    rows.forEach((r) => { r.weight.disabled = !r.on.checked; r.bar.disabled = !r.on.checked; });
  };
  const spread = h('button', { type: 'button', class: 'secondary', 'data-testid': 'spread-weights', onclick: () => {
    const on = rows.filter((r) => r.on.checked);
    on.forEach((r, i) => { r.weight.value = i === on.length - 1 ? round(1 - round(1 / on.length) * (on.length - 1)) : round(1 / on.length); });
    showSum();
  } }, t('reqform.spread'));
  rows.forEach((r) => { r.on.addEventListener('change', showSum); r.weight.addEventListener('input', showSum); });
  showSum();
  const result = h('p', { role: 'alert', 'data-testid': 'req-result' });

  const form = h('form', { class: 'card', 'data-testid': 'requisition-form', onsubmit: async (event) => {
    event.preventDefault();
    result.textContent = '';
    result.className = 'error';
    const on = rows.filter((r) => r.on.checked);
    if (!on.length || Math.abs(total() - 1) > 1e-6) { result.textContent = t('reqform.sum_must_be_one', { sum: num(total(), 2) }); return; }
    if (Number(salaryMin.value) > Number(salaryMax.value)) { result.textContent = t('reqform.band_order'); return; }
    const body = {
      title: title.value.trim(),
      department: department.value.trim(),
      role_family: roleFamily.value,
      headcount: Number(headcount.value),
      salary_band: { min: Number(salaryMin.value), max: Number(salaryMax.value), currency: 'CNY', period: 'year' },
      required_keywords: parseKeywords(required.value),
      preferred_keywords: parseKeywords(preferred.value),
      dimension_weights: Object.fromEntries(on.map((r) => [r.d, Number(r.weight.value)])),
      competency_bar: Object.fromEntries(on.filter((r) => r.bar.value !== '').map((r) => [r.d, Number(r.bar.value)])),
      shortlist_ratio: Number(ratio.value) / 100,
    };
    try {
      const created = await post('/requisitions', body);
      location.hash = `#/requisitions/${created.id}`;
    } catch (err) { result.textContent = errorText(err); }
  } },
  h('div', { class: 'form-grid' },
    h('label', {}, t('req.title'), title),
    h('label', {}, t('req.department'), department),
    h('label', {}, t('req.role_family'), roleFamily),
    h('label', {}, t('req.headcount'), withUnit(headcount, t('unit.people'))),
    h('label', {}, t('reqform.salary_min'), withUnit(salaryMin, t('unit.yuan_year'))),
    h('label', {}, t('reqform.salary_max'), withUnit(salaryMax, t('unit.yuan_year'))),
    h('label', {}, t('reqform.ratio'), withUnit(ratio, '%'))),
  h('h2', {}, t('reqform.dimensions')),
  h('div', { class: 'scroll' }, h('table', { 'data-testid': 'dimension-table' },
    h('thead', {}, h('tr', {}, h('th', {}, t('cand.dimension')), h('th', { class: 'num' }, t('reqform.weight')), h('th', { class: 'num' }, t('reqform.bar')))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, h('label', {}, r.on, ' ', dimension(r.d))),
      h('td', { class: 'num' }, r.weight), h('td', { class: 'num' }, withUnit(r.bar, t('unit.points')))))))),
  h('p', { class: 'toolbar' }, t('reqform.sum'), ' ', sum, spread),
  h('h2', {}, t('reqform.keywords')),
  h('div', { class: 'form-grid' },
    h('label', {}, t('reqform.required'), required),
    h('label', {}, t('reqform.preferred'), preferred)),
  h('p', { class: 'toolbar' }, h('button', { type: 'submit', 'data-testid': 'req-submit' }, t('reqform.create')),
    h('a', { href: '#/requisitions' }, t('confirm.cancel'))),
  result);
  mount(main, h('h1', {}, t('reqform.title')), form, departments);
}
