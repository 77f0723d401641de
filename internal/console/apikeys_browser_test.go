package console_test

// TestConsoleManagesAPIKeys: a user creates a narrowed API key on My account (the token is
// shown once and works against the API), an administrator sees it on the user's page and
// revokes it (the token is then refused).

import (
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/chromedp/chromedp"

	"github.com/telemetryflow/core/internal/testutil/apitest"
)

func TestConsoleManagesAPIKeys(t *testing.T) {
	srv := apitest.Start(t, dialect.SQLite)
	const email, password = "keys@example.com", "keys-password-for-tests"
	srv.CreateUser(t, apitest.UserSpec{Email: email, Password: password, Roles: []string{"viewer"}})

	b := newTab(t, 1280, 800)
	b.signIn(srv.URL, email, password)
	b.open("#/account", "My account")
	b.waitText("my keys", "main", "My API keys")
	b.do("create a key",
		chromedp.SendKeys(chromedp.CSS(`main input[name=name]`), "ci-reader"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=permissions]`), "user:read"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main input[name=name]').form.requestSubmit()`),
		chromedp.WaitVisible(chromedp.ID("new-api-key")))
	token := eval[string](b, `document.getElementById('new-api-key').value`)
	if token == "" {
		t.Fatal("no token shown")
	}
	b.screenshot("account-api-key-created")
	b.do("close the token", chromedp.Click(chromedp.CSS(`dialog .dialog-head button`)))
	b.waitText("the key listed", "main", "ci-reader")
	if _, err := srv.WithToken(t, token).GetMe(context.Background()); err != nil {
		t.Fatalf("the new key does not authenticate: %v", err)
	}

	admin := newTab(t, 1280, 800)
	admin.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	admin.waitText("users list", "main table", email)
	admin.do("open the user", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main tbody a')].find((a) => a.textContent === '`+email+`').click()`))
	admin.waitText("the user's keys", "main", "ci-reader")
	admin.screenshot("user-api-keys")
	admin.do("revoke", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main button')].find((x) => x.getAttribute('aria-label') === 'Revoke ci-reader').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog button.danger`)),
		chromedp.Click(chromedp.CSS(`dialog button.danger`)))
	admin.waitText("revoked", "#toast", "Key revoked")
	if _, err := srv.WithToken(t, token).GetMe(context.Background()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("a revoked key still authenticates: %v", err)
	}
}
