package service_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// An API key minted on A works on B (one KEK-derived hashing key), and revoked on A it is
// refused on B although B would otherwise trust its cached key for an hour.
func TestReplicasRefuseARevokedAPIKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startReplicas(t, dbtest.URL(t, dialect.Postgres), apitest.WithEnv("TF_SESSION_CACHE_TTL", "1h"))
	rootA := a.LoginAdmin(t)
	k, err := rootA.CreateApiKey(ctx, &oas.APIKeyCreate{Name: "replicated"})
	if err != nil {
		t.Fatal(err)
	}
	onB := b.WithToken(t, k.Token)
	if st := statusOf(errOnly(onB.GetMe(ctx))); st != 200 {
		t.Fatalf("B before revocation: %d", st) // warms B's key cache
	}
	if err := rootA.DeleteApiKey(ctx, oas.DeleteApiKeyParams{ID: k.ID}); err != nil {
		t.Fatal(err)
	}
	if st := eventually(func() int { return statusOf(errOnly(onB.GetMe(ctx))) }, 401); st != 401 {
		t.Fatalf("B after revocation on A: %d, want 401", st)
	}
}
