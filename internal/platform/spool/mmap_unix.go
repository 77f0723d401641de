//go:build unix

package spool

import (
	"os"

	"golang.org/x/sys/unix"
)

func mapFile(f *os.File, size int64, writable bool) ([]byte, error) {
	prot := unix.PROT_READ
	if writable {
		prot |= unix.PROT_WRITE
	}
	return unix.Mmap(int(f.Fd()), 0, int(size), prot, unix.MAP_SHARED)
}

func unmap(m []byte) {
	if m != nil {
		_ = unix.Munmap(m)
	}
}

// msync writes the pages holding m[from:to] to stable storage and waits for it.
func msync(m []byte, from, to int64) error {
	if to <= from {
		return nil
	}
	page := int64(os.Getpagesize())
	from -= from % page
	return unix.Msync(m[from:to], unix.MS_SYNC)
}

// lockDir takes an exclusive advisory lock so two processes never share a spool. The kernel
// releases it when the process dies, however it dies.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}
