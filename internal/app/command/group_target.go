package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
)

// checkGroupRoleTiers applies the tier rule to every role of a group whose membership changes:
// adding someone to a group grants its roles, removing them takes the roles away.
func checkGroupRoleTiers(ctx context.Context, a *actor.Actor, tx port.Tx, groupID uuid.UUID) error {
	if a.Super() {
		return nil
	}
	req := port.PageRequest{Limit: port.MaxLimit}
	for {
		page, err := tx.Groups().Roles(ctx, groupID, req)
		if err != nil {
			return err
		}
		for _, g := range page.Items {
			if err := a.CheckTier(g.Role.Tier); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		req.Cursor = page.NextCursor
	}
}
