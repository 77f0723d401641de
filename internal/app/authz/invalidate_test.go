package authz

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/event"
)

// calls records what an invalidation asked of the caches.
type calls []string

func (c *calls) InvalidateUser(id uuid.UUID)      { *c = append(*c, "user "+id.String()) }
func (c *calls) InvalidateSession(id uuid.UUID)   { *c = append(*c, "session "+id.String()) }
func (c *calls) InvalidateAll()                   { *c = append(*c, "all subjects") }
func (c *calls) InvalidatePermissions()           { *c = append(*c, "permissions") }
func (c *calls) InvalidateWorkspace(id uuid.UUID) { *c = append(*c, "workspace "+id.String()) }
func (c *calls) InvalidateAllSessions()           { *c = append(*c, "all sessions") }
func (c *calls) InvalidateEverything()            { *c = append(*c, "everything") }

// TestEveryEventHasAnInvalidationRow is the table, row by row, for every event of the domain
// catalog. A new event fails it until it has a row in invalidationRules and a case here.
func TestEveryEventHasAnInvalidationRow(t *testing.T) {
	t.Parallel()
	u, g, other := uuid.New(), uuid.New(), uuid.New()
	user := []string{"user " + u.String()}
	none := []string(nil)
	allSubjects, allSessions, catalog := []string{"all subjects"}, []string{"all sessions"}, []string{"permissions"}
	cases := []struct {
		e    event.Event
		want []string
	}{
		{event.RegionCreated{RegionID: g}, none},
		{event.RegionUpdated{RegionID: g}, allSessions},
		{event.RegionDeleted{RegionID: g}, allSessions},
		{event.TenantCreated{TenantID: g}, none},
		{event.TenantUpdated{TenantID: g}, allSessions},
		{event.TenantDeleted{TenantID: g}, allSessions},
		{event.OrganizationCreated{OrganizationID: g}, none},
		{event.OrganizationUpdated{OrganizationID: g}, allSessions},
		{event.OrganizationDeleted{OrganizationID: g}, allSessions},
		{event.WorkspaceCreated{WorkspaceID: g}, none},
		{event.WorkspaceUpdated{WorkspaceID: g}, none},
		{event.WorkspaceDeleted{WorkspaceID: g, OrganizationID: other}, []string{"workspace " + g.String()}},
		{event.UserCreated{UserID: u}, none},
		{event.UserUpdated{UserID: u}, user},
		{event.UserActivated{UserID: u}, user},
		{event.UserDeactivated{UserID: u}, user},
		{event.UserDeleted{UserID: u}, user},
		{event.UserPasswordReset{UserID: u}, user},
		{event.RoleCreated{RoleID: g}, none},
		{event.RoleUpdated{RoleID: g}, allSubjects},
		{event.RoleDeleted{RoleID: g}, allSubjects},
		{event.PermissionCreated{PermissionID: g}, catalog},
		{event.PermissionUpdated{PermissionID: g}, none},
		{event.PermissionDeleted{PermissionID: g}, catalog},
		{event.GroupCreated{GroupID: g}, none},
		{event.GroupUpdated{GroupID: g}, none},
		{event.GroupDeleted{GroupID: g, MemberIDs: []uuid.UUID{u, other}}, []string{"user " + u.String(), "user " + other.String()}},
		{event.RoleAssigned{UserID: u, RoleID: g}, user},
		{event.RoleRevoked{UserID: u, RoleID: g}, user},
		{event.PermissionDirectlyAssigned{UserID: u, PermissionID: g}, user},
		{event.PermissionDirectlyRevoked{UserID: u, PermissionID: g}, user},
		{event.RolePermissionAdded{RoleID: g, PermissionID: other}, allSubjects},
		{event.RolePermissionRemoved{RoleID: g, PermissionID: other}, allSubjects},
		{event.UserAddedToGroup{GroupID: g, UserID: u}, user},
		{event.UserRemovedFromGroup{GroupID: g, UserID: u}, user},
		{event.GroupRoleAdded{GroupID: g, RoleID: other}, allSubjects},
		{event.GroupRoleRemoved{GroupID: g, RoleID: other}, allSubjects},
		{event.CommandAudited{Action: "create_user", Row: []byte(`{}`)}, none},
		{event.SessionOpened{SessionID: g, UserID: u}, none},
		{event.SessionEnded{SessionID: g, UserID: u, Reason: "logout"}, []string{"session " + g.String()}},
		{event.PasswordChanged{UserID: u, KeptSessionID: g}, user},
		{event.APIKeyCreated{KeyID: g, UserID: u, Prefix: "tfk_abcdefgh"}, none},
		{event.APIKeyRevoked{KeyID: g, UserID: u, By: u}, user},
		{event.MFAEnabled{UserID: u}, user},
		{event.MFADisabled{UserID: u, Reason: "reset"}, user},
		{event.UserSessionsRevoked{UserID: u, SessionsRevoked: 2}, user},
	}
	covered := map[eventKey]bool{}
	for _, tc := range cases {
		k := keyOf(tc.e.Meta())
		covered[k] = true
		if _, ok := invalidations[k]; !ok {
			t.Errorf("%s v%d has no row in invalidationRules", k.name, k.version)
			continue
		}
		var got calls
		if err := (Invalidation{Target: &got}).Handle(context.Background(), event.Wrap(tc.e, time.Now())); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s v%d invalidates %v, want %v", k.name, k.version, []string(got), tc.want)
		}
	}
	for _, m := range event.Registered() {
		k := eventKey{m.Name, m.Version}
		if _, ok := invalidations[k]; !ok {
			t.Errorf("%s v%d is in the event catalog but has no row in invalidationRules", m.Name, m.Version)
		}
		if !covered[k] {
			t.Errorf("%s v%d is in the event catalog but has no case in this test", m.Name, m.Version)
		}
	}
	if len(invalidations) != len(invalidationRules) {
		t.Errorf("%d rules for %d events: an event has two rows", len(invalidationRules), len(invalidations))
	}
}

