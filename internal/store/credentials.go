package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/port"
)

// credentials is port.CredentialRepository: the user row as authentication sees it.
type credentials struct{ repos }

var _ port.CredentialRepository = credentials{}

const (
	userByEmailSQL = `SELECT ` + placedUserSQL + ` FROM users u` + placedUserJoinSQL + ` WHERE u.email = ? AND u.deleted_at IS NULL`
	userByIDSQL    = `SELECT ` + placedUserSQL + ` FROM users u` + placedUserJoinSQL + ` WHERE u.id = ? AND u.deleted_at IS NULL`
)

func (r credentials) ByEmail(ctx context.Context, email string) (*port.PlacedUser, error) {
	return r.placedUser(ctx, userByEmailSQL, email)
}

func (r credentials) Get(ctx context.Context, id uuid.UUID) (*port.PlacedUser, error) {
	return r.placedUser(ctx, userByIDSQL, id)
}

func (r credentials) placedUser(ctx context.Context, q string, arg any) (*port.PlacedUser, error) {
	var s placedUserScan
	if err := r.queryOne(ctx, "user", q, []any{arg}, s.dest()...); err != nil {
		return nil, err
	}
	u := s.user()
	return &u, nil
}

// LoggedIn is a bulk update by id, not ent's UpdateOne: UpdateOne reads the row back after
// writing it, one more round trip per login for a value nobody uses
// (docs/benchmarks-request-path.md).
func (r credentials) LoggedIn(ctx context.Context, userID uuid.UUID, at time.Time, rehash string) error {
	upd := r.c.User.Update().Where(user.ID(userID)).SetFailedLoginCount(0).ClearLockedUntil().ClearLastFailedLoginAt().
		SetLastLoginAt(at)
	if rehash != "" {
		upd.SetPasswordHash(rehash)
	}
	n, err := upd.Save(ctx)
	return affected(n, err, "user", nil)
}

// Rehash replaces the stored hash with one of the same password under current parameters
// (at a challenged login: the password was verified, the second step is still to come).
func (r credentials) Rehash(ctx context.Context, userID uuid.UUID, hash string) error {
	return mapErr(r.c.User.UpdateOneID(userID).SetPasswordHash(hash).Exec(ctx), "user", nil)
}

func (r credentials) SetPassword(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error {
	return mapErr(clearLock(r.c.User.UpdateOneID(userID)).SetPasswordHash(hash).SetPasswordChangedAt(at).Exec(ctx), "user", nil)
}

// clearLock resets the account-wide failure count and lock.
func clearLock(u *ent.UserUpdateOne) *ent.UserUpdateOne {
	return u.SetFailedLoginCount(0).ClearLockedUntil().ClearLastFailedLoginAt()
}
