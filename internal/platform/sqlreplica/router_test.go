package sqlreplica_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/platform/sqlreplica"
	"github.com/telemetryflow/core/internal/testutil/metrictest"
	"github.com/telemetryflow/core/internal/testutil/pgreplica"
	"github.com/telemetryflow/core/internal/testutil/testclock"
)

type callerKey struct{}

func asCaller(id string) context.Context {
	return context.WithValue(context.Background(), callerKey{}, id)
}

type fixture struct {
	pair             *pgreplica.Pair
	primary, replica *sql.DB
	router           *sqlreplica.Router
	clock            *testclock.Clock
}

func start(t *testing.T) *fixture {
	t.Helper()
	p := pgreplica.Start(t)
	p.CreateDatabase(t, "app")
	f := &fixture{pair: p, primary: p.Primary.Open(t, "app"), replica: p.Replica.Open(t, "app"), clock: testclock.New()}
	exec(t, f.primary, `CREATE TABLE t (v int)`)
	p.AwaitReplay(t)
	r, err := sqlreplica.New(sqlreplica.Config{Primary: f.primary, Replicas: []sqlreplica.Replica{{Name: "r1", DB: f.replica}},
		MaxLag: 5 * time.Second, Now: f.clock.Now,
		Caller: func(ctx context.Context) string { s, _ := ctx.Value(callerKey{}).(string); return s }})
	if err != nil {
		t.Fatal(err)
	}
	f.router = r
	return f
}

func exec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// metric sums the series of one metric.
func (f *fixture) metric(t *testing.T, name string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(f.router)
	return metrictest.Sum(t, reg, name, nil)
}

// A caught-up replica serves reads; paused beyond the maximum lag it leaves rotation, and
// returns once it has caught up. Lag is measured on the primary's history, so an idle primary
// keeps a caught-up replica in rotation however long nothing is written.
func TestLaggingReplicaLeavesRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := start(t)
	if got := f.router.Pick(ctx); got != -1 {
		t.Fatalf("before the first poll: replica %d, want the primary", got)
	}
	f.router.PollOnce(ctx)
	if got := f.router.Pick(ctx); got != 0 {
		t.Fatalf("caught up: %d, want replica 0", got)
	}
	f.clock.Advance(time.Hour) // an idle hour
	f.router.PollOnce(ctx)
	if got := f.router.Pick(ctx); got != 0 {
		t.Fatalf("after an idle hour: %d, want replica 0", got)
	}

	exec(t, f.replica, `SELECT pg_wal_replay_pause()`)
	exec(t, f.primary, `INSERT INTO t VALUES (1)`)
	f.clock.Advance(time.Second)
	f.router.PollOnce(ctx)
	f.clock.Advance(4 * time.Second) // 4s behind: within the limit
	f.router.PollOnce(ctx)
	if got := f.router.Pick(ctx); got != 0 {
		t.Fatalf("4s behind: %d, want replica 0", got)
	}
	f.clock.Advance(2 * time.Second) // 6s behind
	f.router.PollOnce(ctx)
	if got := f.router.Pick(ctx); got != -1 {
		t.Fatalf("6s behind: %d, want the primary", got)
	}
	if up, lag := f.metric(t, "telemetryflow_db_replica_up"), f.metric(t, "telemetryflow_db_replica_lag_seconds"); up != 0 || lag < 6 {
		t.Fatalf("up %v lag %v, want 0 and ≥ 6", up, lag)
	}

	exec(t, f.replica, `SELECT pg_wal_replay_resume()`)
	f.pair.AwaitReplay(t)
	f.router.PollOnce(ctx)
	if got := f.router.Pick(ctx); got != 0 {
		t.Fatalf("caught up again: %d, want replica 0", got)
	}
	if up := f.metric(t, "telemetryflow_db_replica_up"); up != 1 {
		t.Fatalf("up %v", up)
	}
}

// After a caller's write, that caller's reads (and reads marked Latest) go to the primary
// until the replica has replayed the write; other callers' reads stay on the replica.
func TestCallersReadTheirWrites(t *testing.T) {
	t.Parallel()
	f := start(t)
	f.router.PollOnce(context.Background())
	exec(t, f.replica, `SELECT pg_wal_replay_pause()`)
	exec(t, f.primary, `INSERT INTO t VALUES (1)`)
	f.router.Wrote(asCaller("alice"))

	if got := f.router.Pick(asCaller("alice")); got != -1 {
		t.Fatalf("alice after her write: %d, want the primary", got)
	}
	if got := f.router.Pick(sqlreplica.Latest(asCaller("bob"))); got != -1 {
		t.Fatalf("a Latest read after the write: %d, want the primary", got)
	}
	if got := f.router.Pick(asCaller("bob")); got != 0 {
		t.Fatalf("bob: %d, want replica 0", got)
	}
	if n := f.metric(t, "telemetryflow_db_primary_reads_total"); n < 1 {
		t.Fatalf("primary reads %v", n)
	}

	exec(t, f.replica, `SELECT pg_wal_replay_resume()`)
	f.pair.AwaitReplay(t)
	f.router.PollOnce(context.Background())
	if got := f.router.Pick(asCaller("alice")); got != 0 {
		t.Fatalf("alice once the replica has her write: %d, want replica 0", got)
	}
	var n int
	if err := f.replica.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the replica has %d rows (%v)", n, err)
	}
}

// A replica that goes down fails the read it was given, leaves rotation at once (the read is
// retried on the primary) and stays out while it does not answer.
func TestReplicaDownLeavesRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := start(t)
	f.router.PollOnce(ctx)
	if i := f.router.Pick(ctx); i != 0 {
		t.Fatalf("pick %d", i)
	}
	f.pair.StopNode(t, f.pair.Replica)
	i := f.router.Pick(ctx) // the poll has not run: the router still believes in the replica
	if i != 0 {
		t.Fatalf("pick %d", i)
	}
	_, err := f.router.Replica(i).ExecContext(ctx, `SELECT 1`)
	if err == nil {
		t.Fatal("the stopped replica answered")
	}
	if !f.router.Failed(ctx, i, err) {
		t.Fatalf("%v is not taken for a replica failure", err)
	}
	if got := f.router.Pick(ctx); got != -1 {
		t.Fatalf("after the failure: %d, want the primary", got)
	}
	f.router.PollOnce(ctx)
	if got := f.router.Pick(ctx); got != -1 {
		t.Fatalf("after a poll of the stopped replica: %d, want the primary", got)
	}
	if up := f.metric(t, "telemetryflow_db_replica_up"); up != 0 {
		t.Fatalf("up %v", up)
	}
	// An error of the query itself is not the replica's fault.
	f.pair.StartNode(t, f.pair.Replica)
	f.router.PollOnce(ctx)
	_, err = f.router.Replica(0).ExecContext(ctx, `SELECT * FROM no_such_table`)
	if err == nil || f.router.Failed(ctx, 0, err) || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("a query error counted as a replica failure: %v", err)
	}
	if got := f.router.Pick(ctx); got != 0 {
		t.Fatalf("after restart: %d, want replica 0", got)
	}
}
