// Package ratelimit shares the login rate limit between replicas through Redis: one bucket per
// client address for the whole deployment instead of one per instance, so adding replicas does
// not multiply what an attacker may try. When Redis does not answer, each decision falls back to
// the instance's own limiter (the limit then holds per instance, as without Redis) and the
// metrics say so; Redis is tried again after a short pause.
package ratelimit

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter is what the login flow asks (auth.RateLimiter).
type Limiter interface {
	Allow(ctx context.Context, key string, now time.Time) (bool, time.Duration)
}

// Config names the Redis server, the key namespace, the rate and the local fallback.
type Config struct {
	URL       string // redis://[:password@]host:port/db
	Prefix    string // key namespace, so deployments sharing one Redis stay apart
	PerMinute int    // attempts per minute per key, with a burst of as many (as the local limiter)
	Local     Limiter
	// Timeout bounds one Redis round trip (default 200ms): a login never waits longer for the
	// shared limit before falling back.
	Timeout time.Duration
	// Pause is how long decisions stay local after Redis failed (default 1s), so an outage
	// costs one timeout per pause rather than one per login.
	Pause time.Duration
	Log   *slog.Logger
	Now   func() time.Time // the pause's clock; nil means time.Now
}

// Validate checks the configuration and fills the defaults.
func (c *Config) Validate() error {
	var problems []error
	if _, err := redis.ParseURL(c.URL); err != nil {
		problems = append(problems, errors.New("ratelimit: TF_REDIS_URL is not a redis:// URL"))
	}
	if c.Prefix == "" {
		problems = append(problems, errors.New("ratelimit: a key prefix is required"))
	}
	if c.PerMinute < 1 {
		problems = append(problems, errors.New("ratelimit: the rate must be positive"))
	}
	if c.Local == nil {
		problems = append(problems, errors.New("ratelimit: a local fallback limiter is required"))
	}
	if c.Timeout <= 0 {
		c.Timeout = 200 * time.Millisecond
	}
	if c.Pause <= 0 {
		c.Pause = time.Second
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return errors.Join(problems...)
}

// gcra is the generic cell rate algorithm, a token bucket kept as one timestamp per key (the
// theoretical arrival time): atomic in one script, on Redis's clock so replicas with skewed
// clocks still share one bucket. It answers 0 to admit, or the microseconds until admission.
//
//go:embed gcra.lua
var gcra string

// Shared is the limit kept in Redis, with the local fallback.
type Shared struct {
	cfg      Config
	client   *redis.Client
	script   *redis.Script
	interval int64 // microseconds between attempts at the steady rate
	window   int64 // microseconds of burst: PerMinute attempts

	up        atomic.Bool
	fallbacks atomic.Uint64
	mu        sync.Mutex
	pausedTil time.Time
}

// New connects (without waiting for Redis: a limiter that cannot reach it starts on the
// fallback and moves over when Redis answers).
func New(cfg Config) (*Shared, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opt, _ := redis.ParseURL(cfg.URL) // Validate parsed it
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = cfg.Timeout, cfg.Timeout, cfg.Timeout
	opt.MaxRetries = -1 // a retry would only double the wait of a login; the fallback is the retry
	s := &Shared{cfg: cfg, client: redis.NewClient(opt), script: redis.NewScript(gcra),
		interval: int64(time.Minute/time.Microsecond) / int64(cfg.PerMinute), window: int64(time.Minute / time.Microsecond)}
	s.up.Store(true)
	return s, nil
}

// Allow takes one attempt for key from the shared bucket, or from the local one while Redis
// does not answer.
func (s *Shared) Allow(ctx context.Context, key string, now time.Time) (bool, time.Duration) {
	if s.paused() {
		s.fallbacks.Add(1)
		return s.cfg.Local.Allow(ctx, key, now)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.Timeout)
	defer cancel()
	wait, err := s.script.Run(rctx, s.client, []string{s.cfg.Prefix + key}, s.interval, s.window).Int64()
	if err != nil {
		s.fail(ctx, err)
		s.fallbacks.Add(1)
		return s.cfg.Local.Allow(ctx, key, now)
	}
	if !s.up.Swap(true) {
		s.cfg.Log.InfoContext(ctx, "shared login rate limit restored: Redis answers again")
	}
	if wait > 0 {
		return false, time.Duration(wait) * time.Microsecond
	}
	return true, 0
}

func (s *Shared) paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.Now().Before(s.pausedTil)
}

func (s *Shared) fail(ctx context.Context, err error) {
	s.mu.Lock()
	s.pausedTil = s.cfg.Now().Add(s.cfg.Pause)
	s.mu.Unlock()
	if s.up.Swap(false) {
		s.cfg.Log.WarnContext(ctx, "shared login rate limit unavailable: limiting per instance until Redis answers", "error", err)
	}
}

// Up reports whether the last decision was made on Redis.
func (s *Shared) Up() bool { return s.up.Load() }

// Fallbacks counts the decisions made per instance because Redis did not answer.
func (s *Shared) Fallbacks() uint64 { return s.fallbacks.Load() }

// Close disconnects.
func (s *Shared) Close() error { return s.client.Close() }
