//go:build unix && !linux

package spool

import "os"

func preallocate(f *os.File, size int64) error { return writeZeros(f, size) }
