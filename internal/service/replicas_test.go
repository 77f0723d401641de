package service_test

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/redistest"
	"github.com/telemetryflow/core/oas"
)

func statusOf(err error) int {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return p.StatusCode
	}
	if err != nil {
		return -1
	}
	return 200
}

// startReplicas starts two instances of the service as replicas of one deployment: one
// PostgreSQL database (dbURL), one KEK and one Redis channel between them, plus the settings
// in env on both.
func startReplicas(t *testing.T, dbURL string, env ...apitest.Option) (a, b *apitest.Server) {
	t.Helper()
	shared := append([]apitest.Option{
		apitest.WithEnv("TF_DATABASE_URL", dbURL),
		apitest.WithEnv("TF_KEY_ENCRYPTION_KEY", base64.StdEncoding.EncodeToString(make([]byte, 32))),
		apitest.WithEnv("TF_REDIS_URL", redistest.URL(t)),
		apitest.WithEnv("TF_REDIS_CHANNEL", redistest.Channel()),
	}, env...)
	return apitest.Start(t, dialect.Postgres, shared...), apitest.Start(t, dialect.Postgres, shared...)
}

// Two replicas on one database, connected by Redis, with caches that would otherwise trust a
// session or a grant for an hour: changes made on one take effect on the other's next request.
func TestReplicasInvalidateEachOther(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startReplicas(t, dbtest.URL(t, dialect.Postgres),
		apitest.WithEnv("TF_SESSION_CACHE_TTL", "1h"), apitest.WithEnv("TF_PERMISSION_CACHE_TTL", "1h"))

	const pw = "a-test-password-123"
	userID := a.CreateUser(t, apitest.UserSpec{Email: "r@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
	rootA := a.LoginAdmin(t)

	// Logout on A: the token dies on B.
	_, tok := a.Login(t, "r@example.com", pw)
	onB := b.WithToken(t, tok.AccessToken)
	if st := statusOf(errOnly(onB.ListRegions(ctx, oas.ListRegionsParams{}))); st != 200 {
		t.Fatalf("B before logout: %d", st) // warms B's session and decision caches
	}
	if err := a.WithToken(t, tok.AccessToken).Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if st := eventually(func() int { return statusOf(errOnly(onB.ListRegions(ctx, oas.ListRegionsParams{}))) }, 401); st != 401 {
		t.Fatalf("B after logout on A: %d, want 401", st)
	}

	// A role revoked on A: the permission is gone on B.
	_, tok = a.Login(t, "r@example.com", pw)
	onB = b.WithToken(t, tok.AccessToken)
	if st := statusOf(errOnly(onB.ListRegions(ctx, oas.ListRegionsParams{}))); st != 200 {
		t.Fatalf("B before revocation: %d", st)
	}
	me, err := b.WithToken(t, tok.AccessToken).GetMe(ctx)
	if err != nil || len(me.Roles) != 1 {
		t.Fatalf("me %+v %v", me, err)
	}
	if err := rootA.RevokeUserRole(ctx, oas.RevokeUserRoleParams{ID: userID, RoleId: me.Roles[0].ID}); err != nil {
		t.Fatal(err)
	}
	if st := eventually(func() int { return statusOf(errOnly(onB.ListRegions(ctx, oas.ListRegionsParams{}))) }, 403); st != 403 {
		t.Fatalf("B after the role was revoked on A: %d, want 403", st)
	}

	// Deactivation on A: the session dies on B.
	if _, err := rootA.DeactivateUser(ctx, oas.DeactivateUserParams{ID: userID}); err != nil {
		t.Fatal(err)
	}
	if st := eventually(func() int { return statusOf(errOnly(onB.ListRegions(ctx, oas.ListRegionsParams{}))) }, 401); st != 401 {
		t.Fatalf("B after deactivation on A: %d, want 401", st)
	}
}

func errOnly[T any](_ T, err error) error { return err }

// eventually retries until get returns want or 5 s pass: the message crosses Redis
// asynchronously (milliseconds), so B's very next request may just precede it. Without the bus
// B would keep its cached answer for the full hour-long TTL, which is what this test rules out.
func eventually(get func() int, want int) int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := get()
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(2 * time.Millisecond)
	}
}
