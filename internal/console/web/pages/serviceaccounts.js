// Service accounts (the API of issue 12): machine identities that sign in at /oauth2/token
// with a client secret or a key. The list, create, and one account's secrets (issued once,
// shown once) and public keys. Offered only on a server with that API (see app.js).
import { h, table, fmtTime, notify, confirmDialog, modal, clear } from '../dom.js';
import * as api from '../api.js';
import { form, compact, errorBox, editDialog } from '../forms.js';
import { orgNames, orgOptions, statusBadge, pager, section } from './common.js';

export async function serviceAccountsPage(main) {
  const names = await orgNames();
  const list = h('div');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter service accounts' },
    h('label', null, 'Search', h('input', { type: 'search', name: 'q', maxlength: 100 })),
    names.size ? h('label', null, 'Organization', h('select', { name: 'organization_id' },
      h('option', { value: '' }, 'any'), [...names].map(([id, n]) => h('option', { value: id }, n)))) : null,
    h('button', { type: 'submit' }, 'Apply'));
  const load = () => pager(list, (cursor) => api.get(`/service-accounts${api.qs({ ...Object.fromEntries(new FormData(filters)), cursor, limit: 50 })}`),
    (items) => table('Service accounts', [
      { label: 'Name', get: (a) => h('a', { href: `#/service-accounts/${a.id}` }, a.name) },
      { label: 'Client id', get: (a) => h('code', null, a.client_id) },
      { label: 'Status', get: (a) => statusBadge(a.status) },
      { label: 'Organization', get: (a) => names.get(a.organization_id) || a.organization_id, class: 'wide' },
    ], items, (a) => { location.hash = `#/service-accounts/${a.id}`; })).catch((e) => list.replaceChildren(errorBox(e)));
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  filters.addEventListener('change', load);
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Service accounts'),
    api.can('user:create') ? h('button', { type: 'button', class: 'primary', id: 'new-service-account', on: { click: () => create() } }, 'New service account') : null),
  filters, list);
  await load();
}

