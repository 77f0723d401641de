package service_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/metrictest"
	"github.com/telemetryflow/core/internal/testutil/pgreplica"
	"github.com/telemetryflow/core/oas"
)

// onReplica starts a server whose database is the primary of a real streaming pair and whose
// queries go to its replica, with a user who may list users.
func onReplica(t *testing.T, opts ...apitest.Option) (*pgreplica.Pair, *apitest.Server, *oas.Client, uuid.UUID) {
	t.Helper()
	pair := pgreplica.Start(t)
	pair.CreateDatabase(t, "iam")
	srv := apitest.Start(t, dialect.Postgres, append([]apitest.Option{
		apitest.WithEnv("TF_DATABASE_URL", pair.Primary.URL("iam")),
		apitest.WithEnv("TF_DATABASE_READ_URLS", pair.Replica.URL("iam")),
	}, opts...)...)
	const pw = "a-test-password-123"
	id := srv.CreateUser(t, apitest.UserSpec{Email: "reader@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
	reader, _ := srv.Login(t, "reader@example.com", pw)
	pair.AwaitReplay(t)
	if up := eventuallyMetric(t, srv, "telemetryflow_db_replica_up", 1); up != 1 {
		t.Fatalf("the replica never joined the rotation")
	}
	return pair, srv, reader, id
}

// A reader's list is served by the replica. With the replica's replay paused, the
// administrator's new user is in the administrator's own next list (read-your-writes: served by
// the primary) though not yet on the replica, and a role revoked from the reader takes effect
// at once (the reader's authorization subject is reloaded from where the revocation is).
func TestReadsGoToTheReplicaAndCallersSeeTheirWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A generous lag limit: the paused replica stays in rotation for the whole test.
	pair, srv, reader, readerID := onReplica(t, apitest.WithEnv("TF_DATABASE_MAX_REPLICA_LAG", "1m"))
	admin := srv.LoginAdmin(t)

	before := metric(t, srv, "telemetryflow_db_replica_queries_total")
	if _, err := reader.ListUsers(ctx, oas.ListUsersParams{}); err != nil {
		t.Fatal(err)
	}
	if after := metric(t, srv, "telemetryflow_db_replica_queries_total"); after <= before {
		t.Fatalf("replica queries %v → %v: the list did not go to the replica", before, after)
	}

	replica := pair.Replica.Open(t, "iam")
	if _, err := replica.ExecContext(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	created, err := admin.CreateUser(ctx, &oas.UserCreate{Email: "new@example.com", Password: "a long enough password",
		FirstName: "New", LastName: "User", OrganizationID: srv.OrganizationID(t, seed.DefaultSlug)})
	if err != nil {
		t.Fatal(err)
	}
	byEmail := oas.ListUsersParams{Email: oas.NewOptString("new@example.com")}
	if l, err := admin.ListUsers(ctx, byEmail); err != nil || len(l.Items) != 1 || l.Items[0].ID != created.ID {
		t.Fatalf("the administrator's list right after the create: %+v %v", l, err)
	}
	if l, err := reader.ListUsers(ctx, byEmail); err != nil || len(l.Items) != 0 {
		t.Fatalf("another caller's list (from the paused replica): %+v %v", l, err)
	}

	me, err := reader.GetMe(ctx)
	if err != nil || len(me.Roles) != 1 {
		t.Fatalf("me %+v %v", me, err)
	}
	if err := admin.RevokeUserRole(ctx, oas.RevokeUserRoleParams{ID: readerID, RoleId: me.Roles[0].ID}); err != nil {
		t.Fatal(err)
	}
	if st := eventually(func() int { return statusOf(errOnly(reader.ListUsers(ctx, oas.ListUsersParams{}))) }, http.StatusForbidden); st != http.StatusForbidden {
		t.Fatalf("the reader after the revocation: %d, want 403", st)
	}

	if _, err := replica.ExecContext(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
}

// Behind a load balancer the caller's next request may reach another backend: the write's
// position reaches it over Redis, so the caller's read there goes to the primary too (the
// replica's replay is paused: without the shared position B would answer from it, stale, for the
// whole test).
func TestCallersReadTheirWritesOnAnyBackend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pair := pgreplica.Start(t)
	pair.CreateDatabase(t, "iam")
	a, b := startReplicas(t, pair.Primary.URL("iam"),
		apitest.WithEnv("TF_DATABASE_READ_URLS", pair.Replica.URL("iam")), apitest.WithEnv("TF_DATABASE_MAX_REPLICA_LAG", "1m"))
	_, tok := a.Login(t, apitest.AdminEmail, apitest.AdminPassword)
	onA, onB := a.WithToken(t, tok.AccessToken), b.WithToken(t, tok.AccessToken)
	pair.AwaitReplay(t)
	if up := eventuallyMetric(t, b, "telemetryflow_db_replica_up", 1); up != 1 {
		t.Fatal("the replica never joined B's rotation")
	}

	replica := pair.Replica.Open(t, "iam")
	if _, err := replica.ExecContext(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = replica.ExecContext(ctx, `SELECT pg_wal_replay_resume()`) }()
	created, err := onA.CreateUser(ctx, &oas.UserCreate{Email: "moved@example.com", Password: "a long enough password",
		FirstName: "New", LastName: "User", OrganizationID: a.OrganizationID(t, seed.DefaultSlug)})
	if err != nil {
		t.Fatal(err)
	}
	seen := func() int {
		l, err := onB.ListUsers(ctx, oas.ListUsersParams{Email: oas.NewOptString("moved@example.com")})
		if err != nil || len(l.Items) != 1 || l.Items[0].ID != created.ID {
			return 0
		}
		return 1
	}
	if eventually(seen, 1) != 1 {
		t.Fatal("the caller's list on B does not show the user it just created on A")
	}
}

// A replica that goes down leaves the rotation: reads are answered by the primary, and the
// metrics say so.
func TestReplicaDownFallsBackToThePrimary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pair, srv, reader, _ := onReplica(t)
	if _, err := reader.ListUsers(ctx, oas.ListUsersParams{}); err != nil {
		t.Fatal(err)
	}
	pair.StopNode(t, pair.Replica)
	for i := range 3 {
		if _, err := reader.ListUsers(ctx, oas.ListUsersParams{}); err != nil {
			t.Fatalf("read %d with the replica down: %v", i, err)
		}
	}
	if up := eventuallyMetric(t, srv, "telemetryflow_db_replica_up", 0); up != 0 {
		t.Fatalf("replica up %v with the replica stopped", up)
	}
	if n := metric(t, srv, "telemetryflow_db_primary_reads_total"); n < 1 {
		t.Fatalf("primary reads %v", n)
	}
	if res := srv.Get(t, "/health/ready"); res.StatusCode != http.StatusOK {
		t.Fatalf("ready %d with a replica down", res.StatusCode)
	}
}

// metric sums every series of one metric in the server's registry.
func metric(t testing.TB, srv *apitest.Server, name string) float64 {
	t.Helper()
	return metrictest.Sum(t, srv.Service.Registry(), name, nil)
}

// eventuallyMetric waits up to 10 s for the metric to reach want (the router polls the replica
// every 250 ms) and returns its last value.
func eventuallyMetric(t *testing.T, srv *apitest.Server, name string, want float64) float64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := metric(t, srv, name)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}
