package chmigrate

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/platform/chdb"
)

// Nodes lists the native addresses of the servers of cluster, as entry knows them
// (system.clusters: every shard and replica).
func Nodes(ctx context.Context, entry chdb.Doer, cluster string) ([]string, error) {
	var host proto.ColStr
	var port proto.ColUInt16
	var out []string
	err := entry.Do(ctx, ch.Query{
		Body:       "SELECT host_address, port FROM system.clusters WHERE cluster = {c:String} ORDER BY shard_num, replica_num",
		Parameters: []proto.Parameter{{Key: "c", Value: "'" + cluster + "'"}},
		Result:     proto.Results{{Name: "host_address", Data: &host}, {Name: "port", Data: &port}},
		OnResult: func(context.Context, proto.Block) error {
			for i := range host.Rows() {
				out = append(out, net.JoinHostPort(host.Row(i), strconv.Itoa(int(port.Row(i)))))
			}
			return nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("clickhouse cluster %s: %w", cluster, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("clickhouse cluster %s: not in the server's <remote_servers> (system.clusters)", cluster)
	}
	return out, nil
}

// UpCluster applies the cluster schema (cfg.Cluster must be set) on every node of the cluster,
// each on its own connection with conn's credentials and database (created where missing), and
// returns the versions applied per node. ON CLUSTER is not used: it needs a coordination service
// (Keeper or ZooKeeper) that a cluster without replicas does not have; every statement is
// idempotent, so running it node by node is safe for several instances starting at once.
func UpCluster(ctx context.Context, entry chdb.Doer, conn chdb.Config, cfg Config) (map[string][]string, error) {
	if cfg.Cluster == "" {
		return nil, fmt.Errorf("clickhouse migrations: no cluster")
	}
	nodes, err := Nodes(ctx, entry, cfg.Cluster)
	if err != nil {
		return nil, err
	}
	applied := map[string][]string{}
	for _, addr := range nodes {
		c := conn
		c.Addr, c.MaxConns = addr, 1
		pool, err := chdb.Open(ctx, c)
		if err != nil {
			return applied, fmt.Errorf("clickhouse cluster %s, node %s: %w", cfg.Cluster, addr, err)
		}
		r, err := New(pool, cfg)
		if err == nil {
			applied[addr], err = r.Up(ctx)
		}
		pool.Close()
		if err != nil {
			return applied, fmt.Errorf("clickhouse cluster %s, node %s: %w", cfg.Cluster, addr, err)
		}
	}
	return applied, nil
}
