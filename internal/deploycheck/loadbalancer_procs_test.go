package deploycheck_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// The processes of the load-balancer test: real `telemetryflow serve` backends and HAProxy.

// buildServe builds the binary the deployment runs.
func buildServe(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "telemetryflow")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/telemetryflow")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// backend is one running `serve` process with its own data directory (keys, audit spool).
type backend struct {
	cmd       *exec.Cmd
	env       []string
	addr, url string
	exited    chan error
}

func startBackend(t *testing.T, bin string, shared map[string]string) *backend {
	t.Helper()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"TF_HTTP_ADDR=127.0.0.1:0",
		"TF_DATA_DIR=" + t.TempDir(),
		"TF_BOOTSTRAP_ADMIN_EMAIL=" + apitest.AdminEmail,
		"TF_BOOTSTRAP_ADMIN_PASSWORD=" + apitest.AdminPassword,
		"TF_LOG_FORMAT=json",
		"TF_LOG_LEVEL=info", // the "listening" line is at info
	}
	for k, v := range shared {
		env = append(env, k+"="+v)
	}
	return launch(t, bin, env)
}

// launch starts serve and waits for its "listening" line; warnings and errors go to the test log.
func launch(t *testing.T, bin string, env []string) *backend {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &backend{cmd: cmd, env: env, exited: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
				addr <- rec.Addr
			} else if !strings.Contains(sc.Text(), `"level":"INFO"`) {
				t.Logf("backend: %s", sc.Text())
			}
		}
	}()
	go func() { b.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-b.exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	select {
	case b.addr = <-addr:
	case err := <-b.exited:
		t.Fatalf("serve exited before listening: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not start listening within 2 minutes")
	}
	b.url = "http://" + b.addr
	return b
}

// kill ends the backend with SIGKILL: nothing is flushed, nothing is closed.
func (b *backend) kill(t *testing.T) {
	t.Helper()
	if err := b.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-b.exited
	b.exited <- nil // the cleanup's wait returns at once
}

// restart starts the same backend again on its data directory (a new port).
func (b *backend) restart(t *testing.T, bin string) *backend {
	t.Helper()
	return launch(t, bin, b.env)
}

// haproxy is HAProxy from Debian's package running docker/haproxy/haproxy.cfg.
type haproxy struct {
	url, socket string
}

func startHAProxy(t *testing.T, backends ...string) *haproxy {
	t.Helper()
	exe, err := exec.LookPath("haproxy")
	if err != nil {
		t.Fatalf("HAProxy is required (Debian package haproxy; .ci/run installs it): %v", err)
	}
	cfg, err := filepath.Abs("../../docker/haproxy/haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bind := l.Addr().String()
	_ = l.Close()                           // HAProxy binds it next (if another process took it, waitUp times out)
	dir, err := os.MkdirTemp("", "haproxy") // a unix socket path must stay short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	h := &haproxy{url: "http://" + bind, socket: filepath.Join(dir, "admin.sock")}
	cmd := exec.Command(exe, "-db", "-f", cfg)
	cmd.Env = []string{"HAPROXY_BIND=" + bind, "HAPROXY_STATS_SOCKET=" + h.socket}
	for i, b := range backends {
		cmd.Env = append(cmd.Env, fmt.Sprintf("TF_BACKEND_%d=%s", i+1, b))
	}
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return h
}

// command runs one runtime API command and returns its answer.
func (h *haproxy) command(t *testing.T, line string) string {
	t.Helper()
	c, err := net.DialTimeout("unix", h.socket, time.Second)
	if err != nil {
		return ""
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return ""
	}
	b, _ := io.ReadAll(c)
	return string(b)
}

// waitUp waits until n servers of the backend pass their health check.
func (h *haproxy) waitUp(t *testing.T, n int) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d backends UP in HAProxy", n), func() bool {
		up := 0
		for line := range strings.Lines(h.command(t, "show stat")) {
			f := strings.Split(line, ",")
			if len(f) > 17 && f[0] == "core" && strings.HasPrefix(f[1], "core") && f[17] == "UP" {
				up++
			}
		}
		return up >= n
	})
}

// setAddr points a server at a new address (a restarted backend listens on a new port).
func (h *haproxy) setAddr(t *testing.T, server, addr string) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	if out := h.command(t, fmt.Sprintf("set server core/%s addr %s port %s", server, host, port)); !strings.Contains(out, "changed") &&
		!strings.Contains(out, "no need to change") {
		t.Fatalf("set server %s: %q", server, out)
	}
}
