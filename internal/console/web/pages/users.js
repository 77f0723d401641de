// Users: search and filters, create, and one user's page (status, password, roles, direct
// permissions, groups, effective permissions).
import { h, table, fmtTime, notify, confirmDialog, modal, clear } from '../dom.js';
import * as api from '../api.js';
import { form, errorBox, editDialog } from '../forms.js';
import { orgNames, orgOptions, statusBadge, pager, fullName, section, sessionsTable } from './common.js';
import { userKeysCard } from './apikeys.js';

export async function usersPage(main) {
  const names = await orgNames();
  const list = h('div', { class: 'list' });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter users' },
    h('label', null, 'Search', h('input', { type: 'search', name: 'q', maxlength: 100, placeholder: 'name or email' })),
    h('label', null, 'Status', h('select', { name: 'status' },
      ['', 'created', 'active', 'inactive', 'deleted'].map((v) => h('option', { value: v }, v || 'any')))),
    names.size ? h('label', null, 'Organization', h('select', { name: 'organization_id' },
      h('option', { value: '' }, 'any'), [...names].map(([id, n]) => h('option', { value: id }, n)))) : null,
    h('button', { type: 'submit' }, 'Apply'));
  const load = () => {
    const f = Object.fromEntries(new FormData(filters));
    return pager(list, (cursor) => api.get(`/users${api.qs({ ...f, cursor, limit: 25 })}`), (items) => table('Users', [
      { label: 'Email', get: (u) => h('a', { href: `#/users/${u.id}` }, u.email) },
      { label: 'Name', get: fullName },
      { label: 'Status', get: (u) => statusBadge(u.status) },
      { label: 'Organization', get: (u) => names.get(u.organization_id) || u.organization_id, class: 'wide' },
      { label: 'Last sign-in', get: (u) => fmtTime(u.last_login_at), class: 'wide' },
    ], items, (u) => { location.hash = `#/users/${u.id}`; })).catch((e) => list.replaceChildren(errorBox(e)));
  };
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  filters.addEventListener('change', load);
  const create = api.can('user:create')
    ? h('button', { type: 'button', class: 'primary', id: 'new-user', on: { click: () => createUser(load) } }, 'New user')
    : null;
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Users'), create), filters, list);
  await load();
}

async function createUser(reload) {
  const close = modal('New user', form({
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true, minlength: 3, maxlength: 254 },
      { name: 'first_name', label: 'First name', required: true, maxlength: 100 },
      { name: 'last_name', label: 'Last name', required: true, maxlength: 100 },
      { name: 'password', label: 'Initial password', type: 'password', required: true, maxlength: 1024, autocomplete: 'new-password',
        hint: '12–128 characters, at least 5 different, not the email, not a common breached password.' },
      { name: 'organization_id', label: 'Organization', type: 'select', required: true, options: await orgOptions() },
    ],
    submit: 'Create user',
    onSubmit: async (v) => {
      const u = await api.post('/users', v);
      close();
      notify(`Created ${u.email}`);
      location.hash = `#/users/${u.id}`;
      reload();
    },
  }));
}

