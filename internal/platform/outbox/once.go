package outbox

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/event"
)

// Once makes a subscriber idempotent within this process: an event id it has handled
// successfully is skipped when delivered again. It remembers the last capacity ids, which
// covers the redelivery window of the dispatcher (a failed or unmarked delivery retried by
// the next poll). Subscribers with durable effects should deduplicate durably instead.
func Once(s Subscriber, capacity int) Subscriber {
	if capacity <= 0 {
		capacity = 10000
	}
	return &once{next: s, seen: make(map[uuid.UUID]struct{}, capacity), ring: make([]uuid.UUID, capacity)}
}

type once struct {
	next Subscriber
	// mu is held across Handle so two concurrent deliveries of the same event cannot both
	// pass the check.
	mu   sync.Mutex
	seen map[uuid.UUID]struct{}
	ring []uuid.UUID
	pos  int
}

func (o *once) Handle(ctx context.Context, e event.Envelope) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, dup := o.seen[e.ID]; dup {
		return nil
	}
	if err := o.next.Handle(ctx, e); err != nil {
		return err
	}
	if old := o.ring[o.pos]; old != uuid.Nil {
		delete(o.seen, old)
	}
	o.ring[o.pos] = e.ID
	o.pos = (o.pos + 1) % len(o.ring)
	o.seen[e.ID] = struct{}{}
	return nil
}
