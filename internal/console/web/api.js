// The console's only way to the server: the public /api/v2 with the caller's own bearer token.
// Tokens live in this module's memory only — never localStorage, sessionStorage or a cookie —
// so closing or reloading the tab ends the console's hold on them (the server session remains
// until sign-out or expiry) and no other script on the origin can read them back from storage.

const BASE = '/api/v2';

const session = {
  access: '',
  refresh: '',
  expiresAt: 0,
  timer: 0,
  me: null,
  perms: new Set(),
};

// events tells the app when the session starts or ends ('signedin', 'signedout').
export const events = new EventTarget();

// ApiError carries the problem+json answer (RFC 9457) of a failed call.
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  // fieldErrors are the problem's per-field messages, keyed by field name.
  get fieldErrors() {
    const out = {};
    for (const e of this.problem.errors || []) (out[e.field] ||= []).push(e.message);
    return out;
  }
}

async function problemOf(res) {
  try {
    return await res.json();
  } catch {
    return { title: res.statusText };
  }
}

async function send(method, path, body, accept) {
  const headers = { Accept: accept || 'application/json' };
  if (session.access) headers.Authorization = `Bearer ${session.access}`;
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(BASE + path, init);
}

// request calls the API and returns the decoded JSON (or null for 204). A 401 on an
// authenticated call tries one refresh and repeats the call; a failed refresh ends the session.
export async function request(method, path, body, { accept, raw } = {}) {
  let res = await send(method, path, body, accept);
  if (res.status === 401 && session.refresh) {
    if (await refreshNow()) res = await send(method, path, body, accept);
  }
  if (res.status === 401 && session.access) {
    endSession('expired');
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);
export const put = (path, body) => request('PUT', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

// optional GETs a resource whose API a server may not have yet (the console ships before every
// API it can use is on every server): it resolves null when no route matches the path.
export async function optional(path) {
  try {
    return await get(path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.problem.code === 'route_not_found') return null;
    throw err;
  }
}

// qs builds a query string from the non-empty values of params.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

async function adopt(tokens) {
  session.access = tokens.access_token;
  session.refresh = tokens.refresh_token;
  session.expiresAt = Date.now() + tokens.expires_in * 1000;
  scheduleRefresh(tokens.expires_in);
}

// scheduleRefresh renews the tokens in the background a minute before the access token
// expires (or at 80% of a short lifetime), so a working administrator is never signed out.
function scheduleRefresh(expiresIn) {
  clearTimeout(session.timer);
  const lead = Math.min(60, expiresIn * 0.2);
  const ms = Math.max(5, expiresIn - lead) * 1000;
  session.timer = setTimeout(() => { refreshNow(); }, ms);
}

let inflight = null;
// refreshNow exchanges the refresh token (rotated by the server) for new tokens; concurrent
// callers share one exchange, since a refresh token is good for one use only.
export function refreshNow() {
  if (!session.refresh) return Promise.resolve(false);
  inflight ||= (async () => {
    try {
      const res = await fetch(`${BASE}/auth/refresh`, {
        method: 'POST', credentials: 'omit', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: session.refresh }),
      });
      if (!res.ok) { endSession('expired'); return false; }
      await adopt(await res.json());
      return true;
    } catch {
      return false;
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

// signIn posts the credentials. It resolves {mfa: {token, methods}} when the account has a
// second factor (the caller then asks for a code and calls verifySecondFactor), or {} once
// signed in. The second-factor answer is read in both shapes: the 401 problem `mfa_required`
// with `mfa_token` and `mfa_methods` (the MFA contract of issue 13), or a 200 body with
// `mfa_token` and `methods`.
export async function signIn(email, password) {
  const res = await fetch(`${BASE}/auth/login`, {
    method: 'POST', credentials: 'omit', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = res.ok ? await res.json() : await problemOf(res);
  if (body.mfa_token && (res.ok || body.code === 'mfa_required')) {
    return { mfa: { token: body.mfa_token, methods: body.mfa_methods || body.methods || [] } };
  }
  if (!res.ok) throw new ApiError(res.status, body);
  await start(body);
  return {};
}

// verifySecondFactor completes a sign-in that asked for a second factor
// (POST /auth/mfa/verify {mfa_token, code} answers with tokens).
export async function verifySecondFactor(mfaToken, code) {
  const res = await fetch(`${BASE}/auth/mfa/verify`, {
    method: 'POST', credentials: 'omit', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ mfa_token: mfaToken, code }),
  });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  await start(await res.json());
}

async function start(tokens) {
  await adopt(tokens);
  await loadMe();
  events.dispatchEvent(new Event('signedin'));
}

// loadMe reads who the caller is and what they may do; the console offers only that.
export async function loadMe() {
  session.me = await get('/auth/me');
  session.perms = new Set(session.me.permissions || []);
  return session.me;
}

export const me = () => session.me;
export const signedIn = () => Boolean(session.access);

// can reports whether the caller holds the permission. It only decides what the console
// offers; the API enforces every call on its own.
export const can = (perm) => session.perms.has(perm);

function endSession(reason) {
  clearTimeout(session.timer);
  const was = Boolean(session.access);
  Object.assign(session, { access: '', refresh: '', expiresAt: 0, timer: 0, me: null, perms: new Set() });
  if (was) events.dispatchEvent(new CustomEvent('signedout', { detail: reason }));
}

// signOut ends the server session, then forgets the tokens.
export async function signOut() {
  try {
    if (session.access) await send('POST', '/auth/logout');
  } finally {
    endSession('signout');
  }
}

// download fetches an export with the bearer token and hands it to the browser as a file.
export async function download(path, filename, accept) {
  const res = await request('GET', path, undefined, { accept, raw: true });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return blob.size;
}

// all pages through a cursor-paged list (up to max items), for pickers.
export async function all(path, max = 500) {
  const out = [];
  let cursor = '';
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await get(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}
