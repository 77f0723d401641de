package httpapi_test

import (
	"testing"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/oas"
)

// TestAccountSecurityNeedsAPasswordSession: changing how an account authenticates (its
// password, its second factor) or ending its sessions takes a session its user opened by
// logging in. An API key — even one carrying every permission of its owner — and a client's
// token are refused with an AUTHZ DENIED row, so a leaked credential cannot enrol its own
// second factor and lock the owner out.
func TestAccountSecurityNeedsAPasswordSession(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		_, c := a.user(t, o.ID, a.systemRole(t, "developer"))
		key := a.srv.WithToken(t, createKey(t, c, "everything").Token)
		sa, secret := serviceAccount(t, a, "machine", rbac.RoleViewer)
		client := a.srv.WithToken(t, grant(t, a, sa.ID.String(), secret, "").str("access_token"))

		for _, cred := range []struct {
			name string
			c    *oas.Client
		}{{"api key", key}, {"client token", client}} {
			t.Run(cred.name, func(t *testing.T) {
				for _, call := range []struct {
					name string
					err  error
				}{
					{"enrol a second factor", errOf(cred.c.EnrolTotp(bg))},
					{"change the password", cred.c.ChangeOwnPassword(bg, &oas.ChangePasswordRequest{
						CurrentPassword: "whatever it is", NewPassword: "a brand new long password"})},
					{"list sessions", errOf(cred.c.ListOwnSessions(bg))},
				} {
					problem(t, call.err, 403, "password_session_required")
				}
				// What the credential is for still works.
				ok(cred.c.GetMe(bg))(t)
			})
		}
		a.srv.FlushAudit(t)
		denied := a.srv.DB(t).Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTHZ), auditlog.ResultEQ(auditlog.ResultDENIED),
			auditlog.ErrorMessageEQ("password_session_required")).CountX(bg)
		if denied != 6 {
			t.Fatalf("AUTHZ DENIED password_session_required rows: %d, want 6", denied)
		}
		// The owner's own login session may.
		ok(c.ListOwnSessions(bg))(t)
		ok(c.EnrolTotp(bg))(t)
	})
}
