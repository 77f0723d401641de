// My account: who the console is signed in as, what they hold, a password change (the API
// keeps the current session and ends the others), their second factor (mfa.js) and, where the
// server has those APIs, their sessions and API keys.
import { h, table, notify } from '../dom.js';
import * as api from '../api.js';
import { form, errorBox } from '../forms.js';
import { section, fullName, statusBadge, sessionsTable } from './common.js';
import { myKeysCard } from './apikeys.js';
import { secondFactorCard } from './mfa.js';

export async function accountPage(main) {
  const me = await api.loadMe();
  const u = me.user;
  const mfa = await secondFactorCard();
  const perms = table('My permissions', [{ label: 'Permission', get: (p) => h('code', null, p) }], me.permissions || []);
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'My account')),
    h('dl', { class: 'facts' },
      h('dt', null, 'Name'), h('dd', null, fullName(u)),
      h('dt', null, 'Email'), h('dd', null, u.email),
      h('dt', null, 'Status'), h('dd', null, statusBadge(u.status)),
      h('dt', null, 'Roles'), h('dd', null, (me.roles || []).map((r) => r.name).join(', ') || 'none'),
      h('dt', null, 'Session'), h('dd', null, h('code', null, me.session_id))),
    h('div', { class: 'grid2' },
      section('Change password', form({
        fields: [
          { name: 'current_password', label: 'Current password', type: 'password', required: true, maxlength: 1024, autocomplete: 'current-password' },
          { name: 'new_password', label: 'New password', type: 'password', required: true, maxlength: 1024, autocomplete: 'new-password',
            hint: 'Your other sessions end; this one stays.' },
          { name: 'repeat', label: 'New password again', type: 'password', required: true, maxlength: 1024, autocomplete: 'new-password' },
        ],
        submit: 'Change password',
        resetOnSuccess: true,
        onSubmit: async (v) => {
          if (v.repeat !== v.new_password) {
            throw new api.ApiError(400, { detail: 'The new passwords differ.', errors: [{ field: 'repeat', message: 'does not match the new password' }] });
          }
          await api.post('/auth/password', { current_password: v.current_password, new_password: v.new_password });
          notify('Password changed');
        },
      })),
      mfa,
      section(`Permissions (${(me.permissions || []).length})`,
        (me.permissions || []).length > 12 ? h('details', null, h('summary', null, 'Show'), perms) : perms)));
  const extra = (await Promise.all([mySessions(), myKeysCard()])).filter(Boolean);
  if (extra.length) main.append(h('div', { class: 'grid2' }, extra));
}

// mySessions lists the caller's sessions with a way to end the others; null on a server
// without the session API (issue 13).
async function mySessions() {
  const card = section('My sessions');
  card.classList.add('span2');
  const draw = async () => {
    const list = await api.optional('/auth/sessions');
    if (!list) return false;
    card.replaceChildren(h('h2', null, 'My sessions'), sessionsTable('My sessions', list.items, async (x) => {
      try { await api.del(`/auth/sessions/${x.id}`); notify('Session ended'); draw(); } catch (e) { notify(e.message, 'bad'); }
    }));
    return true;
  };
  try {
    return (await draw()) ? card : null;
  } catch (e) {
    card.append(errorBox(e));
    return card;
  }
}
