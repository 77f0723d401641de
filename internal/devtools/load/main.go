// Command load is the load and soak harness (`go tool task load`): it builds and starts the real
// service (embedded SQLite, or PostgreSQL with -postgres), opens -conns concurrent keep-alive
// connections, each a virtual user with its own client address (X-Forwarded-For through a
// trusted loopback proxy, so per-address limits apply per virtual user as they would behind a
// load balancer), and runs a realistic mix for -duration: logins, refreshes, authorized reads,
// list pages, writes, decision checks and audit queries, with think time between requests. It
// reports per operation throughput, p50/p95/p99 and errors by status, the server's RSS over
// time (/proc/<pid>/status) and its goroutines before and after (go_goroutines on /metrics).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/telemetryflow/core/internal/devtools/loadkit"
)

// The mix, in requests per thousand: reads dominate, logins are rare (each costs an argon2id
// hash, tens of milliseconds of CPU), as in a service whose clients keep their sessions.
var mix = []struct {
	op     string
	weight int
}{
	{"login", 5}, {"refresh", 25}, {"read", 420}, {"list", 150}, {"write", 50}, {"check", 250}, {"audit", 100},
}

type config struct {
	pg, work, extra, bin string
	conns, accounts      int
	duration, think      time.Duration
	ramp, sampleInterval time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.pg, "postgres", "", "PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): a scratch database there instead of the embedded SQLite")
	flag.IntVar(&cfg.conns, "conns", 1000, "concurrent connections (virtual users)")
	flag.IntVar(&cfg.accounts, "accounts", 100, "accounts the virtual users log in as (administrators of one organization)")
	flag.DurationVar(&cfg.duration, "duration", 60*time.Second, "measured time, after the ramp")
	flag.DurationVar(&cfg.think, "think", 250*time.Millisecond, "mean think time between a virtual user's requests (uniform 0..2×)")
	flag.DurationVar(&cfg.ramp, "ramp", 10*time.Second, "virtual users start spread over this time (their first logins)")
	flag.DurationVar(&cfg.sampleInterval, "sample", 5*time.Second, "RSS sampling interval")
	flag.StringVar(&cfg.work, "work", "", "working directory (binary, data, logs); empty = a new temporary one")
	flag.StringVar(&cfg.bin, "bin", "", "a prebuilt telemetryflow binary to load (e.g. another commit's); empty = build this tree's")
	flag.StringVar(&cfg.extra, "env", "", "extra TF_* settings for the service, comma-separated K=V")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, cfg config) error {
	work := cfg.work
	if work == "" {
		d, err := os.MkdirTemp("", "load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	}
	work, _ = filepath.Abs(work)
	if err := os.RemoveAll(filepath.Join(work, "data")); err != nil { // every run starts from an empty store
		return err
	}
	bin := cfg.bin
	if bin == "" {
		b, err := loadkit.Build(ctx, "./cmd/telemetryflow", work)
		if err != nil {
			return err
		}
		bin = b
	}
	dbURL, store := "", "embedded SQLite"
	if cfg.pg != "" {
		u, drop, err := loadkit.ScratchPostgres(ctx, cfg.pg)
		if err != nil {
			return err
		}
		defer drop()
		dbURL, store = u, "PostgreSQL"
	}
	addr, err := loadkit.FreeAddr()
	if err != nil {
		return err
	}
	extra := []string{"TF_TRUSTED_PROXIES=127.0.0.1/32"}
	if cfg.extra != "" {
		extra = append(extra, strings.Split(cfg.extra, ",")...)
	}
	sess, err := loadkit.StartSignedIn(ctx, bin, addr, work, dbURL, extra...)
	if err != nil {
		return err
	}
	defer sess.Close()
	svc, c, admin := sess.Service, sess.Conn, sess.Admin
	fmt.Printf("creating %d accounts ...\n", cfg.accounts)
	ids, err := loadkit.CreateUsers(addr, admin.AccessToken, admin.User.OrganizationID, cfg.accounts, 2)
	if err != nil {
		return err
	}
	role, err := loadkit.RoleID(c, admin.AccessToken, "administrator")
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := loadkit.Activate(c, admin.AccessToken, id); err != nil {
			return err
		}
		if err := loadkit.AssignRole(c, admin.AccessToken, id, role); err != nil {
			return err
		}
	}
	// Every virtual user opens its own session before the measured window, a few at a time:
	// 1,000 simultaneous logins would only measure the hash queue (each login is an argon2id
	// hash; beyond TF_HASH_QUEUE_TIMEOUT the service answers 503 by design).
	fmt.Printf("opening %d sessions ...\n", cfg.conns)
	sessions, setupLogins, took, err := openSessions(addr, cfg.conns, len(ids))
	if err != nil {
		return err
	}
	fmt.Printf("  %d sessions in %s (%.1f logins/s, 4 at a time): p50 %s p99 %s, statuses %s\n", cfg.conns, took.Round(time.Millisecond),
		float64(cfg.conns)/took.Seconds(), ms(setupLogins.Latency.Quantile(0.5)), ms(setupLogins.Latency.Quantile(0.99)), setupLogins.StatusString())
	time.Sleep(2 * time.Second) // let start-up work settle before counting goroutines
	before, err := goroutines(c)
	if err != nil {
		return err
	}
	fmt.Printf("service on %s, pid %d; %d virtual users over %d accounts, think %s, ramp %s, measured %s; goroutines before: %d; load %s\n",
		store, svc.Pid(), cfg.conns, cfg.accounts, cfg.think, cfg.ramp, cfg.duration, before, loadkit.LoadAvg())

	env := &world{addr: addr, org: admin.User.OrganizationID, ids: ids}
	pools0 := poolWaits(c)
	wal := ""
	if cfg.pg == "" {
		wal = filepath.Join(work, "data", "telemetryflow.db-wal")
	}
	// The heap probe has a connection of its own: loadkit.Conn is not safe for concurrent use.
	probe, err := loadkit.Dial(addr)
	if err != nil {
		return err
	}
	defer probe.Close()
	rss := loadkit.SampleMemory(svc.Pid(), cfg.sampleInterval, wal, func() (int64, error) {
		n, err := metric(probe, "go_memstats_heap_inuse_bytes ")
		return int64(n), err
	})
	cpu0, _ := loadkit.CPUTime(svc.Pid())
	results := make([]map[string]*loadkit.Op, cfg.conns)
	var wg sync.WaitGroup
	start := time.Now()
	measureFrom, end := start.Add(cfg.ramp), start.Add(cfg.ramp+cfg.duration)
	env.timeline = newTimeline(measureFrom, min(time.Minute, cfg.duration))
	progress := time.NewTicker(30 * time.Second)
	defer progress.Stop()
	go func() {
		for range progress.C {
			fmt.Printf("  … %s elapsed, load %s\n", time.Since(start).Round(time.Second), loadkit.LoadAvg())
		}
	}()
	for v := range cfg.conns {
		results[v] = map[string]*loadkit.Op{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(int64(cfg.ramp) * int64(v) / int64(cfg.conns)))
			env.user(ctx, v, sessions[v], cfg, measureFrom, end, results[v])
		}()
	}
	wg.Wait()
	measured := time.Since(measureFrom)
	cpu1, _ := loadkit.CPUTime(svc.Pid())
	samples := rss.Stop()
	time.Sleep(5 * time.Second) // idle connections closed by the clients; server goroutines wind down
	after, err := goroutines(c)
	if err != nil {
		return err
	}
	pools1 := poolWaits(c)
	backlog := auditBacklog(c)

	total := map[string]*loadkit.Op{}
	for _, r := range results {
		for name, op := range r {
			if total[name] == nil {
				total[name] = &loadkit.Op{}
			}
			total[name].Merge(op)
		}
	}
	fmt.Printf("\n%-8s %9s %8s %8s %8s %8s  %s\n", "op", "req/s", "p50", "p95", "p99", "max", "statuses (measured window)")
	var all uint64
	for _, m := range mix {
		op := total[m.op]
		if op == nil {
			continue
		}
		all += op.Total()
		fmt.Printf("%-8s %9.1f %8s %8s %8s %8s  %s\n", m.op, float64(op.Total())/measured.Seconds(),
			ms(op.Latency.Quantile(0.5)), ms(op.Latency.Quantile(0.95)), ms(op.Latency.Quantile(0.99)), ms(op.Latency.Max()), op.StatusString())
	}
	fmt.Printf("all      %9.1f   server CPU %.2f cores; load %s\n", float64(all)/measured.Seconds(),
		(cpu1-cpu0).Seconds()/measured.Seconds(), loadkit.LoadAvg())
	env.timeline.print()
	fmt.Printf("goroutines: before %d, after %d\n", before, after)
	for i, p := range pools1 {
		n, waited := p.count-pools0[i].count, p.seconds-pools0[i].seconds
		switch {
		case !p.found:
		case n > 0:
			fmt.Printf("SQL pool %s: %.0f waits for a connection, %.1f s in all (mean %.1f ms)\n", p.name, n, waited, 1000*waited/n)
		default:
			fmt.Printf("SQL pool %s: no waits for a connection\n", p.name)
		}
	}
	fmt.Println(backlog)
	printSeries(fmt.Sprintf("RSS (MiB) every %s:", cfg.sampleInterval), samples, func(s loadkit.Sample) int64 { return s.RSS })
	printSeries("  of which anonymous (MiB):", samples, func(s loadkit.Sample) int64 { return s.Anon })
	printSeries("  of which file-backed (MiB):", samples, func(s loadkit.Sample) int64 { return s.File })
	printSeries("Go heap in use (MiB):", samples, func(s loadkit.Sample) int64 { return s.Heap })
	if wal != "" {
		printSeries(fmt.Sprintf("SQLite WAL file (MiB) every %s:", cfg.sampleInterval), samples, func(s loadkit.Sample) int64 { return s.Size })
	}
	return nil
}

