package chtest

import (
	"context"
	"testing"

	"github.com/ClickHouse/ch-go/chpool"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
)

// Migrated opens a pool to cfg's server and database (created if missing) and applies the
// single-node audit schema, as the service does at start; the pool closes when the test ends.
func Migrated(t testing.TB, cfg chdb.Config) *chpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool, err := chdb.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	r, err := chmigrate.New(pool, chmigrate.Config{RetentionDays: 90})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Up(ctx); err != nil {
		t.Fatal(err)
	}
	return pool
}
