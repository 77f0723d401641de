package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeleteTenant soft-deletes a tenant that no live organization or tenant role references.
type DeleteTenant struct {
	ID uuid.UUID `json:"id"`
}

// DeleteTenantHandler handles DeleteTenant.
type DeleteTenantHandler struct{ Deps }

func (h DeleteTenantHandler) Handle(ctx context.Context, c DeleteTenant) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		repo := tx.Tenants()
		if _, err := repo.Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		if err := a.EnsureSuper("tenants"); err != nil {
			return err
		}
		children, err := repo.Children(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := iam.CheckNoChildren("tenant", children); err != nil {
			return err
		}
		if err := repo.Delete(ctx, c.ID, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.TenantDeleted{TenantID: c.ID})
		return nil
	})
}
