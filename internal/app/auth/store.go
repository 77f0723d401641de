package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// store holds the authentication flows' queries.
type store struct {
	client  *ent.Client
	dialect string
}

func (s store) liveUserByEmail(ctx context.Context, email string) (*ent.User, error) {
	return s.client.User.Query().Where(user.EmailEQ(email), user.DeletedAtIsNil()).Only(ctx)
}

func (s store) liveUser(ctx context.Context, id uuid.UUID) (*ent.User, error) {
	return s.client.User.Query().Where(user.ID(id), user.DeletedAtIsNil()).Only(ctx)
}

// hierarchyActiveSQL is true when the organization, its tenant and its region are all active
// and live: a user under anything inactive may not log in, refresh or use a token.
const hierarchyActiveSQL = `(o.active AND o.deleted_at IS NULL AND t.active AND t.deleted_at IS NULL AND r.active AND r.deleted_at IS NULL)`

// hierarchySQL joins an organization (o) to its tenant (t) and region (r).
const hierarchySQL = ` JOIN tenants t ON t.id = o.tenant_id JOIN regions r ON r.id = t.region_id`

// placement is where a user sits: their tenant, and whether everything above them is active.
type placement struct {
	tenant uuid.UUID
	active bool
}

func (s store) placementOf(ctx context.Context, org uuid.UUID) (placement, error) {
	var p placement
	rows, err := s.client.QueryContext(ctx, sqldb.Rebind(s.dialect,
		`SELECT o.tenant_id, `+hierarchyActiveSQL+` FROM organizations o`+hierarchySQL+` WHERE o.id = ?`), org)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return p, err
		}
		return p, &ent.NotFoundError{}
	}
	if err := rows.Scan(&p.tenant, &p.active); err != nil {
		return p, err
	}
	return p, rows.Err()
}

// sessionRow is a session with what verification needs about its user.
type sessionRow struct {
	Session   *ent.Session
	User      *ent.User
	Placement placement
}

func (s store) loadSession(ctx context.Context, sid uuid.UUID) (*sessionRow, error) {
	se, err := s.client.Session.Query().Where(session.ID(sid)).WithUser().Only(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.placementOf(ctx, se.Edges.User.OrganizationID)
	if err != nil {
		return nil, err
	}
	return &sessionRow{Session: se, User: se.Edges.User, Placement: p}, nil
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
