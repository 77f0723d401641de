package console_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// The console's end-to-end tests drive headless Chromium against a real server on the
// embedded default store (SQLite). One browser per test keeps the two shared cores usable.

// TestConsoleAdminCreatesUserAssignsRoleAndAudits: sign in, create a user, assign a role,
// find both in the audit table, open an event, export CSV, and visit every page.
func TestConsoleAdminCreatesUserAssignsRoleAndAudits(t *testing.T) {
	// Reads are audited too (the default, made explicit): the paging step below needs a second page.
	srv := apitest.Start(t, dialect.SQLite, apitest.WithEnv("TF_AUDIT_READS", "all"))
	b := newTab(t, 1280, 800)
	b.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	b.waitText("users list", "main table", apitest.AdminEmail)
	b.screenshot("users")

	// First load: what the browser fetched for the sign-in and the first page (API answers
	// excluded), from the Resource Timing API.
	type weight struct{ Files, Transfer, Encoded, Decoded float64 }
	w := eval[weight](b, `(() => {
		const es = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
			.filter((e) => !e.name.includes('/api/'));
		const sum = (k) => es.reduce((a, e) => a + e[k], 0) / 1024;
		return { Files: es.length, Transfer: sum('transferSize'), Encoded: sum('encodedBodySize'), Decoded: sum('decodedBodySize') };
	})()`)
	t.Logf("console first load: %.0f files, %.1f KB transferred (%.1f KB of gzipped bodies, %.1f KB unpacked)",
		w.Files, w.Transfer, w.Encoded, w.Decoded)

	// Create a user; a password the policy refuses first, to see the API's field error.
	const email = "grace@example.com"
	b.do("open the create form",
		chromedp.Click(chromedp.ID("new-user")),
		chromedp.WaitVisible(chromedp.CSS(`dialog input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=first_name]`), "Grace"),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=last_name]`), "Hopper"),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=password]`), "password1234"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)),
	)
	b.do("the field error is shown", chromedp.Poll[chromedp.Void](
		`document.querySelector('dialog input[name=password]').getAttribute('aria-invalid') !== null &&
		 document.querySelector('dialog input[name=password] ~ .field-error').textContent.length > 0`,
		chromedp.WithPollingTimeout(pollTimeout)))
	b.screenshot("create-user-field-error")
	b.do("fix the password and create",
		chromedp.SetValue(chromedp.CSS(`dialog input[name=password]`), "correct horse battery staple"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)),
	)
	b.waitText("the new user's page", "main h1", "Grace Hopper")

	// Assign the developer role with the picker.
	b.waitText("the role picker", "main", "Assign role")
	ok := eval[bool](b, `(() => {
		const sel = [...document.querySelectorAll('main select')].find((s) => s.labels[0]?.textContent.startsWith('Assign role'));
		const opt = sel && [...sel.options].find((o) => o.text.startsWith('developer '));
		if (!opt) return false;
		sel.value = opt.value;
		sel.form.requestSubmit();
		return true;
	})()`)
	if !ok {
		t.Fatal("no developer role offered in the Assign role picker")
	}
	b.waitText("the role is listed", "main section.card table", "developer")

	// A new user starts "created"; activate them.
	b.do("activate", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main .page-head button')].find((x) => x.textContent === 'Activate').click()`))
	b.waitText("the user is active", "main .facts", "active")
	b.do("deactivate is offered now", chromedp.Poll[chromedp.Void](
		`[...document.querySelectorAll('main .page-head button')].some((x) => x.textContent === 'Deactivate')`,
		chromedp.WithPollingTimeout(pollTimeout)))
	b.screenshot("user")

	// The audit table shows both changes (the audit pipeline stores in the background).
	srv.FlushAudit(t)
	b.open("#/audit", "Audit")
	b.waitText("create_user in the audit table", "#audit-events table", "create_user")
	b.waitText("assign_user_role in the audit table", "#audit-events table", "assign_user_role")
	b.do("the last 7 days", chromedp.SetValue(chromedp.ID("audit-range"), "7"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('audit-range').dispatchEvent(new Event('change'))`),
		chromedp.Poll[chromedp.Void](`document.querySelector('input[name=from]').value !== ''`, chromedp.WithPollingTimeout(pollTimeout)))
	b.waitText("create_user within the last 7 days", "#audit-events table", "create_user")
	b.do("the charts are drawn", chromedp.WaitVisible(chromedp.CSS(`main figure svg rect`)))
	b.screenshot("audit")

	// Open an event's detail, then draw that user's activity from it.
	b.do("open the create_user event", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#audit-events tbody tr')].find((r) => r.textContent.includes('create_user')).click()`))
	b.waitText("the detail view", "dialog", "Metadata")
	b.screenshot("audit-event")
	b.do("show the actor's activity",
		chromedp.Click(chromedp.CSS(`dialog button:not(.link)`)),
		chromedp.WaitVisible(chromedp.CSS(`.activity-out svg`)))

	// Export CSV: the download holds the new user's creation.
	dir := t.TempDir()
	b.downloadsTo(dir)
	b.do("export CSV", chromedp.Click(chromedp.ID("export-csv")))
	csv := string(waitFile(t, dir, ".csv"))
	if !strings.Contains(csv, "create_user") || !strings.HasPrefix(csv, "id,") && !strings.Contains(strings.SplitN(csv, "\n", 2)[0], "action") {
		t.Fatalf("the CSV export lacks the header or the create_user row:\n%.400s", csv)
	}

	b.do("export NDJSON", chromedp.Click(chromedp.ID("export-ndjson")))
	if nd := string(waitFile(t, dir, ".ndjson")); !strings.HasPrefix(nd, "{") || !strings.Contains(nd, `"create_user"`) {
		t.Fatalf("the NDJSON export lacks the create_user event:\n%.400s", nd)
	}

	// Cursor paging: 60 more get_me events than a page holds, filtered by action.
	admin := srv.LoginAdmin(t)
	for range 60 {
		if _, err := admin.GetMe(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	srv.FlushAudit(t)
	b.do("filter on get_me",
		chromedp.SendKeys(chromedp.CSS(`input[name=action]`), "get_me"),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#audit-events tbody tr').length === 50 &&
			[...document.querySelectorAll('#audit-events tbody tr')].every((r) => r.textContent.includes('get_me'))`,
			chromedp.WithPollingTimeout(pollTimeout)))
	first := eval[string](b, `document.querySelector('#audit-events tbody tr').textContent`)
	b.do("older page", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('.pager button')].find((x) => x.textContent.startsWith('Older')).click()`),
		chromedp.Poll[chromedp.Void](`(() => { const n = document.querySelectorAll('#audit-events tbody tr').length; return n > 0 && n < 50; })()`,
			chromedp.WithPollingTimeout(pollTimeout)))
	b.do("back to the newest page", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('.pager button')].find((x) => x.textContent.includes('Newer')).click()`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#audit-events tbody tr').length === 50`,
			chromedp.WithPollingTimeout(pollTimeout)))
	if again := eval[string](b, `document.querySelector('#audit-events tbody tr').textContent`); again != first {
		t.Errorf("the newest page's first row changed: %q, then %q", first, again)
	}

	// The other pages render.
	b.open("#/hierarchy", "Hierarchy")
	// Open the default region, tenant and organization (the first toggle of each level).
	for _, level := range []string{"region", "tenant", "organization"} {
		b.do("open the first "+level, chromedp.Poll[chromedp.Void](
			`(() => { const t = [...document.querySelectorAll('.tree .toggle[aria-expanded=false]')].find((x) => x.getAttribute('aria-label').startsWith('Open `+level+` ')); if (t) t.click(); return Boolean(t); })()`,
			chromedp.WithPollingTimeout(pollTimeout)))
	}
	b.waitText("the organization's workspaces", ".tree", "New workspace")
	b.do("create a workspace", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('.tree button')].find((x) => x.textContent === 'New workspace').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=name]`), "Staging"),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=slug]`), "staging"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)))
	b.waitText("the new workspace in the tree", ".tree", "Staging (staging)")
	b.screenshot("hierarchy")
	b.open("#/roles", "Roles")
	b.waitText("system roles", "main table", "super_administrator")
	b.open("#/groups", "Groups")
	b.open("#/authz", "Decision explorer")
	b.do("ask whether grace may create users",
		chromedp.SendKeys(chromedp.CSS(`input[name=user]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=permission]`), "workspace:create"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	b.waitText("the answer with its grant path", "#verdict", "role developer")
	b.screenshot("decisions")

	// Reset grace's password (the new one works), then delete her.
	b.open("#/users", "Users")
	b.waitText("grace listed", "main table", email)
	b.do("open grace's page", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main tbody a')].find((a) => a.textContent === '`+email+`').click()`))
	b.waitText("grace's page", "main h1", "Grace Hopper")
	clickButton := func(label string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('main .page-head button')].find((x) => x.textContent === '` + label + `').click()`)
	}
	b.do("reset the password", clickButton("Reset password"),
		chromedp.WaitVisible(chromedp.CSS(`dialog input[name=new_password]`)),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=new_password]`), "another long passphrase 42"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('dialog') === null`, chromedp.WithPollingTimeout(pollTimeout)))
	srv.Login(t, email, "another long passphrase 42")
	b.do("delete", clickButton("Delete"),
		chromedp.WaitVisible(chromedp.CSS(`dialog button.danger`)),
		chromedp.Click(chromedp.CSS(`dialog button.danger`)),
		chromedp.Poll[chromedp.Void](`location.hash === '#/users'`, chromedp.WithPollingTimeout(pollTimeout)))
	if _, err := admin.Login(context.Background(), &oas.LoginRequest{Email: email, Password: "another long passphrase 42"}); err == nil {
		t.Error("a deleted user still signs in")
	}

	b.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)))
}

// TestConsoleViewerIsNotOfferedWhatTheAPIDenies: a viewer sees users but no create button,
// and the same call made with a viewer's token is refused by the API.
func TestConsoleViewerIsNotOfferedWhatTheAPIDenies(t *testing.T) {
	srv := apitest.Start(t, dialect.SQLite)
	const email, password = "viewer@example.com", "viewer-password-for-tests"
	srv.CreateUser(t, apitest.UserSpec{Email: email, Password: password, Roles: []string{"viewer"}})

	b := newTab(t, 390, 844) // a phone's width
	b.do("a wrong password",
		chromedp.Navigate(srv.URL+"/console/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not-the-password"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)))
	b.waitText("the refusal is shown", "form [role=alert]", "incorrect")
	b.screenshot("sign-in-refused")
	b.signIn(srv.URL, email, password)
	b.waitText("users list", "main table", email)
	if b.exists("#new-user") {
		t.Error("a viewer is offered the New user button")
	}
	if b.exists(`a[href="#/audit"]`) {
		t.Error("a viewer (no audit:read) is offered the audit page")
	}
	b.screenshot("users-phone-viewer")

	// Keyboard: a focused row opens with Enter; the viewer's user page offers no change.
	b.do("open a user with the keyboard",
		chromedp.Focus(chromedp.CSS(`main tbody tr:last-child`)),
		chromedp.KeyEvent("\r"))
	b.waitText("the user's page", "main h1", "Test User")
	b.waitText("their roles", "main section.card", "viewer")
	if n := eval[int](b, `document.querySelectorAll('main .page-head button, main form.inline').length`); n != 0 {
		t.Errorf("a viewer is offered %d changes on a user's page", n)
	}

	// My account: change the own password (a mismatched repeat is caught before any call).
	b.do("open my account", chromedp.Click(chromedp.CSS(`a.who-name`)))
	b.waitText("my account", "main h1", "My account")
	b.waitText("my role", "main .facts", "viewer")
	b.screenshot("account-phone")
	const newPassword = "viewer-password-changed-42"
	b.do("a mismatched repeat",
		chromedp.SendKeys(chromedp.CSS(`input[name=current_password]`), password),
		chromedp.SendKeys(chromedp.CSS(`input[name=new_password]`), newPassword),
		chromedp.SendKeys(chromedp.CSS(`input[name=repeat]`), newPassword+"x"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	b.waitText("the mismatch beside the field", "main form", "does not match")
	b.do("the right repeat",
		chromedp.SetValue(chromedp.CSS(`input[name=repeat]`), newPassword),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('input[name=current_password]').value === ''`, chromedp.WithPollingTimeout(pollTimeout)))
	srv.Login(t, email, newPassword)

	// A route parameter that is not an id never reaches an API path.
	b.do("a crafted route", chromedp.Evaluate[chromedp.Void](`location.hash = '#/users/..%2F..%2Fauth%2Fme'`),
		chromedp.Poll[chromedp.Void](`location.hash === '#/users'`, chromedp.WithPollingTimeout(pollTimeout)))

	viewer, _ := srv.Login(t, email, newPassword)
	_, err := viewer.CreateUser(context.Background(), &oas.UserCreate{
		Email: "nope@example.com", Password: "correct horse battery staple", FirstName: "N", LastName: "O",
		OrganizationID: srv.OrganizationID(t, "default"),
	})
	var problem *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &problem) || problem.StatusCode != 403 {
		t.Fatalf("a viewer's createUser: %v, want 403", err)
	}
}

