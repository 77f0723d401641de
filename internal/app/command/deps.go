// Package command holds the IAM use cases that change state, one per file. Each resolves the
// caller, applies the domain rules and the caller's scope, and commits the change together
// with its domain events in one unit of work.
package command

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Hasher turns a password into its stored hash (internal/crypto/argon2.Hasher).
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
}

// Deps are what the command handlers share.
type Deps struct {
	UoW    port.UnitOfWork
	Read   port.Reader
	Actors *actor.Resolver
	Now    func() time.Time
	Hasher Hasher
	Policy iam.PasswordPolicy
	// Keys mints API keys (nil: creating one fails).
	Keys KeyMinter
	// AuthAudit records the AUTH rows of the commands that change a user's authentication
	// (session revocation, MFA reset); nil records none.
	AuthAudit *audit.Log
	// ClientSecretKey keys the hash of service accounts' client secrets (oauth.HashSecret);
	// authentication verifies with the same key.
	ClientSecretKey []byte
}

// audited names the command's target for its DATA audit row: the entity it acts on and the
// organization that entity belongs to (uuid.Nil for none), so the row is visible to that
// organization's auditors whoever made the change (docs/audit.md).
func audited(ctx context.Context, id, organization uuid.UUID) {
	audit.NoteFrom(ctx).Target(id, organization)
}

// refErr turns the not-found answer for an id named in a request body into
// reference_not_found on that field; absent and out-of-scope ids answer the same.
func refErr(err error, field, resource string) error {
	if actor.IsNotFound(err) {
		return iam.ReferenceNotFound(field, resource)
	}
	return err
}

// keepSuperAdministrator runs change under the super-administrator lock and refuses it when
// it takes the number of active super administrators from some to none.
func keepSuperAdministrator(ctx context.Context, tx port.Tx, change func() error) error {
	acc := tx.Access()
	if err := acc.LockSuperAdministrators(ctx); err != nil {
		return err
	}
	before, err := acc.ActiveSuperAdministrators(ctx)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	if before == 0 {
		return nil
	}
	after, err := acc.ActiveSuperAdministrators(ctx)
	if err != nil {
		return err
	}
	return iam.CheckSuperAdministratorsRemain(after)
}

// keepSuperAdministratorIf is keepSuperAdministrator for a change that can take a super
// administrator away (it takes the role, or ends an active holder), and change alone for one
// that cannot, which therefore waits for no lock.
func keepSuperAdministratorIf(ctx context.Context, tx port.Tx, can bool, change func() error) error {
	if !can {
		return change()
	}
	return keepSuperAdministrator(ctx, tx, change)
}

// Done is the result of commands that answer nothing but success.
type Done struct{}
