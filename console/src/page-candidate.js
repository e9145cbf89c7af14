// The candidate page (talent archive, radar, video, evaluations beside the AI, stage actions) and the kit.
import { ApiError, get, post, query } from './api.js';
import { chart } from './charts.js';
import { h, mount, table } from './dom.js';
import { date, dimension, num, recommendation, stage, t } from './i18n.js';
import { hasRole } from './session.js';
import { assessmentsPanel, backgroundPanel, blind, evaluationForm, offersPanel } from './page-candidate-panels.js';
import { interviewersPanel } from './page-candidate-assign.js';
import { resumeUpload } from './page-import.js';
import { confirmAction, errorText } from './ui.js';

let stageModel = null;
async function transitionsFrom(from, user) {
  stageModel ??= await get('/stages');
  return stageModel.transitions.filter((tr) => tr.from_stage === from && hasRole(user, tr.roles)).map((tr) => tr.to_stage);
}

async function optional(promise) {
  try { return await promise; } catch (err) { if (err instanceof ApiError && err.status === 404) return null; throw err; }
}

function radarChart(el, radar) {
  const axes = radar.dimensions;
  chart(el, {
    legend: { bottom: 0, data: [t('cand.score'), t('cand.bar')] },
    tooltip: {},
    radar: { indicator: axes.map((d) => ({ name: dimension(d.dimension), max: 100 })), radius: '65%' },
    series: [{
      type: 'radar',
      data: [
        { name: t('cand.score'), value: axes.map((d) => d.score ?? 0), areaStyle: { opacity: 0.25 } },
        { name: t('cand.bar'), value: axes.map((d) => d.bar ?? '-'), lineStyle: { type: 'dashed' } },
      ],
    }],
  });
}

