package pgreplica_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/internal/testutil/pgreplica"
)

// A row written on the primary reaches the replica, which is a read-only hot standby.
func TestPairStreams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := pgreplica.Start(t)
	p.CreateDatabase(t, "app")
	primary := p.Primary.Open(t, "app")
	if _, err := primary.ExecContext(ctx, `CREATE TABLE t (v int); INSERT INTO t VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	p.AwaitReplay(t)
	replica := p.Replica.Open(t, "app")
	var (
		v        int
		recovery bool
	)
	if err := replica.QueryRowContext(ctx, `SELECT v, pg_is_in_recovery() FROM t`).Scan(&v, &recovery); err != nil {
		t.Fatal(err)
	}
	if v != 42 || !recovery {
		t.Fatalf("replica read %d, in recovery %v", v, recovery)
	}
	if _, err := replica.ExecContext(ctx, `INSERT INTO t VALUES (1)`); err == nil {
		t.Fatal("the replica accepted a write")
	}
}
