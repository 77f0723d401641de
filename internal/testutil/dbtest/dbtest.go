// Package dbtest opens real, migrated stores for tests: a fresh SQLite file or a fresh
// PostgreSQL database per call, and runs a test body against each dialect.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/platform/sqlmigrate"
	"github.com/telemetryflow/core/internal/testutil/pgtest"
)

// Dialects are the relational stores every contract suite runs against.
var Dialects = []string{dialect.SQLite, dialect.Postgres}

// URL returns a connection URL for a fresh, empty database of the dialect.
func URL(t testing.TB, dia string) string {
	t.Helper()
	if dia == dialect.Postgres {
		return pgtest.NewDatabase(t)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// OpenEmpty opens a fresh database without migrating it.
func OpenEmpty(t testing.TB, dia string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Config{URL: URL(t, dia)})
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dia, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// Open opens a fresh database with every migration applied.
func Open(t testing.TB, dia string) *sqldb.DB {
	t.Helper()
	db := OpenEmpty(t, dia)
	r, err := sqlmigrate.New(db.SQL, db.Dialect, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Up(context.Background()); err != nil {
		t.Fatalf("dbtest: migrate %s: %v", dia, err)
	}
	return db
}

// Each runs body as a parallel subtest per dialect, each with its own migrated database.
func Each(t *testing.T, body func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, dia := range Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			body(t, Open(t, dia))
		})
	}
}
