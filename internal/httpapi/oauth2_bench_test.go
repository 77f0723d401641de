package httpapi_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// BenchmarkClientCredentialsGrant is POST /oauth2/token with client_secret_basic through the
// whole stack (HTTP, ogen, client authentication with its lockout reads, the session row, the
// EdDSA signature, the AUTH audit row), clients in parallel over keep-alive connections.
// docs/machine-identities.md reports its numbers.
//
//	go test ./internal/httpapi -run '^$' -bench ClientCredentialsGrant -benchtime 5s
func BenchmarkClientCredentialsGrant(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dia, func(b *testing.B) {
			srv := apitest.Start(b, dia, apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000"), apitest.WithEnv("TF_LOG_LEVEL", "error"))
			root := srv.LoginAdmin(b)
			sa, err := root.CreateServiceAccount(bg, &oas.ServiceAccountCreate{Name: "bench", OrganizationID: srv.OrganizationID(b, seed.DefaultSlug)})
			if err != nil {
				b.Fatal(err)
			}
			roles, err := root.ListRoles(bg, oas.ListRolesParams{Q: oas.NewOptString(rbac.RoleViewer)})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := root.AssignUserRole(bg, &oas.RoleRef{RoleID: roles.Items[0].ID}, oas.AssignUserRoleParams{ID: sa.ID}); err != nil {
				b.Fatal(err)
			}
			sec, err := root.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: sa.ID})
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}
			body := url.Values{"grant_type": {"client_credentials"}}.Encode()
			b.SetParallelism(4)
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth2/token", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.SetBasicAuth(sa.ClientID, sec.ClientSecret)
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					// Read to the end so the connection goes back to the pool.
					_, _ = io.Copy(io.Discard, res.Body)
					_ = res.Body.Close()
					if res.StatusCode != http.StatusOK {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "grants/s")
		})
	}
}
