package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/ent/user"
)

// store holds the authentication flows' queries.
type store struct{ client *ent.Client }

func (s store) liveUserByEmail(ctx context.Context, email string) (*ent.User, error) {
	return s.client.User.Query().Where(user.EmailEQ(email), user.DeletedAtIsNil()).Only(ctx)
}

func (s store) liveUser(ctx context.Context, id uuid.UUID) (*ent.User, error) {
	return s.client.User.Query().Where(user.ID(id), user.DeletedAtIsNil()).Only(ctx)
}

func (s store) tenantOf(ctx context.Context, org uuid.UUID) (uuid.UUID, error) {
	o, err := s.client.Organization.Query().Where(organization.ID(org)).Select(organization.FieldTenantID).Only(ctx)
	if err != nil {
		return uuid.Nil, err
	}
	return o.TenantID, nil
}

// sessionRow is a session with what verification needs about its user.
type sessionRow struct {
	Session *ent.Session
	User    *ent.User
	Tenant  uuid.UUID
}

func (s store) loadSession(ctx context.Context, sid uuid.UUID) (*sessionRow, error) {
	se, err := s.client.Session.Query().Where(session.ID(sid)).WithUser().Only(ctx)
	if err != nil {
		return nil, err
	}
	tenant, err := s.tenantOf(ctx, se.Edges.User.OrganizationID)
	if err != nil {
		return nil, err
	}
	return &sessionRow{Session: se, User: se.Edges.User, Tenant: tenant}, nil
}

// revokeSessions ends the user's live sessions except keep (uuid.Nil keeps none) and returns
// the ids it ended.
func revokeSessions(ctx context.Context, c *ent.Client, userID, keep uuid.UUID, reason string, now time.Time) ([]uuid.UUID, error) {
	q := c.Session.Query().Where(session.UserID(userID), session.RevokedAtIsNil())
	if keep != uuid.Nil {
		q = q.Where(session.IDNEQ(keep))
	}
	ids, err := q.IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	_, err = c.Session.Update().Where(session.IDIn(ids...), session.RevokedAtIsNil()).
		SetRevokedAt(now).SetRevokeReason(reason).Save(ctx)
	return ids, err
}

func (s store) revokeSession(ctx context.Context, sid uuid.UUID, reason string, now time.Time) error {
	return s.client.Session.Update().Where(session.ID(sid), session.RevokedAtIsNil()).
		SetRevokedAt(now).SetRevokeReason(reason).Exec(ctx)
}
