package writer_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/audit/audittest"
	"github.com/telemetryflow/core/internal/audit/writer"
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

// hangingSink reports the ids of the first batch it receives on stdout, then never answers:
// the process is killed while the batch is in flight.
type hangingSink struct{ out *os.File }

func (s hangingSink) Write(ctx context.Context, events []audit.Event) error {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID.String()
	}
	fmt.Fprintf(s.out, "inflight %s\n", strings.Join(ids, ","))
	<-ctx.Done()
	select {} // never returns: only SIGKILL ends this process
}

func (hangingSink) Ping(context.Context) error { return nil }

func child(dir, mode string) int {
	w, err := writer.New(writer.Config{
		Sink: hangingSink{os.Stdout}, SpoolDir: dir, BatchSize: 50, FlushInterval: 10 * time.Millisecond,
		SegmentSize: 256 << 10, SyncInterval: time.Hour,
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
		fmt.Fprintf(out, "ack %s\n", e.ID)
		_ = out.Flush()
	}
	fmt.Fprintln(out, "done")
	_ = out.Flush()
	select {}
}

// TestSIGKILLWithABatchInFlight kills a process whose sink has a batch in flight (it may or
// may not have stored it): after restart every acknowledged event arrives, and the first
// batch sent is exactly the one that was in flight, so a deduplicating sink recognises it.
func TestSIGKILLWithABatchInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildDir+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []uuid.UUID
	var inflight []uuid.UUID
	done := false
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "ack "):
			acked = append(acked, uuid.MustParse(line[4:]))
		case strings.HasPrefix(line, "inflight "):
			for _, s := range strings.Split(line[9:], ",") {
				inflight = append(inflight, uuid.MustParse(s))
			}
		}
		if line == "done" {
			done = true
		}
		if done && len(inflight) > 0 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(acked) != 1000 || len(inflight) == 0 {
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
	if !slices.Equal(batches[0], inflight) {
		t.Fatalf("first batch after restart has %d events, the in-flight batch had %d", len(batches[0]), len(inflight))
	}
	if st := w.Stats(); st.Replayed != 1000 {
		t.Fatalf("replayed %d", st.Replayed)
	}
}
