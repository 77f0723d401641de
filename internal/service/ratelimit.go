package service

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/ratelimit"
)

// buildLoginLimiter returns the per-address login limit: with TF_REDIS_URL one bucket per
// address shared by every replica (its keys under TF_REDIS_CHANNEL, so deployments sharing a
// Redis stay apart), falling back to this instance's own while Redis does not answer; without
// Redis, this instance's own.
func (s *Service) buildLoginLimiter(cfg *config.Config, reg prometheus.Registerer, log *slog.Logger) (auth.RateLimiter, error) {
	local := auth.NewLocalRateLimiter(cfg.Auth.LoginRatePerIP)
	if cfg.Redis.URL == "" {
		return local, nil
	}
	shared, err := ratelimit.New(ratelimit.Config{URL: cfg.Redis.URL, Prefix: cfg.Redis.Channel + ":ratelimit:login:",
		PerMinute: cfg.Auth.LoginRatePerIP, Local: local, Log: log})
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, shared.Close)
	if err := shared.Register(reg); err != nil {
		return nil, err
	}
	return shared, nil
}
