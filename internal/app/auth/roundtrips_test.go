package auth_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/platform/sqlmigrate"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// Round trips to the database per flow, counted from the traced SQL calls: refresh (the hot
// path of every long-lived client) is one transaction holding one read and the rotation's two
// writes; a token whose session is not cached costs one read (session, user and placement
// joined); a login reads once (the account with its placement and the failure counts), writes
// in one transaction and marks its outbox event delivered.
func TestRoundTripsPerFlow(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
			ctx := context.Background()
			db, err := sqldb.Open(ctx, sqldb.Config{URL: dbtest.URL(t, dia), TracerProvider: tp})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			m, err := sqlmigrate.New(db.SQL, db.Dialect, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Up(ctx); err != nil {
				t.Fatal(err)
			}
			svc := newServiceOn(t, db, cheapHash())
			req := reqinfo.With(ctx, &reqinfo.Info{IP: "127.0.0.1"})
			g, err := svc.Login(req, "bench@example.com", "benchmark-password")
			if err != nil {
				t.Fatal(err)
			}
			// calls runs f under a span (the SQL spans need a parent) and names its SQL calls.
			calls := func(f func(ctx context.Context) error) []string {
				ctx, span := tp.Tracer("roundtrips").Start(req, "flow")
				before := len(rec.Ended())
				if err := f(ctx); err != nil {
					t.Fatal(err)
				}
				span.End()
				var out []string
				for _, s := range rec.Ended()[before:] {
					if s.Name() != "flow" {
						out = append(out, s.Name())
					}
				}
				return out
			}
			const begin, commit = "sql.conn.begin_tx", "sql.tx.commit"

			refresh := calls(func(ctx context.Context) error { var err error; g, err = svc.Refresh(ctx, g.RefreshToken); return err })
			if len(refresh) != 5 || refresh[0] != begin || refresh[4] != commit {
				t.Errorf("refresh: %v, want one transaction of one read and two writes", refresh)
			}
			verify := calls(func(ctx context.Context) error {
				svc.InvalidateAllSessions()
				_, err := svc.Verify(ctx, g.AccessToken)
				return err
			})
			if len(verify) != 1 {
				t.Errorf("verifying with the session not cached: %v, want one read", verify)
			}
			login := calls(func(ctx context.Context) error {
				_, err := svc.Login(ctx, "bench@example.com", "benchmark-password")
				return err
			})
			if n := len(login); n < 4 || login[1] != begin || login[n-2] != commit || count(login, begin) != 1 {
				t.Errorf("login: %v, want one read, one transaction, and the outbox event marked", login)
			}
			// Without failures to forget, the transaction writes the account, the session and its
			// token (one statement on PostgreSQL; the outbox insert returns its id: a query), and
			// the event is marked after it.
			want := 4
			if dia == dialect.Postgres {
				want = 3
			}
			if n := count(login, "sql.conn.exec"); n != want {
				t.Errorf("login: %v, %d statements without rows, want %d", login, n, want)
			}
		})
	}
}

func count(names []string, name string) int {
	n := 0
	for _, s := range names {
		if s == name {
			n++
		}
	}
	return n
}
