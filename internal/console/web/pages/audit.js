// The audit trail: a filterable, cursor-paged table, a detail view per event, CSV/NDJSON
// export of the filtered events, and charts of events per day (by type, by result) and of one
// user's activity.
import { h, table, fmtTime, modal, clear, notify } from '../dom.js';
import * as api from '../api.js';
import { errorBox } from '../forms.js';
import { stackedBars, byDay, days } from '../chart.js';
import { resultBadge } from './common.js';

const TYPES = ['AUTH', 'AUTHZ', 'DATA', 'SYSTEM'];
const RESULTS = ['SUCCESS', 'FAILURE', 'DENIED'];
const DAY = 24 * 3600 * 1000;

// localInput renders a time as a datetime-local value in the browser's zone.
const localInput = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

// isoOf turns a datetime-local value (the browser's zone) into RFC 3339 UTC.
const isoOf = (v) => (v ? new Date(v).toISOString() : '');

export async function auditPage(main) {
  // The preset has no name: it only fills From (and clears To); it is not sent.
  const preset = h('select', { id: 'audit-range' }, [['', 'custom'], [1, 'last 24 hours'], [7, 'last 7 days'], [30, 'last 30 days'], [90, 'last 90 days']]
    .map(([v, l]) => h('option', { value: v }, l)));
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter audit events' },
    h('label', null, 'Range', preset),
    h('label', null, 'From', h('input', { type: 'datetime-local', name: 'from' })),
    h('label', null, 'To', h('input', { type: 'datetime-local', name: 'to' })),
    h('label', null, 'User email', h('input', { type: 'search', name: 'user_email', maxlength: 254 })),
    h('label', null, 'Event type', h('select', { name: 'event_type' }, ['', ...TYPES].map((v) => h('option', { value: v }, v || 'any')))),
    h('label', null, 'Result', h('select', { name: 'result' }, ['', ...RESULTS].map((v) => h('option', { value: v }, v || 'any')))),
    h('label', null, 'Action', h('input', { type: 'search', name: 'action', maxlength: 100, placeholder: 'create_user' })),
    h('label', null, 'Resource', h('input', { type: 'search', name: 'resource', maxlength: 200 })),
    h('button', { type: 'submit' }, 'Apply'));
  const params = () => {
    const f = Object.fromEntries(new FormData(filters));
    return { ...f, from: isoOf(f.from), to: isoOf(f.to) };
  };
  const exports = api.can('audit:export') ? h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'export-csv', on: { click: () => exportAs('csv', params()) } }, 'Export CSV'),
    h('button', { type: 'button', id: 'export-ndjson', on: { click: () => exportAs('ndjson', params()) } }, 'Export NDJSON')) : null;
  const charts = h('div', { class: 'grid2 charts' });
  const activity = h('section', { class: 'card' }, h('h2', null, 'A user\'s activity'));
  const tableBox = h('div', { id: 'audit-events' });
  const nav = h('div', { class: 'actions pager' });
  // Pictures first: the charts of the filtered window, then the events themselves.
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Audit'), exports), filters, charts, tableBox, nav, activity);

  // Cursor paging: the API pages forward only, so "Newer" walks back over the cursors seen.
  let cursors = [''];
  const loadTable = async () => {
    const at = cursors.length - 1;
    try {
      const page = await api.get(`/audit/logs${api.qs({ ...params(), cursor: cursors[at], limit: 50 })}`);
      clear(tableBox, table('Audit events', [
        { label: 'Time', get: (e) => fmtTime(e.timestamp) },
        { label: 'User', get: (e) => e.user_email || e.user_id || '—' },
        { label: 'Type', get: (e) => e.event_type },
        { label: 'Action', get: (e) => h('code', null, e.action) },
        { label: 'Resource', get: (e) => e.resource, class: 'wide' },
        { label: 'Result', get: (e) => resultBadge(e.result) },
      ], page.items, (e) => detail(e.id, activity)));
      clear(nav,
        h('button', { type: 'button', disabled: at === 0, on: { click: () => { cursors.pop(); loadTable(); } } }, '← Newer'),
        h('button', { type: 'button', disabled: !page.next_cursor, on: { click: () => { cursors.push(page.next_cursor); loadTable(); } } }, 'Older →'));
    } catch (e) {
      clear(tableBox, errorBox(e));
    }
  };
  const apply = () => { cursors = ['']; return Promise.all([loadTable(), drawCharts(charts, params())]); };
  filters.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  preset.addEventListener('change', () => {
    if (!preset.value) return;
    filters.elements.from.value = localInput(new Date(Date.now() - Number(preset.value) * DAY));
    filters.elements.to.value = '';
    apply();
  });
  activityForm(activity);
  await apply();
}

