// Package chtest gives integration tests a real ClickHouse database of their own.
//
// The server address comes from TF_TEST_CLICKHOUSE_ADDR; on a machine without
// Docker, scripts/clickhouse.sh starts a suitable server (see
// docs/clickhouse-dev-server.md). Each call to New creates a fresh database,
// so tests can run in parallel against one server and never see each other's
// tables.
package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
)

// EnvAddr names the variable holding the native-protocol address (host:port).
const EnvAddr = "TF_TEST_CLICKHOUSE_ADDR"

// Server is a connection to a per-test database.
type Server struct {
	Addr     string
	Database string
	// Client is connected to Database. A ch.Client runs one query at a time;
	// use Dial for concurrent work.
	Client *ch.Client
}

// New creates a uniquely named database, dials a client that uses it, and
// drops the database when the test ends.
//
// A missing TF_TEST_CLICKHOUSE_ADDR fails the test instead of skipping it:
// a skipped integration test looks like a passing one.
func New(t testing.TB) *Server {
	t.Helper()
	addr := os.Getenv(EnvAddr)
	if addr == "" {
		t.Fatalf("%s is not set: integration tests need a real ClickHouse server.\n"+
			"Start one with `scripts/clickhouse.sh start` and run `eval \"$(scripts/clickhouse.sh env)\"`\n"+
			"(or export %s=host:port of an existing server).", EnvAddr, EnvAddr)
	}

	var b [8]byte
	_, _ = rand.Read(b[:]) // cannot fail since Go 1.24: it crashes instead
	s := &Server{Addr: addr, Database: "tf_test_" + hex.EncodeToString(b[:])}
	admin := dial(t, addr, "default")
	defer admin.Close()
	exec(t, admin, "CREATE DATABASE "+s.Database)

	t.Cleanup(func() {
		// A fresh connection: the test's client may be closed or broken by now.
		c := dial(t, addr, "default")
		defer c.Close()
		exec(t, c, "DROP DATABASE IF EXISTS "+s.Database+" SYNC")
	})

	s.Client = s.Dial(t)
	return s
}

// Dial opens another client on the test database, closed when the test ends.
func (s *Server) Dial(t testing.TB) *ch.Client {
	t.Helper()
	c := dial(t, s.Addr, s.Database)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Exec runs a statement that returns no rows on the test database.
func (s *Server) Exec(t testing.TB, query string) {
	t.Helper()
	exec(t, s.Client, query)
}

func dial(t testing.TB, addr, database string) *ch.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := ch.Dial(ctx, ch.Options{
		Address:    addr,
		Database:   database,
		ClientName: "telemetryflow-chtest",
		// The 3 s default is too tight for merges and OPTIMIZE on a busy CI box.
		ReadTimeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatalf("chtest: dial ClickHouse at %s (database %s): %v\n"+
			"Is the server up? Check with `scripts/clickhouse.sh status`.", addr, database, err)
	}
	return c
}

func exec(t testing.TB, c *ch.Client, query string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Do(ctx, ch.Query{Body: query}); err != nil {
		t.Fatalf("chtest: %s: %v", query, err)
	}
}
