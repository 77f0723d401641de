package auth

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// coalescer bounds the audit rows an unauthenticated flood can create. Failed authentications
// (rejected tokens, failed logins and refreshes) are keyed by client (IPv4 address or IPv6
// /64), action and reason. The first event of a key is recorded at once; the ones that follow
// within the window are counted and recorded as one event, with their count, when the window
// is over (a background sweep), at Flush, or at Close. Every failure is therefore counted
// exactly (metadata "count"; the rows' counts add up to the failures), and a key produces at
// most one row per window however fast it fails. Metrics count each failure regardless.
type coalescer struct {
	window  time.Duration
	now     func() time.Time
	record  func(context.Context, audit.Event)
	maxKeys int

	mu      sync.Mutex
	pending map[coalesceKey]*coalesced

	stop, done chan struct{}
	closeOnce  sync.Once
}

type coalesceKey struct{ client, action, reason string }

// coalesced is a key's state: when its current window opened, and the events held back in it
// (the first of them stands for all; mixed: they named different users).
type coalesced struct {
	opened time.Time
	first  audit.Event
	last   time.Time
	count  int
	mixed  bool
}

// newCoalescer sweeps every sweepEvery (0: never; tests sweep by hand).
func newCoalescer(window, sweepEvery time.Duration, now func() time.Time, record func(context.Context, audit.Event)) *coalescer {
	c := &coalescer{window: window, now: now, record: record, maxKeys: 100_000, pending: map[coalesceKey]*coalesced{},
		stop: make(chan struct{}), done: make(chan struct{})}
	if sweepEvery <= 0 {
		close(c.done)
		return c
	}
	go c.run(sweepEvery)
	return c
}

// Record submits one failed authentication.
func (c *coalescer) Record(ctx context.Context, e audit.Event) {
	k := coalesceKey{client: reqinfo.ClientKey(e.IPAddress), action: e.Action, reason: e.ErrorMessage}
	now := c.now()
	c.mu.Lock()
	p := c.pending[k]
	switch {
	case p != nil && now.Sub(p.opened) < c.window: // held back until the window is over
		p.hold(e, now)
		c.mu.Unlock()
		return
	case p != nil && p.count > 0: // a flood going on: this event closes the window's summary
		p.hold(e, now)
		sum := p.summary()
		c.pending[k] = &coalesced{opened: now}
		c.mu.Unlock()
		c.record(context.WithoutCancel(ctx), sum)
		return
	}
	var held []audit.Event
	if p == nil && len(c.pending) >= c.maxKeys { // bounded memory: summarise everything now
		held = c.drainLocked(now, true)
	}
	c.pending[k] = &coalesced{opened: now}
	c.mu.Unlock()
	for _, h := range held {
		c.record(context.WithoutCancel(ctx), h)
	}
	c.record(ctx, withCount(e, 1, nil)) // the first of its key: at once
}

func (p *coalesced) hold(e audit.Event, now time.Time) {
	if p.count == 0 {
		p.first = e
	} else if e.UserID != p.first.UserID || e.UserEmail != p.first.UserEmail || e.SessionID != p.first.SessionID {
		p.mixed = true
	}
	p.count++
	p.last = now
}

// summary is the one event recorded for the held-back ones.
func (p *coalesced) summary() audit.Event {
	e := p.first
	e.ID = uuid.Must(uuid.NewV7())
	if p.mixed { // one row cannot name several users: it names none
		e.UserID, e.UserEmail, e.UserFirstName, e.UserLastName = "", "", "", ""
		e.OrganizationID, e.TenantID, e.WorkspaceID, e.SessionID = "", "", "", ""
	}
	extra := map[string]any{"coalesced": true, "last_at": p.last.UTC().Format(time.RFC3339Nano)}
	if p.mixed {
		extra["several_users"] = true
	}
	return withCount(e, p.count, extra)
}

// drainLocked takes the summaries of the keys whose window is over (all: every key), forgets
// idle keys and opens a new window for each key it summarised.
func (c *coalescer) drainLocked(now time.Time, all bool) []audit.Event {
	var out []audit.Event
	for k, p := range c.pending {
		if !all && now.Sub(p.opened) < c.window {
			continue
		}
		if p.count == 0 {
			delete(c.pending, k)
			continue
		}
		out = append(out, p.summary())
		if all {
			delete(c.pending, k)
		} else {
			c.pending[k] = &coalesced{opened: now}
		}
	}
	return out
}

// sweep records the summaries of windows that are over.
func (c *coalescer) sweep() { c.drain(false) }

// Flush records every held-back event now.
func (c *coalescer) Flush() { c.drain(true) }

// drain records what drainLocked hands out (everything held back when all is set), outside
// the lock: recording writes to the audit store.
func (c *coalescer) drain(all bool) {
	c.mu.Lock()
	out := c.drainLocked(c.now(), all)
	c.mu.Unlock()
	for _, e := range out {
		c.record(context.Background(), e)
	}
}

func (c *coalescer) run(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.sweep()
		}
	}
}

// Close stops the sweep and records whatever is held back, so nothing is lost at shutdown.
func (c *coalescer) Close() {
	c.closeOnce.Do(func() {
		close(c.stop)
		<-c.done
	})
	c.Flush()
}

// withCount sets metadata "count" (and extra) on e, keeping metadata it already had.
func withCount(e audit.Event, n int, extra map[string]any) audit.Event {
	m := map[string]any{}
	if e.Metadata != "" && e.Metadata != "{}" {
		_ = json.Unmarshal([]byte(e.Metadata), &m)
	}
	for k, v := range extra {
		m[k] = v
	}
	m["count"] = n
	e.WithMetadata(m)
	return e
}
