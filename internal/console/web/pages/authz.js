// The decision explorer: "can user X do P (in organization O / workspace W)?" answered by
// POST /authz/check, with the reason and the grant path it found.
import { h, clear, badge } from '../dom.js';
import * as api from '../api.js';
import { form, compact } from '../forms.js';
import { sourceText } from './users.js';

export async function authzPage(main) {
  const answer = h('div', { class: 'answer', 'aria-live': 'polite' });
  const perms = api.can('permission:read') ? await api.all('/permissions?sort=name', 1000).catch(() => []) : [];
  const list = h('datalist', { id: 'perm-names' }, perms.map((p) => h('option', { value: p.name })));
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Decision explorer')),
    h('p', { class: 'hint' }, 'Ask the authorization service whether a user holds a permission, and why. Leave the user empty to ask about yourself.'),
    list,
    form({
      className: 'stack narrow',
      fields: [
        { name: 'user', label: 'User (email or id)', maxlength: 254, placeholder: 'ada@example.com' },
        { name: 'permission', label: 'Permission', required: true, minlength: 3, maxlength: 101, list: 'perm-names', placeholder: 'user:read' },
        { name: 'organization_id', label: 'Organization id (optional)', maxlength: 36 },
        { name: 'workspace_id', label: 'Workspace id (optional)', maxlength: 36 },
      ],
      submit: 'Check',
      onSubmit: async (v) => {
        const check = compact({ permission: v.permission.trim(), organization_id: v.organization_id, workspace_id: v.workspace_id });
        let who = 'You';
        if (v.user.trim()) {
          const user = v.user.trim();
          if (user.includes('@')) {
            const found = await api.get(`/users${api.qs({ email: user, limit: 1 })}`);
            if (!found.items.length) throw new Error(`No user ${user} in your reach.`);
            check.user_id = found.items[0].id;
          } else {
            check.user_id = user;
          }
          who = user;
        }
        const res = await api.post('/authz/check', { checks: [check] });
        show(answer, who, check.permission, res.results[0]);
      },
    }),
    answer);
}

function show(target, who, perm, r) {
  clear(target, h('section', { class: `card verdict ${r.allowed ? 'allowed' : 'denied'}`, id: 'verdict' },
    h('h2', null, r.allowed ? 'Allowed' : 'Denied'),
    h('p', null, `${who} → `, h('code', null, perm), ' ', badge(r.allowed ? 'ALLOW' : 'DENY', r.allowed ? 'ok' : 'bad')),
    h('dl', { class: 'facts' },
      h('dt', null, 'Reason'), h('dd', null, h('code', null, r.reason)),
      r.source ? [h('dt', null, 'Grant path'), h('dd', null, pathOf(r.source))] : null)));
}

function pathOf(src) {
  const steps = ['user'];
  if (src.kind === 'group') steps.push(`group ${src.name}`, `role ${src.role_name || src.role_id}`);
  else if (src.kind === 'role') steps.push(`role ${src.name}`);
  else steps.push(sourceText(src));
  steps.push('permission');
  return h('ol', { class: 'path' }, steps.map((st) => h('li', null, st)));
}
