package console_test

import (
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/chromedp/chromedp"

	"github.com/telemetryflow/core/internal/crypto/totp"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// TestConsoleEnrolsASecondFactor: at phone width a user sets up TOTP on My account (QR code,
// key read from the page, a wrong code refused beside the field, the right one confirms),
// sees the recovery codes once, signs out and signs in again with password and code; then
// regenerates the recovery codes and turns the factor off with the password.
func TestConsoleEnrolsASecondFactor(t *testing.T) {
	clock := apitest.NewClock()
	srv := apitest.Start(t, dialect.SQLite, apitest.WithClock(clock.Now))
	const email, password = "enrol@example.com", "enrol-password-for-tests"
	srv.CreateUser(t, apitest.UserSpec{Email: email, Password: password, Roles: []string{"viewer"}})

	b := newTab(t, 390, 844)
	b.signIn(srv.URL, email, password)
	b.open("#/account", "My account")
	b.waitText("the card says off", "#mfa-status", "off")
	b.do("set up", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor button')].find((x) => x.textContent === 'Set up authenticator').click()`),
		chromedp.WaitVisible(chromedp.CSS(`img.qr`)))
	if src := eval[string](b, `document.querySelector('img.qr').getAttribute('src')`); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("the QR image's src starts %.40q, want a PNG data URI", src)
	}
	if !eval[bool](b, `document.querySelector('img.qr').naturalWidth > 0`) {
		t.Error("the QR image did not load (refused by the CSP?)")
	}
	secret := eval[string](b, `document.querySelector('code.secret').dataset.secret`)
	if shown := eval[string](b, `document.querySelector('code.secret').textContent`); strings.ReplaceAll(shown, " ", "") != secret || secret == "" {
		t.Fatalf("the key shown %q is not the secret %q", shown, secret)
	}
	if label := eval[string](b, `document.querySelector('label[for="' + document.querySelector('#second-factor input[name=code]').id + '"]').textContent`); !strings.Contains(label, "Code") {
		t.Errorf("the code field's label is %q", label)
	}
	code := func() string {
		s, err := totp.Code(secret, totp.Step(clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wrong := "000000"
	if code() == wrong {
		wrong = "111111"
	}
	b.do("a wrong code", chromedp.SendKeys(chromedp.CSS(`#second-factor input[name=code]`), wrong),
		chromedp.Click(chromedp.CSS(`#second-factor form button[type=submit]`)),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('#second-factor form [role=alert], #second-factor .field-error')].some((e) => e.textContent.length > 0)`,
			chromedp.WithPollingTimeout(pollTimeout)))
	b.screenshot("account-second-factor")
	b.do("the right code", chromedp.SetValue(chromedp.CSS(`#second-factor input[name=code]`), code()),
		chromedp.Click(chromedp.CSS(`#second-factor form button[type=submit]`)))
	b.waitText("save them now", "main", "Save these recovery codes now")
	codes := eval[[]string](b, `[...document.querySelectorAll('#second-factor ol.codes code')].map((c) => c.textContent)`)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10: %q", len(codes), codes)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("at phone width the page is %d px wider than the screen", w)
	}
	b.screenshot("account-recovery-codes")
	b.do("saved", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor button')].find((x) => x.textContent === 'I have saved them').click()`))
	b.waitText("the card says on", "#mfa-status", "on")

	// Sign out; the next sign-in asks for the code (a new step: the confirmation's is spent).
	clock.Advance(31e9)
	b.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)))
	b.do("sign in with the password",
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=code]`)))
	b.do("and the code", chromedp.SetValue(chromedp.CSS(`input[name=code]`), code()),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("signout")))
	b.open("#/account", "My account")
	b.waitText("still on", "#mfa-status", "on")

	// New recovery codes for a fresh code; the old ones stop working.
	clock.Advance(31e9)
	b.do("regenerate", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor summary')].find((x) => x.textContent === 'Regenerate recovery codes').click()`),
		chromedp.SendKeys(chromedp.CSS(`#second-factor details[open] input[name=code]`), code()),
		chromedp.Click(chromedp.CSS(`#second-factor details[open] button[type=submit]`)))
	b.waitText("new codes", "main", "Save these recovery codes now")
	fresh := eval[[]string](b, `[...document.querySelectorAll('#second-factor ol.codes code')].map((c) => c.textContent)`)
	if len(fresh) != 10 || fresh[0] == codes[0] {
		t.Errorf("regenerated codes %q, the first were %q", fresh, codes)
	}
	b.do("saved again", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor button')].find((x) => x.textContent === 'I have saved them').click()`))

	// Turn off: neither code nor password is caught beside the field; the password does it.
	b.do("open turn off", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor summary')].find((x) => x.textContent === 'Turn off').click()`),
		chromedp.Click(chromedp.CSS(`#second-factor details[open] button[type=submit]`)))
	b.waitText("a proof is needed", "#second-factor details[open] .field-error", "a code or the password")
	b.do("the password", chromedp.SendKeys(chromedp.CSS(`#second-factor details[open] input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`#second-factor details[open] button[type=submit]`)))
	b.waitText("the card says off", "#mfa-status", "off")
	if _, err := srv.Client.Login(context.Background(), &oas.LoginRequest{Email: email, Password: password}); err != nil {
		t.Fatalf("with the factor off the password alone signs in: %v", err)
	}
}

// TestConsoleEnrolsWhenTheOrganizationRequiresIt: a user whose organization requires MFA
// (403 mfa_enrollment_required everywhere else) sets up the factor on My account, and the
// console's other pages then work.
func TestConsoleEnrolsWhenTheOrganizationRequiresIt(t *testing.T) {
	clock := apitest.NewClock()
	srv := apitest.Start(t, dialect.SQLite, apitest.WithClock(clock.Now))
	const email, password = "must-enrol@example.com", "must-enrol-password-for-tests"
	srv.CreateUser(t, apitest.UserSpec{Email: email, Password: password, OrgSlug: seed.DemoSlug, Roles: []string{"viewer"}})
	_, err := srv.LoginAdmin(t).UpdateOrganization(context.Background(), &oas.OrganizationUpdate{RequireMfa: oas.NewOptBool(true)},
		oas.UpdateOrganizationParams{ID: srv.OrganizationID(t, seed.DemoSlug)})
	if err != nil {
		t.Fatal(err)
	}

	b := newTab(t, 1280, 800)
	b.signIn(srv.URL, email, password)
	b.open("#/account", "My account")
	b.waitText("the card says off", "#mfa-status", "off")
	b.do("set up", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor button')].find((x) => x.textContent === 'Set up authenticator').click()`),
		chromedp.WaitVisible(chromedp.CSS(`img.qr`)))
	secret := eval[string](b, `document.querySelector('code.secret').dataset.secret`)
	code, err := totp.Code(secret, totp.Step(clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	b.do("confirm", chromedp.SendKeys(chromedp.CSS(`#second-factor input[name=code]`), code),
		chromedp.Click(chromedp.CSS(`#second-factor form button[type=submit]`)))
	b.waitText("recovery codes", "#second-factor", "Save these recovery codes now")
	b.do("saved", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('#second-factor button')].find((x) => x.textContent === 'I have saved them').click()`))
	b.waitText("the card says on", "#mfa-status", "on")
	b.open("#/users", "Users")
	b.waitText("the users list loads", "main table", email)
}
