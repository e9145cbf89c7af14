// The candidate page's later panels: background checks with confidence per dimension, offers with
// their letters and approvals, supplementary assessments, and the evaluation form. Each action is
// shown only to the roles that may use it (the API still refuses the others).
import { ApiError, call, get, post } from './api.js';
import { h, mount, table } from './dom.js';
import { date, dimension, enumLabel, lang, num, recommendation, t, terms } from './i18n.js';
import { hasRole } from './session.js';
import { action, refuse, withUnit } from './ui.js';

const CHECKS = ['education', 'employment', 'credit'];

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function percent(value) {
  return value === null || value === undefined ? '–' : `${num(value * 100, 0)}%`;
}

function reasonText(r) {
  return `${lang() === 'en' ? r.reason_en : r.reason_zh} (${r.delta > 0 ? '+' : ''}${num(r.delta, 2)})`;
}

// -- background checks ---------------------------------------------------------------------------
// A check the vendor has not answered yet: the page asks again every few seconds (one GET) and redraws
// itself once the result is in — no manual reload.
const PENDING_CHECK = ['ordered', 'submitted'];
const CHECK_POLL_MS = 5000;

function watchCheck(el, applicationId, check, reload) {
  const again = async () => {
    if (!el.isConnected) return;
    try {
      const list = await get(`/applications/${applicationId}/background-checks`);
      const now = list.items.find((c) => c.check_id === check.check_id);
      if (now && !PENDING_CHECK.includes(now.status)) { if (el.isConnected) await reload(); return; }
    } catch { /* the next poll asks again */ }
    setTimeout(again, CHECK_POLL_MS);
  };
  setTimeout(again, CHECK_POLL_MS);
}

export function backgroundPanel(el, archive, user, reload) {
  const section = archive.background;
  if (!section) { el.remove(); return; }
  const hr = hasRole(user, ['hr']);
  const latest = section.checks[0];
  if (latest && PENDING_CHECK.includes(latest.status)) watchCheck(el, archive.application_id, latest, reload);
  const canOrder = hr && (archive.stage === 'evaluated'
    || (archive.stage === 'background_check' && latest && (latest.status === 'failed' || (latest.status === 'completed' && latest.outcome === 'consider'))));
  const checks = section.checks.map((c) => h('div', { class: 'check', 'data-testid': 'background-check', 'data-status': c.status, 'data-outcome': c.outcome || '' },
    h('p', {}, h('strong', {}, t(`bgc.status.${c.status}`)), c.outcome ? h('span', { class: `tag ${c.outcome === 'clear' ? 'strength' : 'weak'}` }, t(`bgc.outcome.${c.outcome}`)) : null,
      ` ${c.checks.map((k) => t(`bgc.kind.${k}`)).join(' · ')} · ${t('bgc.ordered')} ${date(c.ordered_at)} (${c.ordered_by})`),
    c.result ? facts(c.result) : null,
    c.failure_reason ? h('p', { class: 'error' }, c.failure_reason) : null,
    hr && c.status === 'completed' ? review(c, archive, reload) : null));
  const conf = section.confidence;
  const confidence = conf.based_on_check ? [
    h('p', { 'data-testid': 'overall-confidence' }, `${t('bgc.overall')}: ${percent(conf.overall_confidence)}`,
      conf.flags.map((f) => h('span', { class: 'tag weak', 'data-flag': f }, enumLabel('confidence_flag', f)))),
    table([
      { key: 'dimension', label: t('cand.dimension'), render: (d) => dimension(d.dimension) },
      { key: 'score', label: t('cand.score'), num: true, render: (d) => num(d.score) },
      { key: 'confidence', label: t('bgc.confidence'), num: true, sort: (d) => d.confidence,
        render: (d) => h('span', { class: 'bar-cell' }, h('span', { class: 'bar', style: `width:${Math.round(d.confidence * 80)}px` }), percent(d.confidence)) },
      { key: 'reasons', label: t('bgc.reasons'), render: (d) => (d.reasons.length ? h('ul', { class: 'reasons' }, d.reasons.map((r) => h('li', {}, reasonText(r)))) : '–') },
    ], conf.dimensions, { testid: 'confidence' })] : h('p', { class: 'muted' }, t('bgc.no_confidence'));
  mount(el, h('h2', {}, t('bgc.title')),
    section.checks.length ? checks : h('p', { class: 'muted' }, t('bgc.none')),
    canOrder ? orderForm(archive, reload) : null,
    h('h3', {}, t('bgc.confidence_title')), confidence);
}

