// Forms that validate like the API (the same required fields, lengths and patterns as
// openapi.yaml, through the browser's constraint attributes) and show the API's problem+json
// field errors next to the fields they name.
import { h, uid } from './dom.js';
import { ApiError, patch } from './api.js';

// A field spec: {name, label, type ('text'|'email'|'password'|'number'|'select'|'textarea'|
// 'datetime-local'), required, min, max, minlength, maxlength, pattern, options: [[value, label]],
// value, hint, autocomplete}.
function control(f, id, errId) {
  const common = {
    id, name: f.name, required: f.required, 'aria-describedby': errId,
    autocomplete: f.autocomplete || 'off',
  };
  if (f.type === 'select') {
    return h('select', common, (f.options || []).map(([v, l]) => h('option', { value: v, selected: String(v) === String(f.value ?? '') }, l)));
  }
  if (f.type === 'textarea') {
    return h('textarea', { ...common, maxlength: f.maxlength, rows: 3 }, f.value || '');
  }
  return h('input', {
    ...common, type: f.type || 'text', value: f.value, min: f.min, max: f.max,
    minlength: f.minlength, maxlength: f.maxlength, pattern: f.pattern, placeholder: f.placeholder,
    list: f.list,
  });
}

// form builds a <form>; resetOnSuccess empties it after a successful submit (a form that
// stays on the page to add one thing after another). onSubmit(values) may throw an ApiError: its field errors are shown
// beside the fields, anything else in the form's alert line.
export function form({ fields, submit, onSubmit, className = 'stack', extra, resetOnSuccess = false }) {
  const slots = {};
  const alert = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const rows = fields.map((f) => {
    const id = uid('in');
    const errId = `${id}-err`;
    const ctl = control(f, id, errId);
    const err = h('span', { class: 'field-error', id: errId });
    slots[f.name] = { ctl, err };
    return h('div', { class: 'field' },
      h('label', { for: id }, f.label, f.required ? h('span', { 'aria-hidden': 'true', class: 'req' }, ' *') : null),
      ctl, f.hint ? h('small', { class: 'hint' }, f.hint) : null, err);
  });
  const button = h('button', { type: 'submit', class: 'primary' }, submit);
  const el = h('form', { class: className, novalidate: true }, rows, extra, alert, h('div', { class: 'actions' }, button));

  function showErrors(byField, general) {
    let first = null;
    for (const [name, { ctl, err }] of Object.entries(slots)) {
      const msgs = byField[name];
      err.textContent = msgs ? msgs.join('; ') : '';
      ctl.toggleAttribute('aria-invalid', Boolean(msgs));
      if (msgs && !first) first = ctl;
    }
    const unplaced = Object.entries(byField).filter(([n]) => !slots[n]).map(([n, m]) => `${n}: ${m.join('; ')}`);
    const text = [general, ...unplaced].filter(Boolean).join(' — ');
    alert.textContent = text;
    alert.hidden = !text;
    (first || (text ? alert : null))?.focus?.();
  }

  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    const local = {};
    for (const [name, { ctl }] of Object.entries(slots)) {
      if (!ctl.checkValidity()) local[name] = [ctl.validationMessage];
    }
    if (Object.keys(local).length) { showErrors(local, ''); return; }
    const values = {};
    for (const [name, { ctl }] of Object.entries(slots)) values[name] = ctl.value;
    button.disabled = true;
    try {
      showErrors({}, '');
      await onSubmit(values);
      if (resetOnSuccess) el.reset();
    } catch (err) {
      if (err instanceof ApiError) {
        const fe = err.fieldErrors;
        showErrors(fe, Object.keys(fe).length ? err.problem.detail || err.message : err.message);
      } else {
        showErrors({}, String(err.message || err));
      }
    } finally {
      button.disabled = false;
    }
  });
  el.showErrors = showErrors;
  return el;
}

// compact drops empty strings, so optional fields are left out of a request body.
export function compact(values) {
  const out = {};
  for (const [k, v] of Object.entries(values)) if (v !== '' && v !== undefined) out[k] = v;
  return out;
}

// errorBox renders a failed load (its problem title and detail) in place of a page part.
export function errorBox(err) {
  const msg = err instanceof ApiError ? `${err.status} ${err.problem.title || ''}: ${err.message}` : String(err.message || err);
  return h('p', { class: 'form-error', role: 'alert' }, msg);
}

// editDialog opens a form prefilled with current values and PATCHes only what changed (the
// update schemas need at least one property). done(updated) runs after a successful save.
export function editDialog(title, path, fields, current, done, modalFn) {
  const close = modalFn(title, form({
    fields: fields.map((f) => ({ ...f, value: current[f.name] ?? '' })),
    submit: 'Save',
    onSubmit: async (v) => {
      const changed = {};
      for (const f of fields) {
        let val = v[f.name];
        if (f.type === 'number' || f.numeric) val = Number(val);
        if (String(current[f.name] ?? '') !== String(v[f.name])) changed[f.name] = val;
      }
      if (!Object.keys(changed).length) { close(); return; }
      const updated = await patch(path, changed);
      close();
      done(updated);
    },
  }));
}
