package loadkit

import (
	"sync"
	"time"
)

// Drive runs conns closed-loop workers against addr for d, each on its own keep-alive
// connection sending next(worker, n) as fast as answers come back, and returns what they saw.
func Drive(addr string, conns int, d time.Duration, next func(worker, n int) Request) (*Op, time.Duration) {
	ops := make([]Op, conns)
	var wg sync.WaitGroup
	start := make(chan struct{})
	var deadline time.Time
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := Dial(addr)
			<-start
			if err != nil {
				ops[w].Add(0, 0)
				return
			}
			defer c.Close()
			for n := 0; ; n++ {
				t0 := time.Now()
				if t0.After(deadline) {
					return
				}
				status, err := c.Do(next(w, n))
				if err != nil {
					status = 0
				}
				ops[w].Add(status, time.Since(t0))
			}
		}()
	}
	t0 := time.Now()
	deadline = t0.Add(d)
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	var all Op
	for i := range ops {
		all.Merge(&ops[i])
	}
	return &all, elapsed
}