// TestLocalCachesFanOut: each invalidation reaches the caches it concerns.
func TestLocalCachesFanOut(t *testing.T) {
	t.Parallel()
	id := uuid.New()
	// subjects: whether the decider dropped cached subjects.
	cases := []struct {
		apply    func(LocalCaches)
		sessions []string
		subjects bool
	}{
		{func(c LocalCaches) { c.InvalidateUser(id) }, []string{"user " + id.String()}, true},
		{func(c LocalCaches) { c.InvalidateSession(id) }, []string{"session " + id.String()}, false},
		{func(c LocalCaches) { c.InvalidateAll() }, nil, true},
		{func(c LocalCaches) { c.InvalidatePermissions() }, nil, true},
		{func(c LocalCaches) { c.InvalidateWorkspace(id) }, nil, false},
		{func(c LocalCaches) { c.InvalidateAllSessions() }, []string{"all sessions"}, true},
		{func(c LocalCaches) { c.InvalidateEverything() }, []string{"all sessions"}, true},
	}
	for i, tc := range cases {
		var sessions calls
		d, err := New(Config{Store: nopStore{}, TTL: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		tc.apply(LocalCaches{Sessions: &sessions, Decider: d})
		if !slices.Equal(sessions, tc.sessions) || (d.invalidations.Load() > 0) != tc.subjects {
			t.Errorf("case %d: sessions got %v, want %v; subjects dropped %v, want %v", i, []string(sessions), tc.sessions,
				d.invalidations.Load() > 0, tc.subjects)
		}
	}
}

type nopStore struct{}

func (nopStore) Subject(_ context.Context, id uuid.UUID) (*Subject, error) {
	return &Subject{UserID: id}, nil
}
func (nopStore) WorkspaceOrganization(context.Context, uuid.UUID) (uuid.UUID, bool, error) {
	return uuid.Nil, false, nil
}
func (nopStore) PermissionNames(context.Context) ([]string, error) { return nil, fmt.Errorf("unused") }
