// A client team's program against TelemetryFlow Core: its types come from openapi.yaml
// (openapi-typescript), its calls go through openapi-fetch. tsc rejects it when the contract
// no longer offers what it uses; at run time it exits non-zero when the server answers
// differently from what it expects. internal/platform/contract/typescript_test.go runs it against a
// real server, behind a proxy that checks every exchange against the contract.
//
// Environment: TF_API_URL, TF_ADMIN_EMAIL, TF_ADMIN_PASSWORD, TF_VIEWER_EMAIL, TF_VIEWER_PASSWORD.
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Problem = components["schemas"]["Problem"];

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(what);
}

// A client for one caller: no token means the public endpoints only.
function api(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

// expectProblem checks that a call failed the way the contract says errors look: RFC 9457
// problem details, typed by the generated client, with the given status (and code).
function expectProblem(error: Problem | undefined, response: Response, status: number, code?: string): Problem {
  check(error !== undefined, `expected a ${status} problem, got ${response.status}`);
  check(response.status === status && error.status === status, `expected status ${status}, got ${response.status} (${error.status})`);
  const type = response.headers.get("content-type") ?? "";
  check(type.startsWith("application/problem+json"), `problem served as ${type}`);
  check(code === undefined || error.code === code, `expected code ${code}, got ${error.code}`);
  check(error.type.endsWith("/" + error.code), `type ${error.type} does not name code ${error.code}`);
  return error;
}

async function main(): Promise<void> {
  const baseUrl = env("TF_API_URL");
  const adminEmail = env("TF_ADMIN_EMAIL");
  const viewerEmail = env("TF_VIEWER_EMAIL");
  const anonymous = api(baseUrl);

  // Log in.
  const login = await anonymous.POST("/api/v2/auth/login", {
    body: { email: adminEmail, password: env("TF_ADMIN_PASSWORD") },
  });
  check(login.data !== undefined, `login: ${login.response.status}`);
  check(login.data.token_type === "Bearer" && login.data.expires_in > 0, "login: token type or lifetime");
  check(login.data.user.email === adminEmail, "login: user");
  const admin = api(baseUrl, login.data.access_token);

  // List users, then read one.
  const users = await admin.GET("/api/v2/users", { params: { query: { limit: 100, sort: "email" } } });
  check(users.data !== undefined, `list users: ${users.response.status}`);
  check(users.data.total >= 2, `list users: total ${users.data.total}`);
  const listed = users.data.items.find((u) => u.email === viewerEmail);
  check(listed !== undefined, `list users: ${viewerEmail} missing`);

  const user = await admin.GET("/api/v2/users/{id}", { params: { path: { id: listed.id } } });
  check(user.data !== undefined, `get user: ${user.response.status}`);
  check(user.data.id === listed.id && user.data.status === "active", "get user: wrong user or status");

  // A viewer reads but may not create: a typed 403 problem.
  const viewerLogin = await anonymous.POST("/api/v2/auth/login", {
    body: { email: viewerEmail, password: env("TF_VIEWER_PASSWORD") },
  });
  check(viewerLogin.data !== undefined, `viewer login: ${viewerLogin.response.status}`);
  const viewer = api(baseUrl, viewerLogin.data.access_token);
  const denied = await viewer.POST("/api/v2/users", {
    body: {
      email: "grace@example.com",
      password: "correct horse battery staple",
      first_name: "Grace",
      last_name: "Hopper",
      organization_id: user.data.organization_id,
    },
  });
  check(denied.data === undefined, "a viewer created a user");
  expectProblem(denied.error, denied.response, 403, "permission_denied");

  // Refresh: a new pair; the new access token works.
  const refreshed = await anonymous.POST("/api/v2/auth/refresh", {
    body: { refresh_token: login.data.refresh_token },
  });
  check(refreshed.data !== undefined, `refresh: ${refreshed.response.status}`);
  check(refreshed.data.refresh_token !== login.data.refresh_token, "refresh: the refresh token did not rotate");
  const session = api(baseUrl, refreshed.data.access_token);
  const me = await session.GET("/api/v2/auth/me");
  check(me.data !== undefined, `me: ${me.response.status}`);
  check(me.data.user.email === adminEmail && me.data.permissions.includes("user:create"), "me: wrong caller or permissions");

  // Log out: the session's tokens stop working, with a typed 401.
  const logout = await session.POST("/api/v2/auth/logout");
  check(logout.response.status === 204, `logout: ${logout.response.status}`);
  const after = await session.GET("/api/v2/auth/me");
  expectProblem(after.error, after.response, 401);
  check(after.response.headers.has("www-authenticate"), "401 without WWW-Authenticate");

  // A spent refresh token is refused, typed too.
  const spent = await anonymous.POST("/api/v2/auth/refresh", {
    body: { refresh_token: login.data.refresh_token },
  });
  expectProblem(spent.error, spent.response, 401, "invalid_refresh_token");

  console.log("typescript client: all calls answered as the contract says");
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
