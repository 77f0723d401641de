//go:build unix

package testport

import (
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// reservedFrom is the first port a private server may get. Ports from here up to the
// kernel's ephemeral range are handed out by no one but Reserve.
const reservedFrom = 20000

// Reserve returns a loopback port that stays the test's while its private server is
// stopped, until the test ends. A port the kernel picked (":0") is in the ephemeral range, so
// during an outage the kernel can give it to any other process's listener or outgoing
// connection, and the restart fails with "port already in use". Ports below that range are
// never picked by the kernel; a lock file, held until the test ends, keeps other test
// processes using Reserve off the port.
func Reserve(t testing.TB) int {
	t.Helper()
	below := ephemeralFrom()
	if below-reservedFrom < 1000 {
		t.Logf("testport: the ephemeral port range starts at %d: a private server's port may be taken while it is stopped", below)
		return Free(t)
	}
	dir := lockDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for range 1000 {
		port := reservedFrom + rand.IntN(below-reservedFrom)
		lock, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		// The lock goes with the file descriptor: released when it is closed or the process dies.
		if unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
			_ = lock.Close()
			continue
		}
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil { // in use by something that does not know the locks
			_ = lock.Close()
			continue
		}
		_ = l.Close()
		t.Cleanup(func() { _ = lock.Close() })
		return port
	}
	t.Fatalf("testport: no free port in 127.0.0.1:%d-%d", reservedFrom, below-1)
	return 0
}

// ephemeralFrom is the first port of the kernel's ephemeral range (Linux's default if unknown).
func ephemeralFrom() int {
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				return n
			}
		}
	}
	return 32768
}

// lockDir holds one lock file per reserved port. It keeps the name it had when only chtest
// reserved ports, so test binaries built from older checkouts still see the same locks.
func lockDir() string { return filepath.Join(os.TempDir(), "telemetryflow-chtest-ports") }
