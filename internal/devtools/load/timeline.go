package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/telemetryflow/core/internal/devtools/loadkit"
)

// timeline keeps the measured window per slice (a minute by default): how many requests
// were answered and the authorized reads' latency. A soak that degrades shows it here, where
// the whole-window percentiles would blur it.
type timeline struct {
	mu    sync.Mutex
	from  time.Time
	slice time.Duration
	all   []uint64
	reads []*loadkit.Histogram
}

func newTimeline(from time.Time, slice time.Duration) *timeline {
	return &timeline{from: from, slice: slice}
}

func (t *timeline) add(op string, started time.Time, d time.Duration) {
	i := int(started.Sub(t.from) / t.slice)
	if i < 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.all) <= i {
		t.all = append(t.all, 0)
		t.reads = append(t.reads, &loadkit.Histogram{})
	}
	t.all[i]++
	if op == "read" {
		t.reads[i].Record(d)
	}
}

func (t *timeline) print() {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Printf("per %s (start: all req/s, read p50 / p99):", t.slice)
	for i, n := range t.all {
		if i%4 == 0 {
			fmt.Print("\n ")
		}
		fmt.Printf("  %5s: %6.0f/s %6s / %-8s", time.Duration(i)*t.slice, float64(n)/t.slice.Seconds(),
			ms(t.reads[i].Quantile(0.5)), ms(t.reads[i].Quantile(0.99)))
	}
	fmt.Println()
}
