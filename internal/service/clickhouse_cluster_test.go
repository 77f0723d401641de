package service_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/oas"
)

// TestServeOnAClickHouseCluster runs the service on a real two-shard cluster: it migrates both
// nodes, audited requests are stored through the Distributed table, and the query API reads
// them back through it.
func TestServeOnAClickHouseCluster(t *testing.T) {
	t.Parallel()
	const database = "tf_cluster_serve"
	nodes := chtest.StartCluster(t)
	srv := apitest.Start(t, "sqlite3",
		apitest.WithEnv("TF_CLICKHOUSE_ADDR", nodes[0].Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", database),
		apitest.WithEnv("TF_CLICKHOUSE_CLUSTER", chtest.ClusterName), apitest.WithEnv("TF_AUDIT_FLUSH_INTERVAL", "20ms"))
	const total = 50
	deniedAuditReads(t, srv, total)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.Service.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		c, err := ch.Dial(ctx, ch.Options{Address: n.Addr, Database: database})
		if err != nil {
			t.Fatal(err)
		}
		var engine proto.ColStr
		err = c.Do(ctx, ch.Query{Body: "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = 'audit_logs'",
			Result: proto.Results{{Name: "engine", Data: &engine}}})
		c.Close()
		if err != nil || engine.Rows() != 1 || engine.Row(0) != "Distributed" {
			t.Fatalf("node %s: audit_logs is not a Distributed table (%v)", n.Addr, err)
		}
	}
	page, err := srv.LoginAdmin(t).ListAuditLogs(ctx, oas.ListAuditLogsParams{Action: oas.NewOptString("list_audit_logs"), Limit: oas.NewOptInt(100)})
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, e := range page.Items {
		if e.Result == oas.AuditResultDENIED {
			denied++
		}
	}
	if denied != total {
		t.Fatalf("the query API lists %d of %d denied requests", denied, total)
	}
}

// TestServeStartsWithAClickHouseShardDown: with one shard of the cluster down the service
// starts, ready and degraded; once the shard is back both nodes are migrated and every
// acknowledged event is stored once.
func TestServeStartsWithAClickHouseShardDown(t *testing.T) {
	t.Parallel()
	const database = "tf_cluster_down"
	nodes := chtest.StartCluster(t)
	nodes[1].Stop(t)
	srv := apitest.Start(t, "sqlite3",
		apitest.WithEnv("TF_CLICKHOUSE_ADDR", nodes[0].Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", database),
		apitest.WithEnv("TF_CLICKHOUSE_CLUSTER", chtest.ClusterName), apitest.WithEnv("TF_AUDIT_FLUSH_INTERVAL", "20ms"))
	code, status, checks := readiness(t, srv)
	if code != http.StatusOK || status != "degraded" || checks["audit_sink"]["status"] != "degraded" {
		t.Fatalf("readiness with a shard down: %d %s %v", code, status, checks)
	}
	const total = 50
	deniedAuditReads(t, srv, total)
	nodes[1].Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := srv.Service.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := ch.Dial(ctx, ch.Options{Address: nodes[1].Addr, Database: database})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n proto.ColUInt64
	if err := c.Do(ctx, ch.Query{Body: "SELECT count() AS n FROM audit_logs WHERE action = 'list_audit_logs' AND result = 'DENIED'",
		Result: proto.Results{{Name: "n", Data: &n}}}); err != nil || n.Row(0) != total {
		t.Fatalf("stored %v of %d denied requests (%v)", n, total, err)
	}
}

// deniedAuditReads has a viewer ask for the audit trail n times: each is refused (403) and
// leaves one AUTHZ DENIED row, named list_audit_logs.
func deniedAuditReads(t *testing.T, srv *apitest.Server, n int) {
	t.Helper()
	srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: "a-test-password-123", Roles: []string{rbac.RoleViewer}})
	viewer, _ := srv.Login(t, "viewer@example.com", "a-test-password-123")
	for i := range n {
		_, err := viewer.ListAuditLogs(context.Background(), oas.ListAuditLogsParams{})
		var problem *oas.ProblemStatusCodeWithHeaders
		if !errors.As(err, &problem) || problem.StatusCode != http.StatusForbidden {
			t.Fatalf("request %d: %v", i, err)
		}
	}
}
