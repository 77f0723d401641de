// Package authzstore loads authorization subjects: who a user is and what they hold comes from
// the IAM access port (one source of truth for effective permissions); workspaces and the
// permission catalog are read with ent.
package authzstore

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/workspace"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Store implements authz.Store.
type Store struct {
	client *ent.Client
	access port.Access
}

var _ authz.Store = (*Store)(nil)

// New builds the store.
func New(c *ent.Client, access port.Access) *Store { return &Store{client: c, access: access} }

// Subject loads a user's standing and every grant with its source.
func (s *Store) Subject(ctx context.Context, id uuid.UUID) (*authz.Subject, error) {
	st, err := s.access.Standing(ctx, id)
	if errs.IsKind(err, errs.KindNotFound) {
		return &authz.Subject{UserID: id}, nil
	}
	if err != nil {
		return nil, err
	}
	grants, err := s.access.EffectivePermissions(ctx, id)
	if err != nil {
		return nil, err
	}
	return &authz.Subject{
		UserID: id, OrganizationID: st.OrganizationID, TenantID: st.TenantID, RegionID: st.RegionID, Exists: true,
		Status: st.Status, HierarchyActive: st.HierarchyActive, Active: st.Status == iam.StatusActive && st.HierarchyActive, SuperAdmin: st.SuperAdministrator, BestTier: st.BestTier, Grants: grants,
	}, nil
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
