package auditch_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// TestRepairAfterTheServerLostABatch builds, on a private server, exactly what a server
// killed mid-insert can leave: the batch's deduplication ids recorded, its parts gone (in
// audit_logs and in two of the views' tables). The sink then retries the batch after an
// interrupted attempt: the retry alone is dropped as a repeat; the repair restores every row
// and makes each daily summary equal to the log, including a summary that counts too much.
func TestRepairAfterTheServerLostABatch(t *testing.T) {
	t.Parallel()
	const database = "tf_repair"
	p := chtest.StartPrivate(t)
	ctx := context.Background()
	open := func() *chpool.Pool {
		pool, err := chdb.Open(ctx, chdb.Config{Addr: p.Addr, Database: database})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		return pool
	}
	pool := chtest.Migrated(t, chdb.Config{Addr: p.Addr, Database: database})
	events := audittest.Sample(200)
	target := uuid.NewString()
	for i := range events {
		if i%2 == 0 {
			events[i].TargetOrganizationID = target
		}
		if i%5 == 0 {
			events[i].UserID = "" // anonymous: counted in the stats, not in the user activity
		}
	}
	if err := auditch.New(pool).Write(ctx, events); err != nil {
		t.Fatal(err)
	}

	// Remove the parts, keep the deduplication logs: what a kill between the two leaves.
	var path proto.ColStr
	var lost []string
	err := pool.Do(ctx, ch.Query{
		Body: "SELECT path FROM system.parts WHERE database = currentDatabase() AND active " +
			"AND table IN ('audit_logs', 'audit_logs_stats', 'audit_logs_user_activity_by_target')",
		Result: proto.Results{{Name: "path", Data: &path}},
		OnResult: func(context.Context, proto.Block) error {
			for i := range path.Rows() {
				lost = append(lost, path.Row(i))
			}
			return nil
		},
	})
	if err != nil || len(lost) < 3 {
		t.Fatalf("parts %v: %v", lost, err)
	}
	pool.Close()
	p.Stop(t)
	for _, dir := range lost {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	p.Start(t)
	pool = open()
	count := func(query string) uint64 {
		t.Helper()
		var n proto.ColUInt64
		if err := pool.Do(ctx, ch.Query{Body: query, Result: proto.Results{{Name: "n", Data: &n}}}); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n.Row(0)
	}
	if n := count("SELECT count() AS n FROM audit_logs"); n != 0 {
		t.Fatalf("%d rows survived the removal of the parts", n)
	}
	// A summary that counts too much (a copy cut differently, beyond the token): the repair
	// corrects downwards too.
	if err := pool.Do(ctx, ch.Query{Body: "INSERT INTO audit_logs_user_activity (date, user_id, organization_id, event_type, count) VALUES " +
		"(toDate({d:String}), {u:String}, {o:String}, 'DATA', 5)", Parameters: []proto.Parameter{
		{Key: "d", Value: "'" + events[1].Timestamp.UTC().Format(time.DateOnly) + "'"},
		{Key: "u", Value: "'" + events[1].UserID + "'"}, {Key: "o", Value: "'" + events[1].OrganizationID + "'"},
	}}); err != nil {
		t.Fatal(err)
	}

	sink := auditch.New(pool)
	interrupted, cancel := context.WithCancel(ctx)
	cancel()
	if err := sink.Write(interrupted, events); err == nil {
		t.Fatal("a write with a cancelled context succeeded")
	}
	if err := sink.Write(ctx, events); err != nil {
		t.Fatal(err)
	}

	anonymous := uint64(len(events) / 5)
	for _, c := range []struct {
		query string
		want  uint64
	}{
		{"SELECT count() AS n FROM audit_logs", 200},
		{"SELECT uniqExact(id) AS n FROM audit_logs", 200},
		{"SELECT sum(count) AS n FROM audit_logs_stats", 200},
		{"SELECT sum(count) AS n FROM audit_logs_user_activity", 200 - anonymous},
		{"SELECT sum(count) AS n FROM audit_logs_stats_by_target", 100},
		{"SELECT sum(count) AS n FROM audit_logs_user_activity_by_target", 100 - anonymous/2},
	} {
		if n := count(c.query); n != c.want {
			t.Errorf("%s = %d, want %d", c.query, n, c.want)
		}
	}
}
