// Package auditwriter is the audit pipeline between the request path and a sink: Record appends
// the event to the durable spool (a memory copy) and returns; one background inserter sends
// the spool's records to the sink in batches, retrying with backoff until the sink confirms
// them. It works with any audit.Sink (ClickHouse, SQL).
//
// Why every event goes through the spool: Record returning nil is a promise that the event
// will be stored. An event held only in process memory breaks that promise when the process
// is killed. The spool's segments are memory-mapped files, so appending is as cheap as an
// in-memory queue and the event outlives the process; see docs/audit.md.
package auditwriter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/condwait"
	"github.com/telemetryflow/core/internal/platform/spool"
)

// Errors Record returns; the event was not recorded.
var (
	ErrClosed       = errors.New("audit writer: closed")
	ErrInvalidEvent = errors.New("audit writer: event has no id, event type or result")
	ErrTooLarge     = errors.New("audit writer: event too large")
)

// The defaults of the settings the service exposes (TF_AUDIT_QUEUE_SIZE, TF_AUDIT_BATCH_SIZE,
// TF_AUDIT_FLUSH_INTERVAL): internal/platform/config takes them from here, so each has one
// source.
const (
	DefaultQueueSize     = 65536
	DefaultBatchSize     = 50000
	DefaultFlushInterval = time.Second
)

// Config tunes a writer. Zero values take the defaults.
type Config struct {
	// Sink and SpoolDir are required.
	Sink audit.Sink
	// SpoolDir holds the durable spool (created if missing; one process per directory).
	SpoolDir string
	// QueueSize is the backlog, in events, up to which the sink counts as keeping up; events
	// accepted beyond it (or while the sink fails) count as spooled (DefaultQueueSize).
	QueueSize int
	// BatchSize is the most events per insert (DefaultBatchSize).
	BatchSize int
	// Concurrency is how many batches may be in flight at once (default 1, at most
	// spool.MaxInflight). ClickHouse turns each insert into parts on one thread, so two at once
	// use two cores; batches still leave the spool in order and are committed in order.
	Concurrency int
	// FlushInterval is the longest an event waits for its batch to fill (DefaultFlushInterval).
	FlushInterval time.Duration
	// InsertTimeout bounds one insert attempt (default 30 s).
	InsertTimeout time.Duration
	// RetryMin and RetryMax bound the backoff between failed attempts (default 100 ms, 10 s).
	RetryMin, RetryMax time.Duration
	// MaxEventBytes is the largest encoded event Record accepts (default 1 MiB).
	MaxEventBytes int
	// SegmentSize and SyncInterval tune the spool (see spool.Config).
	SegmentSize  int64
	SyncInterval time.Duration
	// OnBatch, if set, observes every insert attempt (metrics).
	OnBatch func(BatchResult)
	Log     *slog.Logger
}

// BatchResult describes one insert attempt.
type BatchResult struct {
	Events   int
	Duration time.Duration
	Err      error
}

// Validate reports a missing sink or spool directory.
func (c Config) Validate() error {
	var problems []error
	if c.Sink == nil {
		problems = append(problems, errors.New("audit writer: no sink"))
	}
	if c.SpoolDir == "" {
		problems = append(problems, errors.New("audit writer: no spool directory"))
	}
	return errors.Join(problems...)
}

