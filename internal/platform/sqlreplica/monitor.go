package sqlreplica

import (
	"context"
	"math"
	"sync"
	"time"
)

const (
	primaryLSN = `SELECT (pg_current_wal_lsn() - '0/0')::bigint`
	replicaLSN = `SELECT pg_is_in_recovery(), COALESCE((pg_last_wal_replay_lsn() - '0/0')::bigint, 0)`
)

// Run polls the primary's position and each replica's every Poll until ctx ends, taking
// replicas in and out of rotation.
func (r *Router) Run(ctx context.Context) {
	t := time.NewTicker(r.cfg.Poll)
	defer t.Stop()
	for {
		r.PollOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PollOnce reads the primary's position, then each replica's (in parallel), and decides
// which replicas are in rotation.
//
// Lag is measured against the primary's own history: a replica that has replayed position R
// is as far behind as the time since the primary first went past R (to within one poll). This
// stays zero for a caught-up replica of an idle primary, where the age of the last replayed
// transaction would grow without bound.
func (r *Router) PollOnce(ctx context.Context) {
	now := r.cfg.Now()
	qctx, cancel := context.WithTimeout(ctx, r.timeout())
	var p int64
	err := r.cfg.Primary.QueryRowContext(qctx, primaryLSN).Scan(&p)
	cancel()
	r.mu.Lock()
	if err == nil {
		r.history = append(r.history, mark{at: now, lsn: uint64(p)})
		if r.floor == math.MaxUint64 { // a position could not be read; the primary answers again
			r.floor = uint64(p)
		}
	}
	r.prune(now)
	history := append([]mark(nil), r.history...)
	r.mu.Unlock()

	var wg sync.WaitGroup
	for _, rep := range r.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.pollReplica(ctx, rep, history, now)
		}()
	}
	wg.Wait()
}

func (r *Router) pollReplica(ctx context.Context, rep *replica, history []mark, now time.Time) {
	qctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	var (
		recovering bool
		replayed   int64
	)
	if err := rep.DB.QueryRowContext(qctx, replicaLSN).Scan(&recovering, &replayed); err != nil || !recovering {
		if rep.healthy.Swap(false) {
			r.cfg.Log.WarnContext(ctx, "read replica out of rotation: not answering as a replica", "replica", rep.Name, "error", err, "in_recovery", recovering)
		}
		return
	}
	rep.replayed.Store(uint64(replayed))
	lag, known := lagOf(uint64(replayed), history, now)
	rep.lag.Store(int64(lag))
	ok := known && lag <= r.cfg.MaxLag
	if was := rep.healthy.Swap(ok); was != ok {
		if ok {
			r.cfg.Log.InfoContext(ctx, "read replica in rotation", "replica", rep.Name, "lag", lag.String())
		} else {
			r.cfg.Log.WarnContext(ctx, "read replica out of rotation: lagging", "replica", rep.Name, "lag", lag.String(), "max", r.cfg.MaxLag.String())
		}
	}
}

// lagOf is how long ago the primary first went past replayed; known is false when the
// history does not reach back to a position the replica has replayed (it is at least that old).
func lagOf(replayed uint64, history []mark, now time.Time) (lag time.Duration, known bool) {
	if len(history) == 0 {
		return 0, false
	}
	if replayed >= history[len(history)-1].lsn {
		return 0, true
	}
	for i := len(history) - 1; i > 0; i-- {
		if history[i-1].lsn <= replayed {
			return now.Sub(history[i].at), true
		}
	}
	return now.Sub(history[0].at), false
}

// prune keeps the history back to a little over MaxLag and forgets callers whose last write
// every replica in rotation has replayed. Called with mu held.
func (r *Router) prune(now time.Time) {
	keep := 2*r.cfg.MaxLag + 2*r.cfg.Poll
	i := 0
	for i < len(r.history)-1 && now.Sub(r.history[i].at) > keep {
		i++
	}
	r.history = r.history[i:]
	for k, w := range r.callers {
		if now.Sub(w.at) >= r.remember() {
			delete(r.callers, k)
		}
	}
}

// timeout bounds one poll query: a replica that hangs is as good as down.
func (r *Router) timeout() time.Duration { return max(time.Second, 2*r.cfg.Poll) }
