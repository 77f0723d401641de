package chdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"
)

// ErrNotConnected is what a Lazy answers before its first successful connection (wrapped with
// the last attempt's error).
var ErrNotConnected = errors.New("not connected yet")

// Unreachable reports whether err proves that no connection could be made (nothing was sent):
// not connected yet, or a failed dial.
func Unreachable(err error) bool {
	var op *net.OpError
	return errors.Is(err, ErrNotConnected) || (errors.As(err, &op) && op.Op == "dial")
}

// SetupError is a failed Setup on a server that answered (a migration refused), as opposed to
// a server that could not be reached.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// LazyConfig tunes a Lazy.
type LazyConfig struct {
	Config
	// Setup runs once on the first pool that connects (the migrations); the pool is handed out
	// only after it succeeded. A failed Setup closes the pool and counts as a failed attempt.
	Setup func(ctx context.Context, pool *chpool.Pool) error
	// OnConnect, if set, runs once after Setup succeeded (the audit writer retries at once
	// instead of waiting out its backoff).
	OnConnect func()
	// RetryMin and RetryMax bound the backoff between attempts (default 100 ms, 2 s): a refused
	// dial costs little, and RetryMax is how long a recovered server may wait to be noticed.
	RetryMin, RetryMax time.Duration
	Log                *slog.Logger
}

// Lazy is a Doer that connects in the background: the service starts, and serves, while
// ClickHouse is unreachable, and the pool (migrated by Setup) is used from the first attempt
// that succeeds. Before that every query fails with ErrNotConnected.
type Lazy struct {
	cfg     LazyConfig
	pool    atomic.Pointer[chpool.Pool]
	lastErr atomic.Pointer[error]
	ready   chan struct{}

	attempt sync.Mutex // serialises attempts
	mu      sync.Mutex // guards closed, stop and done
	closed  bool
	stop    context.CancelFunc
	done    chan struct{}
}

var _ Doer = (*Lazy)(nil)

// NewLazy validates the configuration; nothing is dialled until Connect or Start.
func NewLazy(cfg LazyConfig) (*Lazy, error) {
	if cfg.Addr == "" || cfg.Database == "" {
		return nil, errors.New("clickhouse: address and database are required")
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = 100 * time.Millisecond
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 2 * time.Second
	}
	cfg.RetryMax = max(cfg.RetryMax, cfg.RetryMin)
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Lazy{cfg: cfg, ready: make(chan struct{})}, nil
}

// Connect makes one attempt (unless already connected): open the pool, run Setup, publish it.
func (l *Lazy) Connect(ctx context.Context) error {
	l.attempt.Lock()
	defer l.attempt.Unlock()
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return errors.New("clickhouse: closed")
	}
	if l.pool.Load() != nil {
		return nil
	}
	pool, err := Open(ctx, l.cfg.Config)
	if err == nil && l.cfg.Setup != nil {
		if err = l.cfg.Setup(ctx, pool); err != nil {
			pool.Close()
			if !Unreachable(err) { // another node of a cluster down is an outage too
				err = &SetupError{Err: err}
			}
		}
	}
	if err != nil {
		l.lastErr.Store(&err)
		return err
	}
	l.pool.Store(pool)
	close(l.ready)
	if l.cfg.OnConnect != nil {
		l.cfg.OnConnect()
	}
	return nil
}

// Start retries Connect in the background, with jittered exponential backoff, until it
// succeeds or Close is called.
func (l *Lazy) Start() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.done != nil || l.pool.Load() != nil {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	l.stop, l.done = stop, make(chan struct{})
	go l.retry(ctx)
}

func (l *Lazy) retry(ctx context.Context) {
	defer close(l.done)
	for attempt := 0; ; attempt++ {
		d := l.cfg.RetryMin << min(attempt, 20)
		if d > l.cfg.RetryMax || d <= 0 {
			d = l.cfg.RetryMax
		}
		// Jitter keeps many replicas from dialling a recovering server in lockstep.
		d = d/2 + rand.N(d/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
		actx, cancel := context.WithTimeout(ctx, time.Minute)
		err := l.Connect(actx)
		cancel()
		if err == nil {
			l.cfg.Log.Info("clickhouse connected and migrated", "addr", l.cfg.Addr, "attempts", attempt+1)
			return
		}
		if attempt%20 == 0 {
			l.cfg.Log.Warn("clickhouse still unreachable; audit events stay spooled", "addr", l.cfg.Addr, "attempt", attempt+1, "error", err)
		}
	}
}

// Ready is closed once the pool is connected and set up.
func (l *Lazy) Ready() <-chan struct{} { return l.ready }

// Err is nil once connected, else why the last attempt failed (ErrNotConnected before any).
func (l *Lazy) Err() error {
	if l.pool.Load() != nil {
		return nil
	}
	if p := l.lastErr.Load(); p != nil {
		return fmt.Errorf("%w: %w", ErrNotConnected, *p)
	}
	return ErrNotConnected
}

// Do runs q on the pool, or fails at once while not connected.
func (l *Lazy) Do(ctx context.Context, q ch.Query) error {
	p := l.pool.Load()
	if p == nil {
		return l.Err()
	}
	return p.Do(ctx, q)
}

// Close stops the background attempts (cancelling one under way) and closes the pool.
func (l *Lazy) Close() {
	l.mu.Lock()
	l.closed = true
	stop, done := l.stop, l.done
	l.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	l.attempt.Lock() // an attempt begun before Close has published its pool or given up
	defer l.attempt.Unlock()
	if p := l.pool.Load(); p != nil {
		p.Close()
	}
}
