// The hierarchy as a tree: regions → tenants → organizations → workspaces. Each level is a
// <details> element (keyboard and screen-reader behaviour come with it) whose children load
// when it is first opened.
import { h, badge } from '../dom.js';
import * as api from '../api.js';
import { errorBox } from '../forms.js';

const levels = [
  { kind: 'region', path: '/regions', perm: 'region:read', label: (r) => `${r.name} (${r.code})` },
  { kind: 'tenant', path: '/tenants', perm: 'tenant:read', parent: 'region_id', label: (t) => `${t.name} (${t.slug})` },
  { kind: 'organization', path: '/organizations', perm: 'organization:read', parent: 'tenant_id', label: (o) => `${o.name} (${o.slug})` },
  { kind: 'workspace', path: '/workspaces', perm: 'workspace:read', parent: 'organization_id', label: (w) => `${w.name} (${w.slug})` },
];

export async function hierarchyPage(main) {
  // Start at the highest level the caller may read: an organization administrator sees
  // their organizations, not the regions above them.
  const start = levels.findIndex((l) => api.can(l.perm));
  const tree = h('ul', { class: 'tree', 'aria-label': 'Hierarchy' });
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Hierarchy')),
    h('p', { class: 'hint' }, 'Regions → tenants → organizations → workspaces. Open a node to load what it holds.'), tree);
  await fill(tree, start, '');
}

async function fill(ul, depth, parentId) {
  const level = levels[depth];
  try {
    const query = level.parent && parentId ? `?${level.parent}=${encodeURIComponent(parentId)}&sort=name` : '?sort=name';
    const items = await api.all(level.path + query, 1000);
    if (!items.length) {
      ul.replaceChildren(h('li', { class: 'empty' }, `No ${level.kind}s.`));
      return;
    }
    ul.replaceChildren(...items.map((item) => node(item, depth)));
  } catch (e) {
    ul.replaceChildren(h('li', null, errorBox(e)));
  }
}

function node(item, depth) {
  const level = levels[depth];
  const label = h('span', { class: 'node' }, badge(level.kind, 'info'), ' ', level.label(item),
    item.active === false ? badge('inactive', 'warn') : null,
    h('code', { class: 'id', title: `${level.kind} id` }, item.id));
  const next = levels[depth + 1];
  if (!next || !api.can(next.perm)) return h('li', null, label);
  const children = h('ul', null, h('li', null, 'Loading…'));
  const details = h('details', null, h('summary', null, label), children);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (details.open && !loaded) {
      loaded = true;
      fill(children, depth + 1, item.id);
    }
  });
  return h('li', null, details);
}
