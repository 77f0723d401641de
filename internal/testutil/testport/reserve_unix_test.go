//go:build unix

package testport

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestReservedPortsStayReserved checks what keeps a stopped private server's ports its own:
// they are below the kernel's ephemeral range, and locked against other test processes.
func TestReservedPortsStayReserved(t *testing.T) {
	t.Parallel()
	a, b := Reserve(t), Reserve(t)
	if a == b {
		t.Fatalf("port %d reserved twice", a)
	}
	for _, port := range []int{a, b} {
		if port < reservedFrom || port >= ephemeralFrom() {
			t.Errorf("port %d is not in %d-%d, below the ephemeral range", port, reservedFrom, ephemeralFrom()-1)
		}
		f, err := os.Open(filepath.Join(lockDir(), strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			t.Errorf("port %d is not locked against other processes", port)
		}
		_ = f.Close()
	}
}
