// Package query holds the IAM use cases that read, one per file. Each resolves the caller and
// reads through the caller's scope, so out-of-scope rows are indistinguishable from absent ones.
package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/audit"
)

// Deps are what the query handlers share.
type Deps struct {
	Read   port.Reader
	Actors *actor.Resolver
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

// audited names a sensitive read's target for its DATA audit row: the entity read and the
// organization it belongs to (uuid.Nil for none).
func audited(ctx context.Context, id, organization uuid.UUID) {
	audit.NoteFrom(ctx).Target(id, organization)
}
