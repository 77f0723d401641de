package auth

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
)

type captured struct {
	mu     sync.Mutex
	events []audit.Event
}

func (c *captured) record(_ context.Context, e audit.Event) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}

// take returns what was recorded since the last take, as "reason:count[:anonymous]".
func (c *captured) take(t *testing.T) []string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.events {
		var m struct {
			Count        int  `json:"count"`
			SeveralUsers bool `json:"several_users"`
		}
		if err := json.Unmarshal([]byte(e.Metadata), &m); err != nil {
			t.Fatal(err)
		}
		s := e.ErrorMessage + ":" + strconv.Itoa(m.Count)
		if m.SeveralUsers && e.UserEmail == "" {
			s += ":anonymous"
		}
		out = append(out, s)
	}
	c.events = nil
	return out
}

func TestCoalescer(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	rec := &captured{}
	c := newCoalescer(time.Second, 0, clock, rec.record)
	ctx := context.Background()
	ev := func(ip, reason, email string) audit.Event {
		return audit.Event{Action: "token_rejected", ErrorMessage: reason, IPAddress: ip, UserEmail: email, Metadata: "{}"}
	}
	want := func(step string, exp ...string) {
		t.Helper()
		got := rec.take(t)
		if len(got) != len(exp) {
			t.Fatalf("%s: recorded %v, want %v", step, got, exp)
		}
		for i := range exp {
			if got[i] != exp[i] {
				t.Fatalf("%s: recorded %v, want %v", step, got, exp)
			}
		}
	}

	c.Record(ctx, ev("192.0.2.1", "malformed", ""))
	want("the first failure is recorded at once", "malformed:1")
	for range 3 {
		c.Record(ctx, ev("192.0.2.1", "malformed", ""))
	}
	c.Record(ctx, ev("192.0.2.1", "expired", ""))
	c.Record(ctx, ev("192.0.2.2", "malformed", ""))
	want("same key held back; other reasons and addresses at once", "expired:1", "malformed:1")
	advance(500 * time.Millisecond)
	c.sweep()
	want("window not over")
	advance(500 * time.Millisecond)
	c.sweep()
	want("window over: one row with the count", "malformed:3")
	advance(time.Second)
	c.sweep()
	want("idle keys leave nothing")

	// A continuous flood from one IPv6 /64: one row per window.
	for i := range 25 {
		c.Record(ctx, ev("2001:db8::"+string(rune('a'+i%6)), "bad_signature", ""))
		advance(100 * time.Millisecond)
	}
	want("flood", "bad_signature:1", "bad_signature:10", "bad_signature:10")
	// Held-back events naming different users become one row naming none.
	c.Record(ctx, ev("2001:db8::1", "bad_signature", "a@example.com"))
	c.Record(ctx, ev("2001:db8::1", "bad_signature", "b@example.com"))
	// Close records what is held back.
	c.Close()
	want("close", "bad_signature:6:anonymous")
}
