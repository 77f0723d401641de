package auth_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// headerTransport adds one header to every request, as a reverse proxy in front would.
type headerTransport struct{ name, value string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Add(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// via is an unauthenticated client whose requests carry the header.
func via(t *testing.T, srv *apitest.Server, name, value string) *oas.Client {
	t.Helper()
	c, err := oas.NewClient(srv.URL, apitest.Bearer(""), oas.WithClient(&http.Client{Transport: headerTransport{name, value}}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func failLogin(t *testing.T, c *oas.Client) int {
	t.Helper()
	_, err := c.Login(context.Background(), &oas.LoginRequest{Email: "nobody@example.com", Password: "not-the-password"})
	var p *oas.ProblemStatusCodeWithHeaders
	if !asProblem(err, &p) {
		t.Fatalf("login: %v", err)
	}
	return p.StatusCode
}

// loginAddresses lists the client addresses of the failed-login audit rows.
func loginAddresses(t *testing.T, srv *apitest.Server) []string {
	t.Helper()
	rows, err := srv.DB(t).Ent.AuditLog.Query().Where(auditlog.ActionEQ("login"), auditlog.ResultEQ(auditlog.ResultFAILURE)).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if !slices.Contains(out, r.IPAddress) {
			out = append(out, r.IPAddress)
		}
	}
	slices.Sort(out)
	return out
}

// Behind a trusted proxy the forwarded client address is what the login rate limit counts and
// the audit records; IPv6 clients share a bucket per /64.
func TestTrustedProxyNamesTheClient(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_TRUSTED_PROXIES", "127.0.0.1/32"), apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "2"))
			a := via(t, srv, "X-Forwarded-For", "6.6.6.6, 198.51.100.7")
			for i := range 2 {
				if st := failLogin(t, a); st != 401 {
					t.Fatalf("attempt %d from 198.51.100.7: %d", i+1, st)
				}
			}
			if st := failLogin(t, a); st != 429 {
				t.Fatalf("third attempt from 198.51.100.7: %d, want 429", st)
			}
			// Another forwarded client has its own bucket, although both come through one proxy.
			if st := failLogin(t, via(t, srv, "X-Forwarded-For", "198.51.100.8")); st != 401 {
				t.Fatalf("198.51.100.8: %d, want 401", st)
			}
			// Two addresses of one /64 share a bucket; the next /64 does not.
			if st := failLogin(t, via(t, srv, "Forwarded", `for="[2001:db8:1:2::7]:443";proto=https`)); st != 401 {
				t.Fatalf("2001:db8:1:2::7: %d", st)
			}
			if st := failLogin(t, via(t, srv, "X-Forwarded-For", "2001:db8:1:2:ffff:ffff:ffff:1")); st != 401 {
				t.Fatalf("2001:db8:1:2:ffff:ffff:ffff:1: %d", st)
			}
			if st := failLogin(t, via(t, srv, "X-Forwarded-For", "2001:db8:1:2::8")); st != 429 {
				t.Fatalf("third address of 2001:db8:1:2::/64: %d, want 429", st)
			}
			if st := failLogin(t, via(t, srv, "X-Forwarded-For", "2001:db8:1:3::7")); st != 401 {
				t.Fatalf("2001:db8:1:3::7: %d, want 401", st)
			}
			want := []string{"198.51.100.7", "198.51.100.8", "2001:db8:1:2::7", "2001:db8:1:2::8", "2001:db8:1:2:ffff:ffff:ffff:1", "2001:db8:1:3::7"}
			if got := loginAddresses(t, srv); !slices.Equal(got, want) {
				t.Fatalf("audit addresses %v, want %v", got, want)
			}
		})
	}
}

// A peer that is not a trusted proxy cannot choose its address with forwarding headers.
func TestUntrustedPeerCannotSpoofItsAddress(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_TRUSTED_PROXIES", "10.0.0.0/8"), apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "2"))
			for i, c := range []*oas.Client{
				via(t, srv, "X-Forwarded-For", "198.51.100.1"),
				via(t, srv, "Forwarded", "for=198.51.100.2"),
			} {
				if st := failLogin(t, c); st != 401 {
					t.Fatalf("attempt %d: %d", i+1, st)
				}
			}
			if st := failLogin(t, via(t, srv, "X-Forwarded-For", "198.51.100.3")); st != 429 {
				t.Fatalf("a fresh spoofed address escaped the peer's bucket: %d", st)
			}
			if got := loginAddresses(t, srv); !slices.Equal(got, []string{"127.0.0.1"}) {
				t.Fatalf("audit addresses %v, want only the peer", got)
			}
		})
	}
}
