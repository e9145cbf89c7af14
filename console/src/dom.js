// Building elements from data: text is always set as text (never parsed as HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function mount(target, ...children) {
  target.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

export function table(columns, rows, { empty = '', testid } = {}) {
  // columns: [{ key, label, num?, sort?: (row) => value, render?: (row) => node|text }]
  let order = null;
  const body = h('tbody');
  const draw = () => {
    const list = [...rows];
    if (order) {
      const col = columns.find((c) => c.key === order.key);
      list.sort((a, b) => {
        const x = col.sort(a); const y = col.sort(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * order.dir;
      });
    }
    mount(body, list.length ? list.map((row) => h('tr', { dataset: row.id ? { id: row.id } : {} },
      columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.render ? c.render(row) : row[c.key] ?? '–'))))
      : h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty)));
  };
  const head = h('tr', {}, columns.map((c) => h('th', {
    class: [c.num ? 'num' : '', c.sort ? 'sortable' : ''].join(' ').trim() || null,
    dataset: { key: c.key },
    onclick: c.sort ? () => { order = { key: c.key, dir: order && order.key === c.key ? -order.dir : -1 }; draw(); } : null,
  }, c.label)));
  draw();
  return h('table', { 'data-testid': testid }, h('thead', {}, head), body);
}
