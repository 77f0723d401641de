package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/oas"
)

// A user's sessions and second factor, for administrators (docs/mfa-and-sessions.md).

// ListUserSessions implements listUserSessions.
func (a *IAMAPI) ListUserSessions(ctx context.Context, p oas.ListUserSessionsParams) (*oas.SessionList, error) {
	list, err := a.queries.ListUserSessions.Handle(ctx, query.ListUserSessions{ID: p.ID})
	if err != nil {
		return nil, err
	}
	return sessionList(list, uuid.Nil), nil
}

// RevokeUserSessions implements revokeUserSessions.
func (a *IAMAPI) RevokeUserSessions(ctx context.Context, p oas.RevokeUserSessionsParams) error {
	return exec(ctx, a.commands.RevokeUserSessions, command.RevokeUserSessions{ID: p.ID})
}

// ResetUserMfa implements resetUserMfa.
func (a *IAMAPI) ResetUserMfa(ctx context.Context, p oas.ResetUserMfaParams) error {
	return exec(ctx, a.commands.ResetUserMFA, command.ResetUserMFA{ID: p.ID})
}
