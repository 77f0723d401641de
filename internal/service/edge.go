package service

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/platform/httpserver"
)

// publicBodyBytes caps the bodies of public operations (login, refresh): their largest valid
// body (a 254-character email and a 1024-character password, every character escaped) is
// far below it, and an unauthenticated caller must not make the process hold megabytes.
const publicBodyBytes = 16 << 10

// bodyLimits caps a request body by its operation: public contract operations at
// publicBodyBytes (or max, if lower), everything else at max.
func bodyLimits(ops []contract.Operation, max int) func(operation string) int64 {
	public := map[string]bool{}
	for _, op := range ops {
		if op.Public {
			public[op.ID] = true
		}
	}
	return func(operation string) int64 {
		if public[operation] {
			return int64(min(publicBodyBytes, max))
		}
		return int64(max)
	}
}

// separateMetrics moves /metrics off the API port when TF_METRICS_ADDR names a listener of its
// own (typically loopback or an internal network), so the API port does not expose it.
func (s *Service) separateMetrics(rt *httpserver.Routes) {
	if s.cfg.HTTP.MetricsAddr == "" {
		return
	}
	s.metrics, rt.Metrics = httpserver.MetricsOnly(rt.Metrics), nil
}

// serve runs the API listener and, when configured, the metrics listener; the first to fail
// stops the other, and both drain on shutdown.
func (s *Service) serve(ctx context.Context, ready func(net.Addr)) error {
	api := httpserver.Config{
		Addr: s.cfg.HTTP.Addr, TLSCertFile: s.cfg.HTTP.TLSCertFile, TLSKeyFile: s.cfg.HTTP.TLSKeyFile,
		ShutdownTimeout: s.cfg.HTTP.ShutdownTimeout,
	}
	if s.metrics == nil {
		return httpserver.Run(ctx, api, s.handler, s.log, ready)
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 2)
	go func() {
		defer stop()
		errc <- httpserver.Run(ctx, api, s.handler, s.log, ready)
	}()
	go func() {
		defer stop()
		err := httpserver.Run(ctx, httpserver.Config{Addr: s.cfg.HTTP.MetricsAddr, ShutdownTimeout: s.cfg.HTTP.ShutdownTimeout},
			s.metrics, s.log, s.metricsReady)
		if err != nil {
			err = fmt.Errorf("metrics listener: %w", err)
		}
		errc <- err
	}()
	return errors.Join(<-errc, <-errc)
}
