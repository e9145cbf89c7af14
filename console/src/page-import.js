// HR imports applicants from a spreadsheet (.csv or .xlsx): the file goes to the presigned upload, the
// import's progress is shown while the rows are screened, then every row's result.
import { get, post, query } from './api.js';
import { h, mount, table } from './dom.js';
import { num, t } from './i18n.js';
import { errorText, uploadTo } from './ui.js';

const POLL_MS = 1000;
const FINISHED = ['completed', 'failed'];
const MAX_ROWS_SHOWN = 2000;

export function importPanel(el, req, onDone) {
  const file = h('input', { type: 'file', accept: '.csv,.xlsx', 'data-testid': 'import-file', 'aria-label': t('import.file') });
  const status = h('p', { 'data-testid': 'import-status', role: 'status' });
  const bar = h('progress', { max: 1, value: 0, hidden: true, 'data-testid': 'import-progress' });
  const rows = h('div', { 'data-testid': 'import-rows' });
  const start = h('button', { type: 'button', 'data-testid': 'import-start', onclick: async () => {
    const chosen = file.files[0];
    if (!chosen) { status.className = 'error'; status.textContent = t('import.choose'); return; }
    start.disabled = true;
    status.className = '';
    mount(rows);
    try {
      const job = await post('/imports', { requisition_id: req.id, filename: chosen.name });
      status.textContent = t('import.uploading', { name: chosen.name });
      await uploadTo(job.upload, chosen);
      await follow(job.id);
    } catch (err) { status.className = 'error'; status.textContent = errorText(err); }
    start.disabled = false;
  } }, t('import.start'));
  mount(el, h('h2', {}, t('import.title')), h('p', { class: 'muted' }, t('import.hint')),
    h('div', { class: 'toolbar' }, file, start), bar, status, rows);

  // Polls the import until it has finished (each poll is one GET; the page may be left meanwhile).
  async function follow(id) {
    let job;
    for (;;) {
      job = await get(`/imports/${id}`);
      bar.hidden = false;
      bar.max = job.total_rows || 1;
      bar.value = job.processed_rows;
      status.dataset.state = job.state;
      status.textContent = t(`import.state.${job.state}`) + (job.total_rows === null ? '' : ` · ${t('import.counts', {
        done: num(job.processed_rows, 0), total: num(job.total_rows, 0), accepted: num(job.accepted, 0),
        rejected: num(job.rejected, 0), duplicate: num(job.duplicate, 0) })}`);
      if (FINISHED.includes(job.state) || !el.isConnected) break;
      await new Promise((resolve) => { setTimeout(resolve, POLL_MS); });
    }
    if (job.state === 'failed') { status.className = 'error'; status.textContent += ` · ${job.failure || ''}`; return; }
    if (!el.isConnected) return;
    const all = [];
    let token = null;
    do {
      const page = await get(`/imports/${id}/rows${query({ limit: 200, next_token: token })}`);
      all.push(...page.items);
      token = page.next_token;
    } while (token && all.length < MAX_ROWS_SHOWN);
    // Rows that need attention first: rejected, then duplicates, then the accepted ones.
    const rank = { rejected: 0, duplicate: 1, accepted: 2 };
    const items = all.sort((a, b) => rank[a.outcome] - rank[b.outcome] || a.row - b.row);
    mount(rows, table([
      { key: 'row', label: t('import.row'), num: true, sort: (r) => r.row },
      { key: 'outcome', label: t('import.outcome'), sort: (r) => r.outcome,
        render: (r) => h('span', { class: `tag ${r.outcome === 'accepted' ? 'strength' : 'weak'}`, 'data-outcome': r.outcome }, t(`import.outcome.${r.outcome}`)) },
      { key: 'reason', label: t('import.reason'), render: (r) => r.reason || '–' },
      { key: 'application_id', label: '', render: (r) => (r.application_id ? h('a', { href: `#/applications/${r.application_id}` }, t('import.open')) : '') },
    ], items.map((r) => ({ ...r, id: String(r.row) })), { testid: 'import-results' }));
    onDone();
  }
}

// HR uploads an applicant's resume (.txt, .pdf, .docx); its text is extracted and the application is
// screened again in the background.
export function resumeUpload(archive) {
  const file = h('input', { type: 'file', accept: '.txt,.pdf,.docx', 'data-testid': 'resume-file', 'aria-label': t('resume.file') });
  const status = h('span', { 'data-testid': 'resume-status', role: 'status' });
  const send = h('button', { type: 'button', class: 'secondary', 'data-testid': 'resume-upload', onclick: async () => {
    const chosen = file.files[0];
    if (!chosen) { status.className = 'error'; status.textContent = t('import.choose'); return; }
    send.disabled = true;
    try {
      const out = await post(`/applications/${archive.application_id}/resume`, { filename: chosen.name });
      await uploadTo(out.upload, chosen);
      status.className = '';
      status.textContent = t('resume.done', { name: chosen.name });
    } catch (err) { status.className = 'error'; status.textContent = errorText(err); }
    send.disabled = false;
  } }, t('resume.upload'));
  return h('div', { class: 'toolbar', 'data-testid': 'resume' }, h('span', {}, t('resume.title')), file, send, status);
}
