package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel"

	"github.com/telemetryflow/core/internal/app"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/config"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/outbox"
	"github.com/telemetryflow/core/internal/password"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/telemetry"
)

// appPackage names the IAM application's spans and metrics.
const appPackage = "github.com/telemetryflow/core/internal/app"

// iamParts is the IAM management area: the HTTP operations and the event dispatcher whose
// poller Run starts.
type iamParts struct {
	api        *httpapi.IAMAPI
	dispatcher *outbox.Dispatcher
}

// Caches that IAM events invalidate (the auth session cache and the authz subject cache).
type (
	sessionCache  interface{ InvalidateUser(uuid.UUID) }
	decisionCache interface {
		InvalidateUser(uuid.UUID)
		InvalidateAll()
		InvalidatePermissions()
		InvalidateWorkspace(uuid.UUID)
	}
)

// buildIAM wires store → outbox dispatcher → application → HTTP area. Committed events reach
// the caches synchronously, inside the request that made the change, so the very next request
// sees it.
func buildIAM(cfg *config.Config, st *store.Store, hasher *password.Hasher, rec audit.Recorder, log *slog.Logger,
	sessions sessionCache, decisions decisionCache, now func() time.Time) (*iamParts, error) {
	d, err := outbox.New(outbox.Config{Store: st.Outbox(), Log: log, Now: now})
	if err != nil {
		return nil, err
	}
	d.Subscribe("cache_invalidation", outbox.Once(invalidation{sessions: sessions, decisions: decisions}, 0))
	st.SetAfterCommit(d.Publish)
	a, err := app.New(app.Config{UoW: st, Read: st, Hasher: hasher, Now: now,
		Policy:  iam.PasswordPolicy{Min: cfg.Auth.PasswordMinLength, Max: cfg.Auth.PasswordMaxLength},
		Observe: decorator.Observer{Log: log, Audit: rec, Tracer: telemetry.Tracer(appPackage), Meter: otel.GetMeterProvider().Meter(appPackage)}})
	if err != nil {
		return nil, err
	}
	return &iamParts{api: httpapi.NewIAMAPI(a), dispatcher: d}, nil
}

// invalidation drops what an event made stale. It is idempotent by nature (dropping twice is
// harmless) and never fails.
type invalidation struct {
	sessions  sessionCache
	decisions decisionCache
}

func (v invalidation) Handle(_ context.Context, env event.Envelope) error {
	switch e := env.Event.(type) {
	case event.UserActivated:
		v.user(e.UserID)
	case event.UserDeactivated:
		v.user(e.UserID)
	case event.UserDeleted:
		v.user(e.UserID)
	case event.UserPasswordReset:
		v.user(e.UserID)
	case event.UserUpdated:
		v.user(e.UserID)
	case event.RoleAssigned:
		v.decisions.InvalidateUser(e.UserID)
	case event.RoleRevoked:
		v.decisions.InvalidateUser(e.UserID)
	case event.PermissionDirectlyAssigned:
		v.decisions.InvalidateUser(e.UserID)
	case event.PermissionDirectlyRevoked:
		v.decisions.InvalidateUser(e.UserID)
	case event.UserAddedToGroup:
		v.decisions.InvalidateUser(e.UserID)
	case event.UserRemovedFromGroup:
		v.decisions.InvalidateUser(e.UserID)
	case event.GroupDeleted:
		for _, id := range e.MemberIDs {
			v.decisions.InvalidateUser(id)
		}
	case event.RolePermissionAdded, event.RolePermissionRemoved, event.GroupRoleAdded, event.GroupRoleRemoved,
		event.RoleUpdated, event.RoleDeleted, event.OrganizationUpdated, event.OrganizationDeleted:
		// A role's or group's grants reach many users; finding them costs more than reloading.
		v.decisions.InvalidateAll()
	case event.PermissionCreated, event.PermissionDeleted:
		v.decisions.InvalidatePermissions()
	case event.WorkspaceDeleted:
		v.decisions.InvalidateWorkspace(e.WorkspaceID)
	}
	return nil
}

// user drops a user's cached sessions (their status or password changed) and decisions.
func (v invalidation) user(id uuid.UUID) {
	v.sessions.InvalidateUser(id)
	v.decisions.InvalidateUser(id)
}
