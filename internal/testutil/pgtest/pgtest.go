// Package pgtest gives each test its own empty PostgreSQL database on a real server, dropped
// when the test ends. There is no fallback: without a server the test fails and says how to
// provide one.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvURL names the server tests use (any database on it; tests create their own).
const EnvURL = "TF_TEST_POSTGRES_URL"

const defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL is the admin connection URL for the test server.
func ServerURL() string {
	if v := os.Getenv(EnvURL); v != "" {
		return v
	}
	return defaultURL
}

// NewDatabase creates a uniquely named database and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", ServerURL())
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", EnvURL, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		t.Fatalf("pgtest: PostgreSQL is required for integration tests and is not reachable at %s (set %s): %v",
			redact(ServerURL()), EnvURL, err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "tf_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
		_ = admin.Close()
	})
	u, _ := url.Parse(ServerURL())
	u.Path = "/" + name
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}
