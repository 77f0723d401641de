package auditch_test

import (
	"context"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// BenchmarkIngest inserts batches of 50,000 events (one insert at a time, as one sender of the
// writer does) into a private single server and into a two-shard cluster of two private
// servers on the same machine, through the Distributed table.
//
//	go test ./internal/store/auditch -run '^$' -bench Ingest -benchtime 20x
func BenchmarkIngest(b *testing.B) {
	const batch = 50_000
	run := func(b *testing.B, sink *auditch.Sink) {
		ctx := context.Background()
		var busy time.Duration
		for b.Loop() {
			events := audittest.Sample(batch) // fresh ids: a repeated batch would be deduplicated
			start := time.Now()
			if err := sink.Write(ctx, events); err != nil {
				b.Fatal(err)
			}
			busy += time.Since(start)
		}
		b.ReportMetric(float64(b.N*batch)/busy.Seconds(), "events/s")
	}
	b.Run("single node", func(b *testing.B) {
		p := chtest.StartPrivate(b)
		run(b, auditch.New(chtest.Migrated(b, chdb.Config{Addr: p.Addr, Database: "tf_bench"})))
	})
	b.Run("two-shard cluster", func(b *testing.B) {
		nodes := chtest.StartCluster(b)
		conn := chdb.Config{Addr: nodes[0].Addr, Database: "tf_bench"}
		pool, err := chdb.Open(context.Background(), conn)
		if err != nil {
			b.Fatal(err)
		}
		defer pool.Close()
		if _, err := chmigrate.UpCluster(context.Background(), pool, conn, chmigrate.Config{RetentionDays: 90, Cluster: chtest.ClusterName}); err != nil {
			b.Fatal(err)
		}
		run(b, auditch.New(pool))
	})
}