function profile(archive, hideAi) {
  const rows = [
    [t('app.stage'), h('span', { 'data-testid': 'stage', 'data-stage': archive.stage, 'data-version': archive.version }, stage(archive.stage))],
    [t('cand.department'), archive.department],
    [t('cand.education'), archive.education],
    [t('cand.experience'), archive.experience],
    [t('cand.experience_years'), archive.experience_years === undefined ? undefined : num(archive.experience_years)],
    [t('app.screening_score'), archive.screening ? num(archive.screening.score) : undefined],
    ...(hideAi ? [] : [
      [t('app.weighted_score'), archive.ai ? num(archive.ai.weighted_score) : undefined],
      [t('cand.overall'), archive.ai ? num(archive.ai.overall_score) : undefined],
      [t('cand.rank'), archive.ranking ? `#${num(archive.ranking.rank, 0)}` : undefined],
      [t('cand.model'), archive.ai?.model_version],
      [t('cand.completed_at'), archive.ai ? date(archive.ai.completed_at) : undefined]]),
    ['Email', archive.email_masked], ['Tel', archive.phone_masked],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  return h('dl', { class: 'kv', 'data-testid': 'profile' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function evaluations(list) {
  if (!list.length) return h('p', { class: 'muted' }, t('cand.no_evaluations'));
  return list.map((e) => h('div', { class: 'evaluation', 'data-testid': 'evaluation' },
    h('p', {}, h('strong', {}, e.evaluator), ` · ${recommendation(e.recommendation)} · ${date(e.updated_at)}`),
    e.comment ? h('p', { class: 'muted' }, e.comment) : null,
    table([
      { key: 'dimension', label: t('cand.dimension'), render: (d) => dimension(d.dimension) },
      { key: 'human', label: t('cand.human'), num: true, render: (d) => num(d.human, 0) },
      { key: 'ai', label: t('cand.ai'), num: true, render: (d) => num(d.ai) },
      { key: 'gap', label: t('cand.gap'), num: true, sort: (d) => d.gap,
        render: (d) => h('span', { class: d.gap < 0 ? 'gap-neg' : d.gap > 0 ? 'gap-pos' : null }, d.gap === null ? '–' : `${d.gap > 0 ? '+' : ''}${num(d.gap)}`) },
    ], e.dimensions)));
}

async function video(el, id) {
  const page = await get(`/applications/${id}/videos?limit=10`);
  if (!page.items.length) { mount(el, h('p', { class: 'muted' }, t('cand.no_video'))); return; }
  const first = page.items[0];
  const link = await get(`/applications/${id}/videos/${first.video_id}`);
  const player = h('video', { controls: true, preload: 'metadata', src: link.url, 'data-testid': 'video' });
  // A file the browser cannot play says so (and how to get it) instead of a black box.
  player.addEventListener('error', () => player.replaceWith(h('p', { class: 'notice', 'data-testid': 'video-error' }, t('cand.video_unplayable'))));
  mount(el, player,
    h('p', { class: 'muted' }, `${first.source} · ${date(first.uploaded_at)} · ${num(first.size / 1048576)} MiB`));
}

// Moves that end the application: asked first.
const ENDING = ['rejected', 'withdrawn'];

function actions(el, archive, allowed, reload) {
  const reason = h('input', { placeholder: t('cand.reason'), size: 30, 'data-testid': 'reason' });
  const message = h('p', { 'data-testid': 'transition-result' });
  mount(el, h('h2', {}, t('cand.transitions')), h('div', { class: 'toolbar' }, reason,
    allowed.map((to) => h('button', { class: ENDING.includes(to) ? 'secondary' : null, 'data-to': to, onclick: async (ev) => {
      if (ENDING.includes(to) && !(await confirmAction(t('confirm.ending', { name: archive.name, stage: stage(to) })))) return;
      ev.target.disabled = true;
      try {
        await post(`/applications/${archive.application_id}/transitions`, { to, reason: reason.value || stage(to), expected_version: archive.version });
        message.textContent = t('cand.moved', { stage: stage(to) });
        await reload();
      } catch (err) { message.textContent = errorText(err); message.className = 'error'; ev.target.disabled = false; }
    } }, stage(to)))), message, resumeUpload(archive));
}

export async function candidatePage(main, { id, user }) {
  const [archive, radar] = await Promise.all([get(`/applications/${id}`), optional(get(`/applications/${id}/radar`))]);
  const radarEl = h('div', { class: 'chart', 'data-testid': 'radar' });
  const videoEl = h('div', { 'data-testid': 'video-panel' });
  const actionsEl = h('div', { class: 'card no-print', 'data-testid': 'actions' });
  const hr = hasRole(user, ['hr']);
  const evaluationEl = h('div', { class: 'card no-print', 'data-testid': 'evaluation-panel' });
  const backgroundEl = h('div', { class: 'card', 'data-testid': 'background' });
  const offersEl = h('div', { class: 'card', 'data-testid': 'offers' });
  const assessmentsEl = h('div', { class: 'card', 'data-testid': 'assessments' });
  const assignEl = h('div', { class: 'card no-print', 'data-testid': 'assign-panel' });
  const reload = () => candidatePage(main, { id, user });
  const hidden = blind(archive, user);
  const aiHidden = h('p', { class: 'notice', 'data-testid': 'ai-hidden' }, t('eval.blind'));
  mount(main,
    h('h1', {}, archive.name, ' ', h('span', { class: 'tag' }, stage(archive.stage))),
    h('div', { class: 'toolbar no-print' },
      h('a', { href: `#/kit/${id}` }, t('cand.kit')),
      hr ? h('a', { href: `#/audit?subject=${encodeURIComponent(`application:${id}`)}` }, t('cand.audit')) : null,
      archive.requisition_id && hasRole(user, ['hr', 'manager']) ? h('a', { href: `#/requisitions/${archive.requisition_id}` }, t('nav.requisitions')) : null),
    hr ? actionsEl : null,
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, t('cand.profile')), profile(archive, hidden)),
      h('div', { class: 'card' }, h('h2', {}, t('cand.radar')), hidden ? aiHidden : radar ? [radarEl,
        h('p', { 'data-testid': 'strengths' }, `${t('cand.strengths')}: `, radar.strengths.length ? radar.strengths.map((d) => h('span', { class: 'tag strength' }, dimension(d))) : t('cand.none_dims')),
        h('p', { 'data-testid': 'weak' }, `${t('cand.weak')}: `, radar.weak.length ? radar.weak.map((d) => h('span', { class: 'tag weak' }, dimension(d))) : t('cand.none_weak'))]
        : h('p', { class: 'muted' }, t('cand.no_ai'))),
      h('div', { class: 'card' }, h('h2', {}, t('cand.video')), videoEl),
      h('div', { class: 'card' }, h('h2', {}, t('cand.evaluations')), hidden ? h('p', { class: 'muted' }, t('eval.blind_others')) : evaluations(archive.evaluations || []))),
    evaluationEl,
    hr ? assignEl : null,
    h('div', { class: 'grid' }, backgroundEl, offersEl),
    assessmentsEl,
    archive.ai_history?.length && !hidden ? h('div', { class: 'card' }, h('h2', {}, t('cand.ai_history')), table([
      { key: 'completed_at', label: t('cand.completed_at'), render: (r) => date(r.completed_at) },
      { key: 'vendor_id', label: 'vendor' }, { key: 'model_version', label: t('cand.model') },
      { key: 'weighted_score', label: t('app.weighted_score'), num: true, render: (r) => num(r.weighted_score) },
      { key: 'superseded', label: '', render: (r) => (r.superseded ? '×' : '✓') },
    ], archive.ai_history)) : null);
  if (radar && !hidden) radarChart(radarEl, radar);
  if (hr) actions(actionsEl, archive, await transitionsFrom(archive.stage, user), () => candidatePage(main, { id, user }));
  evaluationForm(evaluationEl, archive, radar, user, reload);
  if (hr) interviewersPanel(assignEl, archive, reload);
  backgroundPanel(backgroundEl, archive, user, reload);
  assessmentsPanel(assessmentsEl, archive, user, reload);
  await offersPanel(offersEl, archive, user, reload);
  video(videoEl, id).catch((err) => mount(videoEl, h('p', { class: 'error' }, errorText(err))));
}

export async function kitPage(main, { id }) {
  const html = await get(`/applications/${id}/interview-kit${query({ format: 'html' })}`, { accept: 'text/html' });
  const frame = h('iframe', { class: 'kit', sandbox: 'allow-same-origin allow-modals', title: t('cand.kit'), 'data-testid': 'kit' });
  frame.srcdoc = html;
  mount(main, h('div', { class: 'toolbar' }, h('h1', {}, t('cand.kit')), h('button', { onclick: () => frame.contentWindow.print() }, t('kit.print')),
    h('a', { href: `#/applications/${id}` }, t('cand.profile'))), frame);
}
