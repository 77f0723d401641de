package service_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// Two replicas connected by Redis draw login attempts from one bucket per address: the third
// attempt on A and the fourth, on B, exhaust a limit of three across both (without sharing, B
// would have admitted three of its own).
func TestReplicasShareTheLoginRateLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startReplicas(t, dbtest.URL(t, dialect.Postgres), apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "3"))

	bad := &oas.LoginRequest{Email: "nobody@example.com", Password: "wrong-password"}
	for i, srv := range []*apitest.Server{a, b, a} {
		if st := statusOf(errOnly(srv.Client.Login(ctx, bad))); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, st)
		}
	}
	st := statusOf(errOnly(b.Client.Login(ctx, &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword})))
	if st != http.StatusTooManyRequests {
		t.Fatalf("fourth attempt, on B: %d, want 429 (the limit is not shared)", st)
	}
	for name, srv := range map[string]*apitest.Server{"A": a, "B": b} {
		if !strings.Contains(metricsOf(t, srv), "telemetryflow_ratelimit_shared_up 1") {
			t.Fatalf("%s does not report the shared limit up", name)
		}
	}
}

func metricsOf(t *testing.T, srv *apitest.Server) string {
	t.Helper()
	res := srv.Get(t, "/metrics")
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
