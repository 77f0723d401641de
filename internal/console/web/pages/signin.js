// Sign-in: email and password, then the second factor when the account has one.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { form } from '../forms.js';

export function signInPage(root) {
  const box = h('section', { class: 'signin', 'aria-labelledby': 'signin-title' });
  clear(root, h('main', { id: 'main', class: 'center' }, box));
  credentials(box);
}

function credentials(box, notice) {
  clear(box,
    notice ? h('p', { class: 'form-error', role: 'alert' }, notice) : null,
    h('h1', { id: 'signin-title' }, 'Sign in to TelemetryFlow'),
    form({
      fields: [
        { name: 'email', label: 'Email', type: 'email', required: true, maxlength: 254, autocomplete: 'username' },
        { name: 'password', label: 'Password', type: 'password', required: true, maxlength: 1024, autocomplete: 'current-password' },
      ],
      submit: 'Sign in',
      onSubmit: async (v) => {
        const res = await api.signIn(v.email, v.password);
        if (res.mfa) secondFactor(box, res.mfa);
      },
    }));
  box.querySelector('input')?.focus();
}

// secondFactor is the MFA step: the login answered an mfa_token instead of tokens; a code
// from the authenticator app (or a recovery code) completes it with POST /auth/mfa/verify.
function secondFactor(box, mfa) {
  const names = { totp: 'your authenticator app', recovery_code: 'one of your recovery codes' };
  const methods = mfa.methods.length ? mfa.methods.map((m) => names[m] || m).join(' or ') : 'your second factor';
  clear(box,
    h('h1', { id: 'signin-title' }, 'Second factor'),
    h('p', null, `Enter a code from ${methods}.`),
    form({
      fields: [{ name: 'code', label: 'Code', required: true, maxlength: 64, autocomplete: 'one-time-code' }],
      submit: 'Verify',
      onSubmit: async (v) => {
        try {
          await api.verifySecondFactor(mfa.token, v.code.trim());
        } catch (err) {
          // The challenge is spent (expired, used, too many wrong codes): start again.
          if (err.problem?.code === 'invalid_mfa_token') credentials(box, 'The sign-in took too long or had too many wrong codes; sign in again.');
          else throw err;
        }
      },
    }),
    h('button', { type: 'button', class: 'link', on: { click: () => credentials(box) } }, 'Back'));
  box.querySelector('input')?.focus();
}
