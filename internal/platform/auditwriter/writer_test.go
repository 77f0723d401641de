package auditwriter_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/auditwriter"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

// memSink stores events in memory and can be told to fail or to store and then fail (a
// timeout after the server committed).
type memSink struct {
	mu      sync.Mutex
	batches [][]uuid.UUID
	stored  map[uuid.UUID]audit.Event
	order   []uuid.UUID
	// fail, when set, decides each attempt's outcome before storing; failAfter after.
	fail      func() error
	failAfter func() error
	delay     time.Duration
}

func newMemSink() *memSink { return &memSink{stored: map[uuid.UUID]audit.Event{}} }

func (s *memSink) Write(ctx context.Context, events []audit.Event) error {
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(); err != nil {
			return err
		}
	}
	ids := make([]uuid.UUID, len(events))
	for i, e := range events {
		ids[i] = e.ID
		if _, dup := s.stored[e.ID]; !dup {
			s.stored[e.ID] = e
			s.order = append(s.order, e.ID)
		}
	}
	s.batches = append(s.batches, ids)
	if s.failAfter != nil {
		return s.failAfter()
	}
	return nil
}

func (s *memSink) Ping(context.Context) error { return nil }

func (s *memSink) snapshot() (order []uuid.UUID, batches [][]uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.order), slices.Clone(s.batches)
}

func newWriter(t *testing.T, sink audit.Sink, dir string, mod func(*auditwriter.Config)) *auditwriter.Writer {
	t.Helper()
	cfg := auditwriter.Config{
		Sink: sink, SpoolDir: dir, BatchSize: 100, FlushInterval: 20 * time.Millisecond,
		RetryMin: time.Millisecond, RetryMax: 20 * time.Millisecond, SegmentSize: 256 << 10,
	}
	if mod != nil {
		mod(&cfg)
	}
	w, err := auditwriter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func record(t *testing.T, w *auditwriter.Writer, events []audit.Event) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, len(events))
	for i, e := range events {
		if err := w.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		ids[i] = e.ID
	}
	return ids
}

func flush(t *testing.T, w *auditwriter.Writer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("flush: %v (stats %+v)", err, w.Stats())
	}
}