export async function userPage(main, { id }) {
  const [u, names] = await Promise.all([api.get(`/users/${id}`), orgNames()]);
  const canUpdate = api.can('user:update');
  const refresh = () => { clear(main); return userPage(main, { id }); };
  const actions = h('div', { class: 'actions' },
    canUpdate && u.status !== 'deleted'
      ? h('button', { type: 'button', on: { click: () => editDialog('Edit user', `/users/${id}`, [
        { name: 'email', label: 'Email', type: 'email', required: true, minlength: 3, maxlength: 254 },
        { name: 'first_name', label: 'First name', required: true, maxlength: 100 },
        { name: 'last_name', label: 'Last name', required: true, maxlength: 100 },
      ], u, () => { notify('Saved'); refresh(); }, modal) } }, 'Edit') : null,
    canUpdate && u.status !== 'active' && u.status !== 'deleted'
      ? h('button', { type: 'button', on: { click: () => act(() => api.post(`/users/${id}/activate`), 'Activated', refresh) } }, 'Activate') : null,
    canUpdate && u.status === 'active'
      ? h('button', { type: 'button', on: { click: () => act(() => api.post(`/users/${id}/deactivate`), 'Deactivated', refresh) } }, 'Deactivate') : null,
    canUpdate && u.status !== 'deleted'
      ? h('button', { type: 'button', on: { click: () => resetPassword(id) } }, 'Reset password') : null,
    api.can('user:delete') && u.status !== 'deleted'
      ? h('button', { type: 'button', class: 'danger', on: { click: async () => {
        if (await confirmDialog(`Delete ${u.email}? Their sessions end and they can no longer sign in.`, 'Delete')) {
          await act(() => api.del(`/users/${id}`), 'Deleted', () => { location.hash = '#/users'; });
        }
      } } }, 'Delete') : null);
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/users' }, 'Users'), ' / ', u.email),
    h('div', { class: 'page-head' }, h('h1', null, fullName(u) || u.email), actions),
    h('dl', { class: 'facts' },
      fact('Email', u.email), fact('Status', statusBadge(u.status)),
      fact('Organization', names.get(u.organization_id) || u.organization_id),
      fact('Last sign-in', fmtTime(u.last_login_at) || 'never'), fact('Created', fmtTime(u.created_at)),
      u.locked_until ? fact('Locked until', fmtTime(u.locked_until)) : null, fact('ID', h('code', null, u.id))));
  const grid = h('div', { class: 'grid2' });
  main.append(grid);
  const cards = await Promise.all([rolesCard(id, canUpdate), permissionsCard(id, canUpdate), groupsCard(u), effectiveCard(id), sessionsCard(u, canUpdate), userKeysCard(u, canUpdate)]);
  grid.append(...cards.filter(Boolean));
}

const fact = (k, v) => [h('dt', null, k), h('dd', null, v)];

async function act(fn, msg, then) {
  try {
    await fn();
    notify(msg);
    then?.();
  } catch (e) {
    notify(e.message, 'bad');
  }
}

function resetPassword(id) {
  const close = modal('Reset password', form({
    fields: [{ name: 'new_password', label: 'New password', type: 'password', required: true, maxlength: 1024, autocomplete: 'new-password',
      hint: 'The user\'s sessions end; they sign in with this password.' }],
    submit: 'Set password',
    onSubmit: async (v) => { await api.put(`/users/${id}/password`, v); close(); notify('Password reset'); },
  }));
}

// picker is a select of options plus an Add button; add(value) performs the grant.
function picker(label, options, add) {
  if (!options.length) return null;
  return form({
    className: 'inline',
    fields: [{ name: 'ref', label, type: 'select', required: true, options }],
    submit: 'Add',
    onSubmit: (v) => add(v.ref),
  });
}

async function rolesCard(id, canUpdate) {
  const card = section('Roles');
  const body = h('div');
  card.append(body);
  const draw = async () => {
    const grants = await api.all(`/users/${id}/roles`);
    const have = new Set(grants.map((g) => g.role.id));
    const roles = canUpdate && api.can('role:read') ? await api.all('/roles?sort=name') : [];
    clear(body, table('Roles of the user', [
      { label: 'Role', get: (g) => h('a', { href: `#/roles/${g.role.id}` }, g.role.name) },
      { label: 'Tier', get: (g) => g.role.tier },
      { label: 'Since', get: (g) => fmtTime(g.assigned_at), class: 'wide' },
      { label: '', get: (g) => (canUpdate ? h('button', { type: 'button', class: 'link', 'aria-label': `Revoke ${g.role.name}`,
        on: { click: () => act(() => api.del(`/users/${id}/roles/${g.role.id}`), 'Role revoked', draw) } }, 'Revoke') : '') },
    ], grants),
    picker('Assign role', roles.filter((r) => !have.has(r.id)).map((r) => [r.id, `${r.name} (tier ${r.tier})`]),
      async (roleId) => { await api.post(`/users/${id}/roles`, { role_id: roleId }); notify('Role assigned'); draw(); }));
  };
  await draw().catch((e) => body.replaceChildren(errorBox(e)));
  return card;
}

async function permissionsCard(id, canUpdate) {
  const card = section('Direct permissions');
  const body = h('div');
  card.append(body);
  const draw = async () => {
    const grants = await api.all(`/users/${id}/permissions`);
    const have = new Set(grants.map((g) => g.permission.id));
    const perms = canUpdate && api.can('permission:read') ? await api.all('/permissions?sort=name', 1000) : [];
    clear(body, table('Direct permissions of the user', [
      { label: 'Permission', get: (g) => h('code', null, g.permission.name) },
      { label: 'Since', get: (g) => fmtTime(g.assigned_at), class: 'wide' },
      { label: '', get: (g) => (canUpdate ? h('button', { type: 'button', class: 'link', 'aria-label': `Revoke ${g.permission.name}`,
        on: { click: () => act(() => api.del(`/users/${id}/permissions/${g.permission.id}`), 'Permission revoked', draw) } }, 'Revoke') : '') },
    ], grants),
    picker('Grant permission', perms.filter((p) => !have.has(p.id)).map((p) => [p.id, p.name]),
      async (pid) => { await api.post(`/users/${id}/permissions`, { permission_id: pid }); notify('Permission granted'); draw(); }));
  };
  await draw().catch((e) => body.replaceChildren(errorBox(e)));
  return card;
}

