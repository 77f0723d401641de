package sqldb_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// AutovacuumOff follows the server's own SHOW (this machine's PostgreSQL runs with it off, so
// the true answer is the one exercised here); SQLite has no such thing.
func TestAutovacuumOff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		off, err := db.AutovacuumOff(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := false
		if db.Dialect == dialect.Postgres {
			var shown string
			if err := db.SQL.QueryRow("SHOW autovacuum").Scan(&shown); err != nil {
				t.Fatal(err)
			}
			want = shown == "off"
		}
		if off != want {
			t.Fatalf("AutovacuumOff = %v, want %v", off, want)
		}
	})
}
