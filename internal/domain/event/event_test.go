package event_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/event"
)

// samples holds one instance of every event; the test fails when an event is registered
// without a sample (or the reverse), so the round trip below covers them all.
func samples() []event.Event {
	id, by := uuid.New(), uuid.New()
	return []event.Event{
		event.RegionCreated{RegionID: id, Code: "us-east", Name: "US East"},
		event.RegionUpdated{RegionID: id, Code: "us-east", Name: "US East", Active: true},
		event.RegionDeleted{RegionID: id},
		event.TenantCreated{TenantID: id, RegionID: by, Slug: "acme", Name: "Acme"},
		event.TenantUpdated{TenantID: id, Slug: "acme", Name: "Acme"},
		event.TenantDeleted{TenantID: id},
		event.OrganizationCreated{OrganizationID: id, TenantID: by, Slug: "eng", Name: "Eng"},
		event.OrganizationUpdated{OrganizationID: id, Slug: "eng", Name: "Eng", Active: true},
		event.OrganizationDeleted{OrganizationID: id},
		event.WorkspaceCreated{WorkspaceID: id, OrganizationID: by, Slug: "prod", Name: "Prod"},
		event.WorkspaceUpdated{WorkspaceID: id, Slug: "prod", Name: "Prod"},
		event.WorkspaceDeleted{WorkspaceID: id, OrganizationID: by},
		event.UserCreated{UserID: id, OrganizationID: by, Email: "ada@example.com"},
		event.UserUpdated{UserID: id, Email: "ada@example.com"},
		event.UserActivated{UserID: id, From: "created"},
		event.UserDeactivated{UserID: id, From: "active", SessionsRevoked: 2},
		event.UserDeleted{UserID: id, SessionsRevoked: 1},
		event.UserPasswordReset{UserID: id, SessionsRevoked: 3},
		event.RoleCreated{RoleID: id, Name: "ops", Tier: 3, ScopeKey: "global"},
		event.RoleUpdated{RoleID: id, Name: "ops", Tier: 4},
		event.RoleDeleted{RoleID: id},
		event.PermissionCreated{PermissionID: id, Name: "report:publish"},
		event.PermissionUpdated{PermissionID: id, Name: "report:publish"},
		event.PermissionDeleted{PermissionID: id, Name: "report:publish"},
		event.GroupCreated{GroupID: id, OrganizationID: by, Name: "sre"},
		event.GroupUpdated{GroupID: id, Name: "sre"},
		event.GroupDeleted{GroupID: id, MemberIDs: []uuid.UUID{by}, RoleIDs: []uuid.UUID{id}},
		event.RoleAssigned{UserID: id, RoleID: by, AssignedBy: &by},
		event.RoleRevoked{UserID: id, RoleID: by},
		event.PermissionDirectlyAssigned{UserID: id, PermissionID: by, Permission: "user:read", AssignedBy: &by},
		event.PermissionDirectlyRevoked{UserID: id, PermissionID: by, Permission: "user:read"},
		event.RolePermissionAdded{RoleID: id, PermissionID: by, Permission: "user:read"},
		event.RolePermissionRemoved{RoleID: id, PermissionID: by, Permission: "user:read"},
		event.UserAddedToGroup{GroupID: id, UserID: by},
		event.UserRemovedFromGroup{GroupID: id, UserID: by},
		event.GroupRoleAdded{GroupID: id, RoleID: by},
		event.GroupRoleRemoved{GroupID: id, RoleID: by},
		event.CommandAudited{Action: "create_user", Row: []byte(`{"action":"create_user","duration_ms":3}`)},
		event.SessionOpened{SessionID: id, UserID: by, OrganizationID: id, PasswordRehashed: true},
		event.MFAEnabled{UserID: id},
		event.MFADisabled{UserID: id, Reason: "reset", SessionsRevoked: 2},
		event.UserSessionsRevoked{UserID: id, SessionsRevoked: 3},
		event.SessionEnded{SessionID: id, UserID: by, Reason: "logout"},
		event.PasswordChanged{UserID: id, KeptSessionID: by, SessionsRevoked: 2},
		event.APIKeyCreated{KeyID: id, UserID: by, Prefix: "tfk_abcdefgh"},
		event.APIKeyRevoked{KeyID: id, UserID: by, By: by},
	}
}

func TestEveryEventRoundTrips(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, e := range samples() {
		m := e.Meta()
		if m.Name == "" || m.Version < 1 || m.AggregateType == "" || m.AggregateID == "" {
			t.Errorf("%T: incomplete meta %+v", e, m)
		}
		if m.Name != reflect.TypeOf(e).Name() {
			t.Errorf("%T is named %q", e, m.Name)
		}
		seen[m.Name] = true
		b, err := event.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := event.Decode(m.Name, m.Version, b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("%s: round trip gave %#v, want %#v", m.Name, back, e)
		}
	}
	for _, m := range event.Registered() {
		if !seen[m.Name] {
			t.Errorf("%s v%d has no sample in this test", m.Name, m.Version)
		}
	}
	if len(seen) < 37 {
		t.Errorf("%d events, want at least 37", len(seen))
	}
}

func TestDecodeRejectsUnknown(t *testing.T) {
	t.Parallel()
	if _, err := event.Decode("UserCreated", 99, []byte(`{}`)); err == nil {
		t.Error("unknown version decoded")
	}
	if _, err := event.Decode("Nope", 1, []byte(`{}`)); err == nil {
		t.Error("unknown name decoded")
	}
	if _, err := event.Decode("UserCreated", 1, []byte(`{`)); err == nil {
		t.Error("bad payload decoded")
	}
}

func TestWrapStampsIdentity(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.FixedZone("x", 3600))
	a, b := event.Wrap(event.RoleDeleted{}, at), event.Wrap(event.RoleDeleted{}, at)
	if a.ID == b.ID || a.ID.Version() != 7 {
		t.Fatalf("ids %s %s", a.ID, b.ID)
	}
	if a.OccurredAt.Location() != time.UTC || a.OccurredAt.Nanosecond()%1000 != 0 {
		t.Fatalf("occurred at %v", a.OccurredAt)
	}
}
