package sqlmigrate_test

import (
	"context"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/sqlmigrate"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

func TestEmbeddedDirectoriesApplyAndReapplyIsNoop(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := dbtest.OpenEmpty(t, dia)
			r, err := sqlmigrate.New(db.SQL, db.Dialect, nil)
			if err != nil {
				t.Fatal(err)
			}
			st, err := r.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Applied != 0 || len(st.Pending) == 0 {
				t.Fatalf("fresh database: want nothing applied and files pending, got %+v", st)
			}
			applied, err := r.Up(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(st.Pending) {
				t.Fatalf("applied %v, want %v", applied, st.Pending)
			}
			again, err := r.Up(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second Up: applied %v, err %v; want a no-op", again, err)
			}
			st, err = r.Status(ctx)
			if err != nil || len(st.Pending) != 0 || st.Current != applied[len(applied)-1] {
				t.Fatalf("status after Up: %+v, %v", st, err)
			}
			// Every table of the model exists.
			for _, table := range []string{"users", "roles", "permissions", "user_roles", "group_roles", "sessions", "outbox_events", "audit_logs"} {
				if _, err := db.SQL.ExecContext(ctx, "SELECT count(*) FROM "+table); err != nil {
					t.Errorf("table %s: %v", table, err)
				}
			}
		})
	}
}

// The data-loss trap: atlas rebuilds a SQLite table with PRAGMA foreign_keys = off, which does
// nothing inside a transaction, so DROP TABLE would cascade into the child table.
func TestSQLiteTableRebuildKeepsRelatedRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.OpenEmpty(t, dialect.SQLite)
	dir := memDir(t, map[string]string{
		"1_parents.sql": "CREATE TABLE parents (id integer PRIMARY KEY, name text NOT NULL);\n" +
			"CREATE TABLE children (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parents (id) ON DELETE CASCADE);\n",
		"2_rows.sql": "INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b');\n" +
			"INSERT INTO children (id, parent_id) VALUES (10, 1), (11, 1), (12, 2);\n",
		// Exactly what atlas writes to change a column on SQLite.
		"3_rebuild.sql": "PRAGMA foreign_keys = off;\n" +
			"CREATE TABLE new_parents (id integer PRIMARY KEY, name text NOT NULL, label text NOT NULL DEFAULT '');\n" +
			"INSERT INTO new_parents (id, name) SELECT id, name FROM parents;\n" +
			"DROP TABLE parents;\n" +
			"ALTER TABLE new_parents RENAME TO parents;\n" +
			"PRAGMA foreign_keys = on;\n",
	})
	if _, err := sqlmigrate.NewWithDir(db.SQL, db.Dialect, dir, nil).Up(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM children").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("children after rebuild: %d rows, want 3 (cascade deleted them)", n)
	}
	// Foreign keys are back on for normal work afterwards.
	if _, err := db.SQL.ExecContext(ctx, "INSERT INTO children (id, parent_id) VALUES (99, 12345)"); err == nil {
		t.Fatal("insert of an orphan child succeeded: foreign keys were left off")
	}
}

func TestFailedFileRollsBackWhole(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := dbtest.OpenEmpty(t, dia)
			dir := memDir(t, map[string]string{
				"1_ok.sql":     "CREATE TABLE t1 (id integer PRIMARY KEY);\n",
				"2_broken.sql": "CREATE TABLE t2 (id integer PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n",
			})
			r := sqlmigrate.NewWithDir(db.SQL, db.Dialect, dir, nil)
			applied, err := r.Up(ctx)
			if err == nil || !strings.Contains(err.Error(), "2_broken.sql") {
				t.Fatalf("want an error naming the broken file, got %v", err)
			}
			if len(applied) != 1 || applied[0] != "1" {
				t.Fatalf("applied %v, want [1]", applied)
			}
			if _, err := db.SQL.ExecContext(ctx, "SELECT count(*) FROM t2"); err == nil {
				t.Fatal("t2 exists: the failed file was partly applied")
			}
			st, err := r.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Current != "1" || len(st.Pending) != 1 || st.Pending[0] != "2" {
				t.Fatalf("status %+v, want current 1 and 2 pending", st)
			}
		})
	}
}

func memDir(t *testing.T, files map[string]string) atlas.Dir {
	t.Helper()
	dir := &atlas.MemDir{}
	for name, body := range files {
		if err := dir.WriteFile(name, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := dir.Checksum()
	if err != nil {
		t.Fatal(err)
	}
	if err := atlas.WriteSumFile(dir, sum); err != nil {
		t.Fatal(err)
	}
	return dir
}
