package service_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/redistest"
)

// When Redis, which carries cache invalidations between replicas, goes away, the replicas keep
// serving (readiness 200, "degraded": failing it would empty the load balancer) and stop
// trusting their caches: a logout on A is refused by B although B had cached the session for an
// hour and no message can reach it.
func TestRedisOutageDegradesWithoutTrustingCaches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	redis := redistest.StartPrivate(t)
	shared := []apitest.Option{
		apitest.WithEnv("TF_DATABASE_URL", dbtest.URL(t, dialect.Postgres)),
		apitest.WithEnv("TF_KEY_ENCRYPTION_KEY", base64.StdEncoding.EncodeToString(make([]byte, 32))),
		apitest.WithEnv("TF_REDIS_URL", redis.URL()),
		apitest.WithEnv("TF_REDIS_CHANNEL", redistest.Channel()),
		apitest.WithEnv("TF_SESSION_CACHE_TTL", "1h"),
		apitest.WithEnv("TF_PERMISSION_CACHE_TTL", "1h"),
	}
	a := apitest.Start(t, dialect.Postgres, shared...)
	b := apitest.Start(t, dialect.Postgres, shared...)

	const pw = "a-test-password-123"
	a.CreateUser(t, apitest.UserSpec{Email: "o@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
	_, tok := a.Login(t, "o@example.com", pw)
	onB := b.WithToken(t, tok.AccessToken)
	if _, err := onB.GetMe(ctx); err != nil {
		t.Fatalf("B before the outage: %v", err) // B caches the session
	}

	redis.Stop(t)
	for _, srv := range []*apitest.Server{a, b} {
		code, status, checks := readiness(t, srv)
		if code != http.StatusOK || status != "degraded" || checks["redis"]["status"] != "degraded" {
			t.Fatalf("readiness with Redis down: %d %s %v", code, status, checks)
		}
	}
	if err := a.WithToken(t, tok.AccessToken).Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if st := eventually(func() int { return statusOf(errOnly(onB.GetMe(ctx))) }, 401); st != 401 {
		t.Fatalf("B after a logout on A with Redis down: %d, want 401", st)
	}
}
