package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/event"
)

// Session control and second-factor reset by an administrator (docs/mfa-and-sessions.md): both
// act on another user, so both apply the acting-on rule (targetUser) and commit with an event
// that drops the user's cached sessions on every replica; each also leaves an AUTH row.

// RevokeUserSessions ends every live session of a user.
type RevokeUserSessions struct {
	ID uuid.UUID `json:"id"`
}

// RevokeUserSessionsHandler handles RevokeUserSessions.
type RevokeUserSessionsHandler struct{ Deps }

func (h RevokeUserSessionsHandler) Handle(ctx context.Context, c RevokeUserSessions) (Done, error) {
	var ended int
	_, err := act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		u, err := targetUser(ctx, a, tx, c.ID)
		if err != nil {
			return err
		}
		if ended, err = tx.Sessions().RevokeAll(ctx, u.ID, authn.EndRevokedByAdministrator, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.UserSessionsRevoked{UserID: u.ID, SessionsRevoked: ended})
		return nil
	})
	if err == nil {
		h.recordAuth(ctx, "user_sessions_revoked", "session", c.ID, map[string]any{"sessions_ended": ended})
	}
	return Done{}, err
}

// ResetUserMFA removes a user's second factor and recovery codes and ends their sessions (a
// lost device, or a factor that may be in someone else's hands).
type ResetUserMFA struct {
	ID uuid.UUID `json:"id"`
}

// ResetUserMFAHandler handles ResetUserMFA.
type ResetUserMFAHandler struct{ Deps }

func (h ResetUserMFAHandler) Handle(ctx context.Context, c ResetUserMFA) (Done, error) {
	var (
		removed bool
		ended   int
	)
	_, err := act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		u, err := targetUser(ctx, a, tx, c.ID)
		if err != nil {
			return err
		}
		if removed, err = tx.MFA().Remove(ctx, u.ID); err != nil {
			return err
		}
		if ended, err = tx.Sessions().RevokeAll(ctx, u.ID, authn.EndMFAReset, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.MFADisabled{UserID: u.ID, Reason: "reset", SessionsRevoked: ended})
		return nil
	})
	if err == nil {
		h.recordAuth(ctx, "mfa_reset", "user", c.ID, map[string]any{"had_factor": removed, "sessions_ended": ended})
	}
	return Done{}, err
}

// recordAuth records the AUTH row of an administrator's act on a user's authentication (the
// DATA row is the decorator's).
func (d Deps) recordAuth(ctx context.Context, action, resource string, target uuid.UUID, meta map[string]any) {
	if d.AuthAudit == nil {
		return
	}
	e := audit.NewAuth(ctx, action, resource, audit.ResultSuccess)
	meta["target_user_id"] = target.String()
	e.WithMetadata(meta)
	d.AuthAudit.Record(ctx, e)
}
