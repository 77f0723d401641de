package httpserver

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Check is one readiness dependency.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
	// Tolerated marks a dependency the service is safe to serve without (the audit store,
	// whose events the durable spool keeps until it is back): its failure reports the check
	// "degraded" and readiness stays 200, so an outage of that store does not take every
	// replica out of the load balancer.
	Tolerated bool
}

// Health answers liveness and readiness.
type Health struct {
	checks  []Check
	timeout time.Duration
}

// NewHealth builds the handler; each check gets timeout.
func NewHealth(timeout time.Duration, checks ...Check) *Health {
	return &Health{checks: checks, timeout: timeout}
}

type checkResult struct {
	Status     string `json:"status"`
	DurationMS int64  `json:"duration_ms"`
	Error      string `json:"error,omitempty"`
}

type readiness struct {
	Status string                 `json:"status"`
	Checks map[string]checkResult `json:"checks"`
}

// Live says the process serves HTTP; it checks nothing else on purpose, so an outage of a
// dependency never gets the process restarted.
func (h *Health) Live(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "alive"})
}

// Ready runs every check concurrently and answers 503 naming the failing ones; when only
// tolerated checks fail it answers 200 with status "degraded", naming them.
func (h *Health) Ready(w http.ResponseWriter, r *http.Request) {
	out := readiness{Status: "ready", Checks: make(map[string]checkResult, len(h.checks))}
	unavailable := false
	for name, res := range h.Run(r.Context()) {
		out.Checks[name] = res.result()
		switch {
		case res.Err == nil:
		case res.Tolerated:
			if out.Status == "ready" {
				out.Status = "degraded"
			}
		default:
			unavailable = true
		}
	}
	status := http.StatusOK
	if unavailable {
		out.Status, status = "unavailable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, out)
}

// Result is the outcome of one check.
type Result struct {
	Err      error
	Duration time.Duration
	// Tolerated is the check's Tolerated: a failure degrades the service, it does not stop it.
	Tolerated bool
}

func (r Result) result() checkResult {
	res := checkResult{Status: "up", DurationMS: r.Duration.Milliseconds()}
	switch {
	case r.Err != nil && r.Tolerated:
		res.Status, res.Error = "degraded", r.Err.Error()
	case r.Err != nil:
		res.Status, res.Error = "down", r.Err.Error()
	}
	return res
}

// Run runs every check concurrently, each bounded by the timeout, and returns the outcomes by
// name (readiness answers with them; the metrics endpoint exports them).
func (h *Health) Run(ctx context.Context) map[string]Result {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	out := make(map[string]Result, len(h.checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range h.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := c.Run(ctx)
			mu.Lock()
			out[c.Name] = Result{Err: err, Duration: time.Since(start), Tolerated: c.Tolerated}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
