package authz

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Standing answers from the same cache decisions use, so resolving the caller of a request
// costs a map lookup rather than a query. Invalidation is the decisions' invalidation.
func (d *Decider) Standing(ctx context.Context, id uuid.UUID) (port.Standing, error) {
	c, err := d.compiled(ctx, id)
	if err != nil {
		return port.Standing{}, err
	}
	s := c.subject
	if !s.Exists {
		return port.Standing{}, errs.NotFound("user")
	}
	return port.Standing{UserID: s.UserID, OrganizationID: s.OrganizationID, TenantID: s.TenantID, RegionID: s.RegionID,
		Status: s.Status, HierarchyActive: s.HierarchyActive, SuperAdministrator: s.SuperAdmin, BestTier: s.BestTier}, nil
}

// EffectivePermissions answers from the cache too.
func (d *Decider) EffectivePermissions(ctx context.Context, id uuid.UUID) ([]iam.Grant, error) {
	c, err := d.compiled(ctx, id)
	if err != nil {
		return nil, err
	}
	return c.subject.Grants, nil
}

// CachedAccess serves the questions asked on every request (who is calling, what do they hold)
// from the decider's cache and passes the rest (counts and locks that rules take inside
// transactions) to the store.
type CachedAccess struct {
	port.Access
	Decider *Decider
}

var _ port.Access = CachedAccess{}

func (c CachedAccess) Standing(ctx context.Context, id uuid.UUID) (port.Standing, error) {
	return c.Decider.Standing(ctx, id)
}

func (c CachedAccess) EffectivePermissions(ctx context.Context, id uuid.UUID) ([]iam.Grant, error) {
	return c.Decider.EffectivePermissions(ctx, id)
}
