package authz_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/authz"
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

func role(name string, tier rbac.Tier, perms ...string) ([]authz.Grant, authz.RoleView) {
	id := uuid.New()
	var gs []authz.Grant
	for _, p := range perms {
		gs = append(gs, authz.Grant{Permission: p, Kind: authz.GrantRole, RoleID: id, RoleName: name, RoleTier: tier})
	}
	return gs, authz.RoleView{ID: id, Name: name, Tier: tier, System: true}
}

func subject(org uuid.UUID, active bool, grants []authz.Grant, roles ...authz.RoleView) *authz.Subject {
	return &authz.Subject{UserID: uuid.New(), OrganizationID: org, Exists: true, Active: active, Grants: grants, Roles: roles}
}

func fixture() (*fakeStore, map[string]*authz.Subject) {
	sg, sr := role(rbac.RoleSuperAdministrator, 1, "user:read")
	ag, ar := role(rbac.RoleAdministrator, 2, "user:read", "user:delete")
	dg, dr := role(rbac.RoleDeveloper, 3, "user:read", "dashboard:create")
	mg, mr := role(rbac.RoleDemo, 5, "dashboard:create")
	groupGrant := authz.Grant{Permission: "alert:acknowledge", Kind: authz.GrantGroup, RoleName: "oncall", RoleTier: 3, GroupName: "sre"}
	direct := authz.Grant{Permission: "metrics:export", Kind: authz.GrantDirect}
	subs := map[string]*authz.Subject{
		"super":      subject(orgA, true, sg, sr),
		"admin":      subject(orgA, true, ag, ar),
		"developer":  subject(orgA, true, append(dg, groupGrant, direct), dr),
		"demo":       subject(demoOrg, true, mg, mr),
		"demoAbroad": subject(orgA, true, mg, mr),
		"inactive":   subject(orgA, false, ag, ar),
		// a custom tier-1 role named like the system role must not make anyone a super admin
		"impostor": subject(orgA, true, nil, authz.RoleView{Name: rbac.RoleSuperAdministrator, Tier: 1, System: false}),
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
	d := authz.New(store, authz.Config{TTL: time.Minute, DemoOrganization: demoOrg})
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
		{"inactive", "user:read", uuid.Nil, uuid.Nil, false, authz.DenyUserInactive},
		{"impostor", "user:read", uuid.Nil, uuid.Nil, false, authz.DenyNoGrant},
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
	d := authz.New(store, authz.Config{TTL: time.Hour, DemoOrganization: demoOrg, Now: func() time.Time { return now }})
	ctx := context.Background()
	admin := subs["admin"]
	check := authz.Check{UserID: admin.UserID, Permission: "user:delete"}
	if got, _ := d.Decide(ctx, check); !got.Allowed {
		t.Fatal("setup")
	}
	store.mu.Lock()
	store.subjects[admin.UserID] = subject(orgA, true, nil)
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
	d := authz.New(store, authz.Config{TTL: time.Hour, DemoOrganization: demoOrg})
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
