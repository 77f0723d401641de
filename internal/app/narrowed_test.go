package app_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// narrowedAs acts as id through a credential narrowed to permissions (an OAuth2 scope or an
// API key), as the security handler would set it.
func narrowedAs(id uuid.UUID, permissions ...string) context.Context {
	return principal.With(context.Background(), &principal.Principal{UserID: id, SessionID: uuid.New(),
		Restriction: principal.Restrict(permissions)})
}

// A super administrator's narrowed credential keeps their reach but loses the exemption from
// the holding and acting-on rules: it hands out and acts with no more than it carries.
func TestNarrowedCredentialIsBoundedByItsPermissions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, q := f.App.Commands, f.App.Queries
		o := f.org(t)
		target, _ := f.user(t, o.ID, f.SystemRoles[rbac.RoleDeveloper])
		narrowed := narrowedAs(f.AdminID, "user:read", "user:update")

		for _, tc := range []struct {
			name string
			err  error
			code string
		}{
			{"grant a permission outside the credential", errOf(c.GrantUserPermission.Handle(narrowed,
				command.GrantUserPermission{UserID: target.ID, PermissionID: permissionID(t, f, "audit:export")})), iam.CodePermissionEscalation},
			{"act on a user holding more than the credential", errOf(c.DeactivateUser.Handle(narrowed,
				command.DeactivateUser{ID: target.ID})), iam.CodePermissionEscalation},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindForbidden, tc.code) })
		}

		// Reach is not narrowed: the super administrator's credential still reads users of
		// an organization it does not belong to.
		got := get(q.GetUser.Handle(narrowed, query.GetUser{ID: target.ID}))(t)
		if got.ID != target.ID {
			t.Fatalf("read %s, want %s", got.ID, target.ID)
		}
		// The same calls with the full credential pass: the refusals above come from the narrowing.
		get(c.GrantUserPermission.Handle(f.Admin(), command.GrantUserPermission{UserID: target.ID, PermissionID: permissionID(t, f, "audit:export")}))(t)
	})
}
