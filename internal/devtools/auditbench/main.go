// Command auditbench measures the audit pipeline against a real ClickHouse server
// (docs/benchmarks-audit.md): sustained ingestion through the writer compared with the
// server's own INSERT ... SELECT of the identical rows, and query latency on a large table.
// Each run works in databases of its own and drops them at the end.
//
//	go run ./internal/devtools/auditbench -addr 127.0.0.1:19000 -events 2000000 -rows 10000000
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/auditwriter"
	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/store/auditch"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:19000", "ClickHouse native address")
	events := flag.Int("events", 2_000_000, "events to ingest through the writer (0 skips)")
	producers := flag.Int("producers", runtime.GOMAXPROCS(0), "goroutines calling Record")
	batch := flag.Int("batch", 50_000, "writer batch size (the service default)")
	conc := flag.Int("concurrency", 2, "batches in flight (the service uses 2 for ClickHouse)")
	discard := flag.Bool("discard", false, "measure the writer alone: a sink that drops every batch")
	rows := flag.Int("rows", 10_000_000, "rows for the query benchmark (0 skips)")
	runs := flag.Int("runs", 30, "runs per query")
	spool := flag.String("spool", "", "spool directory (default: a temporary one)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the ingestion to this file")
	flag.StringVar(&memprofile, "memprofile", "", "write a heap profile, taken when every event is accepted, to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	if *events > 0 {
		if err := ingest(ctx, *addr, *events, *producers, *batch, *conc, *spool, *discard); err != nil {
			fail(err)
		}
	}
	if *rows > 0 {
		if err := queries(ctx, *addr, *rows, *runs); err != nil {
			fail(err)
		}
	}
}

var memprofile string

type discardSink struct{}

func (discardSink) Write(context.Context, []audit.Event) error { return nil }
func (discardSink) Ping(context.Context) error                 { return nil }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "auditbench:", err)
	os.Exit(1)
}

// migrated creates a fresh database with the audit schema.
func migrated(ctx context.Context, addr, prefix string) (*chpool.Pool, string, func(), error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := prefix + hex.EncodeToString(b[:])
	pool, err := chdb.Open(ctx, chdb.Config{Addr: addr, Database: name, MaxConns: 4})
	if err != nil {
		return nil, "", nil, err
	}
	r, err := chmigrate.New(pool, chmigrate.Config{RetentionDays: 90})
	if err == nil {
		_, err = r.Up(ctx)
	}
	drop := func() {
		_ = pool.Do(context.Background(), ch.Query{Body: "DROP DATABASE IF EXISTS " + name + " SYNC"})
		pool.Close()
	}
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	return pool, name, drop, nil
}

func one(ctx context.Context, db chdb.Doer, query string) (uint64, error) {
	var n proto.ColUInt64
	err := db.Do(ctx, ch.Query{Body: query, Result: proto.Results{{Name: "n", Data: &n}}})
	if err != nil {
		return 0, err
	}
	return n.Row(0), nil
}

