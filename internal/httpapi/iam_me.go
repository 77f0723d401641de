package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/oas"
)

// GetMe serves GET /auth/me. It belongs to the auth tag but reads identity data, which the IAM
// application owns, so it is served from this area.
func (a *IAMAPI) GetMe(ctx context.Context) (*oas.Me, error) {
	me, err := a.queries.GetMe.Handle(ctx, query.GetMe{})
	if err != nil {
		return nil, err
	}
	out := &oas.Me{User: userOut(me.User), SessionID: me.SessionID, Permissions: me.Permissions,
		Roles: make([]oas.Role, 0, len(me.Roles))}
	if out.Permissions == nil {
		out.Permissions = []string{}
	}
	out.TenantID = oas.NewOptUUID(me.TenantID)
	out.MfaEnabled = oas.NewOptBool(me.MFAEnabled)
	out.Amr = me.AMR
	if out.Amr == nil {
		out.Amr = []string{}
	}
	for i := range me.Roles {
		out.Roles = append(out.Roles, roleOut(&me.Roles[i]))
	}
	return out, nil
}
