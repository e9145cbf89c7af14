// 我的待办: what waits for the signed-in user, of every role (GET /me/todo), refreshed in place while
// the page is open — no reload needed to see a new approval or a finished check.
import { get } from './api.js';
import { h, mount, table } from './dom.js';
import { date, num, t } from './i18n.js';
import { errorText } from './ui.js';

const REFRESH_MS = 15_000;

const LINK = {
  offer_approval: (i) => `#/applications/${i.subject_id}`,
  check_review: (i) => `#/applications/${i.subject_id}`,
  assessment_decision: (i) => `#/applications/${i.subject_id}`,
  evaluation_due: (i) => `#/applications/${i.subject_id}`,
  probation_decision: (i) => `#/employees/${i.subject_id}`,
  onboarding_tasks: () => '#/onboarding',
};

export async function todoPage(main) {
  const body = h('div', { 'data-testid': 'todo' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'todo-refreshed' });
  mount(main, h('h1', {}, t('nav.todo')), status, body);
  const draw = (list) => {
    const rows = list.items.map((i, n) => ({ ...i, id: `${i.kind}-${i.subject_id}-${n}` }));
    mount(body, rows.length ? h('div', { class: 'card scroll' }, table([
      { key: 'kind', label: t('todo.kind'), render: (i) => h('span', { class: 'tag', 'data-kind': i.kind }, t(`todo.kind.${i.kind}`)) },
      { key: 'name', label: t('todo.subject'), render: (i) => h('a', { href: LINK[i.kind](i), 'data-todo': i.kind, 'data-subject': i.subject_id },
        i.kind === 'onboarding_tasks' ? t('todo.open_tasks', { n: num(i.count, 0) }) : i.name) },
      { key: 'context', label: t('todo.context'), render: (i) => i.context || '–' },
      { key: 'since', label: t('todo.since'), render: (i) => date(i.since) },
    ], rows, { testid: 'todo-items' })) : h('p', { class: 'notice', 'data-testid': 'todo-empty' }, t('todo.none')));
    status.textContent = t('todo.refreshed', { at: date(new Date().toISOString()) });
  };
  draw(await get('/me/todo'));
  // Refreshed while the page is shown; stops once the user has moved on.
  const timer = setInterval(async () => {
    if (!body.isConnected) { clearInterval(timer); return; }
    try { draw(await get('/me/todo')); } catch (err) { status.textContent = errorText(err); }
  }, REFRESH_MS);
}