// withDefaults fills the zero (or negative) settings.
func (c *Config) withDefaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.QueueSize, DefaultQueueSize)
	def(&c.BatchSize, DefaultBatchSize)
	def(&c.MaxEventBytes, 1<<20)
	def(&c.Concurrency, 1)
	c.Concurrency = min(c.Concurrency, spool.MaxInflight)
	defDur(&c.FlushInterval, DefaultFlushInterval)
	defDur(&c.InsertTimeout, 30*time.Second)
	defDur(&c.RetryMin, 100*time.Millisecond)
	defDur(&c.RetryMax, 10*time.Second)
	if c.RetryMax < c.RetryMin {
		c.RetryMax = c.RetryMin
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Writer implements audit.Recorder. Record appends; a dispatcher goroutine (dispatch.go) cuts
// the spool into batches and senders deliver them.
type Writer struct {
	cfg   Config
	sink  audit.Sink
	spool *spool.Spool
	log   *slog.Logger
	rec   spool.Recovery

	bufs sync.Pool

	closed   atomic.Bool
	closing  chan struct{} // Close began: drain what is there, then stop
	hardStop chan struct{} // Close's deadline passed: stop retrying, leave the rest spooled
	done     chan struct{}
	wake     chan struct{}
	runCtx   context.Context
	stopRun  context.CancelFunc
	// notifyAt is the accepted count at which Record wakes the inserter: the next event when
	// it is idle, a full batch when it is waiting for one.
	notifyAt atomic.Uint64
	flushReq atomic.Bool
	degraded atomic.Bool
	// retryNow is closed (and replaced) by RetryNow to end the backoffs under way.
	retryMu  sync.Mutex
	retryNow chan struct{}

	accepted  atomic.Uint64 // events Record acknowledged in this process
	recovered uint64        // events an earlier process left in the spool
	read      atomic.Uint64 // events the inserter has taken from the spool
	m         counters

	progressMu sync.Mutex
	progress   *sync.Cond

	hist prometheus.Histogram

	// Batches in flight: at most Concurrency (slots), tracked in order so that the log is
	// committed only up to the first batch not yet confirmed.
	slots   chan struct{}
	free    chan []audit.Event
	senders sync.WaitGroup
	stateMu sync.Mutex
	pending []*inflight
	// committed is the spool position up to which the sink has confirmed everything.
	committed spool.Pos
}

var _ audit.Recorder = (*Writer)(nil)

// New opens the spool, replays whatever an earlier process left there (in order, before new
// events) and starts the inserter.
func New(cfg Config) (*Writer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.withDefaults()
	sp, rec, err := spool.Open(spool.Config{Dir: cfg.SpoolDir, SegmentSize: cfg.SegmentSize, SyncInterval: cfg.SyncInterval, Log: cfg.Log})
	if err != nil {
		return nil, err
	}
	if cfg.MaxEventBytes > sp.MaxRecord() {
		cfg.MaxEventBytes = sp.MaxRecord()
	}
	w := &Writer{
		cfg: cfg, sink: cfg.Sink, spool: sp, log: cfg.Log, rec: rec,
		closing: make(chan struct{}), hardStop: make(chan struct{}), done: make(chan struct{}),
		wake: make(chan struct{}, 1), recovered: uint64(rec.Records), hist: newBatchHistogram(),
		slots: make(chan struct{}, cfg.Concurrency), free: make(chan []audit.Event, cfg.Concurrency+1),
		retryNow: make(chan struct{}),
	}
	w.progress = sync.NewCond(&w.progressMu)
	w.runCtx, w.stopRun = context.WithCancel(context.Background())
	w.bufs.New = func() any { b := make([]byte, 0, 1024); return &b }
	w.m.corrupt.Store(uint64(rec.Corrupt))
	if rec.Records > 0 || rec.Corrupt > 0 {
		w.log.Info("audit spool: replaying events left by an earlier run", "events", rec.Records, "damaged_segments", rec.Corrupt)
	}
	go w.run()
	return w, nil
}

// Record appends e to the spool. It returns nil only when the event is durable against a
// crash of this process; it never waits for the sink.
func (w *Writer) Record(_ context.Context, e audit.Event) error {
	if w.closed.Load() {
		w.m.drop(dropClosed)
		return ErrClosed
	}
	if e.ID == [16]byte{} || e.EventType.String() == "" || e.Result.String() == "" {
		w.m.drop(dropInvalid)
		return ErrInvalidEvent
	}
	size := encodedSize(&e)
	if size > w.cfg.MaxEventBytes {
		w.m.drop(dropTooLarge)
		return ErrTooLarge
	}
	var flags byte
	if w.degraded.Load() || w.depth() >= uint64(w.cfg.QueueSize) {
		flags = flagSpooled
	}
	bp := w.bufs.Get().(*[]byte)
	buf := encode((*bp)[:0], &e, flags)
	err := w.spool.Append(buf)
	*bp = buf
	w.bufs.Put(bp)
	if err != nil {
		if errors.Is(err, spool.ErrClosed) {
			w.m.drop(dropClosed)
			return ErrClosed
		}
		w.m.drop(dropSpool)
		w.log.Error("audit event not spooled", "error", err)
		return fmt.Errorf("audit writer: %w", err)
	}
	n := w.accepted.Add(1)
	w.m.accept(e.EventType, e.Result, flags)
	if w.recovered+n >= w.notifyAt.Load() {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

func (w *Writer) depth() uint64 {
	total := w.recovered + w.accepted.Load()
	if c := w.m.committed.Load(); c < total {
		return total - c
	}
	return 0
}

// Flush waits until every event acknowledged before the call is stored by the sink, or ctx
// ends. Partial batches are sent at once instead of after FlushInterval.
func (w *Writer) Flush(ctx context.Context) error {
	target := w.recovered + w.accepted.Load()
	w.flushReq.Store(true)
	w.kick()
	w.progressMu.Lock()
	defer w.progressMu.Unlock()
	for w.m.committed.Load() < target {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case <-w.done:
			return ErrClosed
		default:
		}
		condwait.Wait(ctx, w.progress, 100*time.Millisecond)
	}
	return nil
}

// Close stops accepting events and sends what is queued to the sink until ctx ends; whatever
// is left stays in the spool, on stable storage, for the next start.
func (w *Writer) Close(ctx context.Context) error {
	if w.closed.Swap(true) {
		<-w.done
		return nil
	}
	close(w.closing)
	w.kick()
	select {
	case <-w.done:
	case <-ctx.Done():
		close(w.hardStop)
		w.stopRun()
		<-w.done
	}
	w.stopRun()
	left := w.depth()
	err := w.spool.Close()
	if left > 0 {
		w.log.Warn("audit writer stopped with events still spooled; they are sent on the next start", "events", left)
	}
	return err
}

// SinkFailing reports whether the last insert attempt failed (events are being spooled).
func (w *Writer) SinkFailing() bool { return w.degraded.Load() }

// RetryNow ends the backoff of every failed batch waiting for its next attempt: the caller
// knows the sink is back (ClickHouse connected), so the spool drains without waiting out a
// backoff of up to RetryMax.
func (w *Writer) RetryNow() {
	w.retryMu.Lock()
	close(w.retryNow)
	w.retryNow = make(chan struct{})
	w.retryMu.Unlock()
}

func (w *Writer) retrySignal() <-chan struct{} {
	w.retryMu.Lock()
	defer w.retryMu.Unlock()
	return w.retryNow
}

func (w *Writer) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
