package deploycheck_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/redistest"
	"github.com/telemetryflow/core/oas"
)

// TestHAProxyInFrontOfThreeInstances runs the scaled deployment's load balancer for real:
// HAProxy from Debian's package with docker/haproxy/haproxy.cfg, in front of three `serve`
// processes sharing PostgreSQL, Redis and ClickHouse. One backend is killed (SIGKILL) while
// clients write and read through HAProxy. It shows that
//   - no request fails beyond those in flight on the killed backend (at most one per client),
//   - every acknowledged creation has exactly one audit row once the killed backend is back
//     (its spool replays what it had acknowledged),
//   - a logout on one backend is refused by the others on their next request (measured: the
//     delay is logged as p50/p99 for docs/scaling.md, not asserted).
func TestHAProxyInFrontOfThreeInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bin := buildServe(t)
	ch := chtest.New(t)
	shared := map[string]string{
		"TF_DATABASE_URL":        dbtest.URL(t, dialect.Postgres),
		"TF_KEY_ENCRYPTION_KEY":  base64.StdEncoding.EncodeToString(make([]byte, 32)),
		"TF_REDIS_URL":           redistest.URL(t),
		"TF_REDIS_CHANNEL":       redistest.Channel(),
		"TF_CLICKHOUSE_ADDR":     ch.Addr,
		"TF_CLICKHOUSE_DATABASE": ch.Database,
		"TF_TRUSTED_PROXIES":     "127.0.0.1/32",
		// Caches that would trust a session for an hour: revocation must travel through Redis.
		"TF_SESSION_CACHE_TTL":    "1h",
		"TF_PERMISSION_CACHE_TTL": "1h",
		"TF_LOGIN_RATE_PER_IP":    "100000",
		"TF_AUDIT_FLUSH_INTERVAL": "50ms",
	}
	var backends [3]*backend
	for i := range backends {
		backends[i] = startBackend(t, bin, shared) // one at a time: the first migrates and seeds
	}
	lb := startHAProxy(t, backends[0].addr, backends[1].addr, backends[2].addr)
	lb.waitUp(t, 3)

	admin := loginAt(t, lb.url, apitest.AdminEmail, apitest.AdminPassword)
	org := defaultOrganization(t, admin)

	// Load: clients create a user and read it back, through HAProxy, until told to stop.
	const clients = 6
	var (
		mu        sync.Mutex
		acked     []uuid.UUID
		attempted = map[string]bool{}
		failed    atomic.Int64
		done      atomic.Int64
		stop      = make(chan struct{})
		wg        sync.WaitGroup
	)
	for w := range clients {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				email := fmt.Sprintf("lb-%d-%d@example.com", w, i)
				mu.Lock()
				attempted[email] = true
				mu.Unlock()
				u, err := admin.CreateUser(ctx, &oas.UserCreate{OrganizationID: org, Email: email, Password: "a-load-balanced-password-1",
					FirstName: "Load", LastName: "Balanced"})
				if err != nil {
					failed.Add(1)
					continue
				}
				mu.Lock()
				acked = append(acked, u.ID)
				mu.Unlock()
				if _, err := admin.GetUser(ctx, oas.GetUserParams{ID: u.ID}); err != nil {
					failed.Add(1)
				}
				done.Add(2)
			}
		})
	}
	waitFor(t, "load before the kill", func() bool { return done.Load() >= 150 })
	backends[1].kill(t)
	before := done.Load()
	waitFor(t, "load after the kill", func() bool { return done.Load() >= before+300 })
	close(stop)
	wg.Wait()
	if n := failed.Load(); n > clients {
		t.Errorf("%d requests failed; only those in flight on the killed backend (at most %d) may", n, clients)
	}
	t.Logf("%d requests acknowledged, %d failed (in flight on the killed backend)", done.Load(), failed.Load())

	// The killed backend comes back on its own data directory: its spool replays.
	backends[1] = backends[1].restart(t, bin)
	lb.setAddr(t, "core2", backends[1].addr)
	lb.waitUp(t, 3)
	assertStoredOnce(t, ch, acked, len(attempted))

	measureRevocation(t, backends)
}

