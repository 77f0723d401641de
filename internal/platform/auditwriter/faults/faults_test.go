// Package faults holds the audit pipeline's fault tests against a real ClickHouse server
// of their own (chtest.StartPrivate): the server is stopped and restarted and the service is
// killed with SIGKILL, and every acknowledged event must be stored exactly once.
package faults_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/auditwriter"
	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/oas"
)

const database = "tf_fault"

func TestMain(m *testing.M) {
	switch os.Getenv(envChild) {
	case "service":
		os.Exit(runServiceChild())
	case "writer":
		os.Exit(runWriterChild())
	case "crash-after-commit":
		os.Exit(runCrashAfterCommitChild())
	}
	os.Exit(m.Run())
}

// count runs a query returning one UInt64 named n against the private server.
func count(t *testing.T, addr, query string, params ...proto.Parameter) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A restarted server on a loaded machine can take longer than the 3 s default to greet.
	c, err := ch.Dial(ctx, ch.Options{Address: addr, Database: database, ReadTimeout: 30 * time.Second, DialTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n proto.ColUInt64
	if err := c.Do(ctx, ch.Query{Body: query, Parameters: params, Result: proto.Results{{Name: "n", Data: &n}}}); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n.Row(0)
}

func param(k, v string) proto.Parameter { return proto.Parameter{Key: k, Value: "'" + v + "'"} }

// TestClickHouseRestartDuringLoad stops ClickHouse while 10,000 audited requests run and starts
// it again: the rows stored, and the daily counts, equal the number of audited requests
// exactly.
func TestClickHouseRestartDuringLoad(t *testing.T) {
	t.Parallel()
	p := chtest.StartPrivate(t)
	srv := apitest.Start(t, "sqlite3",
		apitest.WithEnv("TF_CLICKHOUSE_ADDR", p.Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", database),
		apitest.WithEnv("TF_AUDIT_BATCH_SIZE", "500"), apitest.WithEnv("TF_AUDIT_FLUSH_INTERVAL", "50ms"))
	viewerID := srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: "a-test-password-123", Roles: []string{rbac.RoleViewer}})
	viewer, _ := srv.Login(t, "viewer@example.com", "a-test-password-123")

	const total = 10_000
	var done, denied atomic.Int64
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 8 {
		wg.Go(func() {
			for next.Add(1) <= total {
				// Each call is refused (viewers lack audit:read) and audited as AUTHZ DENIED.
				_, err := viewer.ListAuditLogs(context.Background(), oas.ListAuditLogsParams{})
				var p *oas.ProblemStatusCodeWithHeaders
				if errors.As(err, &p) && p.StatusCode == 403 {
					denied.Add(1)
				}
				done.Add(1)
			}
		})
	}
	waitFor := func(n int64) {
		for done.Load() < n {
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(total * 3 / 10)
	p.Stop(t)
	stopped := time.Now()
	waitFor(total * 7 / 10)
	time.Sleep(time.Until(stopped.Add(2 * time.Second))) // a real outage, not a blip
	p.Start(t)
	wg.Wait()
	if denied.Load() != total {
		t.Fatalf("%d of %d requests were denied", denied.Load(), total)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := srv.Service.FlushAudit(ctx); err != nil {
		t.Fatalf("flush: %v (stats %+v)", err, srv.Service.AuditStats())
	}

	user := param("u", viewerID.String())
	where := " WHERE user_id = {u:String} AND action = 'list_audit_logs'"
	if n := count(t, p.Addr, "SELECT count() AS n FROM audit_logs"+where, user); n != total {
		t.Errorf("rows stored: %d, want exactly %d", n, total)
	}
	if n := count(t, p.Addr, "SELECT count() AS n FROM audit_logs FINAL"+where, user); n != total {
		t.Errorf("rows after deduplication: %d, want %d", n, total)
	}
	// The daily summaries count every event exactly once, also when ClickHouse was killed in
	// the middle of an insert (the dev server's SIGTERM is immediate, like SIGKILL for a real
	// server) and kept a deduplication id without its part: the sink repairs such a batch after
	// its retry (internal/store/auditch/repair.go).
	org := param("o", srv.OrganizationID(t, seed.DefaultSlug).String())
	for _, c := range []struct {
		name  string
		query string
		p     proto.Parameter
	}{
		{"user activity", "SELECT sum(count) AS n FROM audit_logs_user_activity WHERE user_id = {u:String} AND event_type = 'AUTHZ'", user},
		{"daily stats", "SELECT sum(count) AS n FROM audit_logs_stats WHERE organization_id = {o:String} AND event_type = 'AUTHZ' AND result = 'DENIED'", org},
	} {
		if n := count(t, p.Addr, c.query, c.p); n != total {
			t.Errorf("%s counts %d of %d events", c.name, n, total)
		}
	}
	st := srv.Service.AuditStats()
	if st.TotalDropped() != 0 || st.BatchesFailed == 0 || st.Spooled == 0 || st.Replayed != st.Spooled || st.QueueDepth != 0 {
		t.Errorf("writer stats %+v", st)
	}
	t.Logf("outage: %d failed insert attempts, %d events spooled and replayed", st.BatchesFailed, st.Spooled)
}

// Child processes of this test binary.
const (
	envChild     = "TF_FAULT_CHILD"
	envChildAddr = "TF_FAULT_CH_ADDR"
	envChildDir  = "TF_FAULT_SPOOL_DIR"
)

// runWriterChild records events through a writer on ClickHouse as fast as it can and prints
// each id once Record has returned nil, until it is killed. It begins after a line on stdin,
// so the parent can stop ClickHouse first.
func runWriterChild() int {
	ctx := context.Background()
	pool, err := chdb.Open(ctx, chdb.Config{Addr: os.Getenv(envChildAddr), Database: database})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w, err := auditwriter.New(auditwriter.Config{Sink: auditch.New(pool), SpoolDir: os.Getenv(envChildDir), BatchSize: 2000,
		FlushInterval: 20 * time.Millisecond, RetryMin: 10 * time.Millisecond, RetryMax: 200 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	_ = out.Flush()
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 1
	}
	for {
		for _, e := range audittest.Sample(1000) {
			if err := w.Record(ctx, e); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			fmt.Fprintln(out, e.ID)
		}
		_ = out.Flush()
	}
}

// TestSIGKILLWriterLosesNothing kills a process recording events, with ClickHouse down and
// with ClickHouse up (batches in flight), restarts on the same spool and checks that every
// acknowledged event is stored exactly once.
func TestSIGKILLWriterLosesNothing(t *testing.T) {
	t.Parallel()
	for _, down := range []bool{true, false} {
		t.Run(map[bool]string{true: "clickhouse down", false: "clickhouse up"}[down], func(t *testing.T) {
			t.Parallel()
			p := chtest.StartPrivate(t)
			ctx := context.Background()
			pool, err := chdb.Open(ctx, chdb.Config{Addr: p.Addr, Database: database})
			if err != nil {
				t.Fatal(err)
			}
			r, err := chmigrate.New(pool, chmigrate.Config{RetentionDays: 90})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Up(ctx); err != nil {
				t.Fatal(err)
			}
			pool.Close()
			dir := t.TempDir()

			exe, err := os.Executable()
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), envChild+"=writer", envChildAddr+"="+p.Addr, envChildDir+"="+dir)
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			if !sc.Scan() || sc.Text() != "ready" {
				t.Fatalf("child did not start: %q", sc.Text())
			}
			if down {
				p.Stop(t)
			}
			fmt.Fprintln(stdin)
			var acked []uuid.UUID
			for sc.Scan() {
				id, err := uuid.Parse(sc.Text())
				if err != nil {
					t.Fatal(err)
				}
				acked = append(acked, id)
				if len(acked) == 30_000 {
					_ = cmd.Process.Signal(syscall.SIGKILL)
					break
				}
			}
			for sc.Scan() { // acknowledged before the kill landed
				if id, err := uuid.Parse(sc.Text()); err == nil {
					acked = append(acked, id)
				}
			}
			_ = cmd.Wait()
			if down {
				p.Start(t)
			} else {
				// The kill reset the child's connections, possibly between two inserts. The dev
				// server used to abort on that now and then (docs/clickhouse-dev-server.md): a
				// dev-server artefact, not a property of the writer. Fail here, with the server's
				// log, if that comes back, rather than on a count below.
				p.AwaitConnections(t, 0)
			}
			before := count(t, p.Addr, "SELECT count() AS n FROM audit_logs")

			pool, err = chdb.Open(ctx, chdb.Config{Addr: p.Addr, Database: database})
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			w, err := auditwriter.New(auditwriter.Config{Sink: auditch.New(pool), SpoolDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			defer cancel()
			if err := w.Flush(fctx); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(fctx); err != nil {
				t.Fatal(err)
			}
			st := w.Stats()

			stored := storedOnce(t, p.Addr, acked)
			total := count(t, p.Addr, "SELECT count() AS n FROM audit_logs")
			distinct := count(t, p.Addr, "SELECT uniqExact(id) AS n FROM audit_logs")
			stats := count(t, p.Addr, "SELECT sum(count) AS n FROM audit_logs_stats")
			t.Logf("acknowledged %d; stored before restart %d, after %d (replayed %d)", len(acked), before, total, st.Replayed)
			if stored != len(acked) {
				t.Fatalf("%d of %d acknowledged events stored exactly once", stored, len(acked))
			}
			if total != distinct || stats != total {
				t.Fatalf("rows %d, distinct ids %d, daily counts %d: a replay was stored twice", total, distinct, stats)
			}
			if down && before != 0 {
				t.Fatalf("%d rows reached a stopped server", before)
			}
		})
	}
}

// storedOnce counts how many of ids are stored exactly once (the ids go in as external data).
func storedOnce(t *testing.T, addr string, ids []uuid.UUID) int {
	t.Helper()
	ctx := context.Background()
	c, err := ch.Dial(ctx, ch.Options{Address: addr, Database: database, ReadTimeout: time.Minute, DialTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var col proto.ColUUID
	for _, id := range ids {
		col.Append(id)
	}
	var n proto.ColUInt64
	err = c.Do(ctx, ch.Query{
		Body: `SELECT count() AS n FROM (
			SELECT id, count() AS c FROM audit_logs WHERE id IN (SELECT id FROM acked) GROUP BY id HAVING c = 1)`,
		ExternalTable: "acked", ExternalData: []proto.InputColumn{{Name: "id", Data: &col}},
		Result: proto.Results{{Name: "n", Data: &n}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return int(n.Row(0))
}

// runServiceChild runs the real service from the environment until killed.
func runServiceChild() int {
	return serveFromEnv(os.Stdout)
}

// TestSIGKILLServiceWithClickHouseDown kills the service process while it answers audited
// requests with ClickHouse stopped, starts ClickHouse and the service again, and checks that
// every audited request whose response arrived is stored, none twice.
func TestSIGKILLServiceWithClickHouseDown(t *testing.T) {
	t.Parallel()
	p := chtest.StartPrivate(t)
	dataDir := t.TempDir()
	agent := "fault-test/" + uuid.NewString()
	start := func() (*exec.Cmd, string) {
		return startChild(t, "service", []string{
			"TF_HTTP_ADDR=127.0.0.1:0", "TF_DATA_DIR=" + dataDir, "TF_DATABASE_URL=",
			"TF_CLICKHOUSE_ADDR=" + p.Addr, "TF_CLICKHOUSE_DATABASE=" + database,
			"TF_BOOTSTRAP_ADMIN_EMAIL=admin@example.com", "TF_BOOTSTRAP_ADMIN_PASSWORD=bootstrap-password-for-tests",
			"TF_ARGON2_MEMORY_KIB=8192", "TF_ARGON2_ITERATIONS=1", "TF_LOG_LEVEL=error",
			"TF_AUDIT_BATCH_SIZE=500", "TF_AUDIT_FLUSH_INTERVAL=50ms",
			// One row per rejected request: coalesced counts held back in memory die with a
			// SIGKILL, and this test counts every acknowledged request.
			"TF_FAILED_AUTH_AUDIT_WINDOW=0",
		})
	}
	cmd, url := start()
	p.Stop(t)

	// Requests with a bad token are refused and audited (AUTH FAILURE token_rejected).
	var sent, acked atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for {
				req, _ := http.NewRequest(http.MethodGet, url+"/api/v2/users", nil)
				req.Header.Set("Authorization", "Bearer not-a-token")
				req.Header.Set("User-Agent", agent)
				sent.Add(1)
				resp, err := client.Do(req)
				if err != nil {
					return // the service is gone
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusUnauthorized {
					acked.Add(1)
				}
			}
		})
	}
	for acked.Load() < 3000 {
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	wg.Wait()

	p.Start(t)
	cmd, _ = start() // replays the spool before taking new events
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	ua := param("ua", agent)
	query := "SELECT count() AS n FROM audit_logs WHERE user_agent = {ua:String}"
	deadline := time.Now().Add(2 * time.Minute)
	var n uint64
	for n = count(t, p.Addr, query, ua); n < uint64(acked.Load()) && time.Now().Before(deadline); n = count(t, p.Addr, query, ua) {
		time.Sleep(100 * time.Millisecond)
	}
	final := count(t, p.Addr, "SELECT count() AS n FROM audit_logs FINAL WHERE user_agent = {ua:String}", ua)
	t.Logf("requests sent %d, answered %d, events stored %d", sent.Load(), acked.Load(), n)
	if n < uint64(acked.Load()) || n > uint64(sent.Load()) {
		t.Fatalf("stored %d events for %d answered (and %d sent) requests", n, acked.Load(), sent.Load())
	}
	if final != n {
		t.Fatalf("%d rows but %d distinct events: a replay was stored twice", n, final)
	}
}
