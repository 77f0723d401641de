package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/platform/ratelimit"
	"github.com/telemetryflow/core/internal/testutil/redistest"
)

func newShared(t *testing.T, url, prefix string, perMinute int, now func() time.Time) *ratelimit.Shared {
	t.Helper()
	s, err := ratelimit.New(ratelimit.Config{URL: url, Prefix: prefix, PerMinute: perMinute,
		Local: auth.NewLocalRateLimiter(perMinute), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Two replicas on one Redis draw from one bucket per address: together they admit the rate
// once, where on their own each would admit it in full.
func TestReplicasShareOneBucket(t *testing.T) {
	t.Parallel()
	ctx, url, prefix := context.Background(), redistest.URL(t), redistest.Channel()+":"
	const perMinute = 4
	a := newShared(t, url, prefix, perMinute, nil)
	b := newShared(t, url, prefix, perMinute, nil)
	now := time.Now()
	admitted := 0
	for i := range 2 * perMinute {
		l := a
		if i%2 == 1 {
			l = b
		}
		if ok, wait := l.Allow(ctx, "192.0.2.7", now); ok {
			admitted++
		} else if wait <= 0 || wait > time.Minute {
			t.Fatalf("refused with wait %v", wait)
		}
	}
	if admitted != perMinute {
		t.Fatalf("admitted %d of %d across two replicas, want %d (the bucket is not shared)", admitted, 2*perMinute, perMinute)
	}
	if ok, _ := a.Allow(ctx, "192.0.2.8", now); !ok {
		t.Fatal("another address shares the bucket")
	}
	if !a.Up() || a.Fallbacks() != 0 || b.Fallbacks() != 0 {
		t.Fatalf("up %v, fallbacks %d/%d", a.Up(), a.Fallbacks(), b.Fallbacks())
	}
}

// Concurrent attempts on many connections are each counted once (the script is atomic).
func TestConcurrentAttemptsAreCountedOnce(t *testing.T) {
	t.Parallel()
	ctx, url, prefix := context.Background(), redistest.URL(t), redistest.Channel()+":"
	const perMinute = 50
	limiters := []*ratelimit.Shared{newShared(t, url, prefix, perMinute, nil), newShared(t, url, prefix, perMinute, nil)}
	var (
		mu       sync.Mutex
		admitted int
		wg       sync.WaitGroup
	)
	for i := range 4 * perMinute {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := limiters[i%2].Allow(ctx, "2001:db8::", time.Now()); ok {
				mu.Lock()
				admitted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if admitted != perMinute {
		t.Fatalf("admitted %d, want %d", admitted, perMinute)
	}
}

// When Redis goes away the limit holds per instance, the metrics say so, and once Redis answers
// again (after the pause) the limit is shared again.
func TestRedisDownFallsBackToTheInstance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := redistest.StartPrivate(t)
	var (
		mu    sync.Mutex
		clock = time.Now()
	)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	const perMinute = 2
	s := newShared(t, srv.URL(), "tf-test:", perMinute, now)
	reg := prometheus.NewRegistry()
	if err := s.Register(reg); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Allow(ctx, "198.51.100.1", now()); !ok {
		t.Fatal("first attempt refused")
	}

	srv.Stop(t)
	for i := range perMinute {
		if ok, _ := s.Allow(ctx, "198.51.100.1", now()); !ok {
			t.Fatalf("attempt %d on the fallback refused: the local bucket is fresh", i)
		}
	}
	if ok, wait := s.Allow(ctx, "198.51.100.1", now()); ok || wait <= 0 {
		t.Fatalf("the fallback does not limit: ok=%v wait=%v", ok, wait)
	}
	if got := value(t, reg, "telemetryflow_ratelimit_shared_up"); got != 0 {
		t.Fatalf("shared_up %v with Redis down, want 0", got)
	}
	if got := value(t, reg, "telemetryflow_ratelimit_fallbacks_total"); got != perMinute+1 {
		t.Fatalf("fallbacks %v, want %d", got, perMinute+1)
	}

	srv.Start(t)
	mu.Lock()
	clock = clock.Add(2 * time.Second) // past the pause
	mu.Unlock()
	if ok, _ := s.Allow(ctx, "198.51.100.1", now()); !ok {
		t.Fatal("Redis restarted empty: its bucket admits")
	}
	if !s.Up() {
		t.Fatal("still on the fallback after Redis came back")
	}
	if got := value(t, reg, "telemetryflow_ratelimit_shared_up"); got != 1 {
		t.Fatalf("shared_up %v, want 1", got)
	}
}

// value reads a registered gauge or counter by name.
func value(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			m := f.GetMetric()[0]
			if m.GetGauge() != nil {
				return m.GetGauge().GetValue()
			}
			return m.GetCounter().GetValue()
		}
	}
	t.Fatalf("%s is not registered", name)
	return 0
}

// BenchmarkAllow measures one shared decision (one script round trip to Redis on loopback)
// against the local token bucket.
func BenchmarkAllow(b *testing.B) {
	ctx, url := context.Background(), redistest.URL(b)
	shared, err := ratelimit.New(ratelimit.Config{URL: url, Prefix: redistest.Channel() + ":", PerMinute: 100000,
		Local: auth.NewLocalRateLimiter(100000)})
	if err != nil {
		b.Fatal(err)
	}
	defer shared.Close()
	for name, l := range map[string]ratelimit.Limiter{"shared": shared, "local": auth.NewLocalRateLimiter(100000)} {
		b.Run(name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					i++
					l.Allow(ctx, "192.0.2."+string(rune('0'+i%10)), time.Now())
				}
			})
		})
	}
}