// TestConsoleRefreshesAnExpiredAccessToken: when the server says the access token expired,
// the console exchanges its refresh token and repeats the call; the administrator stays
// signed in. The server's clock moves; the browser's does not need to.
func TestConsoleRefreshesAnExpiredAccessToken(t *testing.T) {
	clock := apitest.NewClock()
	srv := apitest.Start(t, dialect.SQLite, apitest.WithClock(clock.Now))
	b := newTab(t, 1280, 800)
	b.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	b.waitText("users list", "main table", apitest.AdminEmail)
	clock.Advance(srv.Config.Auth.AccessTokenTTL + time.Minute)
	b.open("#/roles", "Roles")
	b.waitText("roles listed after the refresh", "main table", "super_administrator")
	if !b.exists("#signout") {
		t.Fatal("the console signed out instead of refreshing")
	}
	// The audit trail records the refresh: it happened, and went through the API.
	srv.FlushAudit(t)
	b.open("#/audit", "Audit")
	b.do("filter on the refresh action",
		chromedp.SendKeys(chromedp.CSS(`input[name=action]`), "refresh"),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	b.waitText("a successful refresh", "#audit-events table", "SUCCESS")
	b.waitText("a successful refresh", "#audit-events table", "refresh")
}

// TestConsoleRefreshesInTheBackground: the timer set at sign-in exchanges the refresh token
// before the access token expires, with no call failing first. The test runs the page's
// timers 40× faster (setTimeout only, injected through DevTools before the page's scripts), so
// the refresh due at 48 s of a one-minute token runs after about a second.
func TestConsoleRefreshesInTheBackground(t *testing.T) {
	srv := apitest.Start(t, dialect.SQLite, apitest.WithEnv("TF_ACCESS_TOKEN_TTL", "1m"))
	b := newTab(t, 1280, 800)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `{ const st = window.setTimeout; window.setTimeout = (f, ms, ...a) => st(f, (ms || 0) / 40, ...a); }`,
	}); err != nil {
		t.Fatal(err)
	}
	b.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	b.waitText("users list", "main table", apitest.AdminEmail)

	admin := srv.LoginAdmin(t)
	refreshes := func() int {
		srv.FlushAudit(t)
		list, err := admin.ListAuditLogs(context.Background(), oas.ListAuditLogsParams{
			Action: oas.NewOptString("refresh"), Result: oas.NewOptAuditResult(oas.AuditResultSUCCESS)})
		if err != nil {
			t.Fatal(err)
		}
		return len(list.Items)
	}
	deadline := time.Now().Add(pollTimeout)
	for refreshes() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the console did not refresh its tokens in the background")
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Still signed in, and calls go through with the renewed token.
	b.open("#/roles", "Roles")
	b.waitText("roles listed with the renewed token", "main table", "super_administrator")
}

