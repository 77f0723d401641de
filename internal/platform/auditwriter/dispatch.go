package auditwriter

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/spool"
)

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
		// Taken before the attempt: a RetryNow during a failing attempt ends the backoff after it.
		retry := w.retrySignal()
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
		if !w.backoff(attempt, retry) {
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
func (w *Writer) sleep(attempt int) bool { return w.backoff(attempt, nil) }

// backoff is sleep, cut short when retry is closed (RetryNow).
func (w *Writer) backoff(attempt int, retry <-chan struct{}) bool {
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
	case <-retry:
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
