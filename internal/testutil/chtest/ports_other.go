//go:build !unix

package chtest

import "testing"

// reservePort falls back to a port the kernel picks; see ports_unix.go.
func reservePort(t testing.TB) int { return freePort(t) }
