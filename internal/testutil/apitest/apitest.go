// Package apitest starts a real, fully wired server on a fresh real database and hands tests
// the generated client, so API tests exercise exactly what users get.
package apitest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/ogen-go/ogen/ogenerrors"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// Bootstrap credentials every test server starts with.
const (
	AdminEmail    = "admin@example.com"
	AdminPassword = "bootstrap-password-for-tests"
)

// Server is a running instance.
type Server struct {
	URL     string
	Service *service.Service
	Config  *config.Config
	// Client is unauthenticated; use WithToken for a caller.
	Client *oas.Client
	// db is the assertion connection behind DB.
	db *storetest.DB
}

// settings are what options adjust before the server is built.
type settings struct {
	env map[string]string
	now func() time.Time
	log *slog.Logger
}

// Option adjusts the server before it is built.
type Option func(*settings)

// WithEnv sets one TF_* variable.
func WithEnv(k, v string) Option { return func(s *settings) { s.env[k] = v } }

// WithClock makes the server read time from now (tests move it instead of sleeping).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithLog sends the service's log to log instead of discarding it (tests that assert on it).
func WithLog(log *slog.Logger) Option { return func(s *settings) { s.log = log } }

// Start builds the service on a fresh database of the dialect and serves it on loopback.
func Start(t testing.TB, dia string, opts ...Option) *Server {
	t.Helper()
	env := map[string]string{
		"TF_DATABASE_URL":             dbtest.URL(t, dia),
		"TF_DATA_DIR":                 t.TempDir(),
		"TF_BOOTSTRAP_ADMIN_EMAIL":    AdminEmail,
		"TF_BOOTSTRAP_ADMIN_PASSWORD": AdminPassword,
		// The minimum argon2id cost keeps suites fast; benchmarks measure the real defaults.
		"TF_ARGON2_MEMORY_KIB": "8192",
		"TF_ARGON2_ITERATIONS": "1",
		"TF_LOG_LEVEL":         "warn",
	}
	set := &settings{env: env}
	for _, o := range opts {
		o(set)
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("apitest: config: %v", err)
	}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("TF_TEST_LOG") != "" {
		log = logging.New(os.Stderr, "debug", "text")
	}
	if set.log != nil {
		log = set.log
	}
	svc, err := service.New(context.Background(), cfg, service.Options{Log: log, Now: set.now})
	if err != nil {
		t.Fatalf("apitest: start service: %v", err)
	}
	ts := httptest.NewServer(svc.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = svc.Close()
	})
	s := &Server{URL: ts.URL, Service: svc, Config: cfg}
	s.openDB(t)
	s.Client = s.WithToken(t, "")
	return s
}

// WithToken returns a client that sends token as the bearer credential ("" sends none).
func (s *Server) WithToken(t testing.TB, token string) *oas.Client {
	t.Helper()
	c, err := oas.NewClient(s.URL, Bearer(token))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Bearer is a client security source with a fixed token.
type Bearer string

// BearerAuth implements oas.SecuritySource.
func (b Bearer) BearerAuth(context.Context, oas.OperationName) (oas.BearerAuth, error) {
	if b == "" {
		return oas.BearerAuth{}, ogenerrors.ErrSkipClientSecurity
	}
	return oas.BearerAuth{Token: string(b)}, nil
}

// Get performs a plain GET against a route outside the contract.
func (s *Server) Get(t testing.TB, path string) *http.Response {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}
