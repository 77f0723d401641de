// Command benchhttp measures the real service against a bare net/http handler answering the
// same JSON, side by side in one run (`go tool task bench:http`): it builds and starts both as
// child processes, drives them alternately with the same in-process load generator (closed
// loop, -conns keep-alive connections on loopback) and prints both rates and their ratio for
// an authorized read, a decision check rotating over -users users, and a write.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/telemetryflow/core/internal/devtools/loadkit"
)

type scenario struct {
	name   string
	status int
	first  loadkit.Request                            // recorded once, its answer given to the bare server
	next   func(round, worker, n int) loadkit.Request // what the load generator sends
	route  string                                     // the bare server's pattern
}

func main() {
	pg := flag.String("postgres", "", "PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): run the service on a scratch database there instead of the embedded SQLite")
	conns := flag.Int("conns", 64, "concurrent keep-alive connections")
	dur := flag.Duration("duration", 5*time.Second, "length of each measured run")
	rounds := flag.Int("rounds", 2, "alternating rounds (bare, service) per scenario")
	users := flag.Int("users", 1000, "users the decision check rotates over")
	work := flag.String("work", "", "working directory (binaries, data, logs); empty = a new temporary one")
	only := flag.String("only", "", "run only this scenario (read, check, write)")
	extra := flag.String("env", "", "extra TF_* settings for the service, comma-separated K=V")
	prebuilt := flag.String("bin", "", "a prebuilt telemetryflow binary to measure (e.g. another commit's); empty = build this tree's")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *pg, *conns, *dur, *rounds, *users, *work, *only, *extra, *prebuilt); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, pg string, conns int, dur time.Duration, rounds, users int, work, only, extra, prebuilt string) error {
	if work == "" {
		d, err := os.MkdirTemp("", "benchhttp-")
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
	bin := prebuilt
	if bin == "" {
		b, err := loadkit.Build(ctx, "./cmd/telemetryflow", work)
		if err != nil {
			return err
		}
		bin = b
	}
	bareBin, err := loadkit.Build(ctx, "./internal/devtools/bareserver", work)
	if err != nil {
		return err
	}
	dbURL, store := "", "embedded SQLite"
	if pg != "" {
		u, drop, err := loadkit.ScratchPostgres(ctx, pg)
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
	sess, err := loadkit.StartSignedIn(ctx, bin, addr, work, dbURL, splitEnv(extra)...)
	if err != nil {
		return err
	}
	defer sess.Close()
	svc, c, tok := sess.Service, sess.Conn, sess.Admin
	fmt.Printf("creating %d users ...\n", users)
	ids, err := loadkit.CreateUsers(addr, tok.AccessToken, tok.User.OrganizationID, users, 2)
	if err != nil {
		return err
	}
	scenarios := []scenario{
		{name: "read", status: http.StatusOK, route: "GET /api/v2/users/{id}",
			first: loadkit.Request{Method: http.MethodGet, Path: "/api/v2/users/" + tok.User.ID, Token: tok.AccessToken},
			next: func(_, _, _ int) loadkit.Request {
				return loadkit.Request{Method: http.MethodGet, Path: "/api/v2/users/" + tok.User.ID, Token: tok.AccessToken}
			}},
		{name: "check", status: http.StatusOK, route: "POST /api/v2/authz/check",
			first: checkRequest(tok.AccessToken, ids[0]),
			next: func(_, w, n int) loadkit.Request {
				return checkRequest(tok.AccessToken, ids[(w*7919+n)%len(ids)])
			}},
		{name: "write", status: http.StatusCreated, route: "POST /api/v2/regions",
			first: regionRequest(tok.AccessToken, "first"),
			next: func(r, w, n int) loadkit.Request {
				return regionRequest(tok.AccessToken, fmt.Sprintf("r%d-w%d-%d", r, w, n))
			}},
	}
	bareArgs := []string{"-addr"}
	bareAddr, err := loadkit.FreeAddr()
	if err != nil {
		return err
	}
	bareArgs = append(bareArgs, bareAddr)
	for _, s := range scenarios {
		status, err := c.Do(s.first)
		if err != nil {
			return err
		}
		if status != s.status {
			return fmt.Errorf("%s: %d %s", s.name, status, c.Body.String())
		}
		file := filepath.Join(work, s.name+".json")
		if err := os.WriteFile(file, c.Body.Bytes(), 0o600); err != nil {
			return err
		}
		bareArgs = append(bareArgs, "-answer", fmt.Sprintf("%s=%d=%s", s.route, s.status, file))
	}
	bare, err := loadkit.Start(ctx, bareBin, bareArgs, nil, bareAddr, filepath.Join(work, "bare.log"), "/health/ready")
	if err != nil {
		return err
	}
	defer bare.Stop()

	reads := "TF_AUDIT_READS=all"
	for _, kv := range strings.Split(extra, ",") {
		if strings.HasPrefix(kv, "TF_AUDIT_READS=") {
			reads = kv
		}
	}
	fmt.Printf("service on %s (%s, %s, info access log), %d connections, %d rounds of %s each, load %s\n",
		store, "pid "+fmt.Sprint(svc.Pid()), reads, conns, rounds, dur, loadkit.LoadAvg())
	fmt.Printf("%-6s %-5s %-8s %12s %9s %9s %s\n", "op", "round", "server", "requests/s", "p50", "p99", "statuses")
	for _, s := range scenarios {
		if only != "" && s.name != only {
			continue
		}
		var rate [2]float64
		for r := range rounds + 1 {
			for i, target := range []*loadkit.Process{bare, svc} {
				d := dur
				if r == 0 {
					d = time.Second // warm-up, not counted
				}
				op, elapsed := loadkit.Drive(target.Addr, conns, d, func(w, n int) loadkit.Request { return s.next(r, w, n) })
				if r == 0 {
					continue
				}
				ok := float64(op.Statuses[s.status]) / elapsed.Seconds()
				rate[i] += ok / float64(rounds)
				fmt.Printf("%-6s %-5d %-8s %12.0f %9s %9s %s\n", s.name, r, []string{"bare", "service"}[i], ok,
					op.Latency.Quantile(0.5), op.Latency.Quantile(0.99), op.StatusString())
			}
		}
		fmt.Printf("%-6s mean: bare %.0f/s, service %.0f/s, ratio %.1f %% (load %s)\n", s.name, rate[0], rate[1], 100*rate[1]/rate[0], loadkit.LoadAvg())
	}
	return ctx.Err()
}

func checkRequest(token, user string) loadkit.Request {
	b, _ := json.Marshal(map[string]any{"checks": []map[string]string{{"user_id": user, "permission": "user:read"}}})
	return loadkit.Request{Method: http.MethodPost, Path: "/api/v2/authz/check", Token: token, Body: b}
}

func regionRequest(token, code string) loadkit.Request {
	b, _ := json.Marshal(map[string]string{"name": "Region " + code, "code": code})
	return loadkit.Request{Method: http.MethodPost, Path: "/api/v2/regions", Token: token, Body: b}
}

func splitEnv(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
