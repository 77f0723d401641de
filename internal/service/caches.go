package service

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/httpserver"
	"github.com/telemetryflow/core/internal/platform/invalidation"
)

// buildInvalidation returns where cache invalidations go: with TF_REDIS_URL, to this instance
// and every other one; without, to this instance only (other replicas then rely on the TTLs).
func buildInvalidation(ctx context.Context, cfg *config.Config, local invalidation.Target, log *slog.Logger) (invalidation.Target, *invalidation.Bus, error) {
	if cfg.Redis.URL == "" {
		return local, nil, nil
	}
	bus, err := invalidation.New(ctx, invalidation.Config{URL: cfg.Redis.URL, Channel: cfg.Redis.Channel, Target: local, Log: log})
	if err != nil {
		return nil, nil, err
	}
	return invalidation.Broadcast{Local: local, Bus: bus}, bus, nil
}

// startInvalidation builds the invalidation target and, with Redis, subscribes in the
// background (stopped by Close) and waits until the subscription is in place, so no
// invalidation published after start-up can be missed.
func (s *Service) startInvalidation(cfg *config.Config, local invalidation.Target, log *slog.Logger) (invalidation.Target, error) {
	ctx, cancel := context.WithCancel(context.Background())
	target, bus, err := buildInvalidation(ctx, cfg, local, log)
	if err != nil || bus == nil {
		cancel()
		return target, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		go bus.Guard(ctx, redisGuardPeriod)
		bus.Run(ctx)
	}()
	s.closers = append(s.closers, func() error {
		cancel()
		<-done
		return bus.Close()
	})
	select {
	case <-bus.Subscribed():
	case <-time.After(10 * time.Second):
		return nil, errors.New("invalidation: no subscription to Redis within 10s")
	}
	s.redis = bus
	if err := registerInvalidationMetrics(s.obs.registry, bus); err != nil {
		return nil, err
	}
	return target, nil
}

// redisGuardPeriod bounds how long a revocation made on another instance can go unseen here
// while Redis is down (invalidation.Bus.Guard drops the caches every period).
const redisGuardPeriod = 250 * time.Millisecond

// withRedisCheck adds Redis to the readiness checks when the invalidation bus uses it. Its
// failure degrades the service without stopping it: while Redis is down the caches are not
// trusted (Guard), login limits fall back to each instance, and every replica keeps serving;
// failing readiness instead would take every replica out of the load balancer at once.
func (s *Service) withRedisCheck(checks ...httpserver.Check) []httpserver.Check {
	if s.redis != nil {
		checks = append(checks, httpserver.Check{Name: "redis", Run: s.redis.Ping, Tolerated: true})
	}
	return checks
}

// registerInvalidationMetrics exports the bus counters.
func registerInvalidationMetrics(reg prometheus.Registerer, bus *invalidation.Bus) error {
	for _, d := range []struct {
		dir  string
		read func() uint64
	}{
		{"published", func() uint64 { p, _, _ := bus.Stats(); return p }},
		{"received", func() uint64 { _, r, _ := bus.Stats(); return r }},
		{"failed", func() uint64 { _, _, f := bus.Stats(); return f }},
	} {
		read := d.read
		if err := reg.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "invalidation",
			Name: "messages_total", Help: "Cache invalidation messages between replicas, by direction.",
			ConstLabels: prometheus.Labels{"direction": d.dir}}, func() float64 { return float64(read()) })); err != nil {
			return err
		}
	}
	return nil
}
