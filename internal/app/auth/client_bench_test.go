package auth_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// benchSecretKey keys the client secrets of the benchmark services.
var benchSecretKey = bytes.Repeat([]byte{7}, 32)

// The application's part of a client_credentials grant with a client secret, without HTTP:
// client authentication (account, lockout counts, secrets), the session's transaction and the
// signature. BenchmarkClientCredentialsGrant (internal/httpapi) is the same through the server.
func BenchmarkClientCredentialsServiceSQLite(b *testing.B) { benchClientCredentials(b, dialect.SQLite) }
func BenchmarkClientCredentialsServicePostgres(b *testing.B) {
	benchClientCredentials(b, dialect.Postgres)
}

func benchClientCredentials(b *testing.B, dia string) {
	raw := dbtest.Open(b, dia)
	svc := newServiceOn(b, raw, cheapHash())
	st := storetest.Wrap(raw).Store(b)
	ctx := reqinfo.With(context.Background(), &reqinfo.Info{IP: "127.0.0.1"})
	var org iam.Organization
	page, err := st.Organizations().List(ctx, port.Everything, port.OrganizationFilter{}, port.PageRequest{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		b.Fatal("no organization", err)
	}
	org = page.Items[0]
	sa, err := iam.NewServiceAccount(org.ID, iam.ServiceAccountFields{Name: ptr("bench")}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	secret := oauth.NewSecret()
	err = st.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if err := tx.Users().Create(ctx, sa); err != nil {
			return err
		}
		return tx.Clients().AddSecret(ctx, oauth.Secret{ID: iam.NewID(), UserID: sa.ID, Hash: oauth.HashSecret(benchSecretKey, secret), CreatedAt: time.Now()})
	})
	if err != nil {
		b.Fatal(err)
	}
	creds := auth.ClientAuth{Basic: true, BasicID: sa.ID.String(), BasicSecret: secret}
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c, err := svc.AuthenticateClient(ctx, creds)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := svc.ClientCredentials(ctx, c, ""); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "grants/s")
}

func ptr[T any](v T) *T { return &v }