// assertStoredOnce waits until every acknowledged creation has its create_user row and then
// checks that none has two and that no row names a user nobody tried to create.
func assertStoredOnce(t *testing.T, s *chtest.Server, acked []uuid.UUID, attempted int) {
	t.Helper()
	var col proto.ColUUID
	for _, id := range acked {
		col.Append(id)
	}
	query := func() (once, rows, distinct uint64) {
		c, err := ch.Dial(context.Background(), ch.Options{Address: s.Addr, Database: s.Database})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var a, b, d proto.ColUInt64
		err = c.Do(context.Background(), ch.Query{
			Body: `WITH created AS (
				SELECT toUUIDOrZero(JSONExtractString(metadata, 'id')) AS uid FROM audit_logs
				WHERE event_type = 'DATA' AND action = 'create_user' AND result = 'SUCCESS')
			SELECT
				assumeNotNull((SELECT count() FROM (SELECT uid FROM created GROUP BY uid HAVING count() = 1)
				  WHERE uid IN (SELECT x FROM acked_ids))) AS once,
				assumeNotNull((SELECT count() FROM created)) AS rows,
				assumeNotNull((SELECT uniqExact(uid) FROM created)) AS users`,
			ExternalTable: "acked_ids", ExternalData: []proto.InputColumn{{Name: "x", Data: &col}},
			Result: proto.Results{{Name: "once", Data: &a}, {Name: "rows", Data: &b}, {Name: "users", Data: &d}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return a.Row(0), b.Row(0), d.Row(0)
	}
	var once, rows, distinct uint64
	waitFor(t, "every acknowledged creation audited", func() bool {
		once, rows, distinct = query()
		return once == uint64(len(acked))
	})
	if rows != distinct {
		t.Fatalf("%d create_user rows for %d users: a row was stored twice", rows, distinct)
	}
	if distinct > uint64(attempted) {
		t.Fatalf("%d audited creations, but only %d were attempted", distinct, attempted)
	}
}

// measureRevocation logs out on one backend and times how long the other two keep accepting
// the token, for 60 sessions; it fails only if a survivor never refuses it.
func measureRevocation(t *testing.T, backends [3]*backend) {
	t.Helper()
	ctx := context.Background()
	admin := loginAt(t, backends[0].url, apitest.AdminEmail, apitest.AdminPassword)
	org := defaultOrganization(t, admin)
	const pw = "a-revocation-password-1"
	u, err := admin.CreateUser(ctx, &oas.UserCreate{OrganizationID: org, Email: "revoked@example.com", Password: pw,
		FirstName: "Re", LastName: "Voked"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ActivateUser(ctx, oas.ActivateUserParams{ID: u.ID}); err != nil {
		t.Fatal(err)
	}
	var delays []time.Duration
	for i := range 60 {
		home := backends[i%3]
		tok := loginToken(t, home.url, "revoked@example.com", pw)
		var others []*oas.Client
		for j, b := range backends {
			if j != i%3 {
				c := clientAt(t, b.url, tok)
				if _, err := c.GetMe(ctx); err != nil { // warms the other backend's caches
					t.Fatalf("before logout on backend %d: %v", j+1, err)
				}
				others = append(others, c)
			}
		}
		if err := clientAt(t, home.url, tok).Logout(ctx); err != nil {
			t.Fatal(err)
		}
		ended := time.Now()
		for _, c := range others {
			waitFor(t, "the logout seen by every backend", func() bool { _, err := c.GetMe(ctx); return err != nil })
			delays = append(delays, time.Since(ended))
		}
	}
	slices.Sort(delays)
	t.Logf("revocation seen by the other backends: p50 %v, p99 %v, max %v (%d observations)",
		delays[len(delays)/2], delays[len(delays)*99/100], delays[len(delays)-1], len(delays))
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func defaultOrganization(t *testing.T, c *oas.Client) uuid.UUID {
	t.Helper()
	l, err := c.ListOrganizations(context.Background(), oas.ListOrganizationsParams{})
	if err != nil || len(l.Items) == 0 {
		t.Fatalf("organizations: %v", err)
	}
	return l.Items[0].ID
}

func loginToken(t *testing.T, base, email, pw string) string {
	t.Helper()
	anon := clientAt(t, base, "")
	res, err := anon.Login(context.Background(), &oas.LoginRequest{Email: email, Password: pw})
	if err != nil {
		t.Fatalf("login at %s: %v", base, err)
	}
	return res.AccessToken
}

func loginAt(t *testing.T, base, email, pw string) *oas.Client {
	t.Helper()
	return clientAt(t, base, loginToken(t, base, email, pw))
}

func clientAt(t *testing.T, base, token string) *oas.Client {
	t.Helper()
	c, err := oas.NewClient(base, apitest.Bearer(token), oas.WithClient(&http.Client{Timeout: 30 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
