package spool

import (
	"encoding/binary"
	"hash/crc32"
	"os"
)

// Pos is a frame boundary in the log. The zero Pos is before everything.
type Pos struct {
	Seg uint64
	Off int64
}

// Less orders positions.
func (p Pos) Less(q Pos) bool { return p.Seg < q.Seg || (p.Seg == q.Seg && p.Off < q.Off) }

// checkpoint stores how far the consumer's sink has confirmed the log (Committed) and the end
// of the batch it may have sent without hearing back (Inflight). It has two slots written
// alternately, each with a generation and a checksum, so a torn write leaves the other slot
// intact.
type checkpoint struct {
	f   *os.File
	gen uint64
}

const slotSize = 48

type ckState struct {
	Committed Pos
	Inflight  Pos
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
		if crc32.Checksum(b[:40], castagnoli) != binary.LittleEndian.Uint32(b[40:]) {
			continue
		}
		gen := binary.LittleEndian.Uint64(b[0:])
		if gen == 0 || gen <= c.gen {
			continue
		}
		c.gen = gen
		best = ckState{
			Committed: Pos{binary.LittleEndian.Uint64(b[8:]), int64(binary.LittleEndian.Uint64(b[16:]))},
			Inflight:  Pos{binary.LittleEndian.Uint64(b[24:]), int64(binary.LittleEndian.Uint64(b[32:]))},
		}
	}
	return c, best, nil
}

// write stores st in the older slot; with sync it waits until the state is on stable storage.
func (c *checkpoint) write(st ckState, sync bool) error {
	c.gen++
	var b [slotSize]byte
	binary.LittleEndian.PutUint64(b[0:], c.gen)
	binary.LittleEndian.PutUint64(b[8:], st.Committed.Seg)
	binary.LittleEndian.PutUint64(b[16:], uint64(st.Committed.Off))
	binary.LittleEndian.PutUint64(b[24:], st.Inflight.Seg)
	binary.LittleEndian.PutUint64(b[32:], uint64(st.Inflight.Off))
	binary.LittleEndian.PutUint32(b[40:], crc32.Checksum(b[:40], castagnoli))
	if _, err := c.f.WriteAt(b[:], int64(c.gen%2)*slotSize); err != nil {
		return err
	}
	if sync {
		return c.f.Sync()
	}
	return nil
}

func (c *checkpoint) close() error { return c.f.Close() }
