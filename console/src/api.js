// JSON calls to the API this console is served by, with the Bearer token.
import { clear, current } from './session.js';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details || [];
  }
}

// The API's root: the console lives at <root>/console/.
const ROOT = new URL('..', document.baseURI).pathname.replace(/\/$/, '');

export async function call(method, path, body, { accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const user = current();
  if (user) headers.Authorization = `Bearer ${user.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(ROOT + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) {
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    if (response.status === 401 && user) { clear(); location.hash = '#/'; location.reload(); }
    // A group that must use two-step sign-in, not enrolled yet: the page where they enrol.
    if (parsed?.error?.code === 'mfa_required' && !location.hash.startsWith('#/security')) location.hash = '#/security';
    throw new ApiError(response.status, parsed);
  }
  return accept === 'application/json' ? (text ? JSON.parse(text) : null) : text;
}

export const get = (path, opts) => call('GET', path, undefined, opts);
export const post = (path, body) => call('POST', path, body ?? {});
export const query = (params) => {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  const s = q.toString();
  return s ? `?${s}` : '';
};

// A download (CSV, XLSX, SVG) with the Bearer token — a plain link would carry none: fetched, then
// saved from a blob URL under the server's file name.
export async function download(path, accept = '*/*') {
  const user = current();
  const headers = { Accept: accept };
  if (user) headers.Authorization = `Bearer ${user.token}`;
  const response = await fetch(ROOT + path, { headers });
  if (!response.ok) {
    let parsed = null;
    try { parsed = JSON.parse(await response.text()); } catch { /* not JSON */ }
    throw new ApiError(response.status, parsed);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '')?.[1] || path.split('?')[0].split('/').pop();
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
