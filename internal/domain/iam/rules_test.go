package iam_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

func wantCode(t *testing.T, err error, kind errs.Kind, code string) {
	t.Helper()
	e, ok := err.(*errs.Error)
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if !ok || e.Kind != kind || e.Code != code {
		t.Fatalf("got %v, want %s (%s)", err, code, kind)
	}
}

func TestTierRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		granter, role rbac.Tier
		code          string
	}{
		{rbac.TierSuperAdministrator, rbac.TierSuperAdministrator, ""},
		{rbac.TierAdministrator, rbac.TierAdministrator, ""},
		{rbac.TierAdministrator, rbac.TierViewer, ""},
		{rbac.TierAdministrator, rbac.TierSuperAdministrator, iam.CodeTierEscalation},
		{rbac.TierViewer, rbac.TierDeveloper, iam.CodeTierEscalation},
		{rbac.TierNone, rbac.TierDemo, iam.CodeTierEscalation},
	}
	for _, tc := range cases {
		wantCode(t, iam.CheckTierGrant(tc.granter, tc.role), errs.KindForbidden, tc.code)
	}
}

func TestPermissionEscalation(t *testing.T) {
	t.Parallel()
	held := iam.SetOf([]iam.Grant{{Permission: "user:read"}, {Permission: "user:update"}})
	wantCode(t, iam.CheckPermissionHeld(held, "user:read"), 0, "")
	wantCode(t, iam.CheckPermissionHeld(held, "system:admin"), errs.KindForbidden, iam.CodePermissionEscalation)
	wantCode(t, iam.CheckPermissionHeld(nil, "user:read"), errs.KindForbidden, iam.CodePermissionEscalation)
}

func TestLastSuperAdministrator(t *testing.T) {
	t.Parallel()
	wantCode(t, iam.CheckSuperAdministratorsRemain(1), 0, "")
	wantCode(t, iam.CheckSuperAdministratorsRemain(0), errs.KindConflict, iam.CodeLastSuperAdministrator)
}

func TestNobodyDeactivatesTheirOwnOrganization(t *testing.T) {
	t.Parallel()
	no, yes := false, true
	cases := []struct {
		level  string
		own    bool
		active *bool
		code   string
	}{
		{"organization", true, &no, iam.CodeOwnOrganizationDeactivation},
		{"tenant", true, &no, iam.CodeOwnOrganizationDeactivation},
		{"region", true, &no, iam.CodeOwnOrganizationDeactivation},
		{"organization", true, &yes, ""},
		{"organization", true, nil, ""},
		{"organization", false, &no, ""},
	}
	for _, tc := range cases {
		wantCode(t, iam.CheckNotDeactivatingOwn(tc.level, tc.own, tc.active), errs.KindConflict, tc.code)
	}
}

func TestHasChildren(t *testing.T) {
	t.Parallel()
	wantCode(t, iam.CheckNoChildren("organization", iam.Children{"workspaces": 0, "users": 0}), 0, "")
	err := iam.CheckNoChildren("organization", iam.Children{"workspaces": 2, "users": 0, "groups": 1})
	wantCode(t, err, errs.KindConflict, iam.CodeHasChildren)
	if msg := err.(*errs.Error).Message; msg != "The organization is still referenced by 1 groups, 2 workspaces; remove them first." {
		t.Fatalf("message %q", msg)
	}
}

func TestSystemImmutability(t *testing.T) {
	t.Parallel()
	sys := &iam.Role{Name: rbac.RoleViewer, System: true, Tier: rbac.TierViewer}
	wantCode(t, sys.EnsureMutable(), errs.KindConflict, iam.CodeSystemRoleImmutable)
	wantCode(t, sys.Apply(iam.RoleFields{Description: ptr("x")}, now), errs.KindConflict, iam.CodeSystemRoleImmutable)
	custom := &iam.Role{Name: "ops", Tier: rbac.TierDeveloper}
	wantCode(t, custom.Apply(iam.RoleFields{Tier: ptr(4)}, now), 0, "")
	if custom.Tier != rbac.TierViewer {
		t.Fatalf("tier %d", custom.Tier)
	}
	p := &iam.Permission{Name: "user:read", System: true}
	wantCode(t, p.Describe("x", now), errs.KindConflict, iam.CodeSystemPermissionImmutable)
	q := &iam.Permission{Name: "report:publish"}
	wantCode(t, q.Describe("Publish reports", now), 0, "")
}

func TestRoleScopes(t *testing.T) {
	t.Parallel()
	tenant, org, otherOrg, otherTenant := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	cases := []struct {
		name  string
		scope iam.RoleScope
		key   string
		here  bool // grantable in org of tenant
		there bool // grantable in otherOrg of otherTenant
	}{
		{"global", iam.RoleScope{}, "global", true, true},
		{"tenant", iam.RoleScope{TenantID: &tenant}, "t:" + tenant.String(), true, false},
		{"organization", iam.RoleScope{TenantID: &tenant, OrganizationID: &org}, "o:" + org.String(), true, false},
	}
	for _, tc := range cases {
		r := &iam.Role{Name: "r", Scope: tc.scope}
		if got := tc.scope.Key(); got != tc.key {
			t.Errorf("%s: key %s", tc.name, got)
		}
		if got := r.GrantableTo(tenant, org); got != tc.here {
			t.Errorf("%s: grantable here %v", tc.name, got)
		}
		if got := r.GrantableTo(otherTenant, otherOrg); got != tc.there {
			t.Errorf("%s: grantable there %v", tc.name, got)
		}
	}
	r := &iam.Role{Name: "r", Scope: iam.RoleScope{OrganizationID: &org}}
	wantCode(t, r.EnsureGrantableTo(tenant, otherOrg), errs.KindUnprocessable, iam.CodeRoleScopeMismatch)
	super := &iam.Role{Name: rbac.RoleSuperAdministrator, System: true}
	if !super.IsSuperAdministrator() || (&iam.Role{Name: rbac.RoleSuperAdministrator}).IsSuperAdministrator() {
		t.Fatal("only the global system role is the super administrator role")
	}
}

func TestGroupsNeverSpanOrganizations(t *testing.T) {
	t.Parallel()
	org := uuid.New()
	g := &iam.Group{OrganizationID: org}
	wantCode(t, g.EnsureMember(&iam.User{OrganizationID: org}), 0, "")
	wantCode(t, g.EnsureMember(&iam.User{OrganizationID: uuid.New()}), errs.KindUnprocessable, iam.CodeGroupOrganizationMismatch)
}

func TestEffectiveFoldsAndSorts(t *testing.T) {
	t.Parallel()
	r, g := uuid.New(), uuid.New()
	got := iam.Effective([]iam.Grant{
		{Permission: "user:read", Kind: iam.GrantGroup, SourceID: g, SourceName: "sre", RoleName: "viewer"},
		{Permission: "audit:read", Kind: iam.GrantDirect, SourceName: "audit:read"},
		{Permission: "user:read", Kind: iam.GrantRole, SourceID: r, SourceName: "developer"},
		{Permission: "user:read", Kind: iam.GrantDirect, SourceName: "user:read"},
	})
	if len(got) != 2 || got[0].Permission != "audit:read" || got[1].Permission != "user:read" {
		t.Fatalf("%+v", got)
	}
	var kinds []iam.GrantKind
	for _, s := range got[1].Sources {
		kinds = append(kinds, s.Kind)
	}
	if len(kinds) != 3 || kinds[0] != iam.GrantDirect || kinds[1] != iam.GrantGroup || kinds[2] != iam.GrantRole {
		t.Fatalf("sources %v", kinds)
	}
}
