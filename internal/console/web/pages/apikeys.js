// API keys (the API of issue 12): the caller's own keys on My account — create (the token is
// shown once), list, revoke — and a user's keys on their page (list, revoke). Both appear
// only where the server has that API.
import { h, table, fmtTime, notify, confirmDialog, modal, badge } from '../dom.js';
import * as api from '../api.js';
import { form, errorBox } from '../forms.js';
import { section } from './common.js';

function keysTable(caption, items, revoke) {
  return table(caption, [
    { label: 'Name', get: (k) => k.name },
    { label: 'Prefix', get: (k) => h('code', null, k.prefix) },
    { label: 'Permissions', get: (k) => (k.permissions ? k.permissions.join(', ') : badge('all of the owner\'s', 'info')) },
    { label: 'Expires', get: (k) => (k.expires_at ? fmtTime(k.expires_at) : 'never'), class: 'wide' },
    { label: 'Last used', get: (k) => fmtTime(k.last_used_at) || 'never', class: 'wide' },
    { label: '', get: (k) => (revoke ? h('button', { type: 'button', class: 'link', 'aria-label': `Revoke ${k.name}`, on: { click: () => revoke(k) } }, 'Revoke') : '') },
  ], items);
}

// myKeysCard is the caller's keys, or null on a server without the API.
export async function myKeysCard() {
  const card = section('My API keys');
  card.classList.add('span2');
  const body = h('div');
  const draw = async () => {
    const list = await api.optional('/auth/api-keys');
    if (!list) return false;
    body.replaceChildren(keysTable('My API keys', list.items, async (k) => {
      if (!(await confirmDialog(`Revoke the key ${k.name}? It is refused from the next request on.`, 'Revoke'))) return;
      try { await api.del(`/auth/api-keys/${k.id}`); notify('Key revoked'); draw(); } catch (e) { notify(e.message, 'bad'); }
    }));
    return true;
  };
  try {
    if (!(await draw())) return null;
  } catch (e) {
    body.replaceChildren(errorBox(e));
  }
  card.append(body, h('h3', null, 'New key'), form({
    className: 'inline',
    resetOnSuccess: true,
    fields: [
      { name: 'name', label: 'Name', required: true, minlength: 1, maxlength: 100 },
      { name: 'permissions', label: 'Permissions (comma-separated; empty: all of yours)', maxlength: 4000, placeholder: 'audit:read, user:read' },
      { name: 'expires_at', label: 'Expires (optional)', type: 'date' },
    ],
    submit: 'Create key',
    onSubmit: async (v) => {
      const body = { name: v.name };
      const perms = v.permissions.split(/[\s,]+/).filter(Boolean);
      if (perms.length) body.permissions = perms;
      if (v.expires_at) body.expires_at = new Date(`${v.expires_at}T23:59:59`).toISOString();
      const made = await api.post('/auth/api-keys', body);
      showToken(made);
      draw();
    },
  }));
  return card;
}

// showToken shows a new key's secret once, with a copy button.
function showToken(made) {
  const token = h('input', { type: 'text', readonly: true, value: made.token, id: 'new-api-key', 'aria-label': 'The new key', class: 'token' });
  modal(`Key ${made.name} created`, h('div', { class: 'stack' },
    h('p', null, 'Copy the key now: it is shown only this once. Send it as ', h('code', null, 'Authorization: Bearer <key>'), '.'),
    token,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', on: { click: async () => {
      try { await navigator.clipboard.writeText(made.token); notify('Copied'); } catch { token.select(); }
    } } }, 'Copy'))));
  token.select();
}

// userKeysCard is a user's keys with revocation (acting-on rule applies), or null on a server
// without the API.
export async function userKeysCard(u, canUpdate) {
  const card = section('API keys');
  card.classList.add('span2');
  const body = h('div');
  const draw = async () => {
    const list = await api.optional(`/users/${u.id}/api-keys`);
    if (!list) return false;
    body.replaceChildren(keysTable('API keys of the user', list.items, canUpdate ? async (k) => {
      if (!(await confirmDialog(`Revoke ${u.email}'s key ${k.name}?`, 'Revoke'))) return;
      try { await api.del(`/users/${u.id}/api-keys/${k.id}`); notify('Key revoked'); draw(); } catch (e) { notify(e.message, 'bad'); }
    } : null));
    return true;
  };
  try {
    if (!(await draw())) return null;
  } catch (e) {
    body.replaceChildren(errorBox(e));
  }
  card.append(body);
  return card;
}