// printSeries prints one measure of the samples in MiB, twelve to a line.
func printSeries(title string, samples []loadkit.Sample, bytes func(loadkit.Sample) int64) {
	fmt.Print(title)
	for i, s := range samples {
		if i%12 == 0 {
			fmt.Printf("\n  %6s:", s.At.Round(time.Second))
		}
		fmt.Printf(" %6.1f", float64(bytes(s))/(1<<20))
	}
	fmt.Println()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// world is what every virtual user shares.
type world struct {
	timeline *timeline
	addr     string
	org      string
	ids      []string
}

// user is one virtual user: log in (again after a failure), then the mix with think time until
// end. Only requests started after measureFrom are counted.
func (w *world) user(ctx context.Context, v int, tok loadkit.Tokens, cfg config, measureFrom, end time.Time, ops map[string]*loadkit.Op) {
	rng := rand.New(rand.NewPCG(uint64(v), 42))
	client, account := clientAddr(v), v%len(w.ids)
	c, err := loadkit.Dial(w.addr)
	if err != nil {
		record(ops, "connect", 0, 0)
		return
	}
	defer c.Close()
	do := func(op string, r loadkit.Request) int {
		r.ClientAddr = client
		t0 := time.Now()
		status, err := c.Do(r)
		if err != nil {
			status = 0
		}
		if !t0.Before(measureFrom) {
			d := time.Since(t0)
			record(ops, op, status, d)
			w.timeline.add(op, t0, d)
		}
		return status
	}
	login := func() bool {
		if do("login", loadkit.Request{Method: http.MethodPost, Path: "/api/v2/auth/login",
			Body: loadkit.LoginBody(loadkit.UserEmail(account), loadkit.UserPassword)}) != http.StatusOK {
			return false
		}
		return json.Unmarshal(c.Body.Bytes(), &tok) == nil
	}
	for n := 0; ctx.Err() == nil && time.Now().Before(end); n++ {
		if tok.AccessToken == "" {
			if !login() {
				time.Sleep(time.Second + time.Duration(rng.Int64N(int64(time.Second)))) // back off as a client would
				continue
			}
		} else {
			switch pick(rng) {
			case "login":
				login()
			case "refresh":
				if do("refresh", loadkit.Request{Method: http.MethodPost, Path: "/api/v2/auth/refresh", Body: loadkit.RefreshBody(tok.RefreshToken)}) == http.StatusOK {
					_ = json.Unmarshal(c.Body.Bytes(), &tok)
				}
			case "read":
				do("read", loadkit.Request{Method: http.MethodGet, Path: "/api/v2/users/" + w.ids[rng.IntN(len(w.ids))], Token: tok.AccessToken})
			case "list":
				do("list", loadkit.Request{Method: http.MethodGet, Path: "/api/v2/users?limit=20", Token: tok.AccessToken})
			case "write":
				body, _ := json.Marshal(map[string]string{"name": fmt.Sprintf("g-%d-%d", v, n), "organization_id": w.org})
				do("write", loadkit.Request{Method: http.MethodPost, Path: "/api/v2/groups", Token: tok.AccessToken, Body: body})
			case "check":
				body, _ := json.Marshal(map[string]any{"checks": []map[string]string{{"user_id": w.ids[rng.IntN(len(w.ids))], "permission": "user:update"}}})
				do("check", loadkit.Request{Method: http.MethodPost, Path: "/api/v2/authz/check", Token: tok.AccessToken, Body: body})
			case "audit":
				do("audit", loadkit.Request{Method: http.MethodGet, Path: "/api/v2/audit/logs?limit=20", Token: tok.AccessToken})
			}
		}
		if cfg.think > 0 {
			time.Sleep(time.Duration(rng.Int64N(2 * int64(cfg.think))))
		}
	}
}

// clientAddr is virtual user v's address (X-Forwarded-For).
func clientAddr(v int) string { return fmt.Sprintf("10.%d.%d.%d", v>>16&255, v>>8&255, v&255) }

// openSessions logs every virtual user in (as account v % accounts, from its own address), four
// at a time, retrying what the service refuses for back-pressure.
func openSessions(addr string, n, accounts int) ([]loadkit.Tokens, *loadkit.Op, time.Duration, error) {
	out := make([]loadkit.Tokens, n)
	ops := make([]loadkit.Op, 4)
	next := make(chan int)
	errc := make(chan error, 4)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := loadkit.Dial(addr)
			if err != nil {
				errc <- err
				for range next {
				}
				return
			}
			defer c.Close()
			for v := range next {
				for attempt := 0; ; attempt++ {
					s := time.Now()
					tok, err := loadkit.Login(c, clientAddr(v), loadkit.UserEmail(v%accounts), loadkit.UserPassword)
					status := http.StatusOK
					if err != nil {
						status = 0
						if se, ok := err.(interface{ Status() int }); ok {
							status = se.Status()
						}
					}
					ops[w].Add(status, time.Since(s))
					if err == nil {
						out[v] = tok
						break
					}
					if attempt == 20 {
						errc <- err
						break
					}
					time.Sleep(time.Second)
				}
			}
		}()
	}
	for v := range n {
		next <- v
	}
	close(next)
	wg.Wait()
	close(errc)
	var all loadkit.Op
	for i := range ops {
		all.Merge(&ops[i])
	}
	return out, &all, time.Since(t0), <-errc
}

