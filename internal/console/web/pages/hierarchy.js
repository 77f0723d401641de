// The hierarchy as a tree: regions → tenants → organizations → workspaces. Each node has a
// disclosure button; its children load when it is first opened. Each node offers what the
// caller may do to it: edit, activate or deactivate, delete, and create a child.
import { h, badge, notify, confirmDialog, modal } from '../dom.js';
import * as api from '../api.js';
import { form, compact, errorBox, editDialog } from '../forms.js';

const SLUG = '[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?';
const common = [
  { name: 'name', label: 'Name', required: true, minlength: 1, maxlength: 100 },
  { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
];

const levels = [
  { kind: 'region', path: '/regions', label: (r) => `${r.name} (${r.code})`,
    fields: [common[0], { name: 'code', label: 'Code', required: true, pattern: '[a-z0-9\\-]{2,50}', hint: 'lower-case letters, digits, dashes' }, common[1]] },
  { kind: 'tenant', path: '/tenants', parent: 'region_id', label: (t) => `${t.name} (${t.slug})`,
    fields: [common[0], { name: 'slug', label: 'Slug', required: true, pattern: SLUG }, common[1]] },
  { kind: 'organization', path: '/organizations', parent: 'tenant_id', label: (o) => `${o.name} (${o.slug})`,
    fields: [common[0], { name: 'slug', label: 'Slug', required: true, pattern: SLUG }, common[1],
      { name: 'domain', label: 'Domain', maxlength: 253, placeholder: 'eng.example.com' }] },
  { kind: 'workspace', path: '/workspaces', parent: 'organization_id', label: (w) => `${w.name} (${w.slug})`,
    fields: [common[0], { name: 'slug', label: 'Slug', required: true, pattern: SLUG }, common[1]] },
];
const may = (level, action) => api.can(`${level.kind}:${action}`);

export async function hierarchyPage(main) {
  // Start at the highest level the caller may read: an organization administrator sees
  // their organizations, not the regions above them.
  const start = levels.findIndex((l) => may(l, 'read'));
  const tree = h('ul', { class: 'tree', 'aria-label': 'Hierarchy' });
  const reload = () => fill(tree, start, '');
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Hierarchy'),
    start === 0 && may(levels[0], 'create') ? h('button', { type: 'button', class: 'primary', on: { click: () => create(0, '', reload) } }, 'New region') : null),
  h('p', { class: 'hint' }, 'Regions → tenants → organizations → workspaces. Open a node to load what it holds.'), tree);
  await reload();
}

async function fill(ul, depth, parentId) {
  const level = levels[depth];
  const reload = () => fill(ul, depth, parentId);
  try {
    const query = level.parent && parentId ? `?${level.parent}=${encodeURIComponent(parentId)}&sort=name` : '?sort=name';
    const items = await api.all(level.path + query, 1000);
    const add = parentId && may(level, 'create')
      ? h('li', null, h('button', { type: 'button', class: 'link', on: { click: () => create(depth, parentId, reload) } }, `New ${level.kind}`))
      : null;
    ul.replaceChildren(...(items.length ? items.map((item) => node(item, depth, reload)) : [h('li', { class: 'empty' }, `No ${level.kind}s.`)]), ...(add ? [add] : []));
  } catch (e) {
    ul.replaceChildren(h('li', null, errorBox(e)));
  }
}

function node(item, depth, reload) {
  const level = levels[depth];
  const label = h('span', { class: 'node' }, badge(level.kind, 'info'), ' ', level.label(item),
    item.active === false ? [' ', badge('inactive', 'warn')] : null,
    h('code', { class: 'id', title: `${level.kind} id` }, item.id));
  const tools = h('span', { class: 'node-tools' },
    may(level, 'update') ? [
      h('button', { type: 'button', class: 'link', 'aria-label': `Edit ${level.kind} ${item.name}`, on: { click: () => editDialog(
        `Edit ${level.kind} ${item.name}`, `${level.path}/${item.id}`, level.fields, item, () => { notify('Saved'); reload(); }, modal) } }, 'Edit'),
      h('button', { type: 'button', class: 'link', on: { click: () => change(() => api.patch(`${level.path}/${item.id}`, { active: !item.active }),
        item.active ? 'Deactivated' : 'Activated', reload) } }, item.active ? 'Deactivate' : 'Activate'),
    ] : null,
    may(level, 'delete') ? h('button', { type: 'button', class: 'link danger', on: { click: async () => {
      if (await confirmDialog(`Delete ${level.kind} ${item.name}?`, 'Delete')) change(() => api.del(`${level.path}/${item.id}`), 'Deleted', reload);
    } } }, 'Delete') : null);
  const next = levels[depth + 1];
  if (!next || !may(next, 'read')) return h('li', null, h('div', { class: 'row' }, h('span', { class: 'toggle-space' }), label, tools));
  // A disclosure button (aria-expanded) rather than <details>, so the node's own buttons sit
  // on its row and are not inside the toggle.
  const children = h('ul', { hidden: true }, h('li', null, 'Loading…'));
  let loaded = false;
  const toggle = h('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-label': `Open ${level.kind} ${item.name}`,
    on: { click: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.setAttribute('aria-label', `${open ? 'Close' : 'Open'} ${level.kind} ${item.name}`);
      children.hidden = !open;
      if (open && !loaded) {
        loaded = true;
        fill(children, depth + 1, item.id);
      }
    } } });
  return h('li', null, h('div', { class: 'row' }, toggle, label, tools), children);
}

async function change(fn, msg, then) {
  try {
    await fn();
    notify(msg);
    then();
  } catch (e) {
    notify(e.message, 'bad');
  }
}

function create(depth, parentId, reload) {
  const level = levels[depth];
  const close = modal(`New ${level.kind}`, form({
    fields: level.fields,
    submit: `Create ${level.kind}`,
    onSubmit: async (v) => {
      const body = compact(v);
      if (level.parent) body[level.parent] = parentId;
      const made = await api.post(level.path, body);
      close();
      notify(`Created ${level.kind} ${made.name}`);
      reload();
    },
  }));
}