async function exportAs(format, p) {
  const { cursor, ...filters } = p;
  const accept = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  try {
    const size = await api.download(`/audit/export${api.qs({ ...filters, format })}`, `audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.${format}`, accept);
    notify(`Exported ${Math.ceil(size / 1024)} KB as ${format.toUpperCase()}`);
  } catch (e) {
    notify(e.message, 'bad');
  }
}

async function detail(id, activity) {
  let ev;
  try {
    ev = await api.get(`/audit/logs/${id}`);
  } catch (e) {
    notify(e.message, 'bad');
    return;
  }
  let meta = ev.metadata;
  try { meta = JSON.stringify(JSON.parse(ev.metadata), null, 2); } catch { /* shown as stored */ }
  const rows = [
    ['Time', fmtTime(ev.timestamp)], ['Type', ev.event_type], ['Action', ev.action], ['Resource', ev.resource],
    ['Result', resultBadge(ev.result)], ['Error', ev.error_message], ['User', `${ev.user_email} ${ev.user_first_name} ${ev.user_last_name}`.trim()],
    ['User id', isUUID(ev.user_id) && api.can('user:read') ? h('a', { href: `#/users/${ev.user_id}`, on: { click: () => close() } }, ev.user_id) : ev.user_id], ['IP address', ev.ip_address], ['User agent', ev.user_agent], ['Tenant', ev.tenant_id],
    ['Organization', ev.organization_id], ['Target organization', ev.target_organization_id], ['Workspace', ev.workspace_id],
    ['Session', ev.session_id], ['Duration', `${ev.duration_ms} ms`], ['Event id', ev.id],
  ].filter(([, v]) => v !== '' && v !== undefined);
  const close = modal('Audit event', h('div', null,
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('h3', null, 'Metadata'), h('pre', { class: 'meta' }, meta || '{}'),
    isUUID(ev.user_id) ? h('button', { type: 'button', on: { click: () => { close(); showActivity(activity, ev.user_id, ev.user_email); } } }, 'Show this user\'s activity') : null));
}

const isUUID = (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v || '');

// range is the charts' window: the filter's, or the last 14 days.
function range(p) {
  const to = p.to ? new Date(p.to) : new Date();
  const from = p.from ? new Date(p.from) : new Date(to.getTime() - 13 * DAY);
  return { from, to };
}

async function drawCharts(target, p) {
  const { from, to } = range(p);
  try {
    const stats = await api.get(`/audit/stats${api.qs({ from: startOfDay(from), to: p.to || '', event_type: p.event_type, result: p.result })}`);
    const labels = days(startOfDay(from).slice(0, 10), to.toISOString().slice(0, 10));
    clear(target,
      stackedBars('Events per day by type', labels, byDay(stats.items, 'event_type', labels, TYPES)),
      stackedBars('Events per day by result', labels, byDay(stats.items, 'result', labels, RESULTS)));
  } catch (e) {
    clear(target, errorBox(e));
  }
}

const startOfDay = (d) => `${d.toISOString().slice(0, 10)}T00:00:00Z`;

function activityForm(card) {
  const input = h('input', { type: 'search', id: 'activity-user', maxlength: 254, placeholder: 'email or user id' });
  const out = h('div', { class: 'activity-out' });
  const f = h('form', { class: 'inline' },
    h('label', { for: 'activity-user' }, 'User'), input, h('button', { type: 'submit' }, 'Show'));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = input.value.trim();
    if (!v) return;
    if (isUUID(v)) { showActivity(card, v, v); return; }
    try {
      const found = await api.get(`/users${api.qs({ email: v, limit: 1 })}`);
      if (!found.items.length) throw new Error(`No user ${v} in your reach.`);
      showActivity(card, found.items[0].id, v);
    } catch (err) {
      clear(out, errorBox(err));
    }
  });
  card.append(f, out);
  card.out = out;
}

async function showActivity(card, userId, label) {
  const to = new Date();
  const from = new Date(to.getTime() - 29 * DAY);
  try {
    const act = await api.get(`/audit/users/${userId}/activity${api.qs({ from: startOfDay(from) })}`);
    const labels = days(startOfDay(from).slice(0, 10), to.toISOString().slice(0, 10));
    clear(card.out, stackedBars(`Activity of ${label}, last 30 days`, labels, byDay(act.items, 'event_type', labels, TYPES)));
  } catch (e) {
    clear(card.out, errorBox(e));
  }
  card.scrollIntoView({ block: 'nearest' });
}
