package spool

import (
	"os"
	"strings"
)

// Batch is a run of consecutive records copied out of the log. Its buffers are reused by the
// next Read into the same Batch.
type Batch struct {
	// Start is where the batch begins, End the position after its last record.
	Start, End Pos
	// data accumulates the payloads in a strings.Builder: the consumer takes them as one
	// string without another copy, and string columns can be substrings of it.
	data strings.Builder
	ends []int
	// Old counts the records an earlier process appended (replays after a restart).
	Old int
}

// Len is the number of records.
func (b *Batch) Len() int { return len(b.ends) }

// Record returns record i.
func (b *Batch) Record(i int) string {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.data.String()[start:b.ends[i]]
}

// Payloads returns the records back to back in one string and the end offset of each. The
// string stays valid after the next Read (which starts a new one); ends does not.
func (b *Batch) Payloads() (data string, ends []int) { return b.data.String(), b.ends }

// Bytes is the payload size of the batch.
func (b *Batch) Bytes() int { return b.data.Len() }

func (b *Batch) reset(from Pos) {
	b.Start, b.End, b.Old = from, from, 0
	// A fresh builder: the previous string may still be in use by the consumer.
	prev := b.data.Len()
	b.data = strings.Builder{}
	b.data.Grow(prev)
	b.ends = b.ends[:0]
}

// Read copies up to maxRecords records starting at from into b, stopping before limit unless
// limit is the zero Pos. b.End says where to continue. A batch with no records means the
// consumer has caught up.
func (s *Spool) Read(from Pos, maxRecords int, limit Pos, b *Batch) error {
	b.reset(from)
	pos := from
	bounded := limit != (Pos{})
	for b.Len() < maxRecords && (!bounded || pos.Less(limit)) {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		seg, succ := s.segmentAtLocked(pos.Seg)
		var end int64
		var sealed, old bool
		if seg != nil {
			end, sealed, old = seg.end, seg.sealed, seg.old
		}
		s.mu.Unlock()
		if seg == nil {
			break
		}
		if seg.seq != pos.Seg || pos.Off < headerSize {
			pos = Pos{seg.seq, headerSize}
		}
		if pos.Off >= end {
			if sealed && succ != 0 {
				pos = Pos{succ, headerSize}
				continue
			}
			break
		}
		m, err := s.readMap(seg)
		if err != nil {
			return err
		}
		for pos.Off < end && b.Len() < maxRecords && (!bounded || pos.Less(limit)) {
			// Frames this process appended never left memory: their checksums protect the
			// disk copy, for the next start, and need no check here.
			p, next, ok, corrupt := frameAt(m, pos.Off, end, old)
			if !ok {
				// Frames below end were validated when written or scanned; failing now means
				// the disk changed under us. Skip what is left of the segment.
				if corrupt {
					s.mu.Lock()
					s.corrupt++
					s.mu.Unlock()
					s.log.Error("audit spool: damaged record, skipping the rest of the segment", "file", seg.path, "offset", pos.Off)
				}
				pos.Off = end
				break
			}
			b.data.Write(p)
			b.ends = append(b.ends, b.data.Len())
			if old {
				b.Old++
			}
			pos.Off = next
		}
	}
	b.End = pos
	return nil
}

// segmentAtLocked returns the first live segment with seq ≥ want, and the sequence number of
// the segment after it (0 if none).
func (s *Spool) segmentAtLocked(want uint64) (*segment, uint64) {
	for i, seg := range s.segs {
		if seg.seq >= want {
			if i+1 < len(s.segs) {
				return seg, s.segs[i+1].seq
			}
			return seg, 0
		}
	}
	return nil, 0
}

// readMap maps seg for reading, reusing the mapping of the previous call when it is the same
// segment. The consumer's mapping is independent of the writer's, so either can be released
// without the other; both see the same page-cache pages.
func (s *Spool) readMap(seg *segment) ([]byte, error) {
	if s.rseg == seg {
		return s.rmap, nil
	}
	unmap(s.rmap)
	s.rseg, s.rmap = nil, nil
	f, err := os.Open(seg.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := mapFile(f, seg.size, false)
	if err != nil {
		return nil, err
	}
	s.rseg, s.rmap = seg, m
	return m, nil
}

// SetInflight records, on stable storage, that the batches ending at ends (ascending, the
// first starting at committed) are sent or about to be. After a crash they are replayed as
// exactly those batches, so the sink sees the same batches again and can recognise them.
func (s *Spool) SetInflight(committed Pos, ends []Pos) error {
	return s.ck.write(ckState{Committed: committed, Inflight: ends}, true)
}

// Commit records that everything before p is stored by the sink, with the batches after it
// still in flight, and deletes the segments no longer needed. The checkpoint reaches stable
// storage before any segment is deleted.
func (s *Spool) Commit(p Pos, inflight []Pos) error {
	s.mu.Lock()
	drop := 0
	for _, seg := range s.segs {
		if seg.seq < p.Seg && seg != s.active {
			drop++
		}
	}
	s.mu.Unlock()
	if err := s.ck.write(ckState{Committed: p, Inflight: inflight}, drop > 0); err != nil {
		return err
	}
	s.mu.Lock()
	s.committed = p
	s.mu.Unlock()
	if drop == 0 {
		return nil
	}
	s.mu.Lock()
	var gone []*segment
	keep := s.segs[:0]
	for _, seg := range s.segs {
		if seg.seq < p.Seg && seg != s.active {
			gone = append(gone, seg)
			continue
		}
		keep = append(keep, seg)
	}
	s.segs = keep
	s.mu.Unlock()
	for _, seg := range gone {
		if err := os.Remove(seg.path); err != nil && !os.IsNotExist(err) {
			s.log.Warn("audit spool: could not delete a consumed segment", "file", seg.path, "error", err)
		}
	}
	return nil
}
