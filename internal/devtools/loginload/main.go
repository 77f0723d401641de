// Command loginload fires a burst of concurrent logins at a running server and reports the
// outcome counts and latency percentiles; used to measure memory under a login flood
// (docs/benchmarks-auth.md).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:3000/api/v2/auth/login", "login endpoint")
	email := flag.String("email", "admin@telemetryflow.local", "account email")
	password := flag.String("password", "", "account password (wrong ones measure the failure path)")
	n := flag.Int("n", 500, "concurrent attempts")
	flag.Parse()
	body, _ := json(*email, *password)
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: *n}}
	var (
		mu        sync.Mutex
		statuses  = map[int]int{}
		latencies []time.Duration
		wg        sync.WaitGroup
		start     = make(chan struct{})
	)
	for range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t0 := time.Now()
			resp, err := client.Post(*url, "application/json", bytes.NewReader(body))
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				statuses[-1]++
				return
			}
			resp.Body.Close()
			statuses[resp.StatusCode]++
			latencies = append(latencies, d)
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	total := time.Since(t0)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	p := func(q float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(q*float64(len(latencies)-1))]
	}
	fmt.Printf("attempts=%d wall=%s statuses=%v p50=%s p99=%s max=%s\n", *n, total.Round(time.Millisecond), statuses,
		p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), p(1).Round(time.Millisecond))
	if statuses[-1] > 0 {
		os.Exit(1)
	}
}

func json(email, password string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"email":%q,"password":%q}`, email, password)
	return b.Bytes(), nil
}
