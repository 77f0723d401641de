package spool

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Errors Append returns; the caller must treat the record as not stored.
var (
	ErrClosed   = errors.New("spool: closed")
	ErrTooLarge = errors.New("spool: record larger than a segment")
)

// Config tunes a spool.
type Config struct {
	// Dir holds the segments, the checkpoint and the lock file; created if missing.
	Dir string
	// SegmentSize is the size of each preallocated segment file (default 32 MiB, at least 64 KiB).
	SegmentSize int64
	// SyncInterval bounds how long an appended record may stay only in the page cache, i.e. what
	// a power loss or kernel crash can take (default 200 ms). A process crash takes nothing.
	SyncInterval time.Duration
	Log          *slog.Logger
}

const (
	defaultSegmentSize  = 32 << 20
	minSegmentSize      = 64 << 10
	defaultSyncInterval = 200 * time.Millisecond
)

// Recovery describes what an earlier process left behind.
type Recovery struct {
	// Records are appended records not yet confirmed by the sink, oldest first in the log.
	Records int
	// Committed is where the consumer resumes; Inflight are the ends of the batches after it
	// that were sent without an answer: replay exactly those batches first, in order.
	Committed Pos
	Inflight  []Pos
	// Corrupt counts segments whose tail failed its checksum (cut off by a crash).
	Corrupt int
}

// Stats is a snapshot for metrics.
type Stats struct {
	Segments       int
	AllocatedBytes int64 // disk space held by live segments
	UsedBytes      int64 // bytes of frames in live segments
	PendingBytes   int64 // bytes of frames after the last commit: what waits for the sink
	Appended       uint64
	Corrupt        uint64
}

// Spool is the log. Append may be called from any goroutine; Read, SetInflight and Commit by
// one consumer.
type Spool struct {
	cfg  Config
	log  *slog.Logger
	lock *os.File
	ck   *checkpoint

	mu        sync.Mutex
	closed    bool
	segs      []*segment // live segments in order; the last is active
	active    *segment
	amap      []byte // active segment, mapped read-write
	next      *segment
	nmap      []byte
	preparing bool
	prepared  *sync.Cond // on mu: the background segment creation finished
	nextSeq   uint64
	sealed    []sealedMap // sealed mappings the syncer must flush and unmap
	dirDirty  bool
	appended  uint64
	corrupt   uint64
	committed Pos // the last position passed to Commit (or recovered)

	notify chan struct{}

	syncMu   sync.Mutex
	syncCond *sync.Cond
	synced   Pos
	syncReq  chan struct{}
	syncErr  error

	// reader side (one consumer)
	rseg *segment
	rmap []byte

	stop chan struct{}
	wg   sync.WaitGroup
	// prepareErr keeps the last failure to pre-create a segment, for the log.
	prepareErr atomic.Pointer[error]
}

type sealedMap struct {
	seg *segment
	m   []byte
}

// Validate reports a missing directory or a segment size below the minimum (zero takes the
// default).
func (c Config) Validate() error {
	var problems []error
	if c.Dir == "" {
		problems = append(problems, errors.New("spool: no directory"))
	}
	if c.SegmentSize != 0 && c.SegmentSize < minSegmentSize {
		problems = append(problems, fmt.Errorf("spool: segment size %d is below %d", c.SegmentSize, minSegmentSize))
	}
	return errors.Join(problems...)
}

