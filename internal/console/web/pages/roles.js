// Roles: the list (filter by tier and kind), create, and one role's permissions and users.
import { h, table, notify, confirmDialog, modal, clear, badge } from '../dom.js';
import * as api from '../api.js';
import { form, compact, errorBox, editDialog } from '../forms.js';
import { pager, fullName, section, statusBadge } from './common.js';

export async function rolesPage(main) {
  const list = h('div');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter roles' },
    h('label', null, 'Search', h('input', { type: 'search', name: 'q', maxlength: 100 })),
    h('label', null, 'Tier', h('select', { name: 'tier' }, ['', 1, 2, 3, 4, 5].map((v) => h('option', { value: v }, v || 'any')))),
    h('label', null, 'Kind', h('select', { name: 'system_role' },
      h('option', { value: '' }, 'any'), h('option', { value: 'true' }, 'system'), h('option', { value: 'false' }, 'custom'))),
    h('button', { type: 'submit' }, 'Apply'));
  const load = () => pager(list, (cursor) => api.get(`/roles${api.qs({ ...Object.fromEntries(new FormData(filters)), sort: 'name', cursor, limit: 50 })}`),
    (items) => table('Roles', [
      { label: 'Name', get: (r) => h('a', { href: `#/roles/${r.id}` }, r.name) },
      { label: 'Tier', get: (r) => r.tier },
      { label: 'Kind', get: (r) => (r.system_role ? badge('system', 'info') : badge('custom')) },
      { label: 'Description', get: (r) => r.description, class: 'wide' },
    ], items, (r) => { location.hash = `#/roles/${r.id}`; })).catch((e) => list.replaceChildren(errorBox(e)));
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  filters.addEventListener('change', load);
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Roles'),
    api.can('role:create') ? h('button', { type: 'button', class: 'primary', on: { click: () => createRole() } }, 'New role') : null),
  filters, list);
  await load();
}

function createRole() {
  const close = modal('New role', form({
    fields: [
      { name: 'name', label: 'Name', required: true, pattern: '[a-z0-9][a-z0-9_.\\-]{0,99}', hint: 'lower-case letters, digits, _ . -' },
      { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
      { name: 'tier', label: 'Tier', type: 'select', required: true, value: 4,
        options: [[1, '1 — super administrator'], [2, '2 — administrator'], [3, '3 — developer'], [4, '4 — viewer'], [5, '5 — demo']] },
    ],
    submit: 'Create role',
    onSubmit: async (v) => {
      // Roles created here belong to the caller's organization (global roles are a super
      // administrator's, made through the API).
      const body = { ...compact(v), tier: Number(v.tier) };
      if (!api.can('system:admin')) body.organization_id = api.me().user.organization_id;
      const r = await api.post('/roles', body);
      close();
      notify(`Created role ${r.name}`);
      location.hash = `#/roles/${r.id}`;
    },
  }));
}

export async function rolePage(main, { id }) {
  const r = await api.get(`/roles/${id}`);
  const editable = api.can('role:update') && !r.system_role;
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/roles' }, 'Roles'), ' / ', r.name),
    h('div', { class: 'page-head' }, h('h1', null, `Role ${r.name}`), h('div', { class: 'actions' },
      editable ? h('button', { type: 'button', on: { click: () => editDialog(`Edit role ${r.name}`, `/roles/${id}`, [
        { name: 'name', label: 'Name', required: true, pattern: '[a-z0-9][a-z0-9_.\\-]{0,99}' },
        { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
        { name: 'tier', label: 'Tier', type: 'select', required: true, numeric: true, options: [[1, '1'], [2, '2'], [3, '3'], [4, '4'], [5, '5']] },
      ], r, () => { notify('Saved'); clear(main); rolePage(main, { id }); }, modal) } }, 'Edit') : null,
      api.can('role:delete') && !r.system_role ? h('button', { type: 'button', class: 'danger', on: { click: async () => {
        if (!(await confirmDialog(`Delete role ${r.name}?`, 'Delete'))) return;
        try { await api.del(`/roles/${id}`); notify('Role deleted'); location.hash = '#/roles'; } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Delete') : null)),
    h('p', null, r.description || ''),
    h('p', null, `Tier ${r.tier} · `, r.system_role ? 'system role (fixed permissions)' : 'custom role'));
  const perms = section('Permissions');
  const permBody = h('div');
  perms.append(permBody);
  const drawPerms = async () => {
    const grants = await api.all(`/roles/${id}/permissions`, 1000);
    const have = new Set(grants.map((g) => g.permission.id));
    const all = editable && api.can('permission:read') ? await api.all('/permissions?sort=name', 1000) : [];
    clear(permBody, table('Permissions of the role', [
      { label: 'Permission', get: (g) => h('code', null, g.permission.name) },
      { label: 'Description', get: (g) => g.permission.description, class: 'wide' },
      { label: '', get: (g) => (editable ? h('button', { type: 'button', class: 'link', on: { click: async () => {
        try { await api.del(`/roles/${id}/permissions/${g.permission.id}`); notify('Removed'); drawPerms(); } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Remove') : '') },
    ], grants),
    editable && all.length ? form({
      className: 'inline',
      fields: [{ name: 'permission_id', label: 'Add permission', type: 'select', required: true,
        options: all.filter((p) => !have.has(p.id)).map((p) => [p.id, p.name]) }],
      submit: 'Add',
      onSubmit: async (v) => { await api.post(`/roles/${id}/permissions`, v); notify('Permission added'); drawPerms(); },
    }) : null);
  };
  const users = section('Users with this role');
  const usersBody = h('div');
  users.append(usersBody);
  main.append(h('div', { class: 'grid2' }, perms, users));
  await Promise.all([
    drawPerms().catch((e) => permBody.replaceChildren(errorBox(e))),
    pager(usersBody, (cursor) => api.get(`/roles/${id}/users${api.qs({ cursor, limit: 50 })}`), (items) => table('Users with the role', [
      { label: 'Email', get: (u) => h('a', { href: `#/users/${u.id}` }, u.email) },
      { label: 'Name', get: fullName, class: 'wide' },
      { label: 'Status', get: (u) => statusBadge(u.status) },
    ], items)).catch((e) => usersBody.replaceChildren(errorBox(e))),
  ]);
}
