package outbox_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/outbox"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

var _ outbox.Store = (*store.Outbox)(nil)

// counter is an idempotent subscriber (through outbox.Once) that counts what it applied.
type counter struct {
	mu      sync.Mutex
	applied map[uuid.UUID]int
	calls   int
	fail    bool
}

func (c *counter) Handle(_ context.Context, e event.Envelope) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.fail {
		return errors.New("subscriber down")
	}
	c.applied[e.ID]++
	return nil
}

func (c *counter) count(id uuid.UUID) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied[id]
}

func newCounter() *counter { return &counter{applied: map[uuid.UUID]int{}} }

// openStore opens the store on db; a non-nil afterCommit replaces the in-request publication.
func openStore(t *testing.T, db *sqldb.DB, afterCommit store.Publisher) *store.Store {
	t.Helper()
	st, err := store.New(store.Config{Client: store.Open(db), Dialect: db.Dialect, Cursors: iamtest.Cursors(t), AfterCommit: afterCommit})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func newDispatcher(t *testing.T, cfg outbox.Config) *outbox.Dispatcher {
	t.Helper()
	d, err := outbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// commit writes one event through the unit of work of st.
func commit(t *testing.T, st *store.Store) uuid.UUID {
	t.Helper()
	region := uuid.New()
	if err := st.Do(context.Background(), func(_ context.Context, tx port.Tx) error {
		tx.Emit(event.RegionDeleted{RegionID: region})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	pending, err := st.Outbox().Pending(context.Background(), time.Now(), 100, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pending {
		if p.Event.Meta().AggregateID == region.String() {
			return p.ID
		}
	}
	t.Fatalf("event of region %s is not pending", region)
	return uuid.Nil
}

// TestCrashBetweenCommitAndPublish: the process "dies" after the commit and before the
// in-request publication (the injected publisher drops the events). A new dispatcher — the
// restarted process — finds the event in the outbox and delivers it, exactly once to an
// idempotent subscriber, however often it is redelivered afterwards.
func TestCrashBetweenCommitAndPublish(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		crashed := func(context.Context, []event.Envelope) {} // killed between commit and publish
		st := openStore(t, db, crashed)
		id := commit(t, st)

		sub := newCounter()
		d := newDispatcher(t, outbox.Config{Store: st.Outbox(), Interval: 10 * time.Millisecond, Grace: time.Millisecond})
		d.Subscribe("counter", outbox.Once(sub, 100))
		if sub.count(id) != 0 {
			t.Fatal("delivered before the restart")
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- d.Run(runCtx) }()
		waitFor(t, func() bool { return sub.count(id) == 1 })
		waitFor(t, func() bool { ok, _ := st.Outbox().Dispatched(ctx, id); return ok })

		// Redelivery (another poll, a duplicate publish) is absorbed by the idempotent
		// subscriber.
		if _, err := d.Drain(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		d.Publish(ctx, []event.Envelope{{ID: id, OccurredAt: time.Now(), Event: event.RegionDeleted{}}})
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if n := sub.count(id); n != 1 {
			t.Fatalf("applied %d times, want exactly once", n)
		}
	})
}

// TestFailedDeliveryIsRetried: inline publication fails, the event stays pending with its
// error, and the poller delivers it once the subscriber recovers.
func TestFailedDeliveryIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		st := openStore(t, db, nil)
		sub := newCounter()
		sub.fail = true
		d := newDispatcher(t, outbox.Config{Store: st.Outbox(), Interval: 10 * time.Millisecond, Grace: time.Millisecond})
		d.Subscribe("counter", outbox.Once(sub, 100))
		st.SetAfterCommit(d.Publish)

		region := uuid.New()
		if err := st.Do(ctx, func(_ context.Context, tx port.Tx) error {
			tx.Emit(event.RegionDeleted{RegionID: region})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		pending, err := st.Outbox().Pending(ctx, time.Now(), 100, 100)
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending after a failed publication: %v %v", pending, err)
		}
		id := pending[0].ID
		sub.mu.Lock()
		calls := sub.calls
		sub.fail = false
		sub.mu.Unlock()
		if calls != 1 {
			t.Fatalf("inline publication called the subscriber %d times", calls)
		}
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		go func() { _ = d.Run(runCtx) }()
		waitFor(t, func() bool { return sub.count(id) == 1 })
		waitFor(t, func() bool { ok, _ := st.Outbox().Dispatched(ctx, id); return ok })
	})
}

// TestPublishDeliversInline: a healthy subscriber sees the event before Do returns.
func TestPublishDeliversInline(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		st := openStore(t, db, nil)
		d := newDispatcher(t, outbox.Config{Store: st.Outbox()})
		sub := newCounter()
		d.Subscribe("counter", sub)
		st.SetAfterCommit(d.Publish)
		if err := st.Do(ctx, func(_ context.Context, tx port.Tx) error {
			tx.Emit(event.RegionDeleted{RegionID: uuid.New()})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		sub.mu.Lock()
		n := len(sub.applied)
		sub.mu.Unlock()
		if n != 1 {
			t.Fatalf("applied %d events when Do returned", n)
		}
		pending, err := st.Outbox().Pending(ctx, time.Now(), 100, 100)
		if err != nil || len(pending) != 0 {
			t.Fatalf("still pending: %v %v", pending, err)
		}
	})
}

func TestOnceSkipsOnlySuccesses(t *testing.T) {
	t.Parallel()
	sub := newCounter()
	once := outbox.Once(sub, 2)
	ctx := context.Background()
	a, b, c := event.Envelope{ID: uuid.New()}, event.Envelope{ID: uuid.New()}, event.Envelope{ID: uuid.New()}
	sub.fail = true
	if err := once.Handle(ctx, a); err == nil {
		t.Fatal("failure swallowed")
	}
	sub.fail = false
	for _, e := range []event.Envelope{a, a, b, a} {
		if err := once.Handle(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if sub.count(a.ID) != 1 || sub.count(b.ID) != 1 {
		t.Fatalf("applied %v", sub.applied)
	}
	// Capacity 2: after c, a is forgotten (bounded memory) — the dispatcher's redelivery
	// window is far shorter than the capacity in production.
	_ = once.Handle(ctx, c)
	_ = once.Handle(ctx, a)
	if sub.count(a.ID) != 2 {
		t.Fatalf("eviction: applied %v", sub.applied)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
