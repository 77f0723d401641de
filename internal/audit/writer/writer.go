// Package writer is the audit pipeline between the request path and a sink: Record appends
// the event to the durable spool (a memory copy) and returns; one background inserter sends
// the spool's records to the sink in batches, retrying with backoff until the sink confirms
// them. It works with any audit.Sink (ClickHouse, SQL).
//
// Why every event goes through the spool: Record returning nil is a promise that the event
// will be stored. An event held only in process memory breaks that promise when the process
// is killed. The spool's segments are memory-mapped files, so appending is as cheap as an
// in-memory queue and the event outlives the process; see docs/audit.md.
package writer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/audit/spool"
)

// Errors Record returns; the event was not recorded.
var (
	ErrClosed       = errors.New("audit writer: closed")
	ErrInvalidEvent = errors.New("audit writer: event has no id, event type or result")
	ErrTooLarge     = errors.New("audit writer: event too large")
)

// Config tunes a writer.
type Config struct {
	Sink audit.Sink
	// SpoolDir holds the durable spool (created if missing; one process per directory).
	SpoolDir string
	// QueueSize is the backlog, in events, up to which the sink counts as keeping up; events
	// accepted beyond it (or while the sink fails) count as spooled. Default 65536.
	QueueSize int
	// BatchSize is the most events per insert (default 10000).
	BatchSize int
	// Concurrency is how many batches may be in flight at once (default 1, at most
	// spool.MaxInflight). ClickHouse turns each insert into parts on one thread, so two at once
	// use two cores; batches still leave the spool in order and are committed in order.
	Concurrency int
	// FlushInterval is the longest an event waits for its batch to fill (default 1 s).
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

func (c *Config) defaults() error {
	if c.Sink == nil {
		return errors.New("audit writer: no sink")
	}
	if c.SpoolDir == "" {
		return errors.New("audit writer: no spool directory")
	}
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
	def(&c.QueueSize, 65536)
	def(&c.BatchSize, 10000)
	def(&c.MaxEventBytes, 1<<20)
	def(&c.Concurrency, 1)
	c.Concurrency = min(c.Concurrency, spool.MaxInflight)
	defDur(&c.FlushInterval, time.Second)
	defDur(&c.InsertTimeout, 30*time.Second)
	defDur(&c.RetryMin, 100*time.Millisecond)
	defDur(&c.RetryMax, 10*time.Second)
	if c.RetryMax < c.RetryMin {
		c.RetryMax = c.RetryMin
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Writer implements audit.Recorder.
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
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
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
		waitCond(ctx, w.progress)
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

func (w *Writer) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// run is the dispatcher: it cuts the spool into batches in order and hands each to a sender,
// at most Concurrency at a time. The ends of all batches in flight are on stable storage
// before a batch is sent, so after a crash exactly those batches are replayed.
func (w *Writer) run() {
	defer close(w.done)
	defer func() {
		w.senders.Wait()
		w.progressMu.Lock()
		w.progress.Broadcast()
		w.progressMu.Unlock()
	}()
	pos := w.rec.Committed
	w.committed = pos
	var b spool.Batch
	for _, end := range w.rec.Inflight {
		if !pos.Less(end) {
			continue
		}
		// The previous process sent this batch and died before hearing back: send exactly the
		// same records again, so the sink recognises the batch if it had stored it.
		if err := w.spool.Read(pos, int(^uint(0)>>1), end, &b); err != nil {
			w.log.Error("audit spool: cannot read an in-flight batch", "error", err)
			return
		}
		if !w.dispatch(&b) {
			return
		}
		pos = b.End
	}
	for {
		if !w.waitForBatch() {
			return
		}
		if err := w.spool.Read(pos, w.cfg.BatchSize, spool.Pos{}, &b); err != nil {
			w.log.Error("audit spool: read failed", "error", err)
			return
		}
		if b.Len() > 0 && !w.dispatch(&b) {
			return
		}
		pos = b.End
	}
}

// inflight is one batch sent (or about to be) and not yet committed.
type inflight struct {
	end     spool.Pos
	records int
	events  []audit.Event
	replays int
	done    bool
}

// dispatch prepares a batch and starts its sender once a slot is free. It returns false when
// Close's deadline passed.
func (w *Writer) dispatch(b *spool.Batch) bool {
	w.read.Add(uint64(b.Len()))
	w.flushReq.Store(false)
	// Wait for a slot before decoding: a decoded batch (events, then the sink's block) is the
	// writer's largest memory, and this keeps at most Concurrency of them alive.
	select {
	case w.slots <- struct{}{}:
	case <-w.hardStop:
		return false
	}
	var events []audit.Event
	select {
	case events = <-w.free:
	default:
	}
	events, replays := w.decodeBatch(b, events[:0])
	p := &inflight{end: b.End, records: b.Len(), events: events, replays: replays}
	// Nothing leaves the machine before it is on local stable storage: after a power loss
	// the log still holds every record a sink may have.
	for attempt := 0; ; attempt++ {
		err := w.spool.SyncTo(w.ctx(), b.End)
		if err == nil {
			break
		}
		w.log.Error("audit spool: cannot sync before sending", "error", err)
		if !w.sleep(attempt) {
			<-w.slots
			return false
		}
	}
	for attempt := 0; ; attempt++ {
		w.stateMu.Lock()
		w.pending = append(w.pending, p)
		err := w.spool.SetInflight(w.committed, w.pendingEnds())
		if err != nil {
			w.pending = w.pending[:len(w.pending)-1]
		}
		w.stateMu.Unlock()
		if err == nil {
			break
		}
		w.log.Error("audit spool: cannot record the batch in flight", "error", err)
		if !w.sleep(attempt) {
			<-w.slots
			return false
		}
	}
	w.senders.Add(1)
	go w.send(p)
	return true
}

// send inserts one batch until the sink confirms it (or Close's deadline passes), then
// commits every confirmed batch at the head of the log.
func (w *Writer) send(p *inflight) {
	defer w.senders.Done()
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(w.ctx(), w.cfg.InsertTimeout)
		start := time.Now()
		err := w.sink.Write(ctx, p.events)
		cancel()
		d := time.Since(start)
		w.m.batch(len(p.events), d, err)
		w.observe(d)
		if w.cfg.OnBatch != nil {
			w.cfg.OnBatch(BatchResult{Events: len(p.events), Duration: d, Err: err})
		}
		if err == nil {
			if w.degraded.Swap(false) {
				w.log.Info("audit sink is back; replaying spooled events", "attempts", attempt+1)
			}
			break
		}
		if !w.degraded.Swap(true) || attempt%50 == 0 {
			w.log.Warn("audit sink write failed; events stay spooled and are retried", "events", len(p.events), "attempt", attempt+1, "error", err)
		}
		if !w.sleep(attempt) {
			return
		}
	}
	w.stateMu.Lock()
	defer w.stateMu.Unlock()
	p.done = true
	advanced := 0
	for len(w.pending) > 0 && w.pending[0].done {
		head := w.pending[0]
		w.committed = head.end
		advanced += head.records
		w.m.written.Add(uint64(len(head.events)))
		w.m.replayed.Add(uint64(head.replays))
		// Cleared before reuse: the old events point into their batch's string, which
		// would otherwise stay alive as long as the slice does.
		clear(head.events)
		select {
		case w.free <- head.events[:0]:
		default:
		}
		w.pending = w.pending[1:]
		// A slot frees when its batch is committed, not when it is stored: batches stored
		// behind one that keeps failing stay in the checkpoint (a replay must cut them the same
		// way), so their number is what the slots bound.
		<-w.slots
	}
	if advanced == 0 {
		return
	}
	if err := w.spool.Commit(w.committed, w.pendingEnds()); err != nil {
		// The sink has the events; a failed checkpoint only means a replay (which the sink
		// recognises) after a crash.
		w.log.Error("audit spool: checkpoint failed", "error", err)
	}
	w.progressMu.Lock()
	w.m.committed.Add(uint64(advanced))
	w.progress.Broadcast()
	w.progressMu.Unlock()
}

// pendingEnds lists the ends of the batches in flight (stateMu held).
func (w *Writer) pendingEnds() []spool.Pos {
	ends := make([]spool.Pos, len(w.pending))
	for i, p := range w.pending {
		ends[i] = p.end
	}
	return ends
}

// waitForBatch returns when a batch should be sent: a full batch is there, the oldest waiting
// event has waited FlushInterval, a flush was asked for, or Close is draining. It returns
// false when Close is done draining.
func (w *Writer) waitForBatch() bool {
	var since time.Time
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		total := w.recovered + w.accepted.Load()
		read := w.read.Load()
		avail := total - read
		closing := isClosed(w.closing)
		switch {
		case isClosed(w.hardStop):
			return false
		case avail >= uint64(w.cfg.BatchSize):
			return true
		case avail > 0 && (closing || w.flushReq.Load()):
			return true
		case avail == 0 && closing:
			return false
		}
		if avail > 0 {
			if since.IsZero() {
				since = time.Now()
			}
			left := w.cfg.FlushInterval - time.Since(since)
			if left <= 0 {
				return true
			}
			w.notifyAt.Store(read + uint64(w.cfg.BatchSize))
			timer.Reset(left)
		} else {
			w.notifyAt.Store(read + 1)
			timer.Reset(time.Hour)
		}
		// Re-check after publishing notifyAt: an event accepted in between may not have woken us.
		if w.recovered+w.accepted.Load() != total {
			continue
		}
		select {
		case <-w.wake:
		case <-timer.C:
		case <-w.closing:
		case <-w.hardStop:
		}
	}
}

// ctx is cancelled by Close's deadline only; a closing writer still delivers.
func (w *Writer) ctx() context.Context { return w.runCtx }

// sleep waits out the backoff for attempt; false means Close's deadline passed.
func (w *Writer) sleep(attempt int) bool {
	d := w.cfg.RetryMin << min(attempt, 20)
	if d > w.cfg.RetryMax || d <= 0 {
		d = w.cfg.RetryMax
	}
	// Jitter keeps many instances from retrying against a recovering server in lockstep.
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-w.hardStop:
		return false
	}
}

func (w *Writer) decodeBatch(b *spool.Batch, events []audit.Event) ([]audit.Event, int) {
	src, ends := b.Payloads() // one string per batch; every string column is a substring of it
	replays := b.Old
	start := 0
	for i, end := range ends {
		var e audit.Event
		flags, err := decode(src, start, end, &e)
		start = end
		if err != nil {
			w.m.corrupt.Add(1)
			w.log.Error("audit spool: skipping an undecodable record", "index", i)
			continue
		}
		if flags&flagSpooled != 0 && i >= b.Old {
			replays++
		}
		events = append(events, e)
	}
	return events, replays
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// waitCond waits on c (lock held) and wakes at least every 100 ms or when ctx ends.
func waitCond(ctx context.Context, c *sync.Cond) {
	stop := context.AfterFunc(ctx, func() {
		c.L.Lock()
		c.Broadcast()
		c.L.Unlock()
	})
	defer stop()
	t := time.AfterFunc(100*time.Millisecond, func() {
		c.L.Lock()
		c.Broadcast()
		c.L.Unlock()
	})
	defer t.Stop()
	c.Wait()
}
