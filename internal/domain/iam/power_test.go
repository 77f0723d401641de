package iam_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

func set(names ...string) iam.PermissionSet {
	s := iam.PermissionSet{}
	for _, n := range names {
		s[n] = struct{}{}
	}
	return s
}

// TestPowerCovers: acting on a user, or granting or revoking a role, needs everything the
// target holds; tiers can refuse but never allow on their own.
func TestPowerCovers(t *testing.T) {
	t.Parallel()
	admin := iam.Power{Tier: rbac.TierAdministrator, Permissions: set("user:read", "user:update", "audit:read")}
	cases := []struct {
		name           string
		caller, target iam.Power
		code           string
		missing        []string
	}{
		{"equal sets", admin, admin, "", nil},
		{"subset", admin, iam.Power{Tier: rbac.TierViewer, Permissions: set("user:read")}, "", nil},
		{"nothing at all", admin, iam.Power{}, "", nil},
		{"direct system:admin without a role", admin, iam.Power{Permissions: set("user:read", "system:admin")},
			iam.CodePermissionEscalation, []string{"system:admin"}},
		{"a weak tier carrying a strong permission", admin, iam.Power{Tier: rbac.TierViewer, Permissions: set("platform:manage", "system:admin")},
			iam.CodePermissionEscalation, []string{"platform:manage", "system:admin"}},
		{"a better tier is refused first", admin, iam.Power{Tier: rbac.TierSuperAdministrator},
			iam.CodeTierEscalation, nil},
		{"a caller without roles facing a role", iam.Power{Permissions: set("user:read")}, iam.Power{Tier: rbac.TierViewer, Permissions: set("user:read")},
			iam.CodeTierEscalation, nil},
		{"a caller without roles facing direct grants only", iam.Power{Permissions: set("user:read")}, iam.Power{Permissions: set("user:read")}, "", nil},
		{"a super administrator target", iam.Power{Tier: rbac.TierSuperAdministrator, Permissions: admin.Permissions}, iam.Power{Super: true, Tier: rbac.TierSuperAdministrator},
			iam.CodePermissionEscalation, []string{rbac.RoleSuperAdministrator}},
		{"a super administrator caller", iam.Power{Super: true, Tier: rbac.TierSuperAdministrator}, iam.Power{Super: true, Tier: rbac.TierSuperAdministrator, Permissions: set("anything:at-all")}, "", nil},
		{"an empty caller", iam.Power{}, iam.Power{Permissions: set("user:read")}, iam.CodePermissionEscalation, []string{"user:read"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := iam.CheckPowerCovers(tc.caller, tc.target, "change this user")
			wantCode(t, err, errs.KindForbidden, tc.code)
			if got := tc.caller.Missing(tc.target); tc.code != iam.CodeTierEscalation && !slices.Equal(got, tc.missing) {
				t.Fatalf("missing %v, want %v", got, tc.missing)
			}
			if covers := tc.caller.Covers(tc.target); covers != (len(tc.caller.Missing(tc.target)) == 0) {
				t.Fatalf("Covers %v disagrees with Missing", covers)
			}
			if tc.code == iam.CodePermissionEscalation {
				msg := err.(*errs.Error).Message
				for _, m := range tc.missing {
					if !strings.Contains(msg, m) {
						t.Fatalf("message %q does not name %s", msg, m)
					}
				}
			}
		})
	}
}

func TestPowerMessageIsBounded(t *testing.T) {
	t.Parallel()
	target := iam.Power{Permissions: set("a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7")}
	err := iam.CheckPowerCovers(iam.Power{}, target, "grant role big")
	if msg := err.(*errs.Error).Message; msg != "You cannot grant role big: you do not hold a:1, a:2, a:3, a:4, a:5 and 2 more." {
		t.Fatalf("message %q", msg)
	}
}
