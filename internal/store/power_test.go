package store_test

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// testPower: the powers the acting-on rule compares add up roles, live groups' roles and
// direct grants of live users only.
func testPower(t *testing.T, e *iamtest.Env) {
	acc := e.Store.Access()
	_, tn, o, _ := hierarchy(t, e)
	scope := iam.RoleScope{TenantID: &tn.ID, OrganizationID: &o.ID}
	r1, r2 := newRole(t, e, scope, unique("r1"), 3), newRole(t, e, scope, unique("r2"), 4)
	p1, p2, d1, d2 := newPermission(t, e), newPermission(t, e), newPermission(t, e), newPermission(t, e)
	a, b, gone := newUser(t, e, o.ID, iam.StatusActive), newUser(t, e, o.ID, iam.StatusActive), newUser(t, e, o.ID, iam.StatusActive)
	g := get(iam.NewGroup(o.ID, iam.GroupFields{Name: ptr(unique("g"))}, time.Now()))(t)
	now := port.Assignment{At: time.Now()}
	ok(t, e, func(tx port.Tx) error {
		return errors.Join(tx.Groups().Create(ctx, g),
			tx.Grants().AddRolePermission(ctx, r1.ID, p1.ID, now),
			tx.Grants().AddRolePermission(ctx, r2.ID, p2.ID, now),
			tx.Grants().AssignRole(ctx, a.ID, r1.ID, now),
			tx.Grants().GrantPermission(ctx, a.ID, d1.ID, now),
			tx.Grants().AddGroupRole(ctx, g.ID, r2.ID, now),
			tx.Grants().AddMember(ctx, g.ID, b.ID, now),
			// gone holds everything, then is deleted: a deleted user reaches nobody's power.
			tx.Grants().AssignRole(ctx, gone.ID, r1.ID, now),
			tx.Grants().AddMember(ctx, g.ID, gone.ID, now),
			tx.Grants().GrantPermission(ctx, gone.ID, d2.ID, now))
	})
	ok(t, e, func(tx port.Tx) error {
		if err := gone.Transition(iam.ActionDelete, time.Now()); err != nil {
			return err
		}
		return tx.Users().Update(ctx, gone)
	})

	want := func(what string, p iam.Power, tier rbac.Tier, super bool, names ...string) {
		t.Helper()
		got := slices.Sorted(maps.Keys(p.Permissions))
		slices.Sort(names)
		if p.Tier != tier || p.Super != super || !slices.Equal(got, names) {
			t.Fatalf("%s: %+v, want tier %d super %v %v", what, p, tier, super, names)
		}
	}
	want("user with role and direct grant", get(acc.UserPower(ctx, a.ID))(t), 3, false, p1.Name, d1.Name)
	want("user through a group", get(acc.UserPower(ctx, b.ID))(t), 4, false, p2.Name)
	want("unknown user", get(acc.UserPower(ctx, uuid.New()))(t), rbac.TierNone, false)
	want("deleted user", get(acc.UserPower(ctx, gone.ID))(t), rbac.TierNone, false)
	want("roles", get(acc.RolesPower(ctx, r1.ID, r2.ID))(t), 3, false, p1.Name, p2.Name)
	want("no roles", get(acc.RolesPower(ctx))(t), rbac.TierNone, false)
	super := get(acc.RolesPower(ctx, e.SuperAdminRole))(t)
	if !super.Super || super.Tier != rbac.TierSuperAdministrator || !super.Permissions.Has("system:admin") {
		t.Fatalf("super_administrator carries %+v", super)
	}
	want("group", get(acc.GroupPower(ctx, g.ID))(t), 4, false, p2.Name)
	want("members", get(acc.MembersPower(ctx, g.ID))(t), 4, false, p2.Name)
	want("holders of r1", get(acc.HoldersPower(ctx, r1.ID))(t), 3, false, p1.Name, d1.Name)
	want("holders of r2", get(acc.HoldersPower(ctx, r2.ID))(t), 4, false, p2.Name)

	// a joins the group: members and the group role's holders now include a.
	ok(t, e, func(tx port.Tx) error { return tx.Grants().AddMember(ctx, g.ID, a.ID, now) })
	want("members with a", get(acc.MembersPower(ctx, g.ID))(t), 3, false, p1.Name, p2.Name, d1.Name)
	want("holders of r2 with a", get(acc.HoldersPower(ctx, r2.ID))(t), 3, false, p1.Name, p2.Name, d1.Name)

	// A super administrator among the holders makes the whole set super.
	ok(t, e, func(tx port.Tx) error { return tx.Grants().AssignRole(ctx, b.ID, e.SuperAdminRole, now) })
	if p := get(acc.MembersPower(ctx, g.ID))(t); !p.Super || p.Tier != rbac.TierSuperAdministrator {
		t.Fatalf("members with a super administrator %+v", p)
	}

	// A deleted group gives nothing any more.
	ok(t, e, func(tx port.Tx) error {
		_, _, err := tx.Groups().Delete(ctx, g.ID, time.Now())
		return err
	})
	want("deleted group", get(acc.GroupPower(ctx, g.ID))(t), rbac.TierNone, false)
	want("user after the group went", get(acc.UserPower(ctx, a.ID))(t), 3, false, p1.Name, d1.Name)
}
