// Package outbox delivers committed domain events to in-process subscribers, at least once.
//
// A change and its events commit together (internal/store writes both in one transaction).
// Right after commit the request delivers them synchronously (Publish), so the effect — a
// dropped cache entry, say — is visible on the very next request. If that delivery fails or
// never happens (the process dies between commit and publish), the events stay pending in the
// outbox table and the poller (Run) delivers them: on start, and periodically after failures.
// A delivery can therefore repeat; subscribers must be idempotent by event id (Once helps).
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/event"
)

// Store is the outbox table.
type Store interface {
	// Pending lists undispatched events that occurred at or before until and were tried fewer
	// than maxAttempts times, oldest first.
	Pending(ctx context.Context, until time.Time, maxAttempts, limit int) ([]event.Envelope, error)
	MarkDispatched(ctx context.Context, id uuid.UUID, at time.Time) error
	MarkFailed(ctx context.Context, id uuid.UUID, cause string) error
	// Purge deletes events dispatched before the given moment.
	Purge(ctx context.Context, before time.Time) (int, error)
}

// Subscriber handles one event. It must be idempotent: the same event (same Envelope.ID) may
// arrive more than once.
type Subscriber interface {
	Handle(ctx context.Context, e event.Envelope) error
}

// SubscriberFunc adapts a function to Subscriber.
type SubscriberFunc func(ctx context.Context, e event.Envelope) error

// Handle calls f.
func (f SubscriberFunc) Handle(ctx context.Context, e event.Envelope) error { return f(ctx, e) }

// Config tunes a dispatcher.
type Config struct {
	Store Store
	Log   *slog.Logger
	// Interval between polls for events whose inline delivery failed. Default 5s.
	Interval time.Duration
	// Grace is how old a pending event must be before a periodic poll takes it, so the
	// request that committed it gets to deliver it first. Default 30s.
	Grace time.Duration
	// MaxAttempts after which an event is parked (left undispatched, no longer retried, its
	// last error kept). Default 25.
	MaxAttempts int
	// BatchSize is how many pending events a poll reads at once. Default 100.
	BatchSize int
	// Retention is how long dispatched events stay in the table (for diagnosis) before the
	// poller purges them. Default 7 days.
	Retention time.Duration
	Now       func() time.Time
}

// Dispatcher delivers events to subscribers.
type Dispatcher struct {
	cfg  Config
	mu   sync.RWMutex
	subs []named
}

type named struct {
	name string
	sub  Subscriber
}

// Validate reports a missing store or a negative grace (zero values take the defaults).
func (c Config) Validate() error {
	var problems []error
	if c.Store == nil {
		problems = append(problems, errors.New("outbox: store is required"))
	}
	if c.Grace < 0 {
		problems = append(problems, errors.New("outbox: grace must not be negative"))
	}
	return errors.Join(problems...)
}

// New validates cfg and builds a dispatcher.
func New(cfg Config) (*Dispatcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.Grace == 0 {
		cfg.Grace = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 25
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 7 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Dispatcher{cfg: cfg}, nil
}

// Subscribe adds a subscriber; name appears in logs and failure reasons.
func (d *Dispatcher) Subscribe(name string, s Subscriber) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.subs = append(d.subs, named{name: name, sub: s})
}

// Publish delivers freshly committed events now, in the caller's goroutine. Failures are
// recorded in the outbox (the poller retries them) and never reach the caller: the change is
// committed whatever a subscriber thinks of it.
func (d *Dispatcher) Publish(ctx context.Context, events []event.Envelope) {
	for _, e := range events {
		d.deliver(ctx, e)
	}
}

// Drain delivers every pending event that occurred at or before until; it answers how many it
// delivered successfully.
func (d *Dispatcher) Drain(ctx context.Context, until time.Time) (int, error) {
	delivered := 0
	seen := map[uuid.UUID]bool{}
	for {
		batch, err := d.cfg.Store.Pending(ctx, until, d.cfg.MaxAttempts, d.cfg.BatchSize)
		if err != nil {
			return delivered, err
		}
		progress := false
		for _, e := range batch {
			if seen[e.ID] {
				continue // failed once in this drain; the next poll retries it
			}
			seen[e.ID] = true
			progress = true
			if d.deliver(ctx, e) {
				delivered++
			}
		}
		if len(batch) < d.cfg.BatchSize || !progress {
			return delivered, nil
		}
	}
}

// Run resumes delivery of everything left pending (by a crash or failed subscribers) and then
// polls every Interval until ctx ends; about hourly it purges events past their retention.
func (d *Dispatcher) Run(ctx context.Context) error {
	if _, err := d.Drain(ctx, d.cfg.Now()); err != nil && ctx.Err() == nil {
		d.cfg.Log.Error("outbox: resume failed", "error", err)
	}
	t := time.NewTicker(d.cfg.Interval)
	defer t.Stop()
	var purged time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			now := d.cfg.Now()
			if _, err := d.Drain(ctx, now.Add(-d.cfg.Grace)); err != nil && ctx.Err() == nil {
				d.cfg.Log.Error("outbox: poll failed", "error", err)
			}
			if now.Sub(purged) >= time.Hour {
				purged = now
				if _, err := d.cfg.Store.Purge(ctx, now.Add(-d.cfg.Retention)); err != nil && ctx.Err() == nil {
					d.cfg.Log.Error("outbox: purge failed", "error", err)
				}
			}
		}
	}
}

// deliver hands e to every subscriber and records the outcome; it reports success.
func (d *Dispatcher) deliver(ctx context.Context, e event.Envelope) bool {
	d.mu.RLock()
	subs := d.subs
	d.mu.RUnlock()
	var failures []error
	for _, s := range subs {
		if err := s.sub.Handle(ctx, e); err != nil {
			failures = append(failures, fmt.Errorf("%s: %w", s.name, err))
		}
	}
	m := e.Event.Meta()
	if len(failures) > 0 {
		err := errors.Join(failures...)
		d.cfg.Log.Warn("outbox: delivery failed; will retry", "event", m.Name, "id", e.ID, "error", err)
		if merr := d.cfg.Store.MarkFailed(ctx, e.ID, err.Error()); merr != nil {
			d.cfg.Log.Error("outbox: recording failure", "id", e.ID, "error", merr)
		}
		return false
	}
	if err := d.cfg.Store.MarkDispatched(ctx, e.ID, d.cfg.Now()); err != nil {
		// Delivered but not marked: the poller will deliver it again, which idempotent
		// subscribers absorb.
		d.cfg.Log.Error("outbox: marking dispatched", "id", e.ID, "error", err)
	}
	return true
}