// TestConsoleManagesRolesAndGroups: create a custom role and give it a permission, create a
// group, grant it the role and add a member; the decision explorer then finds the grant path
// through the group.
func TestConsoleManagesRolesAndGroups(t *testing.T) {
	srv := apitest.Start(t, dialect.SQLite)
	const member = "lin@example.com"
	srv.CreateUser(t, apitest.UserSpec{Email: member, Password: "member-password-for-tests"})
	b := newTab(t, 1280, 800)
	b.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	b.waitText("users list", "main table", apitest.AdminEmail)
	pick := func(step, label, option string) {
		t.Helper()
		ok := eval[bool](b, `(() => {
			const sel = [...document.querySelectorAll('main select')].find((s) => s.labels[0]?.textContent.startsWith('`+label+`'));
			const opt = sel && [...sel.options].find((o) => o.text.startsWith('`+option+`'));
			if (!opt) return false;
			sel.value = opt.value;
			sel.form.requestSubmit();
			return true;
		})()`)
		if !ok {
			t.Fatalf("%s: no %q in the %q picker", step, option, label)
		}
	}

	b.open("#/roles", "Roles")
	b.do("create a role",
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('main .page-head button')].find((x) => x.textContent === 'New role').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=name]`), "dashboard_sharer"),
		chromedp.SendKeys(chromedp.CSS(`dialog textarea[name=description]`), "Shares dashboards"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)))
	b.waitText("the role's page", "main h1", "Role dashboard_sharer")
	b.waitText("the permission picker", "main", "Add permission")
	pick("add a permission", "Add permission", "dashboard:share")
	b.waitText("the permission is in the role", "main section.card table", "dashboard:share")
	b.screenshot("role")

	b.open("#/groups", "Groups")
	b.do("create a group",
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('main .page-head button')].find((x) => x.textContent === 'New group').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=name]`), "sharers"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)))
	b.waitText("the group's page", "main h1", "Group sharers")
	b.waitText("the role picker", "main", "Grant role")
	pick("grant the role", "Grant role", "dashboard_sharer")
	b.waitText("the group holds the role", "main .grid2", "dashboard_sharer")
	b.do("add a member",
		chromedp.SendKeys(chromedp.CSS(`main input[name=email]`), member),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main input[name=email]').form.requestSubmit()`))
	b.waitText("the member is listed", "main .grid2", member)
	b.screenshot("group")

	b.open("#/authz", "Decision explorer")
	b.do("ask whether the member may share dashboards",
		chromedp.SendKeys(chromedp.CSS(`input[name=user]`), member),
		chromedp.SendKeys(chromedp.CSS(`input[name=permission]`), "dashboard:share"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	b.waitText("allowed through the group", "#verdict", "group sharers")
	b.waitText("and its role", "#verdict", "role dashboard_sharer")
}
