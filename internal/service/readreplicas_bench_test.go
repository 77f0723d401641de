package service_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/pgreplica"
	"github.com/telemetryflow/core/oas"
)

// BenchmarkUserListReplica is GET /api/v2/users (the first page of 20 users) through the whole
// handler, by a caller who has written nothing, on a primary + streaming replica pair: with
// every read on the primary (no TF_DATABASE_READ_URLS) and with the replica serving the reads.
// Both servers share the machine's cores, so this measures what routing costs and gives on one
// box, not a second machine's capacity (docs/scaling.md).
func BenchmarkUserListReplica(b *testing.B) {
	for _, mode := range []string{"primary-only", "one-replica"} {
		b.Run(mode, func(b *testing.B) {
			pair := pgreplica.Start(b)
			pair.CreateDatabase(b, "iam")
			opts := []apitest.Option{apitest.WithEnv("TF_DATABASE_URL", pair.Primary.URL("iam")),
				apitest.WithEnv("TF_LOG_LEVEL", benchLogLevel), apitest.WithEnv("TF_AUDIT_READS", "none")}
			if mode == "one-replica" {
				opts = append(opts, apitest.WithEnv("TF_DATABASE_READ_URLS", pair.Replica.URL("iam")))
			}
			srv := apitest.Start(b, dialect.Postgres, opts...)
			for i := range 30 {
				srv.CreateUser(b, apitest.UserSpec{Email: "user" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com",
					Password: "a-test-password-123", Roles: []string{rbac.RoleViewer}})
			}
			_, tok := srv.Login(b, "useraa@example.com", "a-test-password-123")
			pair.AwaitReplay(b)
			if mode == "one-replica" {
				awaitRotation(b, srv)
			}
			h := srv.Service.Handler()
			b.ResetTimer()
			cpu := processCPU()
			getInParallel(b, h, "/api/v2/users", tok.AccessToken)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
			// The service's own CPU per read (not the database servers'): what routing adds.
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			if mode == "one-replica" {
				if q := metric(b, srv, "telemetryflow_db_replica_queries_total"); q < float64(b.N) {
					b.Fatalf("%v replica queries for %d reads", q, b.N)
				}
			}
		})
	}
}

// BenchmarkReplicaDownFallback stops the replica under a reader and measures the first read
// after the stop (it fails on the replica and is retried on the primary) against a read on the
// replica before, and how long the router takes to notice the stop with no reads at all (its
// poll). Run it with -benchtime 1x.
func BenchmarkReplicaDownFallback(b *testing.B) {
	for range b.N {
		b.StopTimer()
		pair := pgreplica.Start(b)
		pair.CreateDatabase(b, "iam")
		srv := apitest.Start(b, dialect.Postgres, apitest.WithEnv("TF_DATABASE_URL", pair.Primary.URL("iam")),
			apitest.WithEnv("TF_DATABASE_READ_URLS", pair.Replica.URL("iam")), apitest.WithEnv("TF_AUDIT_READS", "none"))
		srv.CreateUser(b, apitest.UserSpec{Email: "r@example.com", Password: "a-test-password-123", Roles: []string{rbac.RoleViewer}})
		reader, _ := srv.Login(b, "r@example.com", "a-test-password-123")
		pair.AwaitReplay(b)
		awaitRotation(b, srv)
		ctx := context.Background()
		read := func() time.Duration {
			start := time.Now()
			if _, err := reader.ListUsers(ctx, oas.ListUsersParams{}); err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		}
		read()
		onReplica := read()
		pair.StopNode(b, pair.Replica)
		first := read()
		b.ReportMetric(float64(onReplica.Microseconds())/1000, "replica-read-ms")
		b.ReportMetric(float64(first.Microseconds())/1000, "first-read-after-stop-ms")

		// Without reads: from the stop to the poll taking the replica out.
		pair.StartNode(b, pair.Replica)
		awaitRotation(b, srv)
		pair.StopNode(b, pair.Replica)
		stopped := time.Now()
		for metric(b, srv, "telemetryflow_db_replica_up") != 0 {
			time.Sleep(time.Millisecond)
		}
		b.ReportMetric(float64(time.Since(stopped).Microseconds())/1000, "poll-detect-ms")
	}
}

func awaitRotation(b testing.TB, srv *apitest.Server) {
	b.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for metric(b, srv, "telemetryflow_db_replica_up") != 1 {
		if time.Now().After(deadline) {
			b.Fatal("the replica never joined the rotation")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
