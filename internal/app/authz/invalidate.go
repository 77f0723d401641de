package authz

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/invalidation"
)

// Invalidation keeps the caches current: an outbox subscriber that applies, for each
// committed domain event, its row of the table below to Target (LocalCaches, or with Redis a
// Broadcast that reaches every replica). Dropping twice is harmless, so it is idempotent by
// nature, and it never fails.
type Invalidation struct{ Target invalidation.Target }

// Handle applies the event's row. An event without one changes nothing cached (the table test
// makes sure every event in the catalog has a row).
func (v Invalidation) Handle(_ context.Context, env event.Envelope) error {
	if apply, ok := invalidations[keyOf(env.Event.Meta())]; ok {
		apply(v.Target, env.Event)
	}
	return nil
}

// invalidationRules is the table: what each domain event makes stale. Every event of the
// catalog (event.Registered) has exactly one row, also those that change nothing cached; a new
// event fails TestEveryEventHasAnInvalidationRow until it gets one here.
var invalidationRules = []invalidationRule{
	// Nothing cached knows a new entity yet; names, descriptions and the audit row reach no
	// decision or session.
	none[event.RegionCreated](), none[event.TenantCreated](), none[event.OrganizationCreated](),
	none[event.WorkspaceCreated](), none[event.WorkspaceUpdated](), none[event.UserCreated](),
	none[event.RoleCreated](), none[event.PermissionUpdated](), none[event.GroupCreated](),
	none[event.GroupUpdated](), none[event.CommandAudited](),
	// A new session is loaded on its first request; nothing cached knows it yet.
	none[event.SessionOpened](),
	// A new API key is loaded on its first use.
	none[event.APIKeyCreated](),

	// One user's status, profile, password, grants or memberships changed: their sessions and
	// their subject.
	user(func(e event.UserActivated) uuid.UUID { return e.UserID }),
	user(func(e event.UserDeactivated) uuid.UUID { return e.UserID }),
	user(func(e event.UserDeleted) uuid.UUID { return e.UserID }),
	user(func(e event.UserPasswordReset) uuid.UUID { return e.UserID }),
	// A password change ends the user's other sessions (the kept one reloads once).
	user(func(e event.PasswordChanged) uuid.UUID { return e.UserID }),
	user(func(e event.UserUpdated) uuid.UUID { return e.UserID }),
	user(func(e event.RoleAssigned) uuid.UUID { return e.UserID }),
	user(func(e event.RoleRevoked) uuid.UUID { return e.UserID }),
	user(func(e event.PermissionDirectlyAssigned) uuid.UUID { return e.UserID }),
	user(func(e event.PermissionDirectlyRevoked) uuid.UUID { return e.UserID }),
	user(func(e event.UserAddedToGroup) uuid.UUID { return e.UserID }),
	user(func(e event.UserRemovedFromGroup) uuid.UUID { return e.UserID }),
	// A revoked API key: its owner's cached credentials (sessions and API keys) are dropped,
	// so the key is refused on the next request on every replica; revocations are rare.
	user(func(e event.APIKeyRevoked) uuid.UUID { return e.UserID }),
	// A second factor confirmed or removed changes whether the user must still enrol; an
	// administrator's revocation ends their sessions.
	user(func(e event.MFAEnabled) uuid.UUID { return e.UserID }),
	user(func(e event.MFADisabled) uuid.UUID { return e.UserID }),
	user(func(e event.UserSessionsRevoked) uuid.UUID { return e.UserID }),
	// A deleted group's memberships and grants ended: each member's.
	on(func(t invalidation.Target, e event.GroupDeleted) {
		for _, id := range e.MemberIDs {
			t.InvalidateUser(id)
		}
	}),

	// A role's or group's grants reach many users; finding them costs more than reloading.
	allSubjects[event.RolePermissionAdded](), allSubjects[event.RolePermissionRemoved](),
	allSubjects[event.GroupRoleAdded](), allSubjects[event.GroupRoleRemoved](),
	allSubjects[event.RoleUpdated](), allSubjects[event.RoleDeleted](),

	// Whether a session may be used depends on its user's organization, tenant and region
	// being active. The events do not say whether the active flag changed, and such changes
	// are rare administrative acts: dropping every cached session and subject (each reloads
	// once, on its next request) is simpler and surely correct.
	allSessions[event.RegionUpdated](), allSessions[event.RegionDeleted](),
	allSessions[event.TenantUpdated](), allSessions[event.TenantDeleted](),
	allSessions[event.OrganizationUpdated](), allSessions[event.OrganizationDeleted](),

	// The permission catalog changed (decisions on unknown permissions depend on it).
	catalog[event.PermissionCreated](), catalog[event.PermissionDeleted](),
	// A logout or a refresh-token reuse ended one session: its access tokens die at once.
	on(func(t invalidation.Target, e event.SessionEnded) { t.InvalidateSession(e.SessionID) }),
	// A deleted workspace must no longer resolve to its organization.
	on(func(t invalidation.Target, e event.WorkspaceDeleted) { t.InvalidateWorkspace(e.WorkspaceID) }),
}

