package console_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/chromedp/chromedp"

	"github.com/telemetryflow/core/internal/crypto/totp"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// TestConsoleSignsInWithASecondFactor: an account with TOTP signs in with password, then code.
func TestConsoleSignsInWithASecondFactor(t *testing.T) {
	clock := apitest.NewClock()
	srv := apitest.Start(t, dialect.SQLite, apitest.WithClock(clock.Now))
	const email, password = "mfa@example.com", "mfa-password-for-tests"
	srv.CreateUser(t, apitest.UserSpec{Email: email, Password: password, Roles: []string{"viewer"}})
	c, _ := srv.Login(t, email, password)
	e, err := c.EnrolTotp(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	code := func() string {
		s, err := totp.Code(e.Secret, totp.Step(clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := c.ConfirmTotp(context.Background(), &oas.MfaCodeRequest{Code: code()}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(31e9) // a new step: the confirmation's code is spent

	b := newTab(t, 1280, 800)
	b.do("password",
		chromedp.Navigate(srv.URL+"/console/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=code]`)))
	b.waitText("the second-factor step", "main", "authenticator app")
	b.screenshot("sign-in-second-factor")
	b.do("a wrong code", chromedp.SendKeys(chromedp.CSS(`input[name=code]`), "000000"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)))
	b.do("the wrong code is refused", chromedp.Poll[chromedp.Void](`document.querySelector('form [role=alert]').textContent.length > 0 || document.querySelector('.field-error').textContent.length > 0`, chromedp.WithPollingTimeout(pollTimeout)))
	t.Logf("wrong code: %q / %q", eval[string](b, `document.querySelector('form [role=alert]').textContent`), eval[string](b, `document.querySelector('.field-error').textContent`))
	b.do("the right code", chromedp.SetValue(chromedp.CSS(`input[name=code]`), code()),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("signout")))
	b.waitText("signed in", ".who", email)

	// My account lists this session, signed in with password and TOTP.
	b.open("#/account", "My account")
	b.waitText("my sessions", "main", "My sessions")
	b.waitText("this session's factors", "main", "this session")
	b.waitText("this session's factors", "main", "otp")
	b.screenshot("account-sessions")

	// An administrator sees the user's sessions, ends them, and resets the second factor.
	admin := newTab(t, 1280, 800)
	admin.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	admin.waitText("users list", "main table", email)
	admin.do("open the user", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main tbody a')].find((a) => a.textContent === '`+email+`').click()`))
	admin.waitText("the user's sessions", "main", "End all sessions")
	admin.waitText("the user's session with its factors", "main", "otp")
	admin.screenshot("user-sessions")
	admin.do("end them", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main button')].find((x) => x.textContent === 'End all sessions').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog button.danger`)),
		chromedp.Click(chromedp.CSS(`dialog button.danger`)))
	admin.do("no session left", chromedp.Poll[chromedp.Void](
		`[...document.querySelectorAll('main section.card')].find((c) => c.querySelector('h2')?.textContent === 'Sessions')?.textContent.includes('Nothing to show.')`,
		chromedp.WithPollingTimeout(pollTimeout)))
	// The user's console is signed out at its next call.
	b.do("move on", chromedp.Evaluate[chromedp.Void](`location.hash = '#/roles'`))
	b.do("the user is back at the sign-in", chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)))
	admin.do("reset the second factor", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main button')].find((x) => x.textContent === 'Reset second factor').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog button.danger`)),
		chromedp.Click(chromedp.CSS(`dialog button.danger`)))
	admin.waitText("reset", "#toast", "Second factor reset")
	if _, err := srv.Client.Login(context.Background(), &oas.LoginRequest{Email: email, Password: password}); err != nil {
		t.Fatalf("after the reset the password alone signs in: %v", err)
	}
}
