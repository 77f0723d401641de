package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/telemetryflow/core/internal/testutil/testport"
)

// Private is a redis-server of the test's own, for tests that take Redis away. Without the
// redis-server binary the test fails.
type Private struct {
	Port int
	cmd  *exec.Cmd
}

// StartPrivate starts a server on a loopback port reserved for the test (it stays free while
// the test has the server stopped); the server stops when the test ends.
func StartPrivate(t testing.TB) *Private {
	t.Helper()
	p := &Private{Port: testport.Reserve(t)}
	p.Start(t)
	t.Cleanup(func() { p.Stop(t) })
	return p
}

// URL is the server's redis:// URL.
func (p *Private) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", p.Port) }

// Start (re)starts the server on its port and waits until it answers.
func (p *Private) Start(t testing.TB) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redistest: redis-server is required for this test (apt-get install redis-server): %v", err)
	}
	p.cmd = exec.Command(bin, "--port", strconv.Itoa(p.Port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("redistest: starting redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(p.Port)})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c.Ping(context.Background()).Err() == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("redistest: redis-server on port %d did not answer within 10s", p.Port)
		}
	}
}

// Stop kills the server (as a crash would) and waits for it to exit.
func (p *Private) Stop(t testing.TB) {
	t.Helper()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd = nil
}
