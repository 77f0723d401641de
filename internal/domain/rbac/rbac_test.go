package rbac_test

import (
	"slices"
	"testing"

	"github.com/telemetryflow/core/internal/domain/rbac"
)

func TestCatalogIsCompleteAndUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range rbac.Catalog() {
		if seen[p.Name()] {
			t.Errorf("duplicate %s", p.Name())
		}
		seen[p.Name()] = true
		if _, _, err := rbac.ParsePermission(p.Name()); err != nil {
			t.Errorf("%s: %v", p.Name(), err)
		}
	}
	for _, want := range []string{"user:create", "workspace:delete", "audit:read", "audit:export", "platform:manage",
		"system:admin", "system:config", "metrics:export", "dashboard:share", "alert:acknowledge",
		"alert-rule-group:delete", "monitor:update", "agent:register", "uptime:check", "oauth2:introspect"} {
		if !seen[want] {
			t.Errorf("catalog lacks %s", want)
		}
	}
	if len(seen) != 76 {
		t.Errorf("catalog has %d permissions, want 76 (38 IAM, oauth2:introspect included, + 38 platform)", len(seen))
	}
}

func TestParsePermission(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in string
		ok bool
	}{
		{"user:read", true}, {"alert-rule-group:create", true}, {"a1:b2", true},
		{"", false}, {"user", false}, {"user:", false}, {":read", false}, {"User:read", false},
		{"user:read:extra", false}, {"user read", false}, {"1user:read", false}, {"user:re ad", false},
	}
	for _, tc := range cases {
		_, _, err := rbac.ParsePermission(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParsePermission(%q): err %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestSystemRoleGrants(t *testing.T) {
	t.Parallel()
	roles := map[string]rbac.SystemRole{}
	for _, r := range rbac.SystemRoles() {
		roles[r.Name] = r
	}
	has := func(role, perm string) bool { return slices.Contains(roles[role].Permissions, perm) }
	cases := []struct {
		role, perm string
		want       bool
	}{
		{rbac.RoleSuperAdministrator, "system:admin", true},
		{rbac.RoleSuperAdministrator, "organization:create", true},
		{rbac.RoleAdministrator, "user:delete", true},
		{rbac.RoleAdministrator, "role:create", true},
		{rbac.RoleAdministrator, "audit:export", true},
		{rbac.RoleAdministrator, "platform:manage", false},
		{rbac.RoleAdministrator, "system:config", false},
		{rbac.RoleAdministrator, "organization:create", false},
		{rbac.RoleAdministrator, "organization:delete", false},
		{rbac.RoleAdministrator, "organization:update", true},
		{rbac.RoleAdministrator, "tenant:create", false},
		{rbac.RoleAdministrator, "permission:create", false},
		{rbac.RoleDeveloper, "workspace:create", true},
		{rbac.RoleDeveloper, "workspace:delete", false},
		{rbac.RoleDeveloper, "dashboard:share", true},
		{rbac.RoleDeveloper, "dashboard:delete", false},
		{rbac.RoleDeveloper, "user:read", true},
		{rbac.RoleDeveloper, "user:create", false},
		{rbac.RoleDeveloper, "audit:read", false},
		{rbac.RoleViewer, "metrics:read", true},
		{rbac.RoleViewer, "metrics:write", false},
		{rbac.RoleViewer, "workspace:update", false},
		{rbac.RoleViewer, "audit:read", false},
		{rbac.RoleDemo, "dashboard:create", true},
		{rbac.RoleDemo, "dashboard:delete", false},
	}
	for _, tc := range cases {
		if got := has(tc.role, tc.perm); got != tc.want {
			t.Errorf("%s has %s = %v, want %v", tc.role, tc.perm, got, tc.want)
		}
	}
	for _, r := range rbac.SystemRoles() {
		if r.Name != rbac.RoleSuperAdministrator {
			for _, p := range r.Permissions {
				if p == "system:admin" || p == "platform:manage" {
					t.Errorf("%s must not hold %s", r.Name, p)
				}
			}
		}
	}
}

func TestTierRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		granter, role rbac.Tier
		want          bool
	}{
		{rbac.TierSuperAdministrator, rbac.TierSuperAdministrator, true},
		{rbac.TierSuperAdministrator, rbac.TierDemo, true},
		{rbac.TierAdministrator, rbac.TierSuperAdministrator, false},
		{rbac.TierAdministrator, rbac.TierAdministrator, true},
		{rbac.TierAdministrator, rbac.TierDeveloper, true},
		{rbac.TierDeveloper, rbac.TierAdministrator, false},
		{rbac.TierDeveloper, rbac.TierViewer, true},
		{rbac.TierViewer, rbac.TierDeveloper, false},
		{rbac.TierNone, rbac.TierDemo, false},
	}
	for _, tc := range cases {
		if got := rbac.CanGrantTier(tc.granter, tc.role); got != tc.want {
			t.Errorf("tier %d granting tier %d: %v, want %v", tc.granter, tc.role, got, tc.want)
		}
	}
	if got := rbac.BestTier(rbac.TierViewer, rbac.TierAdministrator, rbac.TierDemo); got != rbac.TierAdministrator {
		t.Errorf("BestTier = %d", got)
	}
	if got := rbac.BestTier(); got != rbac.TierNone {
		t.Errorf("BestTier() = %d, want TierNone", got)
	}
}