func pick(rng *rand.Rand) string {
	n := rng.IntN(1000)
	for _, m := range mix {
		if n < m.weight {
			return m.op
		}
		n -= m.weight
	}
	return "read"
}

func record(ops map[string]*loadkit.Op, op string, status int, d time.Duration) {
	o := ops[op]
	if o == nil {
		o = &loadkit.Op{}
		ops[op] = o
	}
	o.Add(status, d)
}

// goroutines reads go_goroutines from the service's /metrics.
func goroutines(c *loadkit.Conn) (int, error) {
	n, err := metric(c, "go_goroutines ")
	return int(n), err
}

// metric reads the first sample on /metrics whose line starts with prefix.
func metric(c *loadkit.Conn, prefix string) (float64, error) {
	status, err := c.Do(loadkit.Request{Method: http.MethodGet, Path: "/metrics"})
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK {
		return 0, fmt.Errorf("/metrics: %d", status)
	}
	s := bufio.NewScanner(strings.NewReader(c.Body.String()))
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), prefix); ok {
			var n float64
			_, err := fmt.Sscan(v, &n)
			return n, err
		}
	}
	return 0, fmt.Errorf("no %q on /metrics", prefix)
}

type poolWait struct {
	name           string
	found          bool
	count, seconds float64
}

// poolWaits is how often, and for how long in all, requests waited for a connection of each
// of the service's SQL pools (database/sql's counters): the main one and, on the embedded
// store, the reads' own.
func poolWaits(c *loadkit.Conn) []poolWait {
	var out []poolWait
	for _, name := range []string{"telemetryflow", "telemetryflow_reads"} {
		count, err := metric(c, `go_sql_wait_count_total{db_name="`+name+`"} `)
		seconds, _ := metric(c, `go_sql_wait_duration_seconds_total{db_name="`+name+`"} `)
		out = append(out, poolWait{name: name, found: err == nil, count: count, seconds: seconds})
	}
	return out
}

// auditBacklog says whether the audit store kept up: events it stored against the backlog
// still waiting (acknowledged to requests, safe in the spool) when the run ended.
func auditBacklog(c *loadkit.Conn) string {
	written, err := metric(c, "telemetryflow_audit_events_written_total ")
	if err != nil {
		return "audit: " + err.Error()
	}
	depth, _ := metric(c, "telemetryflow_audit_queue_depth ")
	failed, _ := metric(c, `telemetryflow_audit_batches_total{result="failure"} `)
	spool, _ := metric(c, "telemetryflow_audit_spool_bytes ")
	return fmt.Sprintf("audit store: %.0f events written, %.0f waiting at the end (spool %.1f MiB), %.0f failed batch attempts",
		written, depth, spool/(1<<20), failed)
}
