package invalidation_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/platform/invalidation"
	"github.com/telemetryflow/core/internal/testutil/redistest"
)

// recorder is a Target that remembers what it was told.
type recorder struct {
	mu  sync.Mutex
	got []string
}

func (r *recorder) add(s string)                     { r.mu.Lock(); r.got = append(r.got, s); r.mu.Unlock() }
func (r *recorder) InvalidateUser(id uuid.UUID)      { r.add("user:" + id.String()) }
func (r *recorder) InvalidateSession(id uuid.UUID)   { r.add("session:" + id.String()) }
func (r *recorder) InvalidateAll()                   { r.add("all") }
func (r *recorder) InvalidatePermissions()           { r.add("permissions") }
func (r *recorder) InvalidateWorkspace(id uuid.UUID) { r.add("workspace:" + id.String()) }
func (r *recorder) InvalidateAllSessions()           { r.add("sessions") }
func (r *recorder) InvalidateEverything()            { r.add("everything") }
func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func start(t *testing.T, url, channel string) (*invalidation.Bus, *recorder) {
	t.Helper()
	rec := &recorder{}
	bus, err := invalidation.New(context.Background(), invalidation.Config{URL: url, Channel: channel, Target: rec})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { bus.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; _ = bus.Close() })
	select {
	case <-bus.Subscribed():
	case <-time.After(10 * time.Second):
		t.Fatal("no subscription")
	}
	return bus, rec
}

func waitFor(t *testing.T, r *recorder, want []string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		got := r.snapshot()
		if len(got) == len(want) {
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("got %v, want %v", got, want)
				}
			}
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("got %v, want %v", r.snapshot(), want)
}

func TestInvalidationsReachOtherInstancesOnly(t *testing.T) {
	t.Parallel()
	url, channel := redistest.URL(t), redistest.Channel()
	a, recA := start(t, url, channel)
	_, recB := start(t, url, channel)
	_, recOther := start(t, url, redistest.Channel())
	// Every instance clears everything when it (re)subscribes: it may have missed messages.
	waitFor(t, recA, []string{"everything"})
	waitFor(t, recB, []string{"everything"})

	user, session, ws := uuid.New(), uuid.New(), uuid.New()
	local := &recorder{}
	b := invalidation.Broadcast{Local: local, Bus: a}
	b.InvalidateUser(user)
	b.InvalidateSession(session)
	b.InvalidateAll()
	b.InvalidatePermissions()
	b.InvalidateWorkspace(ws)
	b.InvalidateAllSessions()
	want := []string{"user:" + user.String(), "session:" + session.String(), "all", "permissions", "workspace:" + ws.String(), "sessions"}
	waitFor(t, local, want)
	waitFor(t, recB, append([]string{"everything"}, want...))
	// The publisher ignores its own messages; another channel hears nothing.
	time.Sleep(50 * time.Millisecond)
	if got := recA.snapshot(); len(got) != 1 {
		t.Fatalf("publisher applied its own messages: %v", got)
	}
	if got := recOther.snapshot(); len(got) != 1 {
		t.Fatalf("another channel received %v", got)
	}
	if p, _, f := a.Stats(); p != 6 || f != 0 {
		t.Fatalf("published %d failed %d", p, f)
	}
}

func TestUnreachableRedisFailsAtStart(t *testing.T) {
	t.Parallel()
	if _, err := invalidation.New(context.Background(), invalidation.Config{URL: "redis://127.0.0.1:1/0", Channel: "x", Target: &recorder{}}); err == nil {
		t.Fatal("connected to nothing")
	}
	if _, err := invalidation.New(context.Background(), invalidation.Config{URL: "http://x", Channel: "x", Target: &recorder{}}); err == nil {
		t.Fatal("accepted a non-redis URL")
	}
}
