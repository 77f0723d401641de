package service_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// BenchmarkAuthorizedWrite is POST /api/v2/regions through the whole handler, caches warm, a
// new region per request: authentication, the gate, the command in one unit of work with its
// event and DATA row in the outbox, delivery after commit, the audit row's storage
// (docs/benchmarks-request-path.md).
func BenchmarkAuthorizedWrite(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dia, func(b *testing.B) {
			srv := apitest.Start(b, dia, apitest.WithEnv("TF_LOG_LEVEL", benchLogLevel))
			_, tok := srv.Login(b, apitest.AdminEmail, apitest.AdminPassword)
			h := srv.Service.Handler()
			var n atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					code := "r-" + strconv.FormatInt(n.Add(1), 36)
					req := httptest.NewRequest(http.MethodPost, "/api/v2/regions",
						bytes.NewReader([]byte(`{"name":"Region `+code+`","code":"`+code+`"}`)))
					req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusCreated {
						b.Fatalf("status %d %s", rec.Code, rec.Body.String())
					}
				}
			})
		})
	}
}
