package authz_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

type fakeStore struct {
	mu         sync.Mutex
	subjects   map[uuid.UUID]*authz.Subject
	workspaces map[uuid.UUID]uuid.UUID
	perms      []string
	loads      int
}

func (f *fakeStore) Subject(_ context.Context, id uuid.UUID) (*authz.Subject, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loads++
	if s, ok := f.subjects[id]; ok {
		cp := *s
		return &cp, nil
	}
	return &authz.Subject{UserID: id}, nil
}

func (f *fakeStore) WorkspaceOrganization(_ context.Context, id uuid.UUID) (uuid.UUID, bool, error) {
	org, ok := f.workspaces[id]
	return org, ok, nil
}

func (f *fakeStore) PermissionNames(context.Context) ([]string, error) { return f.perms, nil }

var (
	orgA, orgB, demoOrg = uuid.New(), uuid.New(), uuid.New()
	wsA, wsB, wsDemo    = uuid.New(), uuid.New(), uuid.New()
)

// roleGrants gives the role's permissions as grants.
func roleGrants(roleID uuid.UUID, name string, perms ...string) []iam.Grant {
	var gs []iam.Grant
	for _, p := range perms {
		gs = append(gs, iam.Grant{Permission: p, Kind: iam.GrantRole, SourceID: roleID, SourceName: name})
	}
	return gs
}

func subject(org uuid.UUID, active bool, tier rbac.Tier, grants []iam.Grant) *authz.Subject {
	return &authz.Subject{UserID: uuid.New(), OrganizationID: org, Exists: true, Active: active, BestTier: tier, Grants: grants}
}

var demoRole = uuid.New()