func closeWriter(t *testing.T, w *auditwriter.Writer, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestEveryEventArrivesOnceInOrderWithAllColumns(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	w := newWriter(t, sink, t.TempDir(), nil)
	events := audittest.Sample(1050)
	events[7].Metadata = `{"emoji":"🦫","nul":"\u0000"}`
	events[8].EventType, events[8].Result = audit.EventAuthz, audit.ResultDenied
	ids := record(t, w, events)
	flush(t, w)
	order, batches := sink.snapshot()
	if !slices.Equal(order, ids) {
		t.Fatalf("sink got %d events, want %d in order", len(order), len(ids))
	}
	for _, b := range batches {
		if len(b) > 100 {
			t.Fatalf("batch of %d exceeds BatchSize", len(b))
		}
	}
	for _, want := range events {
		got := sink.stored[want.ID]
		if !got.Timestamp.Equal(want.Timestamp) || !got.CreatedAt.Equal(want.CreatedAt) {
			t.Fatalf("times changed: %v %v", got.Timestamp, want.Timestamp)
		}
		got.Timestamp, got.CreatedAt = want.Timestamp, want.CreatedAt
		if got != want {
			t.Fatalf("event changed:\n got %+v\nwant %+v", got, want)
		}
	}
	closeWriter(t, w, 5*time.Second)
	st := w.Stats()
	if st.Written != 1050 || st.TotalAccepted() != 1050 || st.TotalDropped() != 0 || st.QueueDepth != 0 || st.Spooled != 0 {
		t.Fatalf("stats %+v", st)
	}
	if st.Accepted[audit.EventAuthz][audit.ResultDenied] != 1 || st.Accepted[audit.EventData][audit.ResultSuccess] != 1049 {
		t.Fatalf("accepted by type/result %+v", st.Accepted)
	}
}

func TestPartialBatchIsSentAfterFlushInterval(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	w := newWriter(t, sink, t.TempDir(), func(c *auditwriter.Config) { c.BatchSize = 1000; c.FlushInterval = 30 * time.Millisecond })
	defer closeWriter(t, w, 5*time.Second)
	ids := record(t, w, audittest.Sample(3))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if order, _ := sink.snapshot(); slices.Equal(order, ids) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("partial batch never sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSinkOutageSpoolsThenReplaysInOrder(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	var down sync.Mutex
	isDown := true
	sink.fail = func() error {
		down.Lock()
		defer down.Unlock()
		if isDown {
			return errors.New("connection refused")
		}
		return nil
	}
	w := newWriter(t, sink, t.TempDir(), nil)
	defer closeWriter(t, w, 5*time.Second)
	ids := record(t, w, audittest.Sample(500))
	time.Sleep(50 * time.Millisecond)
	ids = append(ids, record(t, w, audittest.Sample(500))...)
	st := w.Stats()
	if !st.SinkFailing || st.BatchesFailed == 0 || st.Spooled == 0 || st.Written != 0 || st.SpoolBytes < 1000*100 {
		t.Fatalf("during outage: %+v", st)
	}
	down.Lock()
	isDown = false
	down.Unlock()
	flush(t, w)
	order, _ := sink.snapshot()
	if !slices.Equal(order, ids) {
		t.Fatalf("after outage sink has %d events, want %d in order", len(order), len(ids))
	}
	st = w.Stats()
	if st.Replayed != st.Spooled || st.SinkFailing || st.TotalDropped() != 0 || st.SpoolBytes != 0 {
		t.Fatalf("after outage: %+v", st)
	}
}

// A sink that stores a batch but reports failure (a timeout after the server committed) gets
// the identical batch again: same events, same order. That is what lets ClickHouse recognise
// the repeat by its deduplication token.
func TestRetryResendsTheIdenticalBatch(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	n := 0
	sink.failAfter = func() error {
		n++
		if n%2 == 1 {
			return context.DeadlineExceeded
		}
		return nil
	}
	w := newWriter(t, sink, t.TempDir(), nil)
	ids := record(t, w, audittest.Sample(350))
	flush(t, w)
	closeWriter(t, w, 5*time.Second)
	order, batches := sink.snapshot()
	if !slices.Equal(order, ids) {
		t.Fatalf("stored %d, want %d", len(order), len(ids))
	}
	if len(batches)%2 != 0 {
		t.Fatalf("%d attempts, want pairs", len(batches))
	}
	for i := 0; i < len(batches); i += 2 {
		if !slices.Equal(batches[i], batches[i+1]) {
			t.Fatalf("retry %d differs from the first attempt", i/2)
		}
	}
}

func TestQueueBeyondCapacityCountsAsSpooled(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	sink.delay = 20 * time.Millisecond
	w := newWriter(t, sink, t.TempDir(), func(c *auditwriter.Config) { c.QueueSize = 16; c.BatchSize = 10 })
	ids := record(t, w, audittest.Sample(200))
	flush(t, w)
	closeWriter(t, w, 5*time.Second)
	st := w.Stats()
	if st.Spooled == 0 || st.Replayed != st.Spooled || st.Written != 200 {
		t.Fatalf("stats %+v", st)
	}
	if order, _ := sink.snapshot(); !slices.Equal(order, ids) {
		t.Fatal("order")
	}
}

func TestCloseDrainsToSinkOrLeavesTheRestSpooled(t *testing.T) {
	t.Parallel()
	t.Run("sink up: everything is sent", func(t *testing.T) {
		t.Parallel()
		sink := newMemSink()
		w := newWriter(t, sink, t.TempDir(), func(c *auditwriter.Config) { c.FlushInterval = time.Hour })
		ids := record(t, w, audittest.Sample(250))
		closeWriter(t, w, 10*time.Second)
		if order, _ := sink.snapshot(); !slices.Equal(order, ids) {
			t.Fatalf("close sent %d of %d", len(order), len(ids))
		}
		if err := w.Record(context.Background(), audittest.Sample(1)[0]); !errors.Is(err, auditwriter.ErrClosed) {
			t.Fatalf("record after close: %v", err)
		}
		if w.Stats().Dropped[0] != 1 {
			t.Fatalf("dropped %+v", w.Stats().Dropped)
		}
	})
	t.Run("sink down: the next start replays", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		down := newMemSink()
		down.fail = func() error { return errors.New("down") }
		w := newWriter(t, down, dir, nil)
		ids := record(t, w, audittest.Sample(300))
		closeWriter(t, w, 100*time.Millisecond)
		if st := w.Stats(); st.QueueDepth != 300 {
			t.Fatalf("left %d, want 300", st.QueueDepth)
		}

		up := newMemSink()
		w = newWriter(t, up, dir, nil)
		more := record(t, w, audittest.Sample(10))
		flush(t, w)
		closeWriter(t, w, 5*time.Second)
		if order, _ := up.snapshot(); !slices.Equal(order, append(ids, more...)) {
			t.Fatalf("replay after restart: %d events", len(order))
		}
		if st := w.Stats(); st.Replayed != 300 || st.Written != 310 {
			t.Fatalf("stats %+v", st)
		}
	})
}

func TestInvalidEventsAreRefusedAndCounted(t *testing.T) {
	t.Parallel()
	w := newWriter(t, newMemSink(), t.TempDir(), func(c *auditwriter.Config) { c.MaxEventBytes = 4096 })
	defer closeWriter(t, w, 5*time.Second)
	e := audittest.Sample(1)[0]
	noID, noType, huge := e, e, e
	noID.ID = uuid.Nil
	noType.EventType = 0
	huge.Metadata = string(make([]byte, 5000))
	for _, bad := range []audit.Event{noID, noType} {
		if err := w.Record(context.Background(), bad); !errors.Is(err, auditwriter.ErrInvalidEvent) {
			t.Fatalf("invalid: %v", err)
		}
	}
	if err := w.Record(context.Background(), huge); !errors.Is(err, auditwriter.ErrTooLarge) {
		t.Fatalf("huge: %v", err)
	}
	st := w.Stats()
	if st.Dropped != [4]uint64{0, 2, 1, 0} || st.TotalAccepted() != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestConcurrentRecordersLoseNothing(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	w := newWriter(t, sink, t.TempDir(), func(c *auditwriter.Config) { c.BatchSize = 500 })
	const goroutines, each = 16, 1000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for _, e := range audittest.Sample(each) {
				e.UserID = fmt.Sprint(g)
				if err := w.Record(context.Background(), e); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	flush(t, w)
	closeWriter(t, w, 5*time.Second)
	order, _ := sink.snapshot()
	if len(order) != goroutines*each {
		t.Fatalf("stored %d", len(order))
	}
	// Each goroutine's events keep their order.
	last := map[string]time.Time{}
	for _, id := range order {
		e := sink.stored[id]
		if e.Timestamp.Before(last[e.UserID]) {
			t.Fatalf("goroutine %s out of order", e.UserID)
		}
		last[e.UserID] = e.Timestamp
	}
}

// With several batches in flight, a batch that keeps failing holds the commit point: the
// batches after it may be stored, but they stay in the checkpoint (a restart would replay them
// cut the same way, which the sink recognises), and no more than Concurrency batches wait.
func TestConcurrentBatchesCommitInOrder(t *testing.T) {
	t.Parallel()
	sink := newMemSink()
	var mu sync.Mutex
	failing := true
	var poison uuid.UUID
	w := newWriter(t, &gatedSink{memSink: sink, poison: &poison, failing: &failing, mu: &mu}, t.TempDir(), func(c *auditwriter.Config) {
		c.Concurrency = 3
		c.BatchSize = 50
	})
	events := audittest.Sample(1000)
	poison = events[120].ID // in the third batch
	ids := record(t, w, events)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if order, _ := sink.snapshot(); len(order) >= 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	order, _ := sink.snapshot()
	// Two batches before the failing one, at most two stored after it.
	if st := w.Stats(); len(order) < 100 || len(order) > 200 || st.Written != 100 || st.QueueDepth != 900 {
		t.Fatalf("while one batch fails: %d stored, stats %+v", len(order), st)
	}
	mu.Lock()
	failing = false
	mu.Unlock()
	flush(t, w)
	closeWriter(t, w, 5*time.Second)
	order, _ = sink.snapshot()
	if len(order) != len(ids) {
		t.Fatalf("stored %d of %d", len(order), len(ids))
	}
	if st := w.Stats(); st.Written != 1000 || st.QueueDepth != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// gatedSink fails every batch that holds the poison id while failing is set.
type gatedSink struct {
	*memSink
	poison  *uuid.UUID
	failing *bool
	mu      *sync.Mutex
}

func (g *gatedSink) Write(ctx context.Context, events []audit.Event) error {
	g.mu.Lock()
	failing := *g.failing
	g.mu.Unlock()
	if failing {
		for _, e := range events {
			if e.ID == *g.poison {
				return errors.New("this batch fails")
			}
		}
	}
	return g.memSink.Write(ctx, events)
}
