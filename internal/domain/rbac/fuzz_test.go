package rbac_test

import (
	"testing"

	"github.com/telemetryflow/core/internal/domain/rbac"
)

func FuzzParsePermission(f *testing.F) {
	for _, s := range []string{"user:read", "alert-rule-group:create", "", ":", "a:b:c", "User:Read", "x:\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, a, err := rbac.ParsePermission(s)
		if err != nil {
			return
		}
		if rbac.PermissionName(r, a) != s || len(r) == 0 || len(a) == 0 || len(r) > 50 || len(a) > 50 {
			t.Fatalf("accepted %q as %q/%q", s, r, a)
		}
	})
}
