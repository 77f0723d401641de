package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type sessions struct{ repos }

// RevokeAll ends every live session of the user in the caller's transaction, so the status
// change and the revocation commit (or fail) together.
func (s sessions) RevokeAll(ctx context.Context, userID uuid.UUID, reason string, at time.Time) (int, error) {
	n, err := s.c.Session.Update().Where(session.UserIDEQ(userID), session.RevokedAtIsNil()).
		SetRevokedAt(iam.Stamp(at)).SetRevokeReason(reason).Save(ctx)
	return n, mapErr(err, "", nil)
}
