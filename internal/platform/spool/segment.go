package spool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Segment file layout: a 32-byte header (magic, format version, sequence number), then frames.
const (
	headerSize = 32
	magic      = "TFAUDSPL"
	version    = 1
	segSuffix  = ".seg"
)

// segment is one file of the log. Fields other than the immutable ones are guarded by
// Spool.mu.
type segment struct {
	seq  uint64
	path string
	size int64
	// end is where valid frames stop: fixed for sealed segments, advanced by Append for the
	// active one.
	end     int64
	records int
	sealed  bool
	// old marks a segment written by an earlier process (its records are replays).
	old bool
}

func segName(seq uint64) string { return fmt.Sprintf("%020d%s", seq, segSuffix) }

func parseSegName(name string) (uint64, bool) {
	base, ok := strings.CutSuffix(name, segSuffix)
	if !ok || len(base) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(base, 10, 64)
	return n, err == nil
}

func writeHeader(m []byte, seq uint64) {
	copy(m[0:8], magic)
	binary.LittleEndian.PutUint32(m[8:], version)
	binary.LittleEndian.PutUint64(m[16:], seq)
}

func checkHeader(m []byte, seq uint64) error {
	if len(m) < headerSize || string(m[0:8]) != magic {
		return errors.New("no segment header")
	}
	if v := binary.LittleEndian.Uint32(m[8:]); v != version {
		return fmt.Errorf("segment format version %d, want %d", v, version)
	}
	if s := binary.LittleEndian.Uint64(m[16:]); s != seq {
		return fmt.Errorf("segment header says sequence %d, file name %d", s, seq)
	}
	return nil
}

// createSegment makes a new, fully allocated, zero-filled segment file and maps it for
// writing. Allocating every block up front matters: a write through a mapping to a block the
// file system cannot allocate (disk full) would kill the process with SIGBUS instead of
// returning an error.
func createSegment(dir string, seq uint64, size int64) (*segment, []byte, error) {
	path := filepath.Join(dir, segName(seq))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if err := preallocate(f, size); err != nil {
		_ = os.Remove(path)
		return nil, nil, fmt.Errorf("allocate %s: %w", path, err)
	}
	m, err := mapFile(f, size, true)
	if err != nil {
		_ = os.Remove(path)
		return nil, nil, fmt.Errorf("map %s: %w", path, err)
	}
	writeHeader(m, seq)
	prefault(m)
	return &segment{seq: seq, path: path, size: size, end: headerSize}, m, nil
}

// prefault writes to every page of a new segment before any record goes in, so that the page
// faults (allocating page-cache pages, marking them writable) happen where the segment is
// created, in the background, and not in Append on the request path. The pages are zero
// already; writing a zero keeps them so.
func prefault(m []byte) {
	page := os.Getpagesize()
	for off := headerSize; off < len(m); off += page {
		m[off] = 0
	}
}

// scanResult is what a segment left by an earlier process holds.
type scanResult struct {
	end     int64
	records int
	corrupt bool
}

// scanSegment finds where valid frames end in an existing segment.
func scanSegment(path string, seq uint64) (size int64, res scanResult, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, res, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, res, err
	}
	size = st.Size()
	if size < headerSize {
		return size, res, errors.New("shorter than a segment header")
	}
	m, err := mapFile(f, size, false)
	if err != nil {
		return size, res, err
	}
	defer unmap(m)
	if err := checkHeader(m, seq); err != nil {
		return size, res, err
	}
	off := int64(headerSize)
	for {
		_, next, ok, corrupt := frameAt(m, off, size, true)
		if !ok {
			res.corrupt = corrupt
			break
		}
		off = next
		res.records++
	}
	res.end = off
	return size, res, nil
}
