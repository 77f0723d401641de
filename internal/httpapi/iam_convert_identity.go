package httpapi

import (
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

func userOut(u *iam.User) oas.User {
	return oas.User{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		OrganizationID: u.OrganizationID, Status: oas.UserStatus(u.Status), LastLoginAt: optTime(u.LastLoginAt),
		LockedUntil: optTime(u.LockedUntil), PasswordChangedAt: optTime(u.PasswordChangedAt),
		Kind: userKindOut(u.Kind), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func roleOut(r *iam.Role) oas.Role {
	return oas.Role{ID: r.ID, Name: r.Name, Description: r.Description, Tier: int(r.Tier), SystemRole: r.System,
		TenantID: optUUIDOf(r.Scope.TenantID), OrganizationID: optUUIDOf(r.Scope.OrganizationID),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func permissionOut(p *iam.Permission) oas.Permission {
	return oas.Permission{ID: p.ID, Name: p.Name, Resource: p.Resource, Action: p.Action, Description: p.Description,
		System: p.System, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func groupOut(g *iam.Group) oas.Group {
	return oas.Group{ID: g.ID, Name: g.Name, Description: g.Description, OrganizationID: g.OrganizationID,
		CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
}

func roleGrantOut(g *iam.RoleGrant) oas.RoleGrant {
	return oas.RoleGrant{Role: roleOut(&g.Role), AssignedAt: g.AssignedAt, AssignedBy: optUUIDOf(g.AssignedBy)}
}

func permissionGrantOut(g *iam.PermissionGrant) oas.PermissionGrant {
	return oas.PermissionGrant{Permission: permissionOut(&g.Permission), AssignedAt: g.AssignedAt, AssignedBy: optUUIDOf(g.AssignedBy)}
}

func effectiveOut(p *iam.EffectivePermission) oas.EffectivePermission {
	out := oas.EffectivePermission{Permission: p.Permission, Sources: make([]oas.GrantSource, 0, len(p.Sources))}
	for _, s := range p.Sources {
		out.Sources = append(out.Sources, grantSourceOut(s))
	}
	return out
}

func grantSourceOut(g iam.Grant) oas.GrantSource {
	src := oas.GrantSource{Kind: oas.GrantSourceKind(g.Kind), ID: g.SourceID, Name: g.SourceName}
	if g.Kind == iam.GrantGroup {
		src.RoleID, src.RoleName = oas.NewOptUUID(g.RoleID), oas.NewOptString(g.RoleName)
	}
	return src
}

func userKindOut(k iam.UserKind) oas.OptUserKind {
	if k == "" {
		return oas.OptUserKind{}
	}
	return oas.NewOptUserKind(oas.UserKind(k))
}
