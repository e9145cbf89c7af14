// The second-interview question bank, one family at a time (HR).
import { get, query } from './api.js';
import { h, mount, table } from './dom.js';
import { dimension, family, t, terms } from './i18n.js';

export async function questionBankPage(main, { query: params }) {
  const fam = h('select', { 'data-testid': 'family', onchange: () => load() }, terms('families').map((f) => h('option', { value: f }, family(f))));
  const dim = h('select', { onchange: () => load() }, h('option', { value: '' }, t('bank.all')), terms('dimensions').map((d) => h('option', { value: d }, dimension(d))));
  fam.value = params.get('family') || 'customer_manager';
  const list = h('div');
  mount(main, h('h1', {}, t('nav.question_bank')), h('div', { class: 'toolbar' }, fam, dim), h('div', { class: 'card' }, list));
  async function load() {
    const bank = await get(`/question-bank${query({ role_family: fam.value, dimension: dim.value })}`);
    const zh = document.documentElement.lang !== 'en';
    mount(list, table([
      { key: 'dimension', label: t('bank.dimension'), sort: (q) => q.dimension, render: (q) => dimension(q.dimension) },
      { key: 'text', label: t('bank.question'), render: (q) => (zh ? q.text_zh : q.text_en) },
      { key: 'strong', label: t('bank.strong'), render: (q) => (zh ? q.strong_answer_zh : q.strong_answer_en) },
      { key: 'origin', label: t('bank.origin') },
    ], bank.items.map((q) => ({ ...q, id: q.question_id })), { testid: 'questions' }));
  }
  await load();
}
