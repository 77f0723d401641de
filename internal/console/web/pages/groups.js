// Groups: the list, create, and one group's members and roles.
import { h, table, notify, confirmDialog, modal, clear } from '../dom.js';
import * as api from '../api.js';
import { form, compact, errorBox, editDialog } from '../forms.js';
import { orgNames, orgOptions, pager, fullName, section, statusBadge } from './common.js';

export async function groupsPage(main) {
  const names = await orgNames();
  const list = h('div');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter groups' },
    h('label', null, 'Search', h('input', { type: 'search', name: 'q', maxlength: 100 })),
    names.size ? h('label', null, 'Organization', h('select', { name: 'organization_id' },
      h('option', { value: '' }, 'any'), [...names].map(([id, n]) => h('option', { value: id }, n)))) : null,
    h('button', { type: 'submit' }, 'Apply'));
  const load = () => pager(list, (cursor) => api.get(`/groups${api.qs({ ...Object.fromEntries(new FormData(filters)), sort: 'name', cursor, limit: 50 })}`),
    (items) => table('Groups', [
      { label: 'Name', get: (g) => h('a', { href: `#/groups/${g.id}` }, g.name) },
      { label: 'Organization', get: (g) => names.get(g.organization_id) || g.organization_id },
      { label: 'Description', get: (g) => g.description, class: 'wide' },
    ], items, (g) => { location.hash = `#/groups/${g.id}`; })).catch((e) => list.replaceChildren(errorBox(e)));
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  filters.addEventListener('change', load);
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Groups'),
    api.can('group:create') ? h('button', { type: 'button', class: 'primary', on: { click: () => createGroup() } }, 'New group') : null),
  filters, list);
  await load();
}

async function createGroup() {
  const close = modal('New group', form({
    fields: [
      { name: 'name', label: 'Name', required: true, minlength: 1, maxlength: 100 },
      { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
      { name: 'organization_id', label: 'Organization', type: 'select', required: true, options: await orgOptions() },
    ],
    submit: 'Create group',
    onSubmit: async (v) => {
      const g = await api.post('/groups', compact(v));
      close();
      notify(`Created group ${g.name}`);
      location.hash = `#/groups/${g.id}`;
    },
  }));
}

export async function groupPage(main, { id }) {
  const g = await api.get(`/groups/${id}`);
  const editable = api.can('group:update');
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/groups' }, 'Groups'), ' / ', g.name),
    h('div', { class: 'page-head' }, h('h1', null, `Group ${g.name}`), h('div', { class: 'actions' },
      editable ? h('button', { type: 'button', on: { click: () => editDialog(`Edit group ${g.name}`, `/groups/${id}`, [
        { name: 'name', label: 'Name', required: true, minlength: 1, maxlength: 100 },
        { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
      ], g, () => { notify('Saved'); clear(main); groupPage(main, { id }); }, modal) } }, 'Edit') : null,
      api.can('group:delete') ? h('button', { type: 'button', class: 'danger', on: { click: async () => {
        if (!(await confirmDialog(`Delete group ${g.name}?`, 'Delete'))) return;
        try { await api.del(`/groups/${id}`); notify('Group deleted'); location.hash = '#/groups'; } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Delete') : null)),
    h('p', null, g.description || ''));
  const members = section('Members');
  const memberBody = h('div');
  members.append(memberBody);
  const drawMembers = () => pager(memberBody, (cursor) => api.get(`/groups/${id}/members${api.qs({ cursor, limit: 50 })}`), (items) => table('Members', [
    { label: 'Email', get: (u) => h('a', { href: `#/users/${u.id}` }, u.email) },
    { label: 'Name', get: fullName, class: 'wide' },
    { label: 'Status', get: (u) => statusBadge(u.status) },
    { label: '', get: (u) => (editable ? h('button', { type: 'button', class: 'link', on: { click: async () => {
      try { await api.del(`/groups/${id}/members/${u.id}`); notify('Member removed'); drawMembers(); } catch (e) { notify(e.message, 'bad'); }
    } } }, 'Remove') : '') },
  ], items)).catch((e) => memberBody.replaceChildren(errorBox(e)));
  const addMember = editable && api.can('user:read') ? form({
    className: 'inline',
    resetOnSuccess: true,
    fields: [{ name: 'email', label: 'Add member by email', type: 'email', required: true, maxlength: 254 }],
    submit: 'Add',
    onSubmit: async (v) => {
      const found = await api.get(`/users${api.qs({ email: v.email, limit: 1 })}`);
      if (!found.items.length) throw new Error(`No user ${v.email} in your reach.`);
      await api.post(`/groups/${id}/members`, { user_id: found.items[0].id });
      notify('Member added');
      drawMembers();
    },
  }) : null;
  members.append(addMember);

  const roles = section('Roles of the group');
  const roleBody = h('div');
  roles.append(roleBody);
  const drawRoles = async () => {
    const grants = await api.all(`/groups/${id}/roles`);
    const have = new Set(grants.map((x) => x.role.id));
    const all = editable && api.can('role:read') ? await api.all('/roles?sort=name') : [];
    clear(roleBody, table('Roles of the group', [
      { label: 'Role', get: (x) => h('a', { href: `#/roles/${x.role.id}` }, x.role.name) },
      { label: 'Tier', get: (x) => x.role.tier },
      { label: '', get: (x) => (editable ? h('button', { type: 'button', class: 'link', on: { click: async () => {
        try { await api.del(`/groups/${id}/roles/${x.role.id}`); notify('Role removed'); drawRoles(); } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Remove') : '') },
    ], grants),
    editable && all.length ? form({
      className: 'inline',
      fields: [{ name: 'role_id', label: 'Grant role', type: 'select', required: true,
        options: all.filter((r) => !have.has(r.id)).map((r) => [r.id, `${r.name} (tier ${r.tier})`]) }],
      submit: 'Add',
      onSubmit: async (v) => { await api.post(`/groups/${id}/roles`, v); notify('Role granted'); drawRoles(); },
    }) : null);
  };
  main.append(h('div', { class: 'grid2' }, members, roles));
  await Promise.all([drawMembers(), drawRoles().catch((e) => roleBody.replaceChildren(errorBox(e)))]);
}
