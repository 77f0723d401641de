package spool

import (
	"encoding/binary"
	"hash/crc32"
)

// A record is framed as [length u32][crc32c u32][payload]. The checksum is the CRC-32C of the
// payload seeded with the length, so it covers both: a torn or bit-flipped frame is detected
// whichever part was damaged (and computing it needs no buffer for the length). Files
// are zero-filled when created, so a zero length marks the end of what was ever appended; the
// length is stored last by Append, so a frame cut short by SIGKILL also reads as the end.
const frameHeader = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(payload []byte) uint32 {
	return crc32.Update(uint32(len(payload)), castagnoli, payload)
}

// frameAt decodes the frame at off in data (which ends at end). ok is false at the end of
// the records; corrupt is true when a frame is present but fails its checksum (when verify) or
// bounds.
func frameAt(data []byte, off, end int64, verify bool) (payload []byte, next int64, ok, corrupt bool) {
	if off+frameHeader > end {
		return nil, off, false, false
	}
	n := int64(binary.LittleEndian.Uint32(data[off:]))
	sum := binary.LittleEndian.Uint32(data[off+4:])
	if n == 0 {
		// Zero length: nothing was appended here (a zero-length payload is never written).
		return nil, off, false, sum != 0
	}
	if off+frameHeader+n > end {
		return nil, off, false, true
	}
	p := data[off+frameHeader : off+frameHeader+n]
	if verify && checksum(p) != sum {
		return nil, off, false, true
	}
	return p, off + frameHeader + n, true, false
}
