// Package sqlreplica routes the store's reads to PostgreSQL streaming replicas: a read goes to
// a replica that is up, no more than MaxLag behind the primary, and — when the caller or the
// read needs it — has replayed past a given primary position (LSN); otherwise to the primary.
// Writes never come here: the store runs them, and every unit of work, on the primary.
//
// Read-your-writes: after a unit of work commits, Wrote captures the primary's WAL position
// and keeps it for the caller (Config.Caller: the principal) for MaxLag plus two polls; until
// a replica has replayed past it, that caller's reads go to the primary. Fence does the same
// for reads marked Latest (authorization subjects after a cache invalidation), whoever makes
// them. The positions live in this process and, with Share, reach the other backends over
// Redis (docs/scaling.md).
package sqlreplica

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Replica is one read-only server.
type Replica struct {
	Name string // a password-free label for metrics and logs (host:port/db)
	DB   *sql.DB
}

// Config wires a router.
type Config struct {
	Primary  *sql.DB
	Replicas []Replica
	// MaxLag takes a replica out of rotation when it is further behind (default 5s).
	MaxLag time.Duration
	// Poll is how often each replica's position is read (default 250ms).
	Poll time.Duration
	// Caller names whose writes a read must see ("" for none); nil means no read-your-writes
	// per caller.
	Caller func(context.Context) string
	Log    *slog.Logger
	Now    func() time.Time
}

