package service_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// BenchmarkLoginRoundTrips counts what one successful login asks of the database: the SQL
// statements (queries and executions), transactions and commits under its server span, on each
// dialect, with production argon2id parameters. It installs a recording tracer provider for the
// whole test binary, so run it alone (-bench LoginRoundTrips); allocations here include the
// span recording. The statements are logged once (-v).
func BenchmarkLoginRoundTrips(b *testing.B) {
	rec := spans(b)
	for d, dia := range dbtest.Dialects {
		b.Run(dia, func(b *testing.B) {
			srv := apitest.Start(b, dia, apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000"),
				apitest.WithEnv("TF_ARGON2_MEMORY_KIB", "19456"), apitest.WithEnv("TF_ARGON2_ITERATIONS", "2"))
			h := srv.Service.Handler()
			body := `{"email":"` + apitest.AdminEmail + `","password":"` + apitest.AdminPassword + `"}`
			kinds := map[string]int{}
			statements := map[string]int{}
			for i := 0; b.Loop(); i++ {
				// A trace id per login (and per dialect: the recorder keeps every span).
				traceID := fmt.Sprintf("%016x%016x", d+1, i+1)
				req := httptest.NewRequest(http.MethodPost, "/api/v2/auth/login", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("login: %d %s", w.Code, w.Body.String())
				}
				for _, s := range inTrace(rec, traceID) {
					if strings.HasPrefix(s.Name(), "sql.") {
						kinds[s.Name()]++
						if i == 0 {
							statements[s.Name()+": "+attr(s, "db.query.text").AsString()]++
						}
					}
				}
			}
			names := make([]string, 0, len(kinds))
			for k := range kinds {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				b.ReportMetric(float64(kinds[k])/float64(b.N), k+"/op")
			}
			lines := make([]string, 0, len(statements))
			for s, n := range statements {
				lines = append(lines, strconv.Itoa(n)+"× "+s)
			}
			sort.Strings(lines)
			b.Logf("%s, first login:\n%s", dia, strings.Join(lines, "\n"))
		})
	}
}
