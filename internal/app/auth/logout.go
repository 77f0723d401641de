package auth

import (
	"context"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// Logout ends the caller's session; its access and refresh tokens stop working at once.
func (s *Service) Logout(ctx context.Context) error {
	p := principal.From(ctx)
	if p == nil {
		return errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "Not logged in.")
	}
	if err := s.store.revokeSession(ctx, p.SessionID, "logout", s.now()); err != nil {
		return errs.Internal(err)
	}
	s.sessionsEnded(p.SessionID)
	s.record(ctx, audit.New(ctx, audit.EventAuth, "logout", "session", audit.ResultSuccess))
	return nil
}
