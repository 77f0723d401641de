// Charts as inline SVG, built with the DOM (no library, no canvas): a stacked bar chart of
// counts per day. Colours come from CSS classes (series-0 … series-5) so the strict
// style-src policy holds. Each chart carries a <title>, and its numbers as a visually hidden
// table for screen readers.
import { h, s } from './dom.js';

const W = 640;
const H = 220;
const PAD = { l: 44, r: 8, t: 10, b: 36 };

// niceStep is the axis step for about four whole-number intervals up to max: 1, 2, 5 × 10^k.
function niceStep(max) {
  const x = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return x;
}

// days lists every date from the first to the last (inclusive), so quiet days show as gaps.
export function days(from, to) {
  const out = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

// stackedBars draws labels (x) against series [{name, values}] stacked per label.
export function stackedBars(title, labels, series) {
  const totals = labels.map((_, i) => series.reduce((a, sr) => a + (sr.values[i] || 0), 0));
  const step = niceStep(Math.max(0, ...totals));
  const max = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const bw = labels.length ? iw / labels.length : iw;
  const y = (v) => PAD.t + ih - (v / max) * ih;
  const grid = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => {
    const v = i * step;
    return s('g', { class: 'grid' },
      s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }),
      s('text', { x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, v));
  });
  const bars = [];
  labels.forEach((label, i) => {
    let base = 0;
    series.forEach((sr, k) => {
      const v = sr.values[i] || 0;
      if (!v) return;
      const top = y(base + v);
      bars.push(s('rect', {
        class: `series-${k}`, x: PAD.l + i * bw + bw * 0.12, width: Math.max(1, bw * 0.76),
        y: top, height: Math.max(0.5, y(base) - top),
      }, s('title', null, `${label} ${sr.name}: ${v}`)));
      base += v;
    });
  });
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const ticks = labels.map((l, i) => (i % every ? null : s('text', {
    class: 'tick', x: PAD.l + i * bw + bw / 2, y: H - PAD.b + 16, 'text-anchor': 'middle',
  }, l.slice(5))));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title },
    s('title', null, title), grid, bars, ticks);
  const legend = h('ul', { class: 'legend' }, series.map((sr, k) => h('li', null,
    h('span', { class: `swatch series-${k}`, 'aria-hidden': 'true' }), `${sr.name} (${sr.values.reduce((a, b) => a + b, 0)})`)));
  const data = h('table', { class: 'sr-only' }, h('caption', null, title),
    h('tr', null, h('th', null, 'Date'), series.map((sr) => h('th', null, sr.name))),
    labels.map((l, i) => h('tr', null, h('td', null, l), series.map((sr) => h('td', null, sr.values[i] || 0)))));
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), svg, legend, data);
}

// byDay folds rows [{date, [key], count}] into one series per value of key over labels.
export function byDay(rows, key, labels, order) {
  const names = order || [...new Set(rows.map((r) => r[key]))].sort();
  return names.map((name) => ({
    name,
    values: labels.map((d) => rows.filter((r) => r.date === d && r[key] === name).reduce((a, r) => a + r.count, 0)),
  }));
}
