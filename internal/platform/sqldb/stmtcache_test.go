package sqldb_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// The statement cache must be invisible: same results, nested queries inside a transaction,
// more distinct statements than the cache holds, and time columns still decoded.
func TestSQLiteStatementCacheIsTransparent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldb.Config{URL: "sqlite:" + filepath.Join(t.TempDir(), "c.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE t (id integer PRIMARY KEY, at datetime NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for i := range 10 {
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO t (id, at) VALUES (?, ?)`, i, now); err != nil {
			t.Fatal(err)
		}
	}
	// The same query run again while its first rows are still open, inside one transaction.
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := tx.QueryContext(ctx, `SELECT id, at FROM t WHERE id < ? ORDER BY id`, 3)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for outer.Next() {
		var id int
		var at time.Time
		if err := outer.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		if !at.Equal(now) {
			t.Fatalf("time column decoded as %v", at)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT id, at FROM t WHERE id < ? ORDER BY id`, 100).Scan(&n, new(time.Time)); err != nil {
			t.Fatal(err)
		}
		seen++
	}
	if err := outer.Close(); err != nil || seen != 3 {
		t.Fatalf("outer rows: %d, %v", seen, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// More distinct statements than the cache holds, each answered correctly.
	for i := range 600 {
		var got int
		q := fmt.Sprintf(`SELECT count(*) + %d FROM t`, i)
		if err := db.SQL.QueryRowContext(ctx, q).Scan(&got); err != nil || got != 10+i {
			t.Fatalf("%s: %d %v", q, got, err)
		}
	}
}
