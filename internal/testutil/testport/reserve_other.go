//go:build !unix

package testport

import "testing"

// Reserve falls back to a port the kernel picks; see reserve_unix.go.
func Reserve(t testing.TB) int { return Free(t) }
