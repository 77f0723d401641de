// Pieces several pages share: organization names, status badges, a "load more" pager.
import { h, badge, table, fmtTime } from '../dom.js';
import * as api from '../api.js';

let orgCache = null;
// organizations the caller may read (empty without organization:read), cached per sign-in.
export async function organizations() {
  if (!api.can('organization:read')) return [];
  if (!orgCache || orgCache.user !== api.me().user.id) {
    orgCache = { user: api.me().user.id, list: await api.all('/organizations?sort=name').catch(() => []) };
  }
  return orgCache.list;
}

export async function orgNames() {
  const m = new Map();
  for (const o of await organizations()) m.set(o.id, o.name);
  return m;
}

// orgOptions are select options of the readable organizations, or the caller's own one.
export async function orgOptions() {
  const orgs = await organizations();
  if (orgs.length) return orgs.map((o) => [o.id, o.name]);
  const own = api.me().user.organization_id;
  return [[own, 'My organization']];
}

const statusKind = { active: 'ok', created: 'info', inactive: 'warn', deleted: 'bad' };
export const statusBadge = (st) => badge(st, statusKind[st] || '');

export const resultBadge = (r) => badge(r, { SUCCESS: 'ok', FAILURE: 'bad', DENIED: 'warn' }[r] || '');

// pager renders a page of a cursor-paged list into target and offers "Load more" while the
// API returns a next_cursor. load(cursor) → {items, next_cursor}; draw(items) → Node.
export async function pager(target, load, draw) {
  const items = [];
  const more = h('button', { type: 'button', class: 'more' }, 'Load more');
  const holder = h('div');
  const count = h('p', { class: 'hint count', 'aria-live': 'polite' });
  async function step(cursor) {
    const page = await load(cursor);
    items.push(...page.items);
    holder.replaceChildren(draw(items));
    count.textContent = page.total !== undefined ? `${items.length} of ${page.total}` : '';
    more.hidden = !page.next_cursor;
    more.onclick = () => step(page.next_cursor);
  }
  target.replaceChildren(count, holder, more);
  await step('');
}

export const fullName = (u) => [u.first_name, u.last_name].filter(Boolean).join(' ');

export function section(title, ...content) {
  return h('section', { class: 'card' }, h('h2', null, title), content);
}

// sessionsTable lists sessions (the session API of issue 13); end(s), when given, offers to
// end one.
export function sessionsTable(caption, items, end) {
  return table(caption, [
    { label: 'Signed in', get: (x) => [fmtTime(x.created_at), x.current ? [' ', badge('this session', 'info')] : null] },
    { label: 'Last seen', get: (x) => fmtTime(x.last_seen_at) },
    { label: 'Expires', get: (x) => fmtTime(x.expires_at), class: 'wide' },
    { label: 'From', get: (x) => [x.ip_address, h('br'), h('small', { class: 'hint' }, x.user_agent)], class: 'wide' },
    { label: 'Factors', get: (x) => (x.amr || []).join(', ') },
    ...(end ? [{ label: '', get: (x) => (x.current ? '' : h('button', { type: 'button', class: 'link', on: { click: () => end(x) } }, 'End')) }] : []),
  ], items);
}
