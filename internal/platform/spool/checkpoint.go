package spool

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
)

var errTooManyInflight = errors.New("spool: too many batches in flight")

// Pos is a frame boundary in the log. The zero Pos is before everything.
type Pos struct {
	Seg uint64
	Off int64
}

// Less orders positions.
func (p Pos) Less(q Pos) bool { return p.Seg < q.Seg || (p.Seg == q.Seg && p.Off < q.Off) }

// MaxInflight is how many batches may be sent without an answer at once.
const MaxInflight = 4

// checkpoint stores how far the consumer's sink has confirmed the log (Committed) and the ends
// of the batches after it that may have been sent without an answer (Inflight, ascending:
// batch i is [Inflight[i-1], Inflight[i]), the first starting at Committed). It has two slots
// written alternately, each with a generation and a checksum, so a torn write leaves the other
// slot intact.
type checkpoint struct {
	f   *os.File
	gen uint64
}

// Slot layout: gen u64 | committed seg u64, off u64 | n u32 (+pad) | n × (seg u64, off u64) |
// crc32c of the preceding bytes at slotSize-4.
const slotSize = 128

type ckState struct {
	Committed Pos
	Inflight  []Pos
}

func openCheckpoint(path string) (*checkpoint, ckState, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, ckState{}, err
	}
	c := &checkpoint{f: f}
	var best ckState
	for slot := range 2 {
		var b [slotSize]byte
		if n, _ := f.ReadAt(b[:], int64(slot*slotSize)); n != slotSize {
			continue
		}
		if crc32.Checksum(b[:slotSize-4], castagnoli) != binary.LittleEndian.Uint32(b[slotSize-4:]) {
			continue
		}
		gen := binary.LittleEndian.Uint64(b[0:])
		n := int(binary.LittleEndian.Uint32(b[24:]))
		if gen == 0 || gen <= c.gen || n > MaxInflight {
			continue
		}
		c.gen = gen
		best = ckState{Committed: getPos(b[8:])}
		for i := range n {
			best.Inflight = append(best.Inflight, getPos(b[32+16*i:]))
		}
	}
	return c, best, nil
}

func getPos(b []byte) Pos {
	return Pos{binary.LittleEndian.Uint64(b), int64(binary.LittleEndian.Uint64(b[8:]))}
}

func putPos(b []byte, p Pos) {
	binary.LittleEndian.PutUint64(b, p.Seg)
	binary.LittleEndian.PutUint64(b[8:], uint64(p.Off))
}

// write stores st in the older slot; with sync it waits until the state is on stable storage.
func (c *checkpoint) write(st ckState, sync bool) error {
	if len(st.Inflight) > MaxInflight {
		return errTooManyInflight
	}
	c.gen++
	var b [slotSize]byte
	binary.LittleEndian.PutUint64(b[0:], c.gen)
	putPos(b[8:], st.Committed)
	binary.LittleEndian.PutUint32(b[24:], uint32(len(st.Inflight)))
	for i, p := range st.Inflight {
		putPos(b[32+16*i:], p)
	}
	binary.LittleEndian.PutUint32(b[slotSize-4:], crc32.Checksum(b[:slotSize-4], castagnoli))
	if _, err := c.f.WriteAt(b[:], int64(c.gen%2)*slotSize); err != nil {
		return err
	}
	if sync {
		return c.f.Sync()
	}
	return nil
}

func (c *checkpoint) close() error { return c.f.Close() }
