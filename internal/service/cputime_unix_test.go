//go:build unix

package service_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) every thread of the process has used so far: a
// benchmark's background work (the audit writer storing rows) included, and contention with
// other processes on a shared machine excluded.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