// groupsCard: the API has no "groups of a user" read, so the console asks each readable group
// of the user's organization for its members (fine for the tens of groups an organization has).
async function groupsCard(u) {
  if (!api.can('group:read')) return null;
  const card = section('Groups');
  const body = h('div');
  card.append(body);
  const draw = async () => {
    const groups = await api.all(`/groups${api.qs({ organization_id: u.organization_id, sort: 'name' })}`, 200);
    const member = [];
    await Promise.all(groups.map(async (g) => {
      const ms = await api.all(`/groups/${g.id}/members`, 1000);
      if (ms.some((m) => m.id === u.id)) member.push(g);
    }));
    const mine = new Set(member.map((g) => g.id));
    clear(body, table('Groups of the user', [
      { label: 'Group', get: (g) => h('a', { href: `#/groups/${g.id}` }, g.name) },
      { label: '', get: (g) => (api.can('group:update') ? h('button', { type: 'button', class: 'link', 'aria-label': `Remove from ${g.name}`,
        on: { click: () => act(() => api.del(`/groups/${g.id}/members/${u.id}`), 'Removed from group', draw) } }, 'Remove') : '') },
    ], member),
    api.can('group:update') ? picker('Add to group', groups.filter((g) => !mine.has(g.id)).map((g) => [g.id, g.name]),
      async (gid) => { await api.post(`/groups/${gid}/members`, { user_id: u.id }); notify('Added to group'); draw(); }) : null);
  };
  await draw().catch((e) => body.replaceChildren(errorBox(e)));
  return card;
}

async function effectiveCard(id) {
  const card = section('Effective permissions');
  try {
    const eff = await api.get(`/users/${id}/effective-permissions`);
    const list = table('Effective permissions', [
      { label: 'Permission', get: (p) => h('code', null, p.permission) },
      { label: 'Through', get: (p) => p.sources.map(sourceText).join(', ') },
    ], eff.items);
    // A long list (an administrator's) stays folded until asked for.
    card.append(eff.items.length > 12
      ? h('details', null, h('summary', null, `${eff.items.length} permissions`), list)
      : list);
  } catch (e) {
    card.append(errorBox(e));
  }
  return card;
}

export function sourceText(src) {
  if (!src) return '';
  if (src.kind === 'group') return `group ${src.name} → role ${src.role_name || src.role_id}`;
  if (src.kind === 'role') return `role ${src.name}`;
  return 'direct grant';
}

// sessionsCard shows the user's sessions, and offers to end them all or reset their second
// factor. The card appears only on a server with the session API (issue 13).
async function sessionsCard(u, canUpdate) {
  const card = section('Sessions');
  card.classList.add('span2'); // six columns: the card takes the grid's full width
  const body = h('div');
  const draw = async () => {
    const list = await api.optional(`/users/${u.id}/sessions`);
    if (list) body.replaceChildren(sessionsTable('Sessions of the user', list.items));
    return list;
  };
  try {
    if (!(await draw())) return null;
  } catch (e) {
    body.replaceChildren(errorBox(e));
  }
  card.append(body);
  if (canUpdate) {
    card.append(h('div', { class: 'actions' },
      h('button', { type: 'button', on: { click: async () => {
        if (await confirmDialog(`End every session of ${u.email}? Their tokens stop working at once.`, 'End sessions')) {
          await act(() => api.del(`/users/${u.id}/sessions`), 'Sessions ended', draw);
        }
      } } }, 'End all sessions'),
      h('button', { type: 'button', on: { click: async () => {
        if (await confirmDialog(`Remove the second factor of ${u.email}? Their sessions end; they sign in with the password and enrol again.`, 'Reset')) {
          await act(() => api.del(`/users/${u.id}/mfa`), 'Second factor reset', draw);
        }
      } } }, 'Reset second factor')));
  }
  return card;
}
