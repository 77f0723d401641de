// Small DOM helpers. Everything is built with createElement and text nodes, never innerHTML,
// so data from the API can never become markup (and the strict CSP needs no inline code).

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value' && 'value' in el && !(el instanceof SVGElement)) {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// h builds an HTML element: h('button', {class: 'primary', on: {click}}, 'Save').
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

// s builds an SVG element.
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let seq = 0;
export const uid = (p = 'f') => `${p}${++seq}`;

// fmtTime renders an RFC 3339 time in the browser's zone, compactly.
export function fmtTime(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// table renders rows under columns [{label, get(row) → Node|string, class}]. onRow makes each
// row activatable by click and by Enter/Space (it gets tabindex and the button role).
export function table(caption, columns, rows, onRow) {
  const head = h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)));
  const body = rows.map((r) => {
    const tr = h('tr', null, columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.get(r))));
    if (onRow) {
      tr.tabIndex = 0;
      tr.classList.add('clickable');
      tr.addEventListener('click', (e) => { if (!e.target.closest('button,a,input,select')) onRow(r); });
      tr.addEventListener('keydown', (e) => {
        if ((e.key === 'Enter' || e.key === ' ') && e.target === tr) { e.preventDefault(); onRow(r); }
      });
    }
    return tr;
  });
  return h('div', { class: 'table-wrap' },
    h('table', null, h('caption', { class: 'sr-only' }, caption), h('thead', null, head),
      h('tbody', null, body.length ? body : h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, 'Nothing to show.')))));
}

// badge is a small coloured label; kind picks the colour from a fixed list of classes.
export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}

// notify shows a short message in the live region (read out by screen readers).
export function notify(msg, kind = 'ok') {
  let region = document.getElementById('toast');
  if (!region) {
    region = h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const item = h('div', { class: `toast-item ${kind}` }, msg);
  region.append(item);
  setTimeout(() => item.remove(), 5000);
}

// confirmDialog asks a yes/no question in a modal <dialog> (keyboard and focus handled by the
// browser) and resolves true when confirmed.
export function confirmDialog(question, yes = 'Confirm') {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'dialog', 'aria-label': question },
      h('p', null, question),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', value: 'yes', on: { click: () => dlg.close('yes') } }, yes),
        h('button', { type: 'button', on: { click: () => dlg.close('no') } }, 'Cancel')));
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'yes'); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

// modal shows content in a dialog and returns a function that closes it.
export function modal(title, content) {
  const id = uid('dlg');
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': id },
    h('div', { class: 'dialog-head' }, h('h2', { id }, title),
      h('button', { type: 'button', class: 'link', 'aria-label': 'Close', on: { click: () => dlg.close() } }, '✕')),
    content);
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  return () => dlg.close();
}
