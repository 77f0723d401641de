package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeleteTenant soft-deletes a tenant that no live organization or tenant role references.
type DeleteTenant struct {
	ID uuid.UUID `json:"id"`
}

// DeleteTenantHandler handles DeleteTenant.
type DeleteTenantHandler struct{ Deps }

func (h DeleteTenantHandler) Handle(ctx context.Context, c DeleteTenant) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		repo := tx.Tenants()
		if _, err := repo.Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		if err := a.EnsureSuper("tenants"); err != nil {
			return err
		}
		return deleteUnreferenced(ctx, tx, repo, repo.Children, "tenant", c.ID, h.Now(), event.TenantDeleted{TenantID: c.ID})
	})
}
