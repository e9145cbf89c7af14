// Chinese first (the bank's language), English on request; numbers and dates in the user's locale.
// The console's own texts are in messages.json, each key once with its Chinese and English text. The
// product's vocabulary (dimensions, stages, roles, families, recommendations) comes from the API
// (GET /vocabulary, shared/vocabulary.py): the labels its mails and documents use, defined there once.
import { get } from './api.js';

let MESSAGES = {};
let VOCABULARY = {};

// Both before the first page; without them a page shows the keys rather than failing.
export async function loadTexts() {
  const messages = fetch(new URL('messages.json', document.baseURI)).then((r) => (r.ok ? r.json() : {}));
  [MESSAGES, VOCABULARY] = await Promise.all([messages.catch(() => ({})), get('/vocabulary').catch(() => ({}))]);
}

// The keys of one kind of term, in the canonical order.
export const terms = (kind) => (VOCABULARY[kind] || []).map((term) => term.key);

function label(kind, key) {
  const term = (VOCABULARY[kind] || []).find((x) => x.key === key);
  return term ? (lang() === 'en' ? term.en : term.zh) : key;
}

const KEY = 'console.lang';

export function lang() {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
}

export function setLang(value) {
  localStorage.setItem(KEY, value);
  document.documentElement.lang = value;
}

export function t(key, vars = {}) {
  const text = MESSAGES[key]?.[lang() === 'en' ? 1 : 0] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

export const dimension = (d) => label('dimensions', d);
export const family = (f) => label('families', f);
export const stage = (s) => label('stages', s);
export const role = (r) => label('roles', r);
export const recommendation = (r) => label('recommendations', r);

// Every other enum value the console shows goes through this one table: messages.json's
// `enum.<kind>.<value>`. An unknown value shows as itself (the i18n test finds such values).
export function enumLabel(kind, value) {
  if (value === null || value === undefined || value === '') return '–';
  const key = `enum.${kind}.${value}`;
  const text = t(key);
  return text === key ? String(value) : text;
}

// The user's own locale formats numbers and dates; the UI language only picks the words.
const userLocale = () => navigator.language || lang();

export function num(value, digits = 1) {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(userLocale(), { maximumFractionDigits: digits }).format(value);
}

export function date(value) {
  if (!value) return '–';
  return new Intl.DateTimeFormat(userLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}
