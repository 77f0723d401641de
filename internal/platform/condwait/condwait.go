// Package condwait waits on a sync.Cond without missing a cancelled context.
package condwait

import (
	"context"
	"sync"
	"time"
)

// Wait waits on c, whose lock the caller holds, like c.Wait, but also returns when ctx ends
// and at the latest after poll: a cancelled context or a state change nobody broadcasts (a
// closed spool, a stopped writer) is noticed without a goroutine per waiter. The caller
// re-checks its condition in a loop, as with c.Wait.
func Wait(ctx context.Context, c *sync.Cond, poll time.Duration) {
	wake := func() {
		c.L.Lock()
		c.Broadcast()
		c.L.Unlock()
	}
	stop := context.AfterFunc(ctx, wake)
	defer stop()
	t := time.AfterFunc(poll, wake)
	defer t.Stop()
	c.Wait()
}
