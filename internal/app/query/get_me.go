package query

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetMe describes the caller: their account, every role they hold (directly or through a
// group) and the names of their effective permissions.
type GetMe struct{}

// Me is the caller's profile.
type Me struct {
	User        *iam.User
	TenantID    uuid.UUID
	SessionID   uuid.UUID
	Roles       []iam.Role
	Permissions []string
	// MFAEnabled: the caller has a confirmed second factor; AMR is how this session
	// authenticated (nil for an API key or a client's token).
	MFAEnabled bool
	AMR        []string
}

// GetMeHandler handles GetMe.
type GetMeHandler struct{ Deps }

func (h GetMeHandler) Handle(ctx context.Context, _ GetMe) (Me, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Me{}, err
	}
	u, err := found(ctx, h.Read.Users().Get, a.Scope(), a.UserID)
	if err != nil {
		return Me{}, err
	}
	roles, err := h.Read.Access().HeldRoles(ctx, a.UserID)
	if err != nil {
		return Me{}, err
	}
	grants, err := h.Read.Access().EffectivePermissions(ctx, a.UserID)
	if err != nil {
		return Me{}, err
	}
	names := make([]string, 0, len(grants))
	for p := range iam.SetOf(grants) {
		names = append(names, p)
	}
	slices.Sort(names)
	me := Me{User: u, TenantID: a.TenantID, SessionID: a.Principal.SessionID, Roles: roles, Permissions: names, AMR: a.Principal.AMR}
	if h.Factors != nil {
		f, err := h.Factors.TOTP(ctx, a.UserID)
		if err != nil && !errs.IsKind(err, errs.KindNotFound) {
			return Me{}, err
		}
		me.MFAEnabled = f.Enabled()
	}
	return me, nil
}
