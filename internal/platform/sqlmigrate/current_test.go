package sqlmigrate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/platform/sqlmigrate"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

func TestCurrentNamesPendingVersionsAndReadsOnly(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := dbtest.OpenEmpty(t, dia)
			files := map[string]string{"1_a.sql": "CREATE TABLE a (id integer PRIMARY KEY);\n"}
			if err := sqlmigrate.NewWithDir(db.SQL, db.Dialect, memDir(t, files), nil).Current(ctx); err == nil {
				t.Fatal("a never-migrated database reported current")
			}
			if _, err := sqlmigrate.NewWithDir(db.SQL, db.Dialect, memDir(t, files), nil).Up(ctx); err != nil {
				t.Fatal(err)
			}
			if err := sqlmigrate.NewWithDir(db.SQL, db.Dialect, memDir(t, files), nil).Current(ctx); err != nil {
				t.Fatalf("after Up: %v", err)
			}
			// A newer binary ships two more files: readiness must say which.
			files["2_b.sql"] = "CREATE TABLE b (id integer PRIMARY KEY);\n"
			files["3_c.sql"] = "CREATE TABLE c (id integer PRIMARY KEY);\n"
			r := sqlmigrate.NewWithDir(db.SQL, db.Dialect, memDir(t, files), nil)
			err := r.Current(ctx)
			if err == nil || !strings.Contains(err.Error(), "2 migration(s) pending: 2, 3") {
				t.Fatalf("got %v, want the pending versions named", err)
			}
			if _, err := db.SQL.ExecContext(ctx, "SELECT count(*) FROM b"); err == nil {
				t.Fatal("Current applied a file")
			}
		})
	}
}
