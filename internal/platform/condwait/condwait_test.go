package condwait_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/condwait"
)

// TestWaitReturnsOnCancel: a waiter nobody broadcasts to returns once its context ends.
func TestWaitReturnsOnCancel(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	mu.Lock()
	go func() {
		defer close(done)
		mu.Lock()
		cancel()
		mu.Unlock()
	}()
	for ctx.Err() == nil {
		condwait.Wait(ctx, c, time.Hour)
	}
	mu.Unlock()
	<-done
}

// TestWaitPolls: without a broadcast or a cancellation, Wait still returns (after poll), so
// a state change nobody announces is seen.
func TestWaitPolls(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	condwait.Wait(context.Background(), c, time.Millisecond)
	mu.Unlock()
}
