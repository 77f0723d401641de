package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// weakPasswords are the examples with the rule each breaks.
var weakPasswords = []struct{ pw, code string }{
	{"passwordpassword", "password_breached"},
	{"PasswordPassword", "password_breached"}, // the list is matched ignoring case
	{"123456789012", "password_breached"},
	{"            ", "password_too_few_distinct"},
}

// fieldCode asserts a 400 validation_failed naming exactly field, with the rule's code.
func fieldCode(t *testing.T, err error, field, code string) {
	t.Helper()
	p := problem(t, err, http.StatusBadRequest, "validation_failed", field)
	if got := p.Errors[0].Code.Or(""); got != code {
		t.Fatalf("field %s has code %q, want %q: %+v", field, got, code, p.Errors)
	}
	if !strings.Contains(p.Errors[0].Message, "common") && !strings.Contains(p.Errors[0].Message, "different") {
		t.Fatalf("the message does not name the rule: %q", p.Errors[0].Message)
	}
}

// TestWeakPasswordsAreRefusedEverywhere: creating a user, an administrator's reset and a
// user's own change all refuse common breached passwords and passwords of too few distinct
// characters with a 400 naming the field and the rule.
func TestWeakPasswordsAreRefusedEverywhere(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		org := a.defaultOrg(t)
		u, self := a.user(t, org)
		for _, w := range weakPasswords {
			fieldCode(t, errOf(a.root.CreateUser(bg, &oas.UserCreate{Email: unique("weak") + "@example.com", Password: w.pw,
				FirstName: "Weak", LastName: "Password", OrganizationID: org})), "password", w.code)
			fieldCode(t, a.root.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: w.pw}, oas.ResetUserPasswordParams{ID: u.ID}),
				"new_password", w.code)
			fieldCode(t, self.ChangeOwnPassword(bg, &oas.ChangePasswordRequest{CurrentPassword: userPassword, NewPassword: w.pw}),
				"new_password", w.code)
		}
		// Nothing was changed: the user still logs in with the old password, and a strong new
		// one is accepted.
		a.srv.Login(t, u.Email, userPassword)
		ok(0, self.ChangeOwnPassword(bg, &oas.ChangePasswordRequest{CurrentPassword: userPassword, NewPassword: "7 tall ferns at dusk"}))(t)
	})
}

// TestWeakBootstrapPasswordStopsStart: a weak TF_BOOTSTRAP_ADMIN_PASSWORD fails start-up with a
// message naming the setting and the rule (never the password); a generated one passes.
func TestWeakBootstrapPasswordStopsStart(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			for _, w := range weakPasswords {
				env := map[string]string{"TF_DATABASE_URL": dbtest.URL(t, dia), "TF_DATA_DIR": t.TempDir(),
					"TF_BOOTSTRAP_ADMIN_EMAIL": apitest.AdminEmail, "TF_BOOTSTRAP_ADMIN_PASSWORD": w.pw,
					"TF_ARGON2_MEMORY_KIB": "8192", "TF_ARGON2_ITERATIONS": "1"}
				cfg, err := config.Load(nil, func(k string) string { return env[k] })
				if err != nil {
					t.Fatal(err)
				}
				svc, err := service.New(context.Background(), cfg, service.Options{Log: slog.New(slog.DiscardHandler)})
				if err == nil {
					_ = svc.Close()
					t.Fatalf("started with the bootstrap password %q", w.pw)
				}
				if msg := err.Error(); !strings.Contains(msg, "TF_BOOTSTRAP_ADMIN_PASSWORD") || !strings.Contains(msg, w.code) ||
					(strings.TrimSpace(w.pw) != "" && strings.Contains(msg, w.pw)) {
					t.Fatalf("start-up error %q does not name the setting and rule %s (or shows the password)", msg, w.code)
				}
			}
			// Generated: no password configured, the server starts and announces one.
			var announced strings.Builder
			env := map[string]string{"TF_DATABASE_URL": dbtest.URL(t, dia), "TF_DATA_DIR": t.TempDir(),
				"TF_BOOTSTRAP_ADMIN_EMAIL": apitest.AdminEmail, "TF_ARGON2_MEMORY_KIB": "8192", "TF_ARGON2_ITERATIONS": "1"}
			cfg, err := config.Load(nil, func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			svc, err := service.New(context.Background(), cfg, service.Options{Log: slog.New(slog.DiscardHandler), Announce: &announced})
			if err != nil {
				t.Fatalf("start with a generated password: %v", err)
			}
			_ = svc.Close()
			if !strings.Contains(announced.String(), "Generated password") {
				t.Fatalf("no generated password announced: %q", announced.String())
			}
		})
	}
}
