package chtest

import (
	"net"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
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
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("chtest: cannot locate the repository")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	tcp, http := freePort(t), freePort(t)
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
	p.Start(t)
	t.Cleanup(func() { p.Stop(t) })
	return p
}

// starting serialises starts in this process: the first start on a machine may build the
// shared launcher binary, and two builds at once would race on its temporary file.
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

// freePort asks the kernel for an unused loopback port.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
