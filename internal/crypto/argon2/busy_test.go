package argon2

import (
	"context"
	"errors"
	"testing"
	"time"
)

// White-box: holding every slot directly makes the queue timeout deterministic.
func TestBusyWhenAllSlotsTaken(t *testing.T) {
	t.Parallel()
	h, err := New(Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1, Concurrency: 2, QueueTimeout: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h.slots <- struct{}{}
	h.slots <- struct{}{}
	ctx := context.Background()
	if _, err := h.Hash(ctx, "queued"); !errors.Is(err, ErrBusy) {
		t.Fatalf("Hash with no free slot: %v, want ErrBusy", err)
	}
	if _, _, err := h.Verify(ctx, "queued", h.dummy); !errors.Is(err, ErrBusy) {
		t.Fatalf("Verify with no free slot: %v, want ErrBusy", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Hash(cancelled, "queued"); !errors.Is(err, context.Canceled) && !errors.Is(err, ErrBusy) {
		t.Fatalf("cancelled caller: %v", err)
	}
	<-h.slots
	if _, err := h.Hash(ctx, "now there is room"); err != nil {
		t.Fatalf("Hash after a slot freed: %v", err)
	}
}
