package service_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// BenchmarkLoginCPU is a successful login through the whole handler on each dialect, and the
// raw argon2id verification with the same parameters (production: m=19456 KiB, t=2, p=1), two
// goroutines each. cpu-ns/op is this process's CPU per login (PostgreSQL's own work is not in
// it): the difference to raw-argon2id is what the service adds around the hash, which a loaded
// machine does not distort the way it distorts ns/op (docs/benchmarks-request-path.md).
func BenchmarkLoginCPU(b *testing.B) {
	b.Run("raw-argon2id", func(b *testing.B) {
		h, err := argon2.New(argon2.Config{MemoryKiB: 19456, Iterations: 2, Parallelism: 1, Concurrency: 2, QueueTimeout: time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		hash, err := h.Hash(context.Background(), apitest.AdminPassword)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		cpu := processCPU()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if ok, _, err := h.Verify(context.Background(), apitest.AdminPassword, hash); !ok || err != nil {
					b.Fatal("verify", err)
				}
			}
		})
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	})
	for _, dia := range dbtest.Dialects {
		b.Run(dia, func(b *testing.B) {
			srv := apitest.Start(b, dia, apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000"), apitest.WithEnv("TF_LOG_LEVEL", benchLogLevel),
				apitest.WithEnv("TF_ARGON2_MEMORY_KIB", "19456"), apitest.WithEnv("TF_ARGON2_ITERATIONS", "2"),
				apitest.WithEnv("TF_HASH_QUEUE_TIMEOUT", "1m"))
			h := srv.Service.Handler()
			body := `{"email":"` + apitest.AdminEmail + `","password":"` + apitest.AdminPassword + `"}`
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodPost, "/api/v2/auth/login", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("login: %d %s", w.Code, w.Body.String())
					}
				}
			})
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