// invalidations is the table by event name and version.
var invalidations = func() map[eventKey]func(invalidation.Target, event.Event) {
	m := make(map[eventKey]func(invalidation.Target, event.Event), len(invalidationRules))
	for _, r := range invalidationRules {
		if _, dup := m[r.key]; !dup {
			m[r.key] = r.apply
		}
	}
	return m
}()

type eventKey struct {
	name    string
	version int
}

func keyOf(m event.Meta) eventKey { return eventKey{m.Name, m.Version} }

type invalidationRule struct {
	key   eventKey
	apply func(invalidation.Target, event.Event)
}

// on is the row of event type E.
func on[E event.Event](apply func(invalidation.Target, E)) invalidationRule {
	var zero E
	return invalidationRule{key: keyOf(zero.Meta()), apply: func(t invalidation.Target, e event.Event) {
		if typed, ok := e.(E); ok {
			apply(t, typed)
		}
	}}
}

func none[E event.Event]() invalidationRule { return on(func(invalidation.Target, E) {}) }

func user[E event.Event](id func(E) uuid.UUID) invalidationRule {
	return on(func(t invalidation.Target, e E) { t.InvalidateUser(id(e)) })
}

func allSubjects[E event.Event]() invalidationRule {
	return on(func(t invalidation.Target, _ E) { t.InvalidateAll() })
}

func allSessions[E event.Event]() invalidationRule {
	return on(func(t invalidation.Target, _ E) { t.InvalidateAllSessions() })
}

func catalog[E event.Event]() invalidationRule {
	return on(func(t invalidation.Target, _ E) { t.InvalidatePermissions() })
}

// Sessions is the authentication service's session cache, as invalidations reach it.
type Sessions interface {
	InvalidateUser(id uuid.UUID)
	InvalidateSession(id uuid.UUID)
	InvalidateAllSessions()
}

// LocalCaches are this instance's caches of sessions and authorization subjects, as the one
// target invalidations apply to.
type LocalCaches struct {
	Sessions Sessions
	Decider  *Decider
}

var _ invalidation.Target = LocalCaches{}

func (c LocalCaches) InvalidateUser(id uuid.UUID) {
	c.Sessions.InvalidateUser(id)
	c.Decider.InvalidateUser(id)
}
func (c LocalCaches) InvalidateSession(id uuid.UUID)   { c.Sessions.InvalidateSession(id) }
func (c LocalCaches) InvalidateAll()                   { c.Decider.InvalidateAll() }
func (c LocalCaches) InvalidatePermissions()           { c.Decider.InvalidatePermissions() }
func (c LocalCaches) InvalidateWorkspace(id uuid.UUID) { c.Decider.InvalidateWorkspace(id) }

// InvalidateAllSessions also drops every subject: the change (an organization, tenant or
// region) reaches users nobody has counted.
func (c LocalCaches) InvalidateAllSessions() {
	c.Sessions.InvalidateAllSessions()
	c.Decider.InvalidateAll()
}

// InvalidateEverything answers a gap in the stream of invalidations (a Redis resubscription).
func (c LocalCaches) InvalidateEverything() {
	c.Sessions.InvalidateAllSessions()
	c.Decider.InvalidatePermissions()
}