async function create() {
  const close = modal('New service account', form({
    fields: [
      { name: 'name', label: 'Name', required: true, minlength: 1, maxlength: 100 },
      { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
      { name: 'organization_id', label: 'Organization', type: 'select', required: true, options: await orgOptions() },
    ],
    submit: 'Create',
    onSubmit: async (v) => {
      const a = await api.post('/service-accounts', compact(v));
      close();
      notify(`Created ${a.name}`);
      location.hash = `#/service-accounts/${a.id}`;
    },
  }));
}

export async function serviceAccountPage(main, { id }) {
  const a = await api.get(`/service-accounts/${id}`);
  const names = await orgNames();
  const canUpdate = api.can('user:update');
  const base = `/service-accounts/${id}`;
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/service-accounts' }, 'Service accounts'), ' / ', a.name),
    h('div', { class: 'page-head' }, h('h1', null, a.name), h('div', { class: 'actions' },
      canUpdate ? h('button', { type: 'button', on: { click: () => editDialog(`Edit ${a.name}`, base, [
        { name: 'name', label: 'Name', required: true, minlength: 1, maxlength: 100 },
        { name: 'description', label: 'Description', type: 'textarea', maxlength: 1000 },
      ], a, () => { notify('Saved'); clear(main); serviceAccountPage(main, { id }); }, modal) } }, 'Edit') : null,
      api.can('user:delete') ? h('button', { type: 'button', class: 'danger', on: { click: async () => {
        if (!(await confirmDialog(`Delete ${a.name}? Its secrets and keys stop working.`, 'Delete'))) return;
        try { await api.del(base); notify('Deleted'); location.hash = '#/service-accounts'; } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Delete') : null)),
    h('p', null, a.description || ''),
    h('dl', { class: 'facts' },
      h('dt', null, 'Client id'), h('dd', null, h('code', null, a.client_id)),
      h('dt', null, 'Status'), h('dd', null, statusBadge(a.status)),
      h('dt', null, 'Organization'), h('dd', null, names.get(a.organization_id) || a.organization_id),
      h('dt', null, 'Roles and permissions'), h('dd', null, h('a', { href: `#/users/${a.id}` }, 'on its user page')),
      h('dt', null, 'Created'), h('dd', null, fmtTime(a.created_at))));
  const grid = h('div', { class: 'grid2' });
  main.append(grid);
  grid.append(...await Promise.all([secretsCard(a, base, canUpdate), keysCard(base, canUpdate)]));
}

async function secretsCard(a, base, canUpdate) {
  const card = section('Client secrets');
  const body = h('div');
  const draw = async () => {
    const list = await api.get(`${base}/secrets`);
    body.replaceChildren(table('Client secrets', [
      { label: 'Description', get: (x) => x.description || '—' },
      { label: 'Created', get: (x) => fmtTime(x.created_at) },
      { label: 'Expires', get: (x) => (x.expires_at ? fmtTime(x.expires_at) : 'never'), class: 'wide' },
      { label: 'Last used', get: (x) => fmtTime(x.last_used_at) || 'never', class: 'wide' },
      { label: '', get: (x) => (canUpdate ? h('button', { type: 'button', class: 'link', on: { click: async () => {
        if (!(await confirmDialog('Delete this secret? Clients using it can no longer get tokens.', 'Delete'))) return;
        try { await api.del(`${base}/secrets/${x.id}`); notify('Secret deleted'); draw(); } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Delete') : '') },
    ], list.items));
  };
  await draw().catch((e) => body.replaceChildren(errorBox(e)));
  card.append(body);
  if (canUpdate) {
    card.append(form({
      className: 'inline',
      resetOnSuccess: true,
      fields: [
        { name: 'description', label: 'Description', maxlength: 500 },
        { name: 'expires_at', label: 'Expires (optional)', type: 'date' },
      ],
      submit: 'New secret',
      onSubmit: async (v) => {
        const req = compact({ description: v.description });
        if (v.expires_at) req.expires_at = new Date(`${v.expires_at}T23:59:59`).toISOString();
        const issued = await api.post(`${base}/secrets`, req);
        showSecret(issued);
        draw();
      },
    }));
  }
  return card;
}

// showSecret shows a new client secret once, with its client id.
function showSecret(issued) {
  const secret = h('input', { type: 'text', readonly: true, value: issued.client_secret, id: 'new-client-secret', 'aria-label': 'The new client secret', class: 'token' });
  modal('Client secret issued', h('div', { class: 'stack' },
    h('p', null, 'Copy the secret now: it is shown only this once.'),
    h('dl', { class: 'facts' }, h('dt', null, 'client_id'), h('dd', null, h('code', null, issued.client_id))),
    secret,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', on: { click: async () => {
      try { await navigator.clipboard.writeText(issued.client_secret); notify('Copied'); } catch { secret.select(); }
    } } }, 'Copy'))));
  secret.select();
}

async function keysCard(base, canUpdate) {
  const card = section('Public keys');
  const body = h('div');
  const draw = async () => {
    const list = await api.get(`${base}/keys`);
    body.replaceChildren(table('Public keys', [
      { label: 'Key id', get: (k) => h('code', null, k.kid) },
      { label: 'Algorithm', get: (k) => k.alg },
      { label: 'Added', get: (k) => fmtTime(k.created_at), class: 'wide' },
      { label: 'Expires', get: (k) => (k.expires_at ? fmtTime(k.expires_at) : 'never'), class: 'wide' },
      { label: '', get: (k) => (canUpdate ? h('button', { type: 'button', class: 'link', on: { click: async () => {
        if (!(await confirmDialog(`Remove the key ${k.kid}?`, 'Remove'))) return;
        try { await api.del(`${base}/keys/${k.id}`); notify('Key removed'); draw(); } catch (e) { notify(e.message, 'bad'); }
      } } }, 'Remove') : '') },
    ], list.items));
  };
  await draw().catch((e) => body.replaceChildren(errorBox(e)));
  card.append(body);
  if (canUpdate) {
    card.append(form({
      resetOnSuccess: true,
      fields: [
        { name: 'jwk', label: 'Public key (JWK, JSON)', type: 'textarea', required: true, maxlength: 10000,
          hint: 'Ed25519 (EdDSA), P-256 (ES256) or RSA of 2048 bits or more (RS256); never a private key.' },
        { name: 'expires_at', label: 'Expires (optional)', type: 'date' },
      ],
      submit: 'Add key',
      onSubmit: async (v) => {
        let jwk;
        try {
          jwk = JSON.parse(v.jwk);
        } catch {
          throw new api.ApiError(400, { detail: 'The key is not JSON.', errors: [{ field: 'jwk', message: 'must be a JSON Web Key' }] });
        }
        const req = { jwk };
        if (v.expires_at) req.expires_at = new Date(`${v.expires_at}T23:59:59`).toISOString();
        await api.post(`${base}/keys`, req);
        notify('Key added');
        draw();
      },
    }));
  }
  return card;
}
