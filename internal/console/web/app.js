// The console's entry: the shell (navigation, who is signed in, sign-out) and a hash router.
// Hash routes (#/users/…) keep the server's job to one page and the files beside it.
import { h, clear, notify } from './dom.js';
import * as api from './api.js';
import { signInPage } from './pages/signin.js';
import { usersPage, userPage } from './pages/users.js';
import { hierarchyPage } from './pages/hierarchy.js';
import { rolesPage, rolePage } from './pages/roles.js';
import { groupsPage, groupPage } from './pages/groups.js';
import { auditPage } from './pages/audit.js';
import { authzPage } from './pages/authz.js';
import { accountPage } from './pages/account.js';
import { serviceAccountsPage, serviceAccountPage } from './pages/serviceaccounts.js';

// routes: [path pattern, page, nav label, permission that makes the page worth offering,
// server feature the page needs (see probe)].
const routes = [
  ['users', usersPage, 'Users', 'user:read'],
  ['users/:id', userPage],
  ['service-accounts', serviceAccountsPage, 'Service accounts', 'user:read', 'serviceAccounts'],
  ['service-accounts/:id', serviceAccountPage, null, null, 'serviceAccounts'],
  ['hierarchy', hierarchyPage, 'Hierarchy', 'region:read|tenant:read|organization:read|workspace:read'],
  ['roles', rolesPage, 'Roles', 'role:read'],
  ['roles/:id', rolePage],
  ['groups', groupsPage, 'Groups', 'group:read'],
  ['groups/:id', groupPage],
  ['audit', auditPage, 'Audit', 'audit:read'],
  ['authz', authzPage, 'Decisions', ''],
  ['account', accountPage],
];

const root = document.getElementById('app');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const allowed = (perm) => !perm || perm.split('|').some((p) => api.can(p));

// features are the APIs this server has beyond main's, probed once per sign-in: the console
// ships before every API it can use is on every server.
let features = null;
let probing = null;
async function probe() {
  features = { serviceAccounts: false };
  if (api.can('user:read')) {
    features.serviceAccounts = Boolean(await api.optional('/service-accounts?limit=1').catch(() => null));
  }
}
const present = (route) => !route[4] || features?.[route[4]];

function match(hash) {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  for (const route of routes) {
    const [pattern, page] = route;
    if (!present(route)) continue;
    const want = pattern.split('/');
    if (want.length !== parts.length) continue;
    const params = {};
    // A parameter is an id: anything else (say "..%2F..") must not reach an API path.
    if (want.every((w, i) => (w.startsWith(':') ? UUID.test(parts[i]) && (params[w.slice(1)] = parts[i]) : w === parts[i]))) {
      return { pattern, page, params };
    }
  }
  return null;
}

function shell(active) {
  const user = api.me().user;
  const nav = h('nav', { class: 'nav', 'aria-label': 'Main' }, h('ul', null,
    routes.filter((r) => r[2] && allowed(r[3]) && present(r)).map(([path, , label]) => h('li', null,
      h('a', { href: `#/${path}`, 'aria-current': active.split('/')[0] === path ? 'page' : null }, label)))));
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const header = h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'TelemetryFlow'),
    nav,
    h('div', { class: 'who' },
      h('a', { class: 'who-name', href: '#/account', title: 'My account', 'aria-current': active === 'account' ? 'page' : null }, user.email),
      h('button', { type: 'button', class: 'link', id: 'signout', on: { click: () => api.signOut() } }, 'Sign out')));
  clear(root, header, main);
  return main;
}

async function render() {
  if (!api.signedIn()) {
    signInPage(clear(root));
    return;
  }
  await (probing ||= probe());
  const m = match(location.hash);
  if (!m) {
    const first = routes.find((r) => r[2] && allowed(r[3]) && present(r));
    location.replace(`#/${first[0]}`);
    return;
  }
  const main = shell(m.pattern);
  try {
    await m.page(main, m.params);
  } catch (err) {
    main.append(h('p', { class: 'form-error', role: 'alert' }, String(err.message || err)));
  }
  document.title = `${main.querySelector('h1')?.textContent || 'Console'} · TelemetryFlow`;
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', render);
api.events.addEventListener('signedin', render);
api.events.addEventListener('signedout', (e) => {
  features = null;
  probing = null;
  if (e.detail === 'expired') notify('Your session ended; sign in again.', 'warn');
  render();
});
render();
