package auth

import (
	"context"

	"github.com/telemetryflow/core/internal/app/audit"
)

// The flows record their AUTH audit events (audit.NewAuth) once, at their end, through the
// audit log; failures go through the coalescer first.

// recordFailure writes the audit event of a failed authentication through the coalescer: an
// unauthenticated flood adds at most one row per client, action and reason per second.
func (s *Service) recordFailure(ctx context.Context, e audit.Event) {
	if s.failures == nil {
		s.cfg.Audit.Record(ctx, e)
		return
	}
	s.failures.Record(ctx, e)
}
