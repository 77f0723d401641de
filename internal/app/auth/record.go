package auth

import (
	"context"

	"github.com/telemetryflow/core/internal/app/audit"
)

// The flows record their AUTH audit events once, at their end, through these two.

// recordFailure writes the audit event of a failed authentication through the coalescer: an
// unauthenticated flood adds at most one row per client, action and reason per second.
func (s *Service) recordFailure(ctx context.Context, e audit.Event) {
	if s.failures == nil {
		s.recordNow(ctx, e)
		return
	}
	s.failures.Record(ctx, e)
}

// recordNow writes an audit event; a failure to record is logged loudly but never changes
// the answer (the audit writer is responsible for durability).
func (s *Service) recordNow(ctx context.Context, e audit.Event) {
	if err := s.cfg.Recorder.Record(ctx, e); err != nil {
		s.cfg.Log.ErrorContext(ctx, "audit event not recorded", "action", e.Action, "error", err)
	}
}