// Open locks the directory, recovers what an earlier process left and starts a new active
// segment. (Open, not New: it takes over a directory an earlier process may have left, and
// says what it found there.)
func Open(cfg Config) (*Spool, Recovery, error) {
	if err := cfg.Validate(); err != nil {
		return nil, Recovery{}, err
	}
	if cfg.SegmentSize == 0 {
		cfg.SegmentSize = defaultSegmentSize
	}
	if cfg.SyncInterval <= 0 {
		cfg.SyncInterval = defaultSyncInterval
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, Recovery{}, fmt.Errorf("spool: %w", err)
	}
	lock, err := lockDir(filepath.Join(cfg.Dir, "LOCK"))
	if err != nil {
		return nil, Recovery{}, fmt.Errorf("spool: %s is in use by another process: %w", cfg.Dir, err)
	}
	s := &Spool{cfg: cfg, log: cfg.Log, lock: lock, notify: make(chan struct{}, 1),
		syncReq: make(chan struct{}, 1), stop: make(chan struct{})}
	s.syncCond = sync.NewCond(&s.syncMu)
	s.prepared = sync.NewCond(&s.mu)
	rec, err := s.recover()
	if err != nil {
		_ = lock.Close()
		return nil, Recovery{}, err
	}
	seg, m, err := createSegment(cfg.Dir, s.nextSeq, cfg.SegmentSize)
	if err != nil {
		s.closeFiles()
		return nil, Recovery{}, fmt.Errorf("spool: %w", err)
	}
	s.nextSeq++
	s.active, s.amap = seg, m
	s.segs = append(s.segs, seg)
	s.dirDirty = true
	s.wg.Add(1)
	go s.syncLoop()
	return s, rec, nil
}

// recover reads the checkpoint, deletes what it confirms, and measures the rest.
func (s *Spool) recover() (Recovery, error) {
	ck, st, err := openCheckpoint(filepath.Join(s.cfg.Dir, "checkpoint"))
	if err != nil {
		return Recovery{}, fmt.Errorf("spool: checkpoint: %w", err)
	}
	s.ck = ck
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return Recovery{}, fmt.Errorf("spool: %w", err)
	}
	var seqs []uint64
	for _, e := range entries {
		if seq, ok := parseSegName(e.Name()); ok {
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	rec := Recovery{Committed: st.Committed, Inflight: st.Inflight}
	s.committed = st.Committed
	s.nextSeq = 1
	for _, seq := range seqs {
		s.nextSeq = max(s.nextSeq, seq+1)
		path := filepath.Join(s.cfg.Dir, segName(seq))
		if seq < st.Committed.Seg {
			// Confirmed by the sink before the crash; its deletion did not happen yet.
			_ = os.Remove(path)
			continue
		}
		size, res, err := scanSegment(path, seq)
		if err != nil {
			// A file cut short while it was being created holds no acknowledged record:
			// records are appended only after the header is in place.
			s.log.Warn("audit spool: removing unreadable segment", "file", path, "error", err)
			_ = os.Remove(path)
			continue
		}
		if res.corrupt {
			rec.Corrupt++
			s.corrupt++
			s.log.Error("audit spool: segment ends in a damaged record; keeping the records before it",
				"file", path, "valid_records", res.records, "valid_bytes", res.end)
		}
		if res.records == 0 {
			_ = os.Remove(path)
			continue
		}
		seg := &segment{seq: seq, path: path, size: size, end: res.end, records: res.records, sealed: true, old: true}
		pending := res.records
		if seq == st.Committed.Seg {
			pending = countFrom(path, size, st.Committed.Off, res.end)
		}
		rec.Records += pending
		s.appended += uint64(pending)
		s.segs = append(s.segs, seg)
	}
	return rec, nil
}

// countFrom counts frames in [from, end) of a segment already validated by scanSegment.
func countFrom(path string, size, from, end int64) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	m, err := mapFile(f, size, false)
	if err != nil {
		return 0
	}
	defer unmap(m)
	n := 0
	for off := max(from, headerSize); ; n++ {
		_, next, ok, _ := frameAt(m, off, end, true)
		if !ok {
			return n
		}
		off = next
	}
}

// MaxRecord is the largest payload Append accepts.
func (s *Spool) MaxRecord() int { return int(s.cfg.SegmentSize - headerSize - frameHeader) }

