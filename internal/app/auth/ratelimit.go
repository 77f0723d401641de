package auth

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimiter bounds login attempts per client address. Without a shared one
// (internal/platform/ratelimit, over Redis) each instance keeps its own (LocalRateLimiter).
type RateLimiter interface {
	// Allow takes one attempt for key at now; when refused it says how long until the next one.
	Allow(ctx context.Context, key string, now time.Time) (bool, time.Duration)
}

// NewLocalRateLimiter is this instance's own limit: a token bucket per key, perMinute attempts
// a minute with a burst of as many.
func NewLocalRateLimiter(perMinute int) RateLimiter { return newIPLimiter(perMinute) }

// ipLimiter bounds login attempts per client address (token bucket: perMinute, burst the same).
type ipLimiter struct {
	mu        sync.Mutex
	perMinute int
	buckets   map[string]*bucket
	maxKeys   int
}

type bucket struct {
	lim      *rate.Limiter
	lastSeen time.Time
}

func newIPLimiter(perMinute int) *ipLimiter {
	return &ipLimiter{perMinute: perMinute, buckets: map[string]*bucket{}, maxKeys: 100_000}
}

// Allow takes one attempt for ip at now; when refused it says how long until the next one.
func (l *ipLimiter) Allow(_ context.Context, ip string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[ip]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.prune(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)}
		l.buckets[ip] = b
	}
	b.lastSeen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// prune drops addresses idle long enough for their bucket to be full again, and if that
// frees too little, everything: memory stays bounded under an address-spraying attack.
func (l *ipLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.lastSeen) > time.Minute {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
	}
}
