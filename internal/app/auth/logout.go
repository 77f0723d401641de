package auth

import (
	"context"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// Logout ends the caller's session (POST /auth/logout); its access and refresh tokens stop
// working at once: the SessionEnded event drops the session from every replica's cache.
func (s *Service) Logout(ctx context.Context) error {
	p := principal.From(ctx)
	if p == nil {
		return errNotLoggedIn
	}
	err := s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if err := tx.Sessions().Revoke(ctx, p.SessionID, authn.EndLogout, s.now()); err != nil {
			return err
		}
		tx.Emit(event.SessionEnded{SessionID: p.SessionID, UserID: p.UserID, Reason: authn.EndLogout})
		return nil
	})
	if err != nil {
		return err
	}
	s.cfg.Audit.Record(ctx, audit.NewAuth(ctx, "logout", "session", audit.ResultSuccess))
	return nil
}
