package chtest

import (
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/testutil/testport"
)

// Private is a ClickHouse server of one test's own (own ports, own data directory), for fault
// tests that stop and restart the server: stopping the shared server would break every other
// test running against it.
type Private struct {
	// Addr is the native-protocol address.
	Addr     string
	script   string
	stateDir string
	env      []string
}

// StartPrivate starts a private server with scripts/clickhouse.sh and stops it when the test
// ends. The engine library is the shared, cached one; only state and ports are the test's.
func StartPrivate(t testing.TB) *Private {
	t.Helper()
	p := NewPrivate(t)
	p.Start(t)
	return p
}

// NewPrivate reserves a private server's ports and data directory without starting it (a test
// of a service that starts before its ClickHouse does); Start starts it.
func NewPrivate(t testing.TB) *Private {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("chtest: cannot locate the repository")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	tcp, http := testport.Reserve(t), testport.Reserve(t)
	p := &Private{
		Addr:     "127.0.0.1:" + strconv.Itoa(tcp),
		script:   filepath.Join(root, "scripts", "clickhouse.sh"),
		stateDir: t.TempDir(),
	}
	p.env = append(os.Environ(),
		"TF_CLICKHOUSE_STATE_DIR="+p.stateDir,
		"TF_CLICKHOUSE_TCP_PORT="+strconv.Itoa(tcp),
		"TF_CLICKHOUSE_HTTP_PORT="+strconv.Itoa(http),
	)
	t.Cleanup(func() { p.Stop(t) })
	return p
}

// starting serialises starts in this process: the first start on a machine builds the
// launcher binary, and one build is enough.
var starting sync.Mutex

// Start starts the server (again) and returns once it answers.
func (p *Private) Start(t testing.TB) {
	t.Helper()
	starting.Lock()
	defer starting.Unlock()
	p.run(t, "start")
}

// Stop stops the server (SIGTERM, as an operator or orchestrator would).
func (p *Private) Stop(t testing.TB) {
	t.Helper()
	p.run(t, "stop")
}

// AwaitConnections waits until the server has closed all but n native connections, not
// counting the one it asks through. Use it after a client died: a server that aborts on a
// connection reset by a dying client (docs/clickhouse-dev-server.md) has done so by then, and
// the test fails with the server's log instead of on some later query.
func (p *Private) AwaitConnections(t testing.TB, n uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := ch.Dial(ctx, ch.Options{Address: p.Addr, DialTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("chtest: the private ClickHouse server does not answer: %v\n%s", err, p.LogTail())
	}
	defer c.Close()
	for {
		var open proto.ColUInt64
		err := c.Do(ctx, ch.Query{
			Body:   "SELECT toUInt64(value) AS open FROM system.metrics WHERE metric = 'TCPConnection'",
			Result: proto.Results{{Name: "open", Data: &open}},
		})
		switch {
		case err != nil:
			t.Fatalf("chtest: the private ClickHouse server stopped serving: %v\n%s", err, p.LogTail())
		case open.Row(0) <= n+1:
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("chtest: the private ClickHouse server still has %d native connections, want %d", open.Row(0)-1, n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// LogTail returns the end of the server's log (errors only, by default) without stack frames,
// to explain a failure.
func (p *Private) LogTail() string {
	name := filepath.Join(p.stateDir, "clickhouse.log")
	b, err := os.ReadFile(name)
	if err != nil {
		return "no server log: " + err.Error()
	}
	var lines []string
	for line := range strings.Lines(string(b)) {
		if strings.TrimSpace(line) != "" && !strings.Contains(line, " @ 0x") && !strings.Contains(line, "Stack trace: 0x") {
			lines = append(lines, strings.TrimRight(line, "\n"))
		}
	}
	return "last lines of " + name + ":\n" + strings.Join(lines[max(0, len(lines)-25):], "\n")
}

func (p *Private) run(t testing.TB, cmd string) {
	t.Helper()
	c := osexec.Command(p.script, cmd)
	c.Env = p.env
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("chtest: clickhouse.sh %s: %v\n%s", cmd, err, out)
	}
}
