package auth_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// benchKeys is the API key hasher of the benchmark services (a fixed key).
func benchKeys(b testing.TB) *apikey.Hasher {
	h, err := apikey.NewHasher(bytes.Repeat([]byte{2}, 32))
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// serviceWithKey is a benchmark service on SQLite with one API key of its administrator,
// verified once (so it is cached and its first use recorded).
func serviceWithKey(b testing.TB, permissions []string) (*auth.Service, string, context.Context) {
	b.Helper()
	raw := dbtest.Open(b, dialect.SQLite)
	svc := newServiceOn(b, raw, argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	db := storetest.Wrap(raw)
	ctx := reqinfo.With(context.Background(), &reqinfo.Info{IP: "127.0.0.1"})
	admin := db.Ent.User.Query().Where(user.EmailEQ("bench@example.com")).OnlyX(ctx)
	token, display, hash, err := benchKeys(b).Mint()
	if err != nil {
		b.Fatal(err)
	}
	q := db.Ent.APIKey.Create().SetUserID(admin.ID).SetName("bench").SetPrefix(display).SetSecretHash(hash)
	if permissions != nil {
		q = q.SetPermissions(permissions)
	}
	q.SaveX(ctx)
	p, err := svc.Verify(ctx, token)
	if err != nil || p.UserID != admin.ID {
		b.Fatalf("verify: %v %+v", err, p)
	}
	// The first use is recorded off the request path; let it land before measuring.
	for range 100 {
		if k := db.Ent.APIKey.Query().OnlyX(ctx); k.LastUsedAt != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return svc, token, ctx
}

// The per-request cost of authenticating with a cached API key: hash, cache hit, expiry and
// standing checks (docs/api-keys.md reports it).
func BenchmarkVerifyAPIKeyCached(b *testing.B) {
	svc, token, ctx := serviceWithKey(b, []string{"user:read"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Verify(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}

// The same from every CPU at once (the cache's read lock is shared).
func BenchmarkVerifyAPIKeyCachedParallel(b *testing.B) {
	svc, token, ctx := serviceWithKey(b, nil)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Verify(ctx, token); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// A cached API key authenticates without allocating (the goal of docs/api-keys.md); counting
// allocations is deterministic, unlike timing.
func TestVerifyAPIKeyCachedAllocatesNothing(t *testing.T) {
	svc, token, ctx := serviceWithKey(t, []string{"user:read"})
	if n := testing.AllocsPerRun(200, func() {
		if _, err := svc.Verify(ctx, token); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("a cached API key verification allocates %v times", n)
	}
}

// A key whose cache entry was just dropped (after an invalidation): the two indexed reads on
// SQLite (the key by hash, its owner with their placement).
func BenchmarkVerifyAPIKeyUncached(b *testing.B) {
	svc, token, ctx := serviceWithKey(b, []string{"user:read"})
	b.ReportAllocs()
	for b.Loop() {
		svc.InvalidateAllSessions()
		if _, err := svc.Verify(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}
