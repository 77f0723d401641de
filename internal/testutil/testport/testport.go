// Package testport hands tests loopback ports for servers of their own (a private ClickHouse,
// Redis or PostgreSQL): Free for a server that keeps its port while it runs, Reserve for one
// the test stops and starts again on the same port.
package testport

import (
	"net"
	"testing"
)

// Free asks the kernel for an unused loopback port. It is in the ephemeral range, so once
// nothing listens on it any process may get it: see Reserve.
func Free(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
