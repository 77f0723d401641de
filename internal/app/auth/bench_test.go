package auth_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/outbox"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

type discard struct{}

func (discard) Record(context.Context, audit.Event) error { return nil }

// newBenchService wires the real service on a migrated, seeded store of the dialect, with the
// outbox dispatcher delivering committed events as in production.
func newBenchService(b testing.TB, dia string, hashCfg argon2.Config) *auth.Service {
	return newServiceOn(b, dbtest.Open(b, dia), hashCfg)
}

// newServiceOn is newBenchService on a migrated database.
func newServiceOn(b testing.TB, raw *sqldb.DB, hashCfg argon2.Config) *auth.Service {
	b.Helper()
	ctx := context.Background()
	db := storetest.Wrap(raw)
	h, err := argon2.New(hashCfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := seed.Run(ctx, db.Ent, seed.Config{AdminEmail: "bench@example.com", AdminPassword: "benchmark-password", Hasher: h, GeneratePassword: argon2.Generate}); err != nil {
		b.Fatal(err)
	}
	st := db.Store(b)
	d, err := outbox.New(outbox.Config{Store: st.Outbox()})
	if err != nil {
		b.Fatal(err)
	}
	d.Subscribe("caches", outbox.Once(outbox.SubscriberFunc(func(context.Context, event.Envelope) error { return nil }), 0))
	st.SetAfterCommit(d.Publish)
	sealer, _ := keyring.NewSealer(bytes.Repeat([]byte{1}, 32))
	km, err := keyring.New(keyring.Config{Keys: st.SigningKeys(), UoW: st, Sealer: sealer, TokenTTL: 15 * time.Minute, RotateEvery: 24 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	if err := km.Load(ctx); err != nil {
		b.Fatal(err)
	}
	ts, err := accesstoken.New(accesstoken.Config{Issuer: "i", Audience: "a", TTL: 15 * time.Minute, Leeway: 30 * time.Second}, km)
	if err != nil {
		b.Fatal(err)
	}
	auditLog, err := audit.NewLog(audit.LogConfig{Recorder: discard{}})
	if err != nil {
		b.Fatal(err)
	}
	svc, err := auth.New(auth.Config{AccessTTL: 15 * time.Minute, RefreshTTL: time.Hour, SessionMaxAge: 24 * time.Hour,
		Lockout: authn.LockoutPolicy{Threshold: 1 << 30, AccountThreshold: 1 << 30, Duration: time.Minute}, LoginRatePerIP: 1 << 30,
		Passwords: iam.PasswordPolicy{Min: 12, Max: 128}, SessionCacheTTL: 30 * time.Second, Leeway: 30 * time.Second,
		Store: st, UoW: st, Hasher: h, Tokens: ts, APIKeys: benchKeys(b), Audit: auditLog, ClientSecretKey: benchSecretKey})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(svc.Close)
	return svc
}

// The per-request cost of authentication once a client's token and session are cached.
func BenchmarkVerifyCached(b *testing.B) {
	svc := newBenchService(b, dialect.SQLite, argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	ctx := reqinfo.With(context.Background(), &reqinfo.Info{IP: "127.0.0.1"})
	g, err := svc.Login(ctx, "bench@example.com", "benchmark-password")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Verify(ctx, g.AccessToken); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Verify(ctx, g.AccessToken); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// owasp are the production defaults (m=19 MiB, t=2, p=1); concurrency = CPUs.
func owasp() argon2.Config { return argon2.DefaultConfig() }

// The ceiling: argon2id verifications per second with the production parameters.
func BenchmarkRawArgon2idVerify(b *testing.B) {
	h, err := argon2.New(owasp())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	enc, _ := h.Hash(ctx, "benchmark-password")
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _, err := h.Verify(ctx, "benchmark-password", enc); err != nil || !ok {
				b.Error("verify failed", err)
				return
			}
		}
	})
}

// Full successful logins (lookup, verify, session and refresh token written, token signed).
func BenchmarkLoginPostgres(b *testing.B) { benchLogin(b, dialect.Postgres) }
func BenchmarkLoginSQLite(b *testing.B)   { benchLogin(b, dialect.SQLite) }

// The same with the cheapest argon2id: what a login costs beside the hash (reads, the
// session's transaction, the outbox, the token).
func BenchmarkLoginStoreWorkPostgres(b *testing.B) { benchLoginWith(b, dialect.Postgres, cheapHash()) }
func BenchmarkLoginStoreWorkSQLite(b *testing.B)   { benchLoginWith(b, dialect.SQLite, cheapHash()) }

func cheapHash() argon2.Config {
	return argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1}
}

func benchLogin(b *testing.B, dia string) { benchLoginWith(b, dia, owasp()) }

func benchLoginWith(b *testing.B, dia string, hash argon2.Config) {
	svc := newBenchService(b, dia, hash)
	ctx := reqinfo.With(context.Background(), &reqinfo.Info{IP: "127.0.0.1"})
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Login(ctx, "bench@example.com", "benchmark-password"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// Refresh grants: each goroutine walks its own rotation chain.
func BenchmarkRefreshPostgres(b *testing.B) { benchRefresh(b, dialect.Postgres) }
func BenchmarkRefreshSQLite(b *testing.B)   { benchRefresh(b, dialect.SQLite) }

func benchRefresh(b *testing.B, dia string) {
	svc := newBenchService(b, dia, argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	ctx := reqinfo.With(context.Background(), &reqinfo.Info{IP: "127.0.0.1"})
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		g, err := svc.Login(ctx, "bench@example.com", "benchmark-password")
		if err != nil {
			b.Error(err)
			return
		}
		rt := g.RefreshToken
		for pb.Next() {
			g, err := svc.Refresh(ctx, rt)
			if err != nil {
				b.Error(err)
				return
			}
			rt = g.RefreshToken
		}
	})
}