// ingest records n events from several producers through the writer into ClickHouse and
// reports the rate until the last one is stored, then times INSERT ... SELECT of the same
// rows into a fresh schema (with the same materialized views).
func ingest(ctx context.Context, addr string, n, producers, batch, conc int, spoolDir string, discard bool) error {
	pool, name, drop, err := migrated(ctx, addr, "bench_ingest_")
	if err != nil {
		return err
	}
	defer drop()
	if spoolDir == "" {
		dir, err := os.MkdirTemp("", "auditbench-spool-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		spoolDir = dir
	}
	var sink audit.Sink = auditch.New(pool)
	if discard {
		sink = discardSink{}
	}
	w, err := auditwriter.New(auditwriter.Config{Sink: sink, SpoolDir: spoolDir, BatchSize: batch, Concurrency: conc, FlushInterval: 200 * time.Millisecond})
	if err != nil {
		return err
	}
	base := time.Now().UTC().Truncate(time.Millisecond)
	orgs := make([]string, 100)
	for i := range orgs {
		orgs[i] = uuid.NewString()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			e := audit.Event{UserEmail: "someone@example.com", UserFirstName: "Some", UserLastName: "One",
				Action: "list_users", Resource: "user", IPAddress: "203.0.113.7",
				UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
				Metadata:  `{"operation":"listUsers"}`, TenantID: uuid.NewString(), SessionID: uuid.NewString()}
			user := uuid.NewString()
			for i := p; i < n; i += producers {
				e.ID = uuid.Must(uuid.NewV7())
				e.Timestamp = base.Add(time.Duration(i) * time.Microsecond).Truncate(time.Millisecond)
				e.CreatedAt = e.Timestamp
				e.EventType, e.Result = audit.EventType(1+i%4), audit.Result(1+i%3)
				e.OrganizationID, e.UserID, e.DurationMS = orgs[i%len(orgs)], user, uint32(i%500)
				if err := w.Record(ctx, e); err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	accepted := time.Since(start)
	if memprofile != "" {
		time.Sleep(500 * time.Millisecond) // inserts under way
		if f, err := os.Create(memprofile); err == nil {
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
	if err := w.Flush(ctx); err != nil {
		return err
	}
	total := time.Since(start)
	if err := w.Close(ctx); err != nil {
		return err
	}
	st := w.Stats()
	if discard {
		fmt.Printf("## Writer alone, sink discards (%d events, %d producers, batch %d, %d in flight)\n", n, producers, batch, conc)
		fmt.Printf("accepted in %v; all delivered in %v → %.0f events/s; dropped %d\n\n",
			accepted.Round(time.Millisecond), total.Round(time.Millisecond), float64(n)/total.Seconds(), st.TotalDropped())
		return nil
	}
	stored, err := one(ctx, pool, "SELECT count() AS n FROM audit_logs")
	if err != nil {
		return err
	}
	summed, err := one(ctx, pool, "SELECT sum(count) AS n FROM audit_logs_stats")
	if err != nil {
		return err
	}
	rate := float64(n) / total.Seconds()
	fmt.Printf("## Ingestion through the writer (%d events, %d producers, batch %d, %d in flight, GOMAXPROCS %d)\n", n, producers, batch, conc, runtime.GOMAXPROCS(0))
	fmt.Printf("accepted by Record in %v; all stored in %v → %.0f events/s end to end\n", accepted.Round(time.Millisecond), total.Round(time.Millisecond), rate)
	fmt.Printf("stored rows %d, daily-count sum %d, dropped %d, batches %d ok / %d failed, mean insert %v, max insert %v\n",
		stored, summed, st.TotalDropped(), st.BatchesOK, st.BatchesFailed,
		(st.InsertTime / time.Duration(max(st.BatchesOK, 1))).Round(time.Millisecond), st.MaxInsert.Round(time.Millisecond))
	if stored != uint64(n) || summed != uint64(n) || st.TotalDropped() != 0 {
		return fmt.Errorf("loss or duplication: %d events, %d rows, %d counted", n, stored, summed)
	}

	// The ceiling: the server copies the identical rows (with the same views) by itself.
	dst, dstName, dropDst, err := migrated(ctx, addr, "bench_ceiling_")
	if err != nil {
		return err
	}
	defer dropDst()
	if err := pool.Do(ctx, ch.Query{Body: "CREATE TABLE src ENGINE = Memory AS SELECT * FROM " + name + ".audit_logs"}); err != nil {
		return err
	}
	t0 := time.Now()
	if err := dst.Do(ctx, ch.Query{Body: "INSERT INTO audit_logs SELECT * FROM " + name + ".src"}); err != nil {
		return err
	}
	ceiling := time.Since(t0)
	copied, err := one(ctx, dst, "SELECT count() AS n FROM "+dstName+".audit_logs")
	if err != nil {
		return err
	}
	crate := float64(copied) / ceiling.Seconds()
	fmt.Printf("ClickHouse INSERT ... SELECT of the same %d rows (Memory source, same views): %v → %.0f rows/s\n", copied, ceiling.Round(time.Millisecond), crate)
	fmt.Printf("writer / ceiling: %.0f%%\n\n", 100*rate/crate)
	return nil
}

// queries fills a table with rows spread over 30 days, 100 organizations and 10,000 users and
// times the query API's queries.
func queries(ctx context.Context, addr string, rows, runs int) error {
	pool, _, drop, err := migrated(ctx, addr, "bench_query_")
	if err != nil {
		return err
	}
	defer drop()
	t0 := time.Now()
	// Generated by the server: org k and user u are deterministic strings, so the benchmark can
	// name them; timestamps cover the last 30 days.
	fill := fmt.Sprintf(`INSERT INTO audit_logs
SELECT
    generateUUIDv7() AS id,
    now64(3) - toIntervalMillisecond(intDiv(number * 2592000000, %[1]d)) AS timestamp,
    concat('user-', toString(number %% 10000)) AS user_id,
    concat('user', toString(number %% 10000), '@example.com') AS user_email,
    'First', 'Last',
    CAST(1 + (cityHash64(number) %% 4), 'Enum8(''AUTH'' = 1, ''AUTHZ'' = 2, ''DATA'' = 3, ''SYSTEM'' = 4)') AS event_type,
    concat('action_', toString(cityHash64(number, 1) %% 50)) AS action,
    ['user', 'role', 'session', 'group'][1 + number %% 4] AS resource,
    CAST(1 + (cityHash64(number, 2) %% 3), 'Enum8(''SUCCESS'' = 1, ''FAILURE'' = 2, ''DENIED'' = 3)') AS result,
    '' AS error_message,
    '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', '{"k":"v"}',
    concat('tenant-', toString((number %% 10000) %% 20)) AS tenant_id,
    '' AS workspace_id,
    concat('org-', toString((number %% 10000) %% 100)) AS organization_id,
    toString(cityHash64(number, 3) %% 100000) AS session_id,
    toUInt32(number %% 900) AS duration_ms,
    now64(3) AS created_at
FROM numbers(%[1]d)`, rows)
	if err := pool.Do(ctx, ch.Query{Body: fill}); err != nil {
		return err
	}
	fill1 := time.Since(t0)
	if err := pool.Do(ctx, ch.Query{Body: "OPTIMIZE TABLE audit_logs FINAL"}); err != nil {
		return err
	}
	fmt.Printf("## Queries on %d rows (30 days, 100 organizations, 10,000 users; inserted in %v, merged)\n", rows, fill1.Round(time.Millisecond))
	sink := auditch.New(pool)
	org := audit.Scope{OrganizationID: "org-42"}
	all := audit.Scope{All: true}
	now := time.Now().UTC()
	var probe audit.Page
	if probe, err = sink.List(ctx, audit.ListQuery{Scope: org, Limit: 50}); err != nil {
		return err
	}
	cases := []struct {
		name string
		run  func() error
	}{
		{"stats, one organization, 30 days", func() error {
			_, err := sink.Stats(ctx, audit.StatsQuery{Scope: org, From: now.AddDate(0, 0, -30)})
			return err
		}},
		{"stats, all organizations (super administrator)", func() error {
			_, err := sink.Stats(ctx, audit.StatsQuery{Scope: all})
			return err
		}},
		{"page of 50, one organization, newest first", func() error {
			_, err := sink.List(ctx, audit.ListQuery{Scope: org, Limit: 50})
			return err
		}},
		{"page of 50, one organization, AUTHZ DENIED, last 7 days", func() error {
			_, err := sink.List(ctx, audit.ListQuery{Scope: org, Limit: 50, Filter: audit.Filter{
				EventType: audit.EventAuthz, Result: audit.ResultDenied, From: now.AddDate(0, 0, -7)}})
			return err
		}},
		{"next page (cursor), one organization", func() error {
			_, err := sink.List(ctx, audit.ListQuery{Scope: org, Limit: 50, After: probe.Next})
			return err
		}},
		{"page of 50, one organization, one user", func() error {
			_, err := sink.List(ctx, audit.ListQuery{Scope: org, Limit: 50, Filter: audit.Filter{UserID: "user-4242"}})
			return err
		}},
		{"page of 50, all organizations (super administrator)", func() error {
			_, err := sink.List(ctx, audit.ListQuery{Scope: all, Limit: 50})
			return err
		}},
		{"page of 50, all organizations, one action", func() error {
			_, err := sink.List(ctx, audit.ListQuery{Scope: all, Limit: 50, Filter: audit.Filter{Action: "action_7"}})
			return err
		}},
		{"get by id", func() error {
			_, err := sink.Get(ctx, all, probe.Events[7].ID)
			return err
		}},
		{"user activity, 30 days", func() error {
			_, err := sink.UserActivity(ctx, audit.ActivityQuery{Scope: all, UserID: "user-4242"})
			return err
		}},
	}
	fmt.Println("| query | p50 | p90 | max |")
	fmt.Println("|---|---|---|---|")
	for _, c := range cases {
		if err := c.run(); err != nil { // warm-up
			return fmt.Errorf("%s: %w", c.name, err)
		}
		d := make([]time.Duration, runs)
		for i := range d {
			t := time.Now()
			if err := c.run(); err != nil {
				return err
			}
			d[i] = time.Since(t)
		}
		slices.Sort(d)
		ms := func(x time.Duration) string { return fmt.Sprintf("%.1f ms", float64(x.Microseconds())/1000) }
		fmt.Printf("| %s | %s | %s | %s |\n", c.name, ms(d[len(d)/2]), ms(d[len(d)*9/10]), ms(d[len(d)-1]))
	}
	return nil
}
