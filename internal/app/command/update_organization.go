package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateOrganization changes an organization's fields; a caller may change their own.
type UpdateOrganization struct {
	ID uuid.UUID `json:"id"`
	iam.OrganizationFields
}

// UpdateOrganizationHandler handles UpdateOrganization.
type UpdateOrganizationHandler struct{ Deps }

func (h UpdateOrganizationHandler) Handle(ctx context.Context, c UpdateOrganization) (*iam.Organization, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Organization, error) {
		o, err := tx.Organizations().Get(ctx, a.Scope(), c.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, o.ID, o.ID)
		if err := iam.CheckNotDeactivatingOwn("organization", o.ID == a.OrganizationID, c.Active); err != nil {
			return nil, err
		}
		if err := o.Apply(c.OrganizationFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Organizations(), o, event.OrganizationUpdated{OrganizationID: o.ID, Slug: o.Slug, Name: o.Name, Active: o.Active})
	})
}
