package auditwriter

import (
	"sync/atomic"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Reasons an event was not recorded (the dropped counter's label). In a healthy deployment
// every one stays 0.
const (
	dropClosed   = iota // recorded after shutdown began
	dropInvalid         // no id, event type or result
	dropTooLarge        // above MaxEventBytes
	dropSpool           // the spool could not store it (disk full, I/O error)
	dropReasons
)

// DropReasons names the reasons, indexed like Stats.Dropped.
var DropReasons = [dropReasons]string{"closed", "invalid", "too_large", "spool_error"}

type counters struct {
	events    [5][4]atomic.Uint64 // by event type, result
	spooled   atomic.Uint64
	written   atomic.Uint64
	replayed  atomic.Uint64
	committed atomic.Uint64
	corrupt   atomic.Uint64
	dropped   [dropReasons]atomic.Uint64

	batchesOK, batchesFailed atomic.Uint64
	lastBatch                atomic.Int64
	insertNanos              atomic.Int64
	maxInsertNanos           atomic.Int64
}

func (c *counters) accept(t audit.EventType, r audit.Result, flags byte) {
	c.events[t][r].Add(1)
	if flags&flagSpooled != 0 {
		c.spooled.Add(1)
	}
}

func (c *counters) drop(reason int) { c.dropped[reason].Add(1) }

func (c *counters) batch(n int, d time.Duration, err error) {
	if err != nil {
		c.batchesFailed.Add(1)
		return
	}
	c.batchesOK.Add(1)
	c.lastBatch.Store(int64(n))
	c.insertNanos.Add(int64(d))
	for {
		m := c.maxInsertNanos.Load()
		if int64(d) <= m || c.maxInsertNanos.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// Stats is a snapshot of the writer's counters and gauges, for metrics and tests.
type Stats struct {
	// Accepted counts events Record acknowledged, by event type and result (index by the
	// enum values: Accepted[audit.EventData][audit.ResultSuccess]).
	Accepted [5][4]uint64
	// QueueDepth is acknowledged events the sink has not confirmed yet; QueueCapacity is
	// the configured QueueSize.
	QueueDepth    uint64
	QueueCapacity int
	// Written counts events the sink confirmed.
	Written uint64
	// Spooled counts events accepted while the sink was failing or more than QueueCapacity
	// behind; Replayed counts those (and events left by an earlier run) once stored.
	Spooled, Replayed uint64
	// Dropped counts events not recorded, by reason (DropReasons); all must stay 0.
	Dropped [dropReasons]uint64
	// Corrupt counts damaged spool segments found at start and undecodable records.
	Corrupt uint64
	// Batches counts insert attempts; InsertTime is the total time of successful ones,
	// MaxInsert the longest, LastBatchSize the size of the latest successful batch.
	BatchesOK, BatchesFailed uint64
	InsertTime, MaxInsert    time.Duration
	LastBatchSize            int
	// SpoolBytes is the size of the events waiting in the spool for the sink (0 when it keeps
	// up); SpoolDiskBytes the disk space the spool holds (preallocated segments);
	// SpoolSegments its files.
	SpoolBytes     int64
	SpoolDiskBytes int64
	SpoolSegments  int
	// SinkFailing is true from a failed insert until the next successful one.
	SinkFailing bool
}

// TotalAccepted sums Accepted.
func (s Stats) TotalAccepted() uint64 {
	var n uint64
	for _, row := range s.Accepted {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// TotalDropped sums Dropped.
func (s Stats) TotalDropped() uint64 {
	var n uint64
	for _, v := range s.Dropped {
		n += v
	}
	return n
}

// Stats returns a snapshot.
func (w *Writer) Stats() Stats {
	st := Stats{
		QueueDepth: w.depth(), QueueCapacity: w.cfg.QueueSize,
		Written: w.m.written.Load(), Spooled: w.m.spooled.Load(), Replayed: w.m.replayed.Load(),
		Corrupt:   w.m.corrupt.Load(),
		BatchesOK: w.m.batchesOK.Load(), BatchesFailed: w.m.batchesFailed.Load(),
		InsertTime: time.Duration(w.m.insertNanos.Load()), MaxInsert: time.Duration(w.m.maxInsertNanos.Load()),
		LastBatchSize: int(w.m.lastBatch.Load()),
		SinkFailing:   w.degraded.Load(),
	}
	for t := range st.Accepted {
		for r := range st.Accepted[t] {
			st.Accepted[t][r] = w.m.events[t][r].Load()
		}
	}
	for i := range st.Dropped {
		st.Dropped[i] = w.m.dropped[i].Load()
	}
	sp := w.spool.Stats()
	st.SpoolBytes, st.SpoolDiskBytes, st.SpoolSegments = sp.PendingBytes, sp.AllocatedBytes, sp.Segments
	return st
}
