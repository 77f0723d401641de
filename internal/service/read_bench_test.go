package service_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// BenchmarkAuthorizedRead is GET /api/v2/users/{id} through the whole handler (authentication,
// authorization, application, store, audit, metrics, access log) with every cache warm, with
// the read's DATA row (TF_AUDIT_READS=all, the default) and without it (none): the difference
// is what auditing a read costs (docs/benchmarks-authz.md).
//
// The audit store is the SQL database (embedded default) or, for postgres+clickhouse (the
// production layout; skipped without TF_TEST_CLICKHOUSE_ADDR), ClickHouse.
//
// TF_BENCH_TELEMETRY=1 installs the process-wide providers as `serve` does without an exporter
// (spans get ids but are never sampled), so the allocations match the production binary's.
func BenchmarkAuthorizedRead(b *testing.B) {
	if os.Getenv("TF_BENCH_TELEMETRY") != "" {
		tel, err := telemetry.New(context.Background(), telemetry.Config{})
		if err != nil {
			b.Fatal(err)
		}
		tel.Install(slog.New(slog.DiscardHandler))
	}
	for _, store := range slices.Concat(dbtest.Dialects, []string{"postgres+clickhouse"}) {
		for _, reads := range []string{"all", "none"} {
			b.Run(store+"/reads="+reads, func(b *testing.B) {
				dia, opts := store, []apitest.Option{apitest.WithEnv("TF_LOG_LEVEL", benchLogLevel), apitest.WithEnv("TF_AUDIT_READS", reads)}
				if store == "postgres+clickhouse" {
					if os.Getenv(chtest.EnvAddr) == "" {
						b.Skip(chtest.EnvAddr + " is not set")
					}
					ch := chtest.New(b)
					dia, opts = dialect.Postgres, append(opts, apitest.WithEnv("TF_CLICKHOUSE_ADDR", ch.Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", ch.Database))
				}
				srv := apitest.Start(b, dia, opts...)
				_, tok := srv.Login(b, apitest.AdminEmail, apitest.AdminPassword)
				h := srv.Service.Handler()
				path := "/api/v2/users/" + tok.User.ID.String()
				b.ReportAllocs()
				b.ResetTimer()
				cpu := processCPU()
				getInParallel(b, h, path, tok.AccessToken)
				b.StopTimer()
				// CPU per read, the rows' storage included (the writer's inserts run beside
				// the requests; the flush adds the last batch's): on a shared machine this is
				// steadier than ns/op, which counts time other processes held the cores.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if err := srv.Service.FlushAudit(ctx); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
				// The runs measure what they say: one DATA row per read, or none.
				data := srv.Service.AuditStats().Accepted[audit.EventData][audit.ResultSuccess]
				if reads == "all" && data < uint64(b.N) || reads == "none" && data != 0 {
					b.Fatalf("TF_AUDIT_READS=%s: %d DATA rows for %d reads", reads, data, b.N)
				}
			})
		}
	}
}

// benchLogLevel is info (an access-log line per request, as in production) unless
// TF_BENCH_LOG_LEVEL says otherwise.
var benchLogLevel = func() string {
	if v := os.Getenv("TF_BENCH_LOG_LEVEL"); v != "" {
		return v
	}
	return "info"
}()

// getInParallel sends b.N authenticated GETs of path through h from parallel goroutines and
// fails the benchmark on any status but 200.
func getInParallel(b *testing.B, h http.Handler, path, token string) {
	b.Helper()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkAuthorizedReadHarness is getInParallel against a handler that only replays the
// service's recorded answer (its headers and body): what the harness and the writing of that
// answer cost. BenchmarkAuthorizedRead minus this is the service's own share of a read.
func BenchmarkAuthorizedReadHarness(b *testing.B) {
	srv := apitest.Start(b, dialect.SQLite)
	_, tok := srv.Login(b, apitest.AdminEmail, apitest.AdminPassword)
	path := "/api/v2/users/" + tok.User.ID.String()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	srv.Service.Handler().ServeHTTP(rec, req)
	header, body := rec.Header(), rec.Body.Bytes()
	replay := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	b.ReportAllocs()
	b.ResetTimer()
	getInParallel(b, replay, path, tok.AccessToken)
}
