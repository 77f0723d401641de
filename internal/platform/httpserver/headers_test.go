package httpserver_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// headerRecorder keeps the headers of the last response the generated client received.
type headerRecorder struct {
	next http.RoundTripper
	last http.Header
}

func (h *headerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(r)
	if err == nil {
		h.last = resp.Header.Clone()
	}
	return resp, err
}

// Every class of route carries the hardening headers: API success (a token response above
// all), API error, unknown route, health, docs, metrics.
func TestSecurityHeadersOnEveryRouteClass(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	rec := &headerRecorder{next: http.DefaultTransport}
	client, err := oas.NewClient(srv.URL, apitest.Bearer(""), oas.WithClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	check := func(name string, h http.Header, api bool) {
		t.Helper()
		want := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
		if api {
			want["Cache-Control"] = "no-store"
		}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got, v)
			}
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none'", name, csp)
		}
	}
	if _, err := client.Login(ctx, &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword}); err != nil {
		t.Fatal(err)
	}
	check("token response", rec.last, true)
	if _, err := client.GetMe(ctx); err == nil {
		t.Fatal("GetMe without a token succeeded")
	}
	check("API error", rec.last, true)
	for _, path := range []string{"/api/v2/nothing-here", "/nothing-here", "/health/live", "/health/ready", "/version",
		"/openapi.yaml", "/docs", "/docs/", "/docs/swagger-ui-bundle.js", "/console", "/console/", "/console/app.js",
		"/metrics", "/.well-known/jwks.json"} {
		resp := srv.Get(t, path)
		check(path, resp.Header, strings.HasPrefix(path, "/api/v2/"))
	}
}

// The Swagger UI page runs under a CSP without 'unsafe-inline': each of its inline blocks is
// allowed by its hash, so the page keeps working (a browser check is in docs/security.md).
func TestDocsPolicyAllowsExactlyTheInlineBlocks(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	resp := srv.Get(t, "/docs/")
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Fatalf("docs CSP allows unsafe sources: %s", csp)
	}
	opening := regexp.MustCompile(`<(script|style)\b[^>]*>`)
	blocks := 0
	for _, loc := range opening.FindAllSubmatchIndex(page, -1) {
		tag := string(page[loc[2]:loc[3]])
		if strings.Contains(string(page[loc[0]:loc[1]]), "src=") {
			continue
		}
		end := strings.Index(string(page[loc[1]:]), "</"+tag+">")
		sum := sha256.Sum256(page[loc[1] : loc[1]+end])
		hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(csp, tag+"-src 'self'") || !strings.Contains(csp, hash) {
			t.Errorf("inline %s block %d is not allowed by %s", tag, blocks, csp)
		}
		blocks++
	}
	if blocks < 2 {
		t.Fatalf("found %d inline blocks; the page changed shape", blocks)
	}
}
