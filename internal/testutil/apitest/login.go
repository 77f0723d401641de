package apitest

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/testclock"
	"github.com/telemetryflow/core/oas"
)

// Login authenticates through the API and returns a client acting as that user, with the
// token response for tests that need the raw tokens.
func (s *Server) Login(t testing.TB, email, password string) (*oas.Client, *oas.TokenResponse) {
	t.Helper()
	res, err := s.Client.Login(context.Background(), &oas.LoginRequest{Email: email, Password: password})
	if err != nil {
		t.Fatalf("apitest: login %s: %v", email, err)
	}
	return s.WithToken(t, res.AccessToken), res
}

// LoginAdmin logs in as the bootstrap super administrator.
func (s *Server) LoginAdmin(t testing.TB) *oas.Client {
	t.Helper()
	c, _ := s.Login(t, AdminEmail, AdminPassword)
	return c
}

// DB returns a second connection to the server's database (opened once per server), for
// assertions on stored state.
func (s *Server) DB(t testing.TB) *storetest.DB {
	t.Helper()
	if s.db == nil {
		t.Fatal("apitest: the server's database connection is not open")
	}
	return s.db
}

// openDB opens the assertion connection. The audit pipeline stores events in the background;
// a query on audit rows first waits until everything recorded so far is stored, so a test sees
// what its requests recorded.
func (s *Server) openDB(t testing.TB) {
	t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Config{URL: s.Config.Database.URL, DataDir: s.Config.Database.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s.db = storetest.Wrap(db)
	s.db.FlushBeforeAuditReads(s.Service.FlushAudit)
}

// Clock is a settable clock for WithClock.
type Clock = testclock.Clock

// NewClock starts at the current time.
func NewClock() *Clock { return testclock.New() }