func newDecider(t testing.TB, cfg authz.Config) *authz.Decider {
	t.Helper()
	d, err := authz.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func fixture() (*fakeStore, map[string]*authz.Subject) {
	super := subject(orgA, true, rbac.TierSuperAdministrator, roleGrants(uuid.New(), rbac.RoleSuperAdministrator, "user:read"))
	super.SuperAdmin = true
	groupGrant := iam.Grant{Permission: "alert:acknowledge", Kind: iam.GrantGroup, SourceID: uuid.New(), SourceName: "sre", RoleID: uuid.New(), RoleName: "oncall"}
	direct := iam.Grant{Permission: "metrics:export", Kind: iam.GrantDirect, SourceID: uuid.New(), SourceName: "metrics:export"}
	demoGrants := roleGrants(demoRole, rbac.RoleDemo, "dashboard:create")
	subs := map[string]*authz.Subject{
		"super":      super,
		"admin":      subject(orgA, true, rbac.TierAdministrator, roleGrants(uuid.New(), rbac.RoleAdministrator, "user:read", "user:delete")),
		"developer":  subject(orgA, true, rbac.TierDeveloper, append(roleGrants(uuid.New(), rbac.RoleDeveloper, "user:read", "dashboard:create"), groupGrant, direct)),
		"demo":       subject(demoOrg, true, rbac.TierDemo, demoGrants),
		"demoAbroad": subject(orgA, true, rbac.TierDemo, demoGrants),
		// the demo role reached through a group is confined just the same
		"demoGroup": subject(orgA, true, rbac.TierDemo, []iam.Grant{{Permission: "dashboard:create", Kind: iam.GrantGroup,
			SourceID: uuid.New(), SourceName: "trial", RoleID: demoRole, RoleName: rbac.RoleDemo}}),
		"inactive": subject(orgA, false, rbac.TierAdministrator, roleGrants(uuid.New(), rbac.RoleAdministrator, "user:read")),
	}
	f := &fakeStore{subjects: map[uuid.UUID]*authz.Subject{}, workspaces: map[uuid.UUID]uuid.UUID{wsA: orgA, wsB: orgB, wsDemo: demoOrg},
		perms: []string{"user:read", "user:delete", "dashboard:create", "alert:acknowledge", "metrics:export"}}
	for _, s := range subs {
		f.subjects[s.UserID] = s
	}
	return f, subs
}

func TestDecisions(t *testing.T) {
	t.Parallel()
	store, subs := fixture()
	d := newDecider(t, authz.Config{Store: store, TTL: time.Minute, DemoOrganization: demoOrg, DemoRole: demoRole})
	ctx := context.Background()
	cases := []struct {
		who     string
		perm    string
		org, ws uuid.UUID
		allowed bool
		reason  string
	}{
		{"super", "user:delete", orgB, uuid.Nil, true, authz.AllowSuperAdmin},
		{"super", "metrics:export", uuid.Nil, wsB, true, authz.AllowSuperAdmin},
		{"super", "spaceship:launch", uuid.Nil, uuid.Nil, false, authz.DenyUnknownPermission},
		{"admin", "user:delete", uuid.Nil, uuid.Nil, true, "role:administrator"},
		{"admin", "user:delete", orgA, wsA, true, "role:administrator"},
		{"admin", "user:delete", orgB, uuid.Nil, false, authz.DenyOutOfScope},
		{"admin", "user:read", uuid.Nil, wsB, false, authz.DenyOutOfScope},
		{"admin", "user:read", orgA, wsB, false, authz.DenyOutOfScope},
		{"admin", "user:read", uuid.Nil, uuid.New(), false, authz.DenyOutOfScope},
		{"developer", "user:delete", uuid.Nil, uuid.Nil, false, authz.DenyNoGrant},
		{"developer", "alert:acknowledge", uuid.Nil, uuid.Nil, true, "group:sre/role:oncall"},
		{"developer", "metrics:export", uuid.Nil, wsA, true, "direct"},
		{"demo", "dashboard:create", uuid.Nil, wsDemo, true, "role:demo"},
		{"demo", "dashboard:create", uuid.Nil, wsA, false, authz.DenyOutOfScope},
		{"demoAbroad", "dashboard:create", uuid.Nil, uuid.Nil, false, authz.DenyDemoConfined},
		{"demoGroup", "dashboard:create", uuid.Nil, uuid.Nil, false, authz.DenyDemoConfined},
		{"inactive", "user:read", uuid.Nil, uuid.Nil, false, authz.DenyUserInactive},
	}
	for _, tc := range cases {
		got, err := d.Decide(ctx, authz.Check{UserID: subs[tc.who].UserID, Permission: tc.perm, OrganizationID: tc.org, WorkspaceID: tc.ws})
		if err != nil {
			t.Fatal(err)
		}
		if got.Allowed != tc.allowed || got.Reason != tc.reason {
			t.Errorf("%s %s org=%v ws=%v: got %v %q, want %v %q", tc.who, tc.perm, tc.org != uuid.Nil, tc.ws != uuid.Nil, got.Allowed, got.Reason, tc.allowed, tc.reason)
		}
	}
	unknown, _ := d.Decide(ctx, authz.Check{UserID: uuid.New(), Permission: "user:read"})
	if unknown.Allowed || unknown.Reason != authz.DenyUserNotFound {
		t.Errorf("unknown user: %+v", unknown)
	}
	p, _ := d.Profile(ctx, subs["developer"].UserID)
	if p.SuperAdmin || p.BestTier != rbac.TierDeveloper {
		t.Errorf("profile %+v", p)
	}
}

func TestInvalidationTakesEffectImmediately(t *testing.T) {
	t.Parallel()
	store, subs := fixture()
	now := time.Now()
	d := newDecider(t, authz.Config{Store: store, TTL: time.Hour, DemoOrganization: demoOrg, DemoRole: demoRole, Now: func() time.Time { return now }})
	ctx := context.Background()
	admin := subs["admin"]
	check := authz.Check{UserID: admin.UserID, Permission: "user:delete"}
	if got, _ := d.Decide(ctx, check); !got.Allowed {
		t.Fatal("setup")
	}
	store.mu.Lock()
	store.subjects[admin.UserID] = subject(orgA, true, rbac.TierNone, nil)
	store.subjects[admin.UserID].UserID = admin.UserID
	store.mu.Unlock()
	if got, _ := d.Decide(ctx, check); !got.Allowed {
		t.Fatal("without an event the cached answer stands until the TTL (this proves the cache is used)")
	}
	d.InvalidateUser(admin.UserID)
	if got, _ := d.Decide(ctx, check); got.Allowed {
		t.Fatal("revocation not effective after invalidation")
	}
	hits, misses := d.Stats()
	if hits == 0 || misses < 2 {
		t.Fatalf("hits %d misses %d", hits, misses)
	}
	// TTL safety net.
	store.mu.Lock()
	store.subjects[admin.UserID] = subs["admin"]
	store.mu.Unlock()
	now = now.Add(2 * time.Hour)
	if got, _ := d.Decide(ctx, check); !got.Allowed {
		t.Fatal("TTL expiry did not reload")
	}
}

func BenchmarkCachedDecision(b *testing.B) {
	store, subs := fixture()
	d := newDecider(b, authz.Config{Store: store, TTL: time.Hour, DemoOrganization: demoOrg, DemoRole: demoRole})
	ctx := context.Background()
	check := authz.Check{UserID: subs["developer"].UserID, Permission: "dashboard:create"}
	if got, _ := d.Decide(ctx, check); !got.Allowed {
		b.Fatal("setup")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if got, _ := d.Decide(ctx, check); !got.Allowed {
			b.Fatal("denied")
		}
	}
}
