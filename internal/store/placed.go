package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Authentication reads a user together with where they sit in one round trip (login,
// refresh, token verification), so these queries are hand-written joins.

// hierarchyActiveSQL is true when the organization (o), its tenant (t) and its region (r) are
// all active and live: a user under anything inactive may not log in, refresh or use a token.
const hierarchyActiveSQL = `(o.active AND o.deleted_at IS NULL AND t.active AND t.deleted_at IS NULL AND r.active AND r.deleted_at IS NULL)`

// placedUserSQL selects a user (u) with their placement; placedUserJoinSQL joins u to it.
const (
	placedUserSQL = `u.id, u.email, u.password_hash, u.first_name, u.last_name, u.organization_id, u.status,
       u.last_login_at, u.failed_login_count, u.locked_until, u.password_changed_at, u.created_at, u.updated_at, u.deleted_at,
       u.kind, o.tenant_id, ` + hierarchyActiveSQL + `,
       EXISTS (SELECT 1 FROM user_totp_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL)`
	placedUserJoinSQL = ` JOIN organizations o ON o.id = u.organization_id JOIN tenants t ON t.id = o.tenant_id JOIN regions r ON r.id = t.region_id`
)

// placedUserColumns is the number of columns of placedUserSQL.
const placedUserColumns = 18

// placedUserScan scans the columns of placedUserSQL.
type placedUserScan struct {
	u                              port.PlacedUser
	status, kind                   string
	last, locked, changed, deleted sql.NullTime
}

func (s *placedUserScan) dest() []any {
	u := &s.u
	return []any{&u.ID, &u.Email, &u.PasswordHash, &u.FirstName, &u.LastName, &u.OrganizationID, &s.status,
		&s.last, &u.FailedLoginCount, &s.locked, &s.changed, &u.CreatedAt, &u.UpdatedAt, &s.deleted,
		&s.kind, &u.TenantID, &u.HierarchyActive, &u.MFAEnabled}
}

func (s *placedUserScan) user() port.PlacedUser {
	u := s.u
	u.Status, u.Kind = iam.UserStatus(s.status), iam.UserKind(s.kind)
	u.LastLoginAt, u.LockedUntil, u.PasswordChangedAt, u.DeletedAt = nullTime(s.last), nullTime(s.locked), nullTime(s.changed), nullTime(s.deleted)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u
}

// queryOne runs a query expected to return at most one row and scans it into dest;
// errs.NotFound(resource) when there is none.
func (r repos) queryOne(ctx context.Context, resource, q string, args []any, dest ...any) error {
	rows, err := r.c.QueryContext(ctx, r.rebind(q), args...)
	if err != nil {
		return errs.Internal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return errs.Internal(err)
		}
		return errs.NotFound(resource)
	}
	if err := rows.Scan(dest...); err != nil {
		return errs.Internal(err)
	}
	if err := rows.Err(); err != nil {
		return errs.Internal(err)
	}
	return nil
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}
