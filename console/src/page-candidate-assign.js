// HR assigns the second-interview interviewers of an application (they may then read its AI report
// and evaluate it); the API replaces the whole list.
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { put } from './page-candidate-panels.js';
import { errorText } from './ui.js';

export function interviewersPanel(el, archive, reload) {
  const current = archive.interviewers || [];
  const names = h('input', { size: 40, value: current.join(', '), placeholder: 'interviewer.demo, …', 'data-testid': 'interviewers-input' });
  const result = h('p', { 'data-testid': 'interviewers-result' });
  const list = h('span', { 'data-testid': 'interviewers' }, current.length ? current.map((u) => h('span', { class: 'tag' }, u)) : h('span', { class: 'muted' }, t('assign.none')));
  mount(el, h('h2', {}, t('assign.title')), h('p', {}, list),
    h('form', { class: 'toolbar', onsubmit: async (e) => {
      e.preventDefault();
      const usernames = names.value.split(/[,，\s]+/).map((u) => u.trim()).filter(Boolean);
      try {
        const out = await put(`/applications/${archive.application_id}/interviewers`, { usernames });
        mount(list, out.interviewers.length ? out.interviewers.map((u) => h('span', { class: 'tag' }, u)) : h('span', { class: 'muted' }, t('assign.none')));
        result.className = '';
        result.textContent = t('assign.saved');
        await reload(); // the application's version moved on: the page's other actions need the new one
      } catch (err) { result.className = 'error'; result.textContent = errorText(err); }
    } }, h('label', {}, t('assign.usernames'), ' ', names), h('button', { type: 'submit', 'data-testid': 'assign-interviewers' }, t('assign.save'))),
    result);
}
