// Package entstore loads authorization subjects from the relational store.
package entstore

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/group"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/rolepermission"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/ent/workspace"
	"github.com/telemetryflow/core/internal/authz"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Store implements authz.Store with ent.
type Store struct{ client *ent.Client }

var _ authz.Store = (*Store)(nil)

// New builds the store.
func New(c *ent.Client) *Store { return &Store{client: c} }

// Subject loads a user's roles (direct and through groups) and every grant with its source.
func (s *Store) Subject(ctx context.Context, id uuid.UUID) (*authz.Subject, error) {
	u, err := s.client.User.Query().Where(user.ID(id), user.DeletedAtIsNil()).WithOrganization().Only(ctx)
	if ent.IsNotFound(err) {
		return &authz.Subject{UserID: id}, nil
	}
	if err != nil {
		return nil, err
	}
	sub := &authz.Subject{UserID: id, OrganizationID: u.OrganizationID, Exists: true, Active: u.Status == user.StatusActive}
	if u.Edges.Organization != nil {
		sub.TenantID = u.Edges.Organization.TenantID
	}
	direct, err := s.client.Role.Query().Where(role.DeletedAtIsNil(), role.HasUsersWith(user.ID(id))).All(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := s.client.Group.Query().Where(group.DeletedAtIsNil(), group.HasMembersWith(user.ID(id))).
		WithRoles(func(q *ent.RoleQuery) { q.Where(role.DeletedAtIsNil()) }).All(ctx)
	if err != nil {
		return nil, err
	}
	roleIDs := map[uuid.UUID]struct{}{}
	for _, r := range direct {
		roleIDs[r.ID] = struct{}{}
		sub.Roles = append(sub.Roles, authz.RoleView{ID: r.ID, Name: r.Name, Tier: rbac.Tier(r.Tier), System: r.SystemRole})
	}
	for _, g := range groups {
		for _, r := range g.Edges.Roles {
			roleIDs[r.ID] = struct{}{}
			sub.Roles = append(sub.Roles, authz.RoleView{ID: r.ID, Name: r.Name, Tier: rbac.Tier(r.Tier), System: r.SystemRole, ViaGroup: g.ID})
		}
	}
	perRole, err := s.rolePermissions(ctx, roleIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range direct {
		for _, p := range perRole[r.ID] {
			sub.Grants = append(sub.Grants, authz.Grant{Permission: p.Name, PermissionID: p.ID, Kind: authz.GrantRole,
				RoleID: r.ID, RoleName: r.Name, RoleTier: rbac.Tier(r.Tier)})
		}
	}
	for _, g := range groups {
		for _, r := range g.Edges.Roles {
			for _, p := range perRole[r.ID] {
				sub.Grants = append(sub.Grants, authz.Grant{Permission: p.Name, PermissionID: p.ID, Kind: authz.GrantGroup,
					RoleID: r.ID, RoleName: r.Name, RoleTier: rbac.Tier(r.Tier), GroupID: g.ID, GroupName: g.Name})
			}
		}
	}
	directPerms, err := s.client.Permission.Query().Where(permission.DeletedAtIsNil(), permission.HasUsersWith(user.ID(id))).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range directPerms {
		sub.Grants = append(sub.Grants, authz.Grant{Permission: p.Name, PermissionID: p.ID, Kind: authz.GrantDirect})
	}
	return sub, nil
}

func (s *Store) rolePermissions(ctx context.Context, ids map[uuid.UUID]struct{}) (map[uuid.UUID][]*ent.Permission, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list := make([]uuid.UUID, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	rows, err := s.client.RolePermission.Query().Where(rolepermission.RoleIDIn(list...)).
		WithPermission(func(q *ent.PermissionQuery) { q.Where(permission.DeletedAtIsNil()) }).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID][]*ent.Permission, len(ids))
	for _, rp := range rows {
		if p := rp.Edges.Permission; p != nil {
			out[rp.RoleID] = append(out[rp.RoleID], p)
		}
	}
	return out, nil
}

// WorkspaceOrganization returns a live workspace's organization.
func (s *Store) WorkspaceOrganization(ctx context.Context, id uuid.UUID) (uuid.UUID, bool, error) {
	w, err := s.client.Workspace.Query().Where(workspace.ID(id), workspace.DeletedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		return uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, false, err
	}
	return w.OrganizationID, true, nil
}

// PermissionNames lists live permissions.
func (s *Store) PermissionNames(ctx context.Context) ([]string, error) {
	return s.client.Permission.Query().Where(permission.DeletedAtIsNil()).Select(permission.FieldName).Strings(ctx)
}
