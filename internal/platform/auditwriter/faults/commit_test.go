package faults_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/outboxevent"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/domain/event"
	sqldb "github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/testchild"
	"github.com/telemetryflow/core/oas"
)

// runCrashAfterCommitChild serves like `telemetryflow serve`, but the first IAM command that
// commits (its transaction carries the command's audit row; a login's does not) kills the
// process with SIGKILL before anything after the commit runs: the events' delivery, the audit
// row's enqueueing, the answer.
func runCrashAfterCommitChild() int {
	return serveWith(os.Stdout, service.Options{AfterCommit: func(events []event.Envelope) {
		for _, e := range events {
			if _, ok := e.Event.(event.CommandAudited); ok {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // SIGKILL cannot be caught; nothing after the commit runs
			}
		}
	}})
}

// TestKillBetweenCommitAndAuditKeepsTheRow: a create_user commits, then the process is killed
// before the audit row is enqueued. The user exists; after a restart on the same database the
// outbox poller delivers the row the command wrote in its own transaction, and exactly one
// create_user row for that user is stored. SQLite, PostgreSQL, and ClickHouse as the audit
// store.
func TestKillBetweenCommitAndAuditKeepsTheRow(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, dia string }{{"sqlite3", "sqlite3"}, {"postgres", "postgres"}, {"clickhouse", "postgres"}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dataDir := t.TempDir()
			env := []string{"TF_HTTP_ADDR=127.0.0.1:0", "TF_DATA_DIR=" + dataDir,
				"TF_BOOTSTRAP_ADMIN_EMAIL=" + apitest.AdminEmail, "TF_BOOTSTRAP_ADMIN_PASSWORD=" + apitest.AdminPassword,
				"TF_ARGON2_MEMORY_KIB=8192", "TF_ARGON2_ITERATIONS=1", "TF_LOG_LEVEL=error", "TF_AUDIT_FLUSH_INTERVAL=50ms",
				"TF_CLICKHOUSE_ADDR="}
			url := ""
			if tc.dia == "postgres" {
				url = dbtest.URL(t, tc.dia)
			}
			env = append(env, "TF_DATABASE_URL="+url)
			if tc.name == "clickhouse" {
				ch := chtest.New(t)
				env = append(env, "TF_CLICKHOUSE_ADDR="+ch.Addr, "TF_CLICKHOUSE_DATABASE="+ch.Database)
			}
			ctx := context.Background()

			// 1. The change commits and the process dies before the audit pipeline sees it.
			crashing, base := startChild(t, "crash-after-commit", env)
			admin := login(t, base)
			org := orgID(t, admin)
			_, err := admin.CreateUser(ctx, &oas.UserCreate{Email: "survivor@example.com", Password: "a-test-password-123",
				FirstName: "S", LastName: "S", OrganizationID: org})
			if err == nil {
				t.Fatal("the request was answered; the process should have died after the commit")
			}
			if werr := crashing.Wait(); !killed(werr) {
				t.Fatalf("child did not die of SIGKILL: %v", werr)
			}

			// The user is committed and its audit row waits in the outbox.
			db := openDB(t, url, dataDir)
			u, err := db.Ent.User.Query().Where(user.EmailEQ("survivor@example.com")).Only(ctx)
			if err != nil {
				t.Fatalf("the committed user is missing: %v", err)
			}
			// (Without the row in the outbox, the wait below runs out: nothing delivers it.)
			pending, err := db.Ent.OutboxEvent.Query().Where(outboxevent.EventTypeEQ("CommandAudited"), outboxevent.AggregateIDEQ("create_user")).Only(ctx)
			if err != nil {
				t.Logf("no audit row pending in the outbox: %v", err)
				pending = &ent.OutboxEvent{}
			}
			if pending.DispatchedAt != nil {
				t.Fatal("the audit row was delivered before the process died")
			}

			// 2. Restart on the same database: the poller delivers the row, once.
			restarted, base := startChild(t, "service", env)
			defer func() {
				_ = restarted.Process.Signal(syscall.SIGTERM)
				_ = restarted.Wait()
			}()
			admin = login(t, base)
			deadline := time.Now().Add(30 * time.Second)
			var rows []oas.AuditLog
			for {
				rows = createUserRows(t, admin, u.ID)
				// Delivered and marked: no later redelivery can add a copy while we look.
				done, err := db.Ent.OutboxEvent.Query().Where(outboxevent.IDEQ(pending.ID), outboxevent.DispatchedAtNotNil()).Exist(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) > 0 && done {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after the restart: %d create_user rows for the user, outbox row dispatched: %v", len(rows), done)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if len(rows) != 1 {
				t.Fatalf("%d create_user rows for the user, want exactly 1", len(rows))
			}
			if r := rows[0]; r.ID != pending.ID || r.Result != oas.AuditResultSUCCESS || r.UserEmail != apitest.AdminEmail {
				t.Fatalf("row %+v: want the outbox event's id %s, SUCCESS, by the administrator", r, pending.ID)
			}
		})
	}
}

func startChild(t *testing.T, mode string, env []string) (*exec.Cmd, string) {
	t.Helper()
	cmd, stdout := testchild.Start(t, append([]string{envChild + "=" + mode}, env...)...)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return cmd, "http://" + addr
		}
	}
	_ = cmd.Wait()
	t.Fatalf("service (%s) did not start", mode)
	return nil, ""
}

func login(t *testing.T, base string) *oas.Client {
	t.Helper()
	anon, err := oas.NewClient(base, apitest.Bearer(""))
	if err != nil {
		t.Fatal(err)
	}
	res, err := anon.Login(context.Background(), &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	c, err := oas.NewClient(base, apitest.Bearer(res.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func orgID(t *testing.T, c *oas.Client) uuid.UUID {
	t.Helper()
	l, err := c.ListOrganizations(context.Background(), oas.ListOrganizationsParams{Q: oas.NewOptString(seed.DefaultSlug)})
	if err != nil || len(l.Items) == 0 {
		t.Fatalf("default organization: %v", err)
	}
	return l.Items[0].ID
}

// createUserRows lists the create_user rows whose metadata names the user.
func createUserRows(t *testing.T, c *oas.Client, id uuid.UUID) []oas.AuditLog {
	t.Helper()
	page, err := c.ListAuditLogs(context.Background(), oas.ListAuditLogsParams{Action: oas.NewOptString("create_user"), Limit: oas.NewOptInt(1000)})
	if err != nil {
		t.Fatal(err)
	}
	var out []oas.AuditLog
	for _, e := range page.Items {
		var meta struct {
			ID uuid.UUID `json:"id"`
		}
		if json.Unmarshal([]byte(e.Metadata), &meta) == nil && meta.ID == id {
			out = append(out, e)
		}
	}
	return out
}

// openDB opens the children's database for assertions (SQLite: the file in the data dir).
func openDB(t *testing.T, url, dataDir string) *storetest.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Config{URL: url, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return storetest.Wrap(db)
}

func killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
