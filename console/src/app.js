// The console: sign-in, the role-aware route table and navigation.
import { get } from './api.js';
import { h, mount } from './dom.js';
import { lang, loadTexts, role, setLang, t } from './i18n.js';
import { auditPage } from './page-audit.js';
import { questionBankPage } from './page-bank.js';
import { candidatePage, kitPage } from './page-candidate.js';
import { requisitionFormPage } from './page-requisition-form.js';
import { todoPage } from './page-todo.js';
import { assignedPage, requisitionPage, requisitionsPage } from './page-requisitions.js';
import { attritionPage, employeePage, employeesPage, onboardingBoard } from './page-people.js';
import { cyclePage, cyclesPage, recordPage } from './page-performance.js';
import { analyticsPage, reweightingPage, talentPoolsPage } from './page-analytics.js';
import { securityPage } from './page-security.js';
import { beginSignIn, current, finishSignIn, hasRole, signOut } from './session.js';
import { errorText } from './ui.js';

// The route table. `nav` puts a page in the menu; `roles` are the Cognito groups that see it (the
// API checks again on every call). Pages for later features are added here when their API exists:
// Background checks, offers and assessments are panels of the candidate page.
export const ROUTES = [
  { path: 'todo', nav: 'nav.todo', roles: ['hr', 'manager', 'interviewer', 'it'], page: todoPage },
  { path: 'requisitions', nav: 'nav.requisitions', roles: ['hr', 'manager'], page: requisitionsPage },
  { path: 'requisitions/new', roles: ['hr'], page: requisitionFormPage },
  { path: 'requisitions/:id', roles: ['hr', 'manager'], page: requisitionPage },
  { path: 'applications/:id', roles: ['hr', 'manager', 'interviewer'], page: candidatePage },
  { path: 'kit/:id', roles: ['hr', 'manager', 'interviewer'], page: kitPage },
  { path: 'assigned', nav: 'nav.assigned', roles: ['interviewer'], page: assignedPage },
  { path: 'question-bank', nav: 'nav.question_bank', roles: ['hr'], page: questionBankPage },
  { path: 'audit', nav: 'nav.audit', roles: ['hr'], page: auditPage },
  { path: 'onboarding', nav: 'nav.onboarding', roles: ['hr', 'it'], page: onboardingBoard },
  { path: 'employees', nav: 'nav.employees', roles: ['hr', 'manager'], page: employeesPage },
  { path: 'employees/:id', roles: ['hr', 'manager'], page: employeePage },
  { path: 'attrition', nav: 'nav.attrition', roles: ['hr', 'manager'], page: attritionPage },
  { path: 'performance', nav: 'nav.performance', roles: ['hr', 'manager'], page: cyclesPage },
  { path: 'performance/:id', roles: ['hr', 'manager'], page: cyclePage },
  { path: 'performance/:id/:employee', roles: ['hr', 'manager'], page: recordPage },
  { path: 'analytics', nav: 'nav.analytics', roles: ['hr'], page: analyticsPage },
  { path: 'analytics/reweighting', roles: ['hr'], page: reweightingPage },
  { path: 'talent-pools', nav: 'nav.talent_pools', roles: ['hr', 'manager'], page: talentPoolsPage },
  { path: 'security', nav: 'nav.security', roles: ['hr', 'manager', 'interviewer', 'it'], page: securityPage },
];

// What a role sees first; IT sees only its onboarding board.
const HOME = { hr: 'requisitions', manager: 'requisitions', interviewer: 'assigned', it: 'onboarding' };

function match(hash) {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  for (const route of ROUTES) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params = {};
    if (pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i])), true) : p === parts[i]))) {
      return { route, params };
    }
  }
  return null;
}

function params(hash) {
  return new URLSearchParams(hash.split('?')[1] || '');
}

function chrome(user) {
  document.documentElement.lang = lang();
  document.title = t('app.title');
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.getElementById('lang').textContent = t('app.switch');
  const signout = document.getElementById('signout');
  signout.hidden = !user;
  document.getElementById('who').textContent = user ? `${user.username} · ${user.roles.map(role).join(', ')}${user.department ? ` · ${user.department}` : ''}` : '';
  const active = (location.hash.replace(/^#\/?/, '').split('/')[0] || '');
  mount(document.getElementById('nav'), user ? ROUTES.filter((r) => r.nav && hasRole(user, r.roles)).map((r) =>
    h('a', { href: `#/${r.path}`, class: active === r.path.split('/')[0] ? 'active' : null, 'data-nav': r.path }, t(r.nav))) : []);
}

// Where to sign in (the hosted sign-in pages), asked of the API once.
let signInConfig = null;
const config = async () => (signInConfig ??= await get('/auth/config'));

function signIn(main, failed = '') {
  const error = h('p', { class: 'error', role: 'alert' }, failed);
  const form = h('form', { class: 'card signin', 'data-testid': 'signin', onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await beginSignIn(await config());
    } catch (err) {
      error.textContent = errorText(err);
    }
  } },
  h('h1', {}, t('signin.title')),
  h('p', { class: 'muted' }, t('signin.hosted')),
  h('p', {}, h('button', { type: 'submit' }, t('signin.submit'))), error);
  mount(main, form);
}

// Back from the hosted sign-in page: the code exchanged for the ID token before anything renders.
async function returning() {
  try {
    return await finishSignIn(await config());
  } catch {
    return 'failed';
  }
}

export async function render() {
  const main = document.getElementById('main');
  const user = current();
  chrome(user);
  if (!user) { signIn(main, signInFailed ? t('signin.failed') : ''); return; }
  let found = match(location.hash);
  if (!found) {
    const home = user.roles.map((r) => HOME[r]).find(Boolean);
    if (!home) {
      mount(main, h('p', { class: 'notice', 'data-testid': 'home-notice' }, t(user.roles.includes('it') ? 'home.it' : 'home.none')));
      return;
    }
    location.replace(`#/${home}`);
    return;
  }
  if (!hasRole(user, found.route.roles)) {
    mount(main, h('p', { class: 'notice error', 'data-testid': 'forbidden' }, t('forbidden')));
    return;
  }
  // Each render draws into its own container: a slower page still loading when the user moves on
  // finishes into a detached element and never overwrites the page shown now.
  const view = h('div', { class: 'view' });
  mount(main, view);
  mount(view, h('p', { class: 'muted' }, t('loading')));
  try {
    await found.route.page(view, { ...found.params, query: params(location.hash), user });
  } catch (err) {
    mount(view, h('p', { class: 'notice error', 'data-testid': 'page-error' }, errorText(err)));
  }
}

document.getElementById('lang').addEventListener('click', () => { setLang(lang() === 'en' ? 'zh-CN' : 'en'); render(); });
document.getElementById('signout').addEventListener('click', async () => { signOut(await config()); });
window.addEventListener('hashchange', render);
let signInFailed = false;
Promise.all([loadTexts(), returning().then((outcome) => { signInFailed = outcome === 'failed'; })]).finally(render);
