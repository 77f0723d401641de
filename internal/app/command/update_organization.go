package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var o *iam.Organization
	return result(o, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if o, err = tx.Organizations().Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		audited(ctx, o.ID, o.ID)
		if err := iam.CheckNotDeactivatingOwn("organization", o.ID == a.OrganizationID, c.Active); err != nil {
			return err
		}
		if err := o.Apply(c.OrganizationFields, h.Now()); err != nil {
			return err
		}
		if err := tx.Organizations().Update(ctx, o); err != nil {
			return err
		}
		tx.Emit(event.OrganizationUpdated{OrganizationID: o.ID, Slug: o.Slug, Name: o.Name, Active: o.Active})
		return nil
	}))
}
