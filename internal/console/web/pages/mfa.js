// My account's "Second factor" card: TOTP enrolment (POST /auth/mfa/totp, then
// /auth/mfa/totp/confirm with a first code), new recovery codes (POST /auth/mfa/recovery-codes)
// and turning the factor off (DELETE /auth/mfa/totp with a code or the password).
//
// Whether the factor is on comes from GET /auth/me (mfa_enabled), read fresh when the card
// is drawn; a 409 mfa_already_enabled answer to "Set up" corrects a stale view.
import { h, notify, uid } from '../dom.js';
import * as api from '../api.js';
import { form } from '../forms.js';
import { section } from './common.js';

// known: {user, on} — what this tab did itself since it last read /auth/me.
let known = null;

async function initialState(userId) {
  if (known && known.user === userId) return known.on;
  try {
    const me = await api.get('/auth/me');
    return Boolean(me.mfa_enabled);
  } catch {
    return false;
  }
}

function remember(userId, on) { known = { user: userId, on }; }

// proof turns the "Turn off" form's values into an MfaProofRequest (a code or the password).
function proof(v) {
  const body = {};
  if (v.code.trim()) body.code = v.code.trim();
  if (v.password) body.password = v.password;
  if (!Object.keys(body).length) {
    throw new api.ApiError(400, { detail: 'Enter a code from your authenticator app or your password.',
      errors: [{ field: 'code', message: 'a code or the password is needed' }] });
  }
  return body;
}

const codeField = (hint) => ({ name: 'code', label: 'Code from your authenticator app', required: true, maxlength: 64,
  autocomplete: 'one-time-code', hint });

// recoveryCodes shows the codes once, with what to do with them; done() leaves the view.
function recoveryCodes(codes, done) {
  const titleId = uid('rc');
  const list = h('ol', { class: 'codes', 'aria-labelledby': titleId }, codes.map((c) => h('li', null, h('code', null, c))));
  const copy = h('button', { type: 'button', on: { click: async () => {
    try { await navigator.clipboard.writeText(codes.join('\n')); notify('Recovery codes copied'); } catch { notify('Copy failed; select the codes instead', 'warn'); }
  } } }, 'Copy codes');
  return h('div', { class: 'stack recovery' },
    h('p', { class: 'notice', role: 'alert', id: titleId },
      'Save these recovery codes now: they are shown this once. Each one signs you in once in place of a code from your app.'),
    list,
    h('div', { class: 'actions' }, copy,
      h('button', { type: 'button', class: 'primary', on: { click: done } }, 'I have saved them')));
}

export async function secondFactorCard() {
  const userId = api.me().user.id;
  const card = section('Second factor');
  card.id = 'second-factor';
  const body = h('div', { class: 'stack' });
  card.append(body);

  const status = (on) => h('p', null, 'Authenticator app (TOTP): ',
    h('span', { class: `badge ${on ? 'ok' : 'warn'}`, id: 'mfa-status' }, on ? 'on' : 'off'));

  function showOff(message) {
    remember(userId, false);
    body.replaceChildren(status(false),
      h('p', { class: 'hint' }, message || 'Sign-ins need only your password. Add an authenticator app so a stolen password is not enough.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', on: { click: (e) => startEnrol(e.currentTarget) } }, 'Set up authenticator')));
  }

  async function startEnrol(button) {
    button.disabled = true;
    let e;
    try {
      e = await api.post('/auth/mfa/totp');
    } catch (err) {
      button.disabled = false;
      if (err instanceof api.ApiError && err.problem.code === 'mfa_already_enabled') { showOn(); notify('Your authenticator app is already on'); return; }
      notify(err.message, 'bad');
      return;
    }
    const secretId = uid('secret');
    body.replaceChildren(
      h('ol', { class: 'steps' },
        h('li', null, 'Scan this QR code with your authenticator app:',
          h('img', { class: 'qr', src: e.qr_png, alt: 'QR code of the authenticator secret (the same as the key below)', width: 200, height: 200 })),
        h('li', null, h('span', { id: secretId }, 'Or enter this key by hand: '),
          h('code', { class: 'secret', 'aria-labelledby': secretId, 'data-secret': e.secret }, e.secret.replace(/(.{4})(?=.)/g, '$1 '))),
        h('li', null, 'Enter the 6-digit code the app shows to turn it on.')),
      form({
        fields: [codeField()],
        submit: 'Confirm',
        onSubmit: async (v) => {
          const res = await api.post('/auth/mfa/totp/confirm', { code: v.code.trim() });
          remember(userId, true);
          body.replaceChildren(h('p', null, 'Your authenticator app is on.'), recoveryCodes(res.recovery_codes, () => showOn()));
          notify('Second factor on');
        },
      }),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'link', on: { click: () => showOff() } }, 'Cancel')));
    body.querySelector('input')?.focus();
  }

  function showOn() {
    remember(userId, true);
    const regen = h('details', null, h('summary', null, 'Regenerate recovery codes'),
      h('p', { class: 'hint' }, 'New codes replace the old ones, which stop working.'),
      form({
        fields: [codeField()],
        submit: 'Regenerate',
        onSubmit: async (v) => {
          const res = await api.post('/auth/mfa/recovery-codes', { code: v.code.trim() });
          body.replaceChildren(recoveryCodes(res.recovery_codes, () => showOn()));
          notify('New recovery codes');
        },
      }));
    const off = h('details', null, h('summary', null, 'Turn off'),
      h('p', { class: 'hint' }, 'Give a current code or your password. Sign-ins then need only your password.'),
      form({
        fields: [
          { ...codeField(), required: false },
          { name: 'password', label: 'Or your password', type: 'password', maxlength: 1024, autocomplete: 'current-password' },
        ],
        submit: 'Turn off',
        onSubmit: async (v) => {
          await api.request('DELETE', '/auth/mfa/totp', proof(v));
          showOff('Your authenticator app is off. Sign-ins need only your password.');
          notify('Second factor off');
        },
      }));
    body.replaceChildren(status(true),
      h('p', { class: 'hint' }, 'Sign-ins ask for a code from your authenticator app or a recovery code.'),
      regen, off);
  }

  if (await initialState(userId)) showOn(); else showOff();
  return card;
}
