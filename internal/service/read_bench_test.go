package service_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// BenchmarkAuthorizedRead is GET /api/v2/users/{id} through the whole handler (authentication,
// authorization, application, store, audit, metrics, access log) with every cache warm, with
// the read's DATA row (TF_AUDIT_READS=all, the default) and without it (none): the difference
// is what auditing a read costs (docs/benchmarks-authz.md).
func BenchmarkAuthorizedRead(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		for _, reads := range []string{"all", "none"} {
			b.Run(dia+"/reads="+reads, func(b *testing.B) {
				srv := apitest.Start(b, dia, apitest.WithEnv("TF_LOG_LEVEL", benchLogLevel), apitest.WithEnv("TF_AUDIT_READS", reads))
				_, tok := srv.Login(b, apitest.AdminEmail, apitest.AdminPassword)
				h := srv.Service.Handler()
				path := "/api/v2/users/" + tok.User.ID.String()
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						req := httptest.NewRequest(http.MethodGet, path, nil)
						req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("status %d", rec.Code)
						}
					}
				})
				b.StopTimer()
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