// Append stores one record. When it returns nil the record survives the death of this process;
// it reaches stable storage within SyncInterval (or at the next SyncTo covering it).
func (s *Spool) Append(rec []byte) error {
	if len(rec) == 0 || len(rec) > s.MaxRecord() {
		return ErrTooLarge
	}
	sum := checksum(rec)
	need := int64(frameHeader + len(rec))
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	if s.active.end+need > s.active.size {
		if err := s.rotateLocked(); err != nil {
			s.mu.Unlock()
			return err
		}
	}
	off := s.active.end
	m := s.amap
	copy(m[off+frameHeader:], rec)
	putU32(m[off+4:], sum)
	// The length goes in last: until it is there the frame reads as the end of the log.
	putU32(m[off:], uint32(len(rec)))
	s.active.end = off + need
	s.active.records++
	s.appended++
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

// rotateLocked seals the active segment and switches to the next one.
func (s *Spool) rotateLocked() error {
	// The segment being prepared has the next sequence number; segments must be used in
	// sequence order, so wait for it rather than create a later one.
	for s.next == nil && s.preparing {
		s.prepared.Wait()
	}
	if s.closed {
		return ErrClosed
	}
	seg, m := s.next, s.nmap
	s.next, s.nmap = nil, nil
	if seg == nil {
		var err error
		seg, m, err = createSegment(s.cfg.Dir, s.nextSeq, s.cfg.SegmentSize)
		if err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		s.nextSeq++
	}
	s.active.sealed = true
	s.sealed = append(s.sealed, sealedMap{s.active, s.amap})
	s.active, s.amap = seg, m
	s.segs = append(s.segs, seg)
	s.dirDirty = true
	s.prepareLocked()
	return nil
}

// prepareLocked creates the following segment in the background, so that the append that
// fills a segment does not pay for creating the next one.
func (s *Spool) prepareLocked() {
	if s.preparing || s.next != nil || s.closed {
		return
	}
	s.preparing = true
	seq := s.nextSeq
	s.nextSeq++
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		seg, m, err := createSegment(s.cfg.Dir, seq, s.cfg.SegmentSize)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.preparing = false
		defer s.prepared.Broadcast()
		if err != nil {
			s.prepareErr.Store(&err)
			return
		}
		if s.closed {
			unmap(m)
			_ = os.Remove(seg.path)
			return
		}
		s.next, s.nmap = seg, m
		s.dirDirty = true
	}()
}

// Notify receives a value after appends (coalesced), for a consumer waiting for records.
func (s *Spool) Notify() <-chan struct{} { return s.notify }

// Appended is the number of records appended (including those recovered at Open).
func (s *Spool) Appended() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.appended
}

// Stats returns a snapshot.
func (s *Spool) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Segments: len(s.segs), Appended: s.appended, Corrupt: s.corrupt}
	for _, seg := range s.segs {
		st.AllocatedBytes += seg.size
		st.UsedBytes += seg.end - headerSize
		switch {
		case seg.seq > s.committed.Seg:
			st.PendingBytes += seg.end - headerSize
		case seg.seq == s.committed.Seg:
			st.PendingBytes += seg.end - max(s.committed.Off, headerSize)
		}
	}
	return st
}

// Close flushes everything to stable storage and releases the directory. Records not yet
// committed stay for the next Open.
func (s *Spool) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	s.wg.Wait()
	err := s.syncOnce()
	s.mu.Lock()
	unmap(s.amap)
	s.amap = nil
	if s.next != nil {
		unmap(s.nmap)
		_ = os.Remove(s.next.path)
		s.next, s.nmap = nil, nil
	}
	s.mu.Unlock()
	unmap(s.rmap)
	s.rmap, s.rseg = nil, nil
	s.closeFiles()
	s.syncMu.Lock()
	s.syncCond.Broadcast()
	s.syncMu.Unlock()
	return err
}

func (s *Spool) closeFiles() {
	if s.ck != nil {
		_ = s.ck.close()
	}
	_ = s.lock.Close()
}

func putU32(b []byte, v uint32) {
	_ = b[3]
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
