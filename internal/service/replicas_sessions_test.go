package service_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// Sessions ended through the session endpoints (docs/mfa-and-sessions.md) die on the other
// replica's next request, though its session cache would trust them for an hour: a user ending
// one of their sessions, an administrator ending all of a user's, and an MFA reset.
func TestSessionRevocationReachesEveryReplica(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startReplicas(t, dbtest.URL(t, dialect.Postgres), apitest.WithEnv("TF_SESSION_CACHE_TTL", "1h"))
	const pw = "a-test-password-123"
	userID := a.CreateUser(t, apitest.UserSpec{Email: "s@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
	rootA := a.LoginAdmin(t)
	live := func(c *oas.Client) func() int { return func() int { return statusOf(errOnly(c.GetMe(ctx))) } }

	for name, end := range map[string]func(tok *oas.TokenResponse){
		"own session ended on A": func(tok *oas.TokenResponse) {
			list, err := a.WithToken(t, tok.AccessToken).ListOwnSessions(ctx)
			if err != nil || len(list.Items) == 0 {
				t.Fatalf("list: %v", err)
			}
			for _, s := range list.Items {
				if s.Current {
					if err := a.WithToken(t, tok.AccessToken).RevokeOwnSession(ctx, oas.RevokeOwnSessionParams{ID: s.ID}); err != nil {
						t.Fatal(err)
					}
				}
			}
		},
		"all sessions ended by an administrator on A": func(*oas.TokenResponse) {
			if err := rootA.RevokeUserSessions(ctx, oas.RevokeUserSessionsParams{ID: userID}); err != nil {
				t.Fatal(err)
			}
		},
		"MFA reset on A": func(*oas.TokenResponse) {
			if err := rootA.ResetUserMfa(ctx, oas.ResetUserMfaParams{ID: userID}); err != nil {
				t.Fatal(err)
			}
		},
	} {
		_, tok := a.Login(t, "s@example.com", pw)
		onB := b.WithToken(t, tok.AccessToken)
		if st := live(onB)(); st != 200 {
			t.Fatalf("%s: B before: %d", name, st) // warms B's session cache
		}
		end(tok)
		if st := eventually(live(onB), 401); st != 401 {
			t.Fatalf("%s: B after: %d, want 401", name, st)
		}
	}
}
