package auditwriter_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/auditwriter"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/testchild"
)

// Child-process modes of this test binary (selected by environment), so tests can SIGKILL a
// real process that is writing.
const (
	envChildDir  = "TF_WRITER_TEST_CHILD_DIR"
	envChildMode = "TF_WRITER_TEST_CHILD_MODE"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(envChildDir); dir != "" {
		os.Exit(child(dir, os.Getenv(envChildMode)))
	}
	os.Exit(m.Run())
}

// hangingSink reports the ids of each batch it receives on stdout, then never answers: the
// process is killed while the batches are in flight.
type hangingSink struct{ out *os.File }

var stdoutMu sync.Mutex

func (s hangingSink) Write(ctx context.Context, events []audit.Event) error {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID.String()
	}
	stdoutMu.Lock()
	fmt.Fprintf(s.out, "inflight %s\n", strings.Join(ids, ","))
	stdoutMu.Unlock()
	<-ctx.Done()
	select {} // never returns: only SIGKILL ends this process
}

func (hangingSink) Ping(context.Context) error { return nil }

func child(dir, mode string) int {
	w, err := auditwriter.New(auditwriter.Config{
		Sink: hangingSink{os.Stdout}, SpoolDir: dir, BatchSize: 50, FlushInterval: 10 * time.Millisecond,
		SegmentSize: 256 << 10, SyncInterval: time.Hour, Concurrency: 2,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Acknowledge each event after Record returned nil.
	out := bufio.NewWriter(os.Stdout)
	for _, e := range audittest.Sample(1000) {
		if err := w.Record(context.Background(), e); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		stdoutMu.Lock()
		fmt.Fprintf(out, "ack %s\n", e.ID)
		_ = out.Flush()
		stdoutMu.Unlock()
	}
	stdoutMu.Lock()
	fmt.Fprintln(out, "done")
	_ = out.Flush()
	stdoutMu.Unlock()
	select {}
}

// TestSIGKILLWithABatchInFlight kills a process whose sink has a batch in flight (it may or
// may not have stored it): after restart every acknowledged event arrives, and the first
// batch sent is exactly the one that was in flight, so a deduplicating sink recognises it.
func TestSIGKILLWithABatchInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd, stdout := testchild.Start(t, envChildDir+"="+dir)
	var acked []uuid.UUID
	var inflight [][]uuid.UUID
	done := false
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "ack "):
			acked = append(acked, uuid.MustParse(line[4:]))
		case strings.HasPrefix(line, "inflight "):
			var batch []uuid.UUID
			for _, s := range strings.Split(line[9:], ",") {
				batch = append(batch, uuid.MustParse(s))
			}
			inflight = append(inflight, batch)
		}
		if line == "done" {
			done = true
		}
		if done && len(inflight) == 2 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(acked) != 1000 || len(inflight) != 2 {
		t.Fatalf("child acknowledged %d, in flight %d", len(acked), len(inflight))
	}

	sink := newMemSink()
	w := newWriter(t, sink, dir, nil)
	flush(t, w)
	closeWriter(t, w, 5*time.Second)
	order, batches := sink.snapshot()
	if !slices.Equal(order, acked) {
		t.Fatalf("after restart %d events stored, %d acknowledged", len(order), len(acked))
	}
	// Both batches that were in flight come back first, cut exactly as before. (They may have
	// been sent in either order; they are replayed in log order.)
	if slices.Index(acked, inflight[0][0]) > slices.Index(acked, inflight[1][0]) {
		inflight[0], inflight[1] = inflight[1], inflight[0]
	}
	for i := range 2 {
		if !slices.Equal(batches[i], inflight[i]) {
			t.Fatalf("batch %d after restart has %d events, the in-flight batch had %d", i, len(batches[i]), len(inflight[i]))
		}
	}
	if st := w.Stats(); st.Replayed != 1000 {
		t.Fatalf("replayed %d", st.Replayed)
	}
}
