// Package query holds the IAM use cases that read, one per file. Each resolves the caller and
// reads through the caller's scope, so out-of-scope rows are indistinguishable from absent ones.
package query

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// Deps are what the query handlers share.
type Deps struct {
	Read   port.Reader
	Actors *actor.Resolver
	// Sessions lists users' sessions (ListUserSessions); Now is the clock.
	Sessions port.SessionLister
	// Factors answers whether a user has a second factor (GetMe); nil: never.
	Factors Factors
	Now     func() time.Time
}

// scoped resolves the caller and runs read within their scope.
func scoped[T any](ctx context.Context, d Deps, read func(s port.Scope) (T, error)) (T, error) {
	a, err := d.Actors.Resolve(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	return read(a.Scope())
}

// audited names a read's target for its DATA audit row: the entity read and the organization
// it belongs to (uuid.Nil for none).
func audited(ctx context.Context, id, organization uuid.UUID) {
	audit.NoteFrom(ctx).Target(id, organization)
}

// auditedList names a list's target organization for its DATA audit row: the one its filter
// names when the caller's scope covers it (a super administrator listing another
// organization's users: that organization's auditors see the row), otherwise the caller's
// own. A filter outside the caller's scope lists nothing of that organization, so it does not
// become the target: otherwise anyone could put rows into another organization's audit trail.
func auditedList(ctx context.Context, s port.Scope, filter *uuid.UUID) {
	n := audit.NoteFrom(ctx)
	if n == nil {
		return
	}
	if filter != nil && (s.All || *filter == s.OrganizationID) {
		n.Target(uuid.Nil, *filter)
		return
	}
	if p := principal.From(ctx); p != nil {
		n.Target(uuid.Nil, p.OrganizationID)
	}
}

// Factors reads a user's second factor (store.Store.MFA).
type Factors interface {
	TOTP(ctx context.Context, userID uuid.UUID) (*authn.TOTPFactor, error)
}
