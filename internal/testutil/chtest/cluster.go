package chtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ClusterName is the name StartCluster gives its cluster in <remote_servers>.
const ClusterName = "tf_cluster"

// StartCluster starts two private servers forming a two-shard cluster without replicas: each
// has its own data directory and ports, and both name both native ports as the shards of
// ClusterName. Servers()[0] is the one the service talks to; Distributed tables reach the other.
func StartCluster(t testing.TB) []*Private {
	t.Helper()
	nodes := []*Private{NewPrivate(t), NewPrivate(t)}
	var shards strings.Builder
	for _, n := range nodes {
		_, port, _ := strings.Cut(n.Addr, ":")
		fmt.Fprintf(&shards, "<shard><replica><host>127.0.0.1</host><port>%s</port></replica></shard>", port)
	}
	for _, n := range nodes {
		// With a config file, <path> must be set there: --path alone would leave both servers
		// on one data directory (docs/clickhouse-dev-server.md).
		data := filepath.Join(n.stateDir, "data") + "/"
		config := filepath.Join(n.stateDir, "cluster.xml")
		xml := "<clickhouse><path>" + data + "</path><remote_servers><" + ClusterName + ">" + shards.String() +
			"</" + ClusterName + "></remote_servers></clickhouse>\n"
		if err := os.MkdirAll(data, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(config, []byte(xml), 0o644); err != nil {
			t.Fatal(err)
		}
		n.env = append(n.env, "TF_CLICKHOUSE_CONFIG_FILE="+config)
		n.Start(t)
	}
	return nodes
}
