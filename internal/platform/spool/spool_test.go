package spool_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/spool"
	"github.com/telemetryflow/core/internal/testutil/testchild"
)

const smallSegment = 64 << 10

func open(t *testing.T, dir string) (*spool.Spool, spool.Recovery) {
	t.Helper()
	s, rec, err := spool.Open(spool.Config{Dir: dir, SegmentSize: smallSegment, SyncInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s, rec
}

// record builds a payload that names its sequence number and has a varying length, so frames
// straddle segment boundaries at different offsets.
func record(i int) []byte {
	b := make([]byte, 8+i%300)
	binary.LittleEndian.PutUint64(b, uint64(i))
	for j := 8; j < len(b); j++ {
		b[j] = byte(i + j)
	}
	return b
}

func seqOf(t *testing.T, p string) int {
	t.Helper()
	i := int(binary.LittleEndian.Uint64([]byte(p[:8])))
	if want := record(i); string(want) != string(p) {
		t.Fatalf("record %d has wrong content", i)
	}
	return i
}

// readAll drains the log from pos and returns the sequence numbers in order.
func readAll(t *testing.T, s *spool.Spool, pos spool.Pos) ([]int, spool.Pos) {
	t.Helper()
	var out []int
	var b spool.Batch
	for {
		if err := s.Read(pos, 1000, spool.Pos{}, &b); err != nil {
			t.Fatal(err)
		}
		for i := range b.Len() {
			out = append(out, seqOf(t, b.Record(i)))
		}
		if b.Len() == 0 {
			return out, b.End
		}
		pos = b.End
	}
}

func seq(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func TestOrderAcrossSegments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, _ := open(t, dir)
	defer s.Close()
	const n = 5000 // about 1 MB: many 64 KiB segments
	for i := range n {
		if err := s.Append(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	got, end := readAll(t, s, spool.Pos{})
	if !slices.Equal(got, seq(0, n)) {
		t.Fatalf("read %d records out of order or incomplete", len(got))
	}
	if st := s.Stats(); st.Segments < 10 {
		t.Fatalf("expected rotation, got %d segments", st.Segments)
	}
	if err := s.Commit(end, nil); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Segments != 1 {
		t.Fatalf("commit should leave only the active segment, got %d", st.Segments)
	}
}

func TestReopenResumesAfterCheckpoint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, _ := open(t, dir)
	for i := range 3000 {
		if err := s.Append(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	var b spool.Batch
	if err := s.Read(spool.Pos{}, 1000, spool.Pos{}, &b); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(b.End, nil); err != nil {
		t.Fatal(err)
	}
	committed := b.End
	if err := s.Read(committed, 300, spool.Pos{}, &b); err != nil {
		t.Fatal(err)
	}
	first := b.End
	if err := s.Read(first, 200, spool.Pos{}, &b); err != nil {
		t.Fatal(err)
	}
	if err := s.SetInflight(committed, []spool.Pos{first, b.End}); err != nil {
		t.Fatal(err)
	}
	inflight := b.End
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, rec := open(t, dir)
	defer s.Close()
	if rec.Records != 2000 || rec.Committed != committed || !slices.Equal(rec.Inflight, []spool.Pos{first, inflight}) || rec.Corrupt != 0 {
		t.Fatalf("recovery %+v, want 2000 records, committed %v, inflight %v %v", rec, committed, first, inflight)
	}
	// The in-flight batches come back exactly.
	if err := s.Read(rec.Committed, 1<<20, rec.Inflight[0], &b); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 300 || b.End != first || b.Old != 300 || seqOf(t, b.Record(0)) != 1000 {
		t.Fatalf("first in-flight replay: %d records ending %v (old %d)", b.Len(), b.End, b.Old)
	}
	if err := s.Read(b.End, 1<<20, rec.Inflight[1], &b); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 200 || b.End != inflight || seqOf(t, b.Record(0)) != 1300 {
		t.Fatalf("second in-flight replay: %d records ending %v", b.Len(), b.End)
	}
	for i := 3000; i < 3100; i++ {
		if err := s.Append(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := readAll(t, s, rec.Committed)
	if !slices.Equal(got, seq(1000, 3100)) {
		t.Fatalf("after reopen read %d records, want 1000..3099 in order", len(got))
	}
}

func lastSegment(t *testing.T, dir string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no segments: %v", err)
	}
	slices.Sort(m)
	// The newest file is the empty active segment of the closed spool; the data is before it.
	for i := len(m) - 1; i >= 0; i-- {
		if st, _ := os.Stat(m[i]); st != nil {
			b, _ := os.ReadFile(m[i])
			if binary.LittleEndian.Uint32(b[32:]) != 0 {
				return m[i]
			}
		}
	}
	t.Fatal("no segment with records")
	return ""
}

// frames returns the offsets of the frames in a segment file.
func frames(b []byte) []int {
	var out []int
	for off := 32; off+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[off:]))
		if n == 0 {
			break
		}
		out = append(out, off)
		off += 8 + n
	}
	return out
}

func TestDamagedTailIsDetectedAndSkipped(t *testing.T) {
	t.Parallel()
	for name, damage := range map[string]func(b []byte, last int){
		"flipped payload byte": func(b []byte, last int) { b[last+8+3] ^= 0xff },
		"torn frame, length without payload": func(b []byte, last int) {
			n := int(binary.LittleEndian.Uint32(b[last:]))
			clear(b[last+8+n/2 : last+8+n])
		},
		"length points past the file": func(b []byte, last int) { binary.LittleEndian.PutUint32(b[last:], 1<<30) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s, _ := open(t, dir)
			for i := range 100 {
				if err := s.Append(record(i)); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			path := lastSegment(t, dir)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fr := frames(b)
			damage(b, fr[len(fr)-1])
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}

			s, rec := open(t, dir)
			defer s.Close()
			if rec.Corrupt != 1 || rec.Records != 99 {
				t.Fatalf("recovery %+v, want 1 damaged segment and 99 records", rec)
			}
			for i := 100; i < 150; i++ {
				if err := s.Append(record(i)); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := readAll(t, s, rec.Committed)
			if want := append(seq(0, 99), seq(100, 150)...); !slices.Equal(got, want) {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestConcurrentAppendersKeepTheirOrder(t *testing.T) {
	t.Parallel()
	s, _ := open(t, t.TempDir())
	defer s.Close()
	const writers, each = 8, 2000
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := s.Append(record(w*1_000_000 + i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	// Read while writing: the consumer must never see a partial frame.
	var got []int
	var pos spool.Pos
	var b spool.Batch
	for len(got) < writers*each {
		if err := s.Read(pos, 100, spool.Pos{}, &b); err != nil {
			t.Fatal(err)
		}
		for i := range b.Len() {
			got = append(got, seqOf(t, b.Record(i)))
		}
		pos = b.End
		if b.Len() == 0 {
			select {
			case <-s.Notify():
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	wg.Wait()
	last := map[int]int{}
	for _, v := range got {
		w, i := v/1_000_000, v%1_000_000
		if p, ok := last[w]; ok && i != p+1 {
			t.Fatalf("writer %d: %d after %d", w, i, p)
		}
		last[w] = i
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, _ := open(t, dir)
	defer s.Close()
	if _, _, err := spool.Open(spool.Config{Dir: dir, SegmentSize: smallSegment}); err == nil {
		t.Fatal("two spools on one directory")
	}
}

func TestSyncToAndLimits(t *testing.T) {
	t.Parallel()
	s, _ := open(t, t.TempDir())
	for i := range 10 {
		if err := s.Append(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	var b spool.Batch
	if err := s.Read(spool.Pos{}, 100, spool.Pos{}, &b); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.SyncTo(ctx, b.End); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(make([]byte, smallSegment)); err != spool.ErrTooLarge {
		t.Fatalf("oversized record: %v", err)
	}
	if err := s.Append(nil); err != spool.ErrTooLarge {
		t.Fatalf("empty record: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(record(1)); err != spool.ErrClosed {
		t.Fatalf("append after close: %v", err)
	}
}

// childEnv makes the test binary act as a process that appends until it is killed.
const childEnv = "TF_SPOOL_TEST_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(appendUntilKilled(dir))
	}
	os.Exit(m.Run())
}

// appendUntilKilled acknowledges each record on stdout only after Append returned nil.
func appendUntilKilled(dir string) int {
	s, _, err := spool.Open(spool.Config{Dir: dir, SegmentSize: smallSegment, SyncInterval: time.Hour})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w := bufio.NewWriterSize(os.Stdout, 64)
	for i := 0; ; i++ {
		if err := s.Append(record(i)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(w, "%d\n", i)
		_ = w.Flush()
	}
}

// TestSIGKILLLosesNoAcknowledgedRecord kills a process that appends as fast as it can, with no
// sync at all (SyncInterval of an hour): every record it acknowledged must be there, in order.
func TestSIGKILLLosesNoAcknowledgedRecord(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd, out := testchild.Start(t, childEnv+"="+dir)
	sc := bufio.NewScanner(out)
	acked := -1
	for sc.Scan() {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			t.Fatal(err)
		}
		acked = n
		if acked == 20_000 {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	for sc.Scan() {
		if n, err := strconv.Atoi(sc.Text()); err == nil {
			acked = n
		}
	}
	_ = cmd.Wait()
	if acked < 20_000 {
		t.Fatalf("child acknowledged only %d records", acked)
	}
	s, rec := open(t, dir)
	defer s.Close()
	got, _ := readAll(t, s, rec.Committed)
	if len(got) < acked+1 || !slices.Equal(got[:acked+1], seq(0, acked+1)) {
		for i := range min(len(got), acked+1) {
			if got[i] != i {
				t.Logf("first mismatch at %d: %d", i, got[i])
				break
			}
		}
		t.Fatalf("after SIGKILL: %d records readable, %d acknowledged (corrupt %d)", len(got), acked+1, rec.Corrupt)
	}
	t.Logf("acknowledged %d, recovered %d (a record may be stored but not yet acknowledged)", acked+1, len(got))
}