// Validate checks the configuration and fills the defaults.
func (c *Config) Validate() error {
	if c.Primary == nil || len(c.Replicas) == 0 {
		return errors.New("sqlreplica: a primary and at least one replica are required")
	}
	for _, r := range c.Replicas {
		if r.DB == nil || r.Name == "" {
			return errors.New("sqlreplica: every replica needs a pool and a name")
		}
	}
	if c.MaxLag <= 0 {
		c.MaxLag = 5 * time.Second
	}
	if c.Poll <= 0 {
		c.Poll = 250 * time.Millisecond
	}
	if c.Caller == nil {
		c.Caller = func(context.Context) string { return "" }
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// Router picks where each read goes.
type Router struct {
	cfg      Config
	replicas []*replica
	next     atomic.Uint64

	mu      sync.Mutex
	history []mark             // the primary's positions as polled, oldest first
	callers map[string]written // each caller's last write
	floor   uint64             // reads marked Latest need a replica at least here
	share   func(ctx context.Context, caller string, lsn uint64)

	primaryReads [numReasons]atomic.Uint64
}

// replica is one replica's state as the last poll (or a failed query) left it.
type replica struct {
	Replica
	healthy  atomic.Bool
	replayed atomic.Uint64 // LSN
	lag      atomic.Int64  // nanoseconds
	queries  atomic.Uint64
	failures atomic.Uint64
}

type mark struct {
	at  time.Time
	lsn uint64
}

type written struct {
	lsn uint64
	at  time.Time
}

// Why a read went to the primary.
type reason int

const (
	reasonNoReplica   reason = iota // no replica is up and close enough
	reasonBehindWrite               // replicas are up, but none has replayed what the read must see
	reasonFailed                    // the replica failed the query; it was retried on the primary
	numReasons
)

var reasonNames = [numReasons]string{"no_replica", "behind_write", "replica_failed"}

// New builds the router; call Run to start watching the replicas (until then every read goes
// to the primary).
func New(cfg Config) (*Router, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Router{cfg: cfg, callers: map[string]written{}}
	for _, rep := range cfg.Replicas {
		r.replicas = append(r.replicas, &replica{Replica: rep})
	}
	return r, nil
}

// Pick answers the replica a read in ctx goes to, or -1 for the primary.
func (r *Router) Pick(ctx context.Context) int {
	need := r.need(ctx)
	n := len(r.replicas)
	start := int(r.next.Add(1))
	anyHealthy := false
	for i := range n {
		idx := (start + i) % n
		rep := r.replicas[idx]
		if !rep.healthy.Load() {
			continue
		}
		anyHealthy = true
		if rep.replayed.Load() >= need {
			rep.queries.Add(1)
			return idx
		}
	}
	if anyHealthy {
		r.primaryReads[reasonBehindWrite].Add(1)
	} else {
		r.primaryReads[reasonNoReplica].Add(1)
	}
	return -1
}

// need is the position a replica must have replayed to serve ctx's read.
func (r *Router) need(ctx context.Context) uint64 {
	var need uint64
	caller := r.cfg.Caller(ctx)
	latest := ctx.Value(latestKey{}) != nil
	if caller == "" && !latest {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if latest {
		need = r.floor
	}
	if w, ok := r.callers[caller]; ok && caller != "" && r.cfg.Now().Sub(w.at) < r.remember() {
		need = max(need, w.lsn)
	}
	return need
}

// remember is how long a write's position is kept: past it, every replica still in rotation
// (at most MaxLag behind, as polled) has replayed it.
func (r *Router) remember() time.Duration { return r.cfg.MaxLag + 2*r.cfg.Poll }

// Failed reports whether err, from replica i, means the replica failed (the read should be
// retried on the primary) rather than the query; a failed replica leaves rotation until the
// next poll finds it well.
func (r *Router) Failed(ctx context.Context, i int, err error) bool {
	if err == nil || ctx.Err() != nil || !replicaFault(err) {
		return false
	}
	rep := r.replicas[i]
	rep.failures.Add(1)
	if rep.healthy.Swap(false) {
		r.cfg.Log.WarnContext(ctx, "read replica failed a query: reads go to the primary until it answers again", "replica", rep.Name, "error", err)
	}
	r.primaryReads[reasonFailed].Add(1)
	return true
}

// Wrote records, after a commit on the primary, the position every later read of the caller
// (and every Latest read) must see.
func (r *Router) Wrote(ctx context.Context) {
	lsn := r.primaryPosition(ctx)
	caller := r.cfg.Caller(ctx)
	r.mu.Lock()
	r.floor = max(r.floor, lsn)
	share := r.share
	r.mu.Unlock()
	if caller == "" {
		return
	}
	r.noteWrite(caller, lsn)
	if share != nil {
		share(ctx, caller, lsn)
	}
}

// noteWrite keeps the caller's write position (the highest of those still remembered).
func (r *Router) noteWrite(caller string, lsn uint64) {
	now := r.cfg.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if w, ok := r.callers[caller]; ok && now.Sub(w.at) < r.remember() {
		lsn = max(lsn, w.lsn)
	}
	r.callers[caller] = written{lsn: lsn, at: now}
}

// Fence makes every later Latest read see what the primary holds now (call it when a cache
// entry is dropped because something changed, possibly on another instance).
func (r *Router) Fence(ctx context.Context) {
	lsn := r.primaryPosition(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.floor = max(r.floor, lsn)
}

// primaryPosition reads the primary's current WAL position; when it cannot, the answer is the
// highest position there is, so the reads that need it go to the primary.
func (r *Router) primaryPosition(ctx context.Context) uint64 {
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	var lsn int64
	if err := r.cfg.Primary.QueryRowContext(qctx, primaryLSN).Scan(&lsn); err != nil {
		r.cfg.Log.WarnContext(ctx, "reading the primary's WAL position; the reads that must see this write go to the primary", "error", err)
		return math.MaxUint64
	}
	return uint64(lsn)
}

type latestKey struct{}

// Latest marks ctx's reads as needing everything this instance knows changed (Fence, Wrote):
// authorization subjects loaded after an invalidation must not come back stale from a replica.
func Latest(ctx context.Context) context.Context { return context.WithValue(ctx, latestKey{}, true) }

// Primary is the write pool; Replica(i) the pool of replica i.
func (r *Router) Primary() *sql.DB { return r.cfg.Primary }

// Replica returns the pool of replica i (as Pick numbers them).
func (r *Router) Replica(i int) *sql.DB { return r.replicas[i].DB }

// Replicas is how many replicas there are.
func (r *Router) Replicas() int { return len(r.replicas) }