function facts(result) {
  const rows = [];
  const verified = (v) => (v ? t('bgc.verified') : t('bgc.not_verified'));
  if (result.education) rows.push([t('bgc.kind.education'), `${result.education.school} · ${result.education.degree} · ${verified(result.education.verified)}${result.education.discrepancy ? ` · ${result.education.discrepancy}` : ''}`]);
  for (const e of result.employment || []) rows.push([t('bgc.kind.employment'), `${e.employer} · ${e.role} · ${enumLabel('rank', e.performance_rank)} · ${verified(e.verified)}${e.discrepancy ? ` · ${e.discrepancy}` : ''}`]);
  if (result.credit) rows.push([t('bgc.kind.credit'), `${enumLabel('credit', result.credit.status)}${result.credit.notes ? ` · ${result.credit.notes}` : ''}`]);
  return h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function orderForm(archive, reload) {
  const boxes = CHECKS.map((k) => h('input', { type: 'checkbox', checked: true, value: k }));
  const consent = h('input', { size: 18, value: `SQ-${new Date().getFullYear()}-${archive.application_id.slice(0, 6)}`, 'data-testid': 'consent' });
  return h('div', { class: 'toolbar', 'data-testid': 'order-check' },
    CHECKS.map((k, i) => h('label', {}, boxes[i], ' ', t(`bgc.kind.${k}`))),
    h('label', {}, t('bgc.consent'), ' ', consent),
    action(t('bgc.order'), async () => {
      await post(`/applications/${archive.application_id}/background-checks`, { checks: boxes.filter((b) => b.checked).map((b) => b.value), consent_reference: consent.value });
      await reload();
    }, { 'data-testid': 'order-check-button' }));
}

function review(check, archive, reload) {
  const reason = h('input', { size: 30, placeholder: t('cand.reason'), 'data-testid': 'review-reason' });
  const decide = (outcome) => action(t(`bgc.review.${outcome}`), async () => {
    await post(`/applications/${archive.application_id}/background-checks/${check.check_id}/review`, { outcome, reason: reason.value || t(`bgc.review.${outcome}`), version: check.version });
    await reload();
  }, { class: outcome === 'clear' ? null : 'secondary', 'data-review': outcome });
  return h('div', { class: 'toolbar' }, reason, decide('clear'), decide('consider'));
}

// -- offers --------------------------------------------------------------------------------------
export async function offersPanel(el, archive, user, reload) {
  if (!hasRole(user, ['hr', 'manager'])) { el.remove(); return; }
  const list = await get(`/applications/${archive.application_id}/offers`);
  const hr = hasRole(user, ['hr']);
  const standing = list.items.some((o) => !['expired', 'declined', 'rejected'].includes(o.status));
  const canOffer = hr && !standing && (archive.stage === 'background_check' || archive.stage === 'offer');
  mount(el, h('h2', {}, t('offer.title')),
    list.items.length ? list.items.map((o) => offerCard(o, archive, user, reload)) : h('p', { class: 'muted' }, t('offer.none')),
    canOffer ? await offerForm(archive, reload) : null);
}

function offerCard(o, archive, user, reload) {
  const mayDecide = o.status === 'pending_approval' && (
    (o.next_step === 'department_manager' && hasRole(user, ['manager']))
    || (o.next_step === 'hr_director' && hasRole(user, ['hr']) && o.created_by !== user.username));
  const comment = h('input', { size: 30, placeholder: t('cand.comment'), 'data-testid': 'approval-comment' });
  const last = o.approval_chain[o.approval_chain.length - 1] === o.next_step;
  const decide = (decision) => action(t(`offer.${decision}`), async () => {
    await post(`/applications/${archive.application_id}/offers/${o.id}/approvals`, { decision, comment: comment.value || null, version: o.version });
    await reload();
  }, { class: decision === 'approve' ? null : 'secondary', 'data-decision': decision },
  { confirm: () => t(decision === 'reject' ? 'confirm.offer_reject' : last ? 'confirm.offer_sign' : 'confirm.offer_next', { name: archive.name }) });
  return h('div', { class: 'offer', 'data-testid': 'offer', 'data-status': o.status },
    h('p', {}, h('span', { class: 'tag', 'data-testid': 'offer-status' }, t(`offer.status.${o.status}`)),
      ` ${o.grade} · ${num(o.annual_salary, 0)} ${o.currency} · ${t('offer.start_date')} ${o.start_date} · ${t('offer.expires_on')} ${o.expires_on}`),
    h('p', { class: 'muted' }, `${t(`offer.source.${o.salary_source}`)}: ${o.salary_basis}`),
    h('p', {}, `${t('offer.chain')}: `, o.approval_chain.map((s) => {
      const done = o.approvals.find((a) => a.step === s);
      return h('span', { class: `tag ${done ? (done.decision === 'approve' ? 'strength' : 'weak') : ''}` },
        `${t(`offer.step.${s}`)}${done ? ` · ${done.by} ${t(`offer.${done.decision}`)}` : ''}`);
    })),
    o.documents ? h('p', {}, h('a', { href: o.documents.html_url, target: '_blank', rel: 'noopener', 'data-testid': 'offer-html' }, t('offer.letter_html')), ' · ',
      h('a', { href: o.documents.pdf_url, target: '_blank', rel: 'noopener', 'data-testid': 'offer-pdf' }, t('offer.letter_pdf'))) : null,
    mayDecide ? h('div', { class: 'toolbar', 'data-testid': 'offer-approval' }, comment, decide('approve'), decide('reject')) : null);
}

async function offerForm(archive, reload) {
  let proposal = null;
  try { proposal = await get(`/applications/${archive.application_id}/salary-proposal`); } catch (err) { if (!(err instanceof ApiError)) throw err; }
  const grade = h('input', { size: 6, value: 'P5', 'data-testid': 'offer-grade' });
  const salary = h('input', { type: 'number', step: 100, min: proposal?.band_min, max: proposal?.band_max, placeholder: proposal ? String(proposal.annual_salary) : '', 'data-testid': 'offer-salary' });
  const start = h('input', { type: 'date', value: isoDay(35), 'data-testid': 'offer-start' });
  const expires = h('input', { type: 'date', value: isoDay(10), 'data-testid': 'offer-expires' });
  const place = h('input', { size: 30, value: '郑州市郑东新区商务外环路 23 号', 'data-testid': 'offer-location' });
  return h('form', { class: 'offer-form', 'data-testid': 'offer-form', onsubmit: (e) => e.preventDefault() },
    h('h3', {}, t('offer.make')),
    proposal ? h('p', { 'data-testid': 'salary-proposal' }, `${t('offer.proposed')}: `, h('strong', {}, `${num(proposal.annual_salary, 0)} ${proposal.currency}`),
      ` (${t('offer.band')} ${num(proposal.band_min, 0)}–${num(proposal.band_max, 0)}) · `, h('span', { class: 'muted' }, proposal.basis)) : null,
    h('div', { class: 'toolbar' },
      h('label', {}, t('offer.grade'), ' ', grade), h('label', {}, t('offer.salary'), ' ', salary),
      h('label', {}, t('offer.start_date'), ' ', start), h('label', {}, t('offer.expires_on'), ' ', expires),
      h('label', {}, t('offer.location'), ' ', place),
      action(t('offer.make'), async () => {
        await post(`/applications/${archive.application_id}/offers`, {
          grade: grade.value, annual_salary: salary.value ? Number(salary.value) : null,
          start_date: start.value, expires_on: expires.value, work_location: place.value,
        });
        await reload();
      }, { 'data-testid': 'make-offer' })));
}

// -- supplementary assessments -------------------------------------------------------------------
export function assessmentsPanel(el, archive, user, reload) {
  const list = archive.assessments || [];
  const hr = hasRole(user, ['hr']);
  const mayRequest = hasRole(user, ['manager', 'hr']) && ['second_interview', 'evaluated'].includes(archive.stage);
  const rows = list.map((a) => h('div', { class: 'assessment', 'data-testid': 'assessment', 'data-status': a.status },
    h('p', {}, h('strong', {}, a.assessment.name), ' ', h('span', { class: 'tag' }, t(`as.status.${a.status}`)),
      a.requested_by ? ` · ${a.requested_by} · ${date(a.requested_at)}` : ` · ${date(a.requested_at)}`),
    a.reason ? h('p', { class: 'muted' }, a.reason) : null,
    a.decision ? h('p', {}, `${t('as.decision')}: ${t(`as.${a.decision.decision}`)} · ${a.decision.reason} (${a.decision.decided_by})`) : null,
    a.result ? h('p', {}, `${t('as.result')}: ${a.result.score ?? ''} ${a.result.passed === true ? '✓' : a.result.passed === false ? '✗' : ''} · ${a.result.comments}`) : null,
    hr && a.status === 'requested' ? decideAssessment(a, archive, reload) : null,
    hr && a.status === 'approved' ? assessmentResult(a, archive, reload) : null));
  mount(el, h('h2', {}, t('as.title')), list.length ? rows : h('p', { class: 'muted' }, t('as.none')),
    mayRequest ? requestAssessment(archive, reload) : null);
}

function decideAssessment(a, archive, reload) {
  const reason = h('input', { size: 30, placeholder: t('cand.reason'), 'data-testid': 'assessment-decision-reason' });
  const decide = (decision) => action(t(`as.${decision}`), async () => {
    await post(`/applications/${archive.application_id}/assessment-requests/${a.request_id}/decision`, { decision, reason: reason.value || t(`as.${decision}`) });
    await reload();
  }, { class: decision === 'approve' ? null : 'secondary', 'data-assessment-decision': decision });
  return h('div', { class: 'toolbar' }, reason, decide('approve'), decide('decline'));
}

// HR records the result of an approved assessment: a score (0–100 分) and/or pass or fail, comments
// and who ran it.
function assessmentResult(a, archive, reload) {
  const score = h('input', { type: 'number', min: 0, max: 100, step: 0.5, 'data-testid': 'assessment-score', 'aria-label': t('as.score') });
  const passed = h('select', { 'data-testid': 'assessment-passed', 'aria-label': t('as.passed') },
    h('option', { value: '' }, '–'), h('option', { value: 'true' }, t('as.pass')), h('option', { value: 'false' }, t('as.fail')));
  const comments = h('input', { size: 40, 'data-testid': 'assessment-comments', 'aria-label': t('as.comments'), placeholder: t('as.comments') });
  const assessor = h('input', { size: 16, 'data-testid': 'assessment-assessor', 'aria-label': t('as.assessor'), placeholder: t('as.assessor') });
  return h('div', { class: 'toolbar', 'data-testid': 'assessment-result-form' },
    h('label', {}, t('as.score'), ' ', withUnit(score, t('unit.points'))), h('label', {}, t('as.passed'), ' ', passed), comments, assessor,
    action(t('as.record'), async () => {
      await post(`/applications/${archive.application_id}/assessment-requests/${a.request_id}/result`, {
        score: score.value === '' ? null : Number(score.value), passed: passed.value === '' ? null : passed.value === 'true',
        comments: comments.value, assessor: assessor.value });
      await reload();
    }, { 'data-testid': 'assessment-record' }, { confirm: () => t('as.confirm_record', { name: a.assessment.name }) }));
}

function requestAssessment(archive, reload) {
  const name = h('input', { size: 20, value: '客户模拟谈判', 'data-testid': 'assessment-name' });
  const reason = h('input', { size: 40, placeholder: t('cand.reason'), 'data-testid': 'assessment-reason' });
  return h('div', { class: 'toolbar', 'data-testid': 'request-assessment' }, h('label', {}, t('as.name'), ' ', name), reason,
    action(t('as.request'), async () => {
      await post(`/applications/${archive.application_id}/assessment-requests`, { reason: reason.value || t('as.request'), assessment: { name: name.value, kind: 'simulation' } });
      await reload();
    }, { 'data-testid': 'request-assessment-button' }));
}

// -- the evaluation form (interviewers assigned; managers of the department) ----------------------
// The second interview is evaluated at these stages only (and edited until the evaluation is done).
const EVALUATING = ['second_interview', 'evaluated'];

// The user's own evaluation of the application, if any.
export const ownEvaluation = (archive, user) => (archive.evaluations || []).find((e) => e.evaluator === user.username);

// Whether the user evaluates this application now: an interviewer or manager (not HR, who does not
// evaluate), at an evaluating stage.
export const evaluates = (archive, user) => hasRole(user, ['interviewer', 'manager']) && !hasRole(user, ['hr']) && EVALUATING.includes(archive.stage);

// Blind evaluation: until the evaluator has submitted, the AI's view and the other evaluations are
// not shown, and no recommendation is chosen for them.
export const blind = (archive, user) => evaluates(archive, user) && !ownEvaluation(archive, user);

export function evaluationForm(el, archive, radar, user, reload) {
  if (!evaluates(archive, user) || !radar) { el.remove(); return; }
  const mine = ownEvaluation(archive, user);
  const previous = Object.fromEntries((mine?.dimensions || []).map((d) => [d.dimension, d.human]));
  const inputs = radar.dimensions.map((d) => [d.dimension, h('input', { type: 'number', min: 0, max: 100, step: 1, size: 4, value: previous[d.dimension] ?? '', 'data-dimension': d.dimension, 'aria-label': dimension(d.dimension) })]);
  const comment = h('textarea', { rows: 3, 'data-testid': 'evaluation-comment', 'aria-label': t('cand.comment') }, mine?.comment || '');
  const verdict = h('select', { 'data-testid': 'evaluation-recommendation', required: true },
    h('option', { value: '', selected: !mine }, t('eval.choose')),
    terms('recommendations').map((r) => h('option', { value: r, selected: mine?.recommendation === r }, recommendation(r))));
  const result = h('p', { 'data-testid': 'evaluation-result' });
  mount(el, h('h2', {}, mine ? t('eval.edit') : t('eval.title')),
    h('form', { 'data-testid': 'evaluation-form', onsubmit: (e) => e.preventDefault() },
      h('table', {}, h('tbody', {}, inputs.map(([d, input]) => {
        const bar = radar.dimensions.find((x) => x.dimension === d).bar;
        return h('tr', {}, h('td', {}, dimension(d)), h('td', {}, withUnit(input, t('unit.points'))),
          h('td', { class: 'muted' }, bar === null || bar === undefined ? '' : `${t('cand.bar')} ${num(bar, 0)}`));
      }))),
      h('p', {}, h('label', {}, t('cand.comment'), h('br'), comment)),
      h('div', { class: 'toolbar' }, h('label', {}, t('cand.recommendation'), ' ', verdict),
        action(t('eval.submit'), async () => {
          if (!verdict.value) throw refuse(t('eval.choose_first'));
          const ratings = Object.fromEntries(inputs.filter(([, i]) => i.value !== '').map(([d, i]) => [d, Number(i.value)]));
          await post(`/applications/${archive.application_id}/evaluations`, { ratings, comment: comment.value, recommendation: verdict.value, version: mine?.version });
          result.textContent = t('eval.saved');
          await reload();
        }, { 'data-testid': 'evaluation-submit' })),
      result));
}

export const patch = (path, body) => call('PATCH', path, body);
export const put = (path, body) => call('PUT', path, body);
