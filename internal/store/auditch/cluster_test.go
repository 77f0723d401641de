package auditch_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// newClusterStore migrates a fresh database on every node of a real two-shard cluster and
// returns a sink on the first node, which reaches the other through the Distributed tables.
func newClusterStore(t *testing.T, nodes []*chtest.Private) *store {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	conn := chdb.Config{Addr: nodes[0].Addr, Database: "tf_cluster_" + hex.EncodeToString(b[:])}
	ctx := context.Background()
	pool, err := chdb.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := chmigrate.UpCluster(ctx, pool, conn, chmigrate.Config{RetentionDays: 90, Cluster: chtest.ClusterName}); err != nil {
		t.Fatal(err)
	}
	return &store{Sink: auditch.New(pool), pool: pool}
}

// The query API reads through the Distributed tables with the results the single node gives:
// the same contracts, on a real two-shard cluster.
func TestClusterContracts(t *testing.T) {
	t.Parallel()
	nodes := chtest.StartCluster(t)
	t.Run("sink", func(t *testing.T) {
		s := newClusterStore(t, nodes)
		audittest.RunSinkContract(t, s, s)
	})
	t.Run("reader", func(t *testing.T) {
		audittest.RunReaderContract(t, func(t *testing.T) audittest.Store { return newClusterStore(t, nodes) })
	})
	t.Run("an organization's rows and summaries stay on one shard", func(t *testing.T) {
		s := newClusterStore(t, nodes)
		ctx := context.Background()
		if err := s.Write(ctx, audittest.Sample(400)); err != nil { // 400 organizations
			t.Fatal(err)
		}
		var perNode []map[string]bool
		for _, n := range nodes {
			c, err := ch.Dial(ctx, ch.Options{Address: n.Addr, Database: databaseOf(t, s)})
			if err != nil {
				t.Fatal(err)
			}
			orgs := map[string]bool{}
			for _, table := range []string{"audit_logs_local", "audit_logs_stats_local"} {
				var org proto.ColStr
				err := c.Do(ctx, ch.Query{Body: "SELECT DISTINCT organization_id FROM " + table,
					Result: proto.Results{{Name: "organization_id", Data: &org}},
					OnResult: func(context.Context, proto.Block) error {
						for i := range org.Rows() {
							orgs[table+"/"+org.Row(i)] = true
						}
						return nil
					}})
				if err != nil {
					t.Fatal(err)
				}
			}
			c.Close()
			perNode = append(perNode, orgs)
		}
		if len(perNode[0]) == 0 || len(perNode[1]) == 0 || len(perNode[0])+len(perNode[1]) != 800 {
			t.Fatalf("shards hold %d and %d (table, organization) pairs, want 800 in all, on both", len(perNode[0]), len(perNode[1]))
		}
		for k := range perNode[0] {
			if perNode[1][k] {
				t.Fatalf("%s is on both shards", k)
			}
		}
		if n := s.count(t, "SELECT sum(count) AS n FROM audit_logs_stats"); n != 400 {
			t.Fatalf("summaries through the Distributed table count %d of 400", n)
		}
	})
}

func databaseOf(t *testing.T, s *store) string {
	t.Helper()
	var name proto.ColStr
	if err := s.pool.Do(context.Background(), ch.Query{Body: "SELECT currentDatabase() AS d", Result: proto.Results{{Name: "d", Data: &name}}}); err != nil {
		t.Fatal(err)
	}
	return name.Row(0)
}

// TestClusterRepairAfterAShardLostABatch is TestRepairAfterTheServerLostABatch on a two-shard
// cluster: both shards lose their parts of the batch (deduplication logs kept), and the repair
// restores rows and summaries through the Distributed tables.
func TestClusterRepairAfterAShardLostABatch(t *testing.T) {
	t.Parallel()
	nodes := chtest.StartCluster(t)
	s := newClusterStore(t, nodes)
	db := databaseOf(t, s)
	ctx := context.Background()
	events := audittest.Sample(200)
	if err := s.Write(ctx, events); err != nil {
		t.Fatal(err)
	}
	var lost []string
	for _, n := range nodes {
		c, err := ch.Dial(ctx, ch.Options{Address: n.Addr, Database: db})
		if err != nil {
			t.Fatal(err)
		}
		var path proto.ColStr
		err = c.Do(ctx, ch.Query{
			Body: "SELECT path FROM system.parts WHERE database = currentDatabase() AND active " +
				"AND table IN ('audit_logs_local', 'audit_logs_stats_local')",
			Result: proto.Results{{Name: "path", Data: &path}},
			OnResult: func(context.Context, proto.Block) error {
				for i := range path.Rows() {
					lost = append(lost, path.Row(i))
				}
				return nil
			}})
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(lost) < 4 {
		t.Fatalf("parts %v", lost)
	}
	s.pool.Close()
	for _, n := range nodes {
		n.Stop(t)
	}
	for _, dir := range lost {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range nodes {
		n.Start(t)
	}
	pool, err := chdb.Open(ctx, chdb.Config{Addr: nodes[0].Addr, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s = &store{Sink: auditch.New(pool), pool: pool}
	interrupted, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Write(interrupted, events); err == nil {
		t.Fatal("a write with a cancelled context succeeded")
	}
	if err := s.Write(ctx, events); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT count() AS n FROM audit_logs", "SELECT sum(count) AS n FROM audit_logs_stats",
		"SELECT sum(count) AS n FROM audit_logs_user_activity"} {
		if n := s.count(t, q); n != 200 {
			t.Errorf("%s = %d, want 200", q, n)
		}
	}
}
