package chtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/testutil/chtest"
)

func TestStartClusterSpreadsADistributedTableOverTwoShards(t *testing.T) {
	t.Parallel()
	nodes := chtest.StartCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var clients []*ch.Client
	for _, n := range nodes {
		c, err := ch.Dial(ctx, ch.Options{Address: n.Addr, DialTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
		for _, q := range []string{
			"CREATE DATABASE IF NOT EXISTS d",
			"CREATE TABLE d.local (x UInt64) ENGINE = MergeTree ORDER BY x",
			"CREATE TABLE d.dist AS d.local ENGINE = Distributed(" + chtest.ClusterName + ", d, local, x)",
		} {
			if err := c.Do(ctx, ch.Query{Body: q}); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if err := clients[0].Do(ctx, ch.Query{Body: "INSERT INTO d.dist SELECT number FROM numbers(1000)",
		Settings: []ch.Setting{{Key: "distributed_foreground_insert", Value: "1"}}}); err != nil {
		t.Fatal(err)
	}
	count := func(c *ch.Client, table string) uint64 {
		var n proto.ColUInt64
		if err := c.Do(ctx, ch.Query{Body: "SELECT count() AS n FROM " + table, Result: proto.Results{{Name: "n", Data: &n}}}); err != nil {
			t.Fatal(err)
		}
		return n.Row(0)
	}
	a, b := count(clients[0], "d.local"), count(clients[1], "d.local")
	if a != 500 || b != 500 || count(clients[1], "d.dist") != 1000 {
		t.Fatalf("shards hold %d and %d rows", a, b)
	}
}
