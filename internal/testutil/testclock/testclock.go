// Package testclock is a settable clock for tests: code under test reads Now, the test moves
// it with Advance instead of sleeping.
package testclock

import (
	"sync"
	"time"
)

// Clock is safe for concurrent use: the code under test reads it from its own goroutines.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New starts the clock at the current time, in UTC.
func New() *Clock { return &Clock{now: time.Now().UTC()} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
