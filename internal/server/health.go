package server

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

// Ready runs every check concurrently and answers 503 naming the failing ones.
func (h *Health) Ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	out := readiness{Status: "ready", Checks: make(map[string]checkResult, len(h.checks))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range h.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := c.Run(ctx)
			res := checkResult{Status: "up", DurationMS: time.Since(start).Milliseconds()}
			if err != nil {
				res.Status, res.Error = "down", err.Error()
			}
			mu.Lock()
			out.Checks[c.Name] = res
			if err != nil {
				out.Status = "unavailable"
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	status := http.StatusOK
	if out.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, out)
}
