package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// TestRepositoryContract runs one suite against the store on every dialect: what the
// application relies on must hold on SQLite and on PostgreSQL alike.
func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	iamtest.Each(t, func(t *testing.T, e *iamtest.Env) {
		for name, test := range map[string]func(*testing.T, *iamtest.Env){
			"hierarchy":            testHierarchy,
			"users":                testUsers,
			"users get = list":     testHandWrittenGetReadsEveryColumn,
			"roles":                testRoles,
			"permissions":          testPermissions,
			"groups and grants":    testGroupsAndGrants,
			"effective":            testEffectivePermissions,
			"standing":             testStanding,
			"power":                testPower,
			"sessions":             testSessions,
			"rollback":             testRollback,
			"outbox":               testOutbox,
			"pagination":           testPagination,
			"pagination of grants": testGrantPagination,
			// Authentication's ports (auth_contract_test.go, loginfailures_test.go).
			"credentials":        testCredentials,
			"failure counting":   testFailureCounting,
			"auth sessions":      testAuthSessions,
			"refresh tokens":     testRefreshTokens,
			"signing keys":       testSigningKeys,
			"mfa":                testMFA,
			"session list":       testSessionList,
			"client credentials": testClients,
		} {
			t.Run(name, func(t *testing.T) { test(t, e) })
		}
	})
}

var ctx = context.Background()

func ptr[T any](v T) *T { return &v }

// get unwraps a (value, error) result, failing the test on error: get(f())(t).
func get[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func tx(t *testing.T, e *iamtest.Env, fn func(tx port.Tx) error) error {
	t.Helper()
	return e.Store.Do(ctx, func(_ context.Context, tx port.Tx) error { return fn(tx) })
}

func ok(t *testing.T, e *iamtest.Env, fn func(tx port.Tx) error) {
	t.Helper()
	if err := tx(t, e, fn); err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err error, kind errs.Kind, code, field string) {
	t.Helper()
	var ee *errs.Error
	if !errors.As(err, &ee) || ee.Kind != kind || ee.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	if field != "" && (len(ee.Fields) != 1 || ee.Fields[0].Field != field) {
		t.Fatalf("fields %+v, want %s", ee.Fields, field)
	}
}

func unique(prefix string) string { return fmt.Sprintf("%s-%s", prefix, uuid.NewString()[:8]) }

// hierarchy creates a region, tenant, organization and workspace.
func hierarchy(t *testing.T, e *iamtest.Env) (*iam.Region, *iam.Tenant, *iam.Organization, *iam.Workspace) {
	t.Helper()
	now := time.Now()
	r := get(iam.NewRegion(iam.RegionFields{Name: ptr("R"), Code: ptr(unique("r"))}, now))(t)
	tn := get(iam.NewTenant(r.ID, iam.TenantFields{Name: ptr("T"), Slug: ptr(unique("t"))}, now))(t)
	o := get(iam.NewOrganization(tn.ID, iam.OrganizationFields{Name: ptr("O"), Slug: ptr(unique("o")), Domain: ptr("o.example.com")}, now))(t)
	w := get(iam.NewWorkspace(o.ID, iam.WorkspaceFields{Name: ptr("W"), Slug: ptr(unique("w"))}, now))(t)
	ok(t, e, func(tx port.Tx) error {
		return errors.Join(tx.Regions().Create(ctx, r), tx.Tenants().Create(ctx, tn),
			tx.Organizations().Create(ctx, o), tx.Workspaces().Create(ctx, w))
	})
	return r, tn, o, w
}

func newUser(t *testing.T, e *iamtest.Env, org uuid.UUID, status iam.UserStatus) *iam.User {
	t.Helper()
	u := get(iam.NewUser(org, iam.UserFields{Email: ptr(unique("u") + "@example.com"), LastName: ptr("L")},
		"long enough password", iam.PasswordPolicy{Min: 12, Max: 128}, time.Now()))(t)
	u.SetPassword("$fake$hash", time.Now())
	u.Status = status
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, u) })
	return u
}

func testHierarchy(t *testing.T, e *iamtest.Env) {
	r, tn, o, w := hierarchy(t, e)
	all := port.Everything

	got := get(e.Store.Organizations().Get(ctx, all, o.ID))(t)
	if got.Name != "O" || got.TenantID != tn.ID || got.Domain == nil || *got.Domain != "o.example.com" ||
		!got.CreatedAt.Equal(o.CreatedAt) || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("organization read back as %+v (wrote %+v)", got, o)
	}

	// Unique keys name their field, per scope.
	dup := get(iam.NewRegion(iam.RegionFields{Name: ptr("R2"), Code: &r.Code}, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Regions().Create(ctx, dup) }), errs.KindConflict, errs.CodeAlreadyExists, "code")
	dupT := get(iam.NewTenant(r.ID, iam.TenantFields{Name: ptr("T2"), Slug: &tn.Slug}, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Tenants().Create(ctx, dupT) }), errs.KindConflict, errs.CodeAlreadyExists, "slug")
	dupO := get(iam.NewOrganization(tn.ID, iam.OrganizationFields{Name: ptr("O2"), Slug: &o.Slug}, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Organizations().Create(ctx, dupO) }), errs.KindConflict, errs.CodeAlreadyExists, "slug")
	sameSlugElsewhere := get(iam.NewOrganization(e.DefaultTenant, iam.OrganizationFields{Name: ptr("O3"), Slug: &o.Slug}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Organizations().Create(ctx, sameSlugElsewhere) })
	dupW := get(iam.NewWorkspace(o.ID, iam.WorkspaceFields{Name: ptr("W2"), Slug: &w.Slug}, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Workspaces().Create(ctx, dupW) }), errs.KindConflict, errs.CodeAlreadyExists, "slug")

	// An update onto a taken key conflicts too.
	other := get(iam.NewWorkspace(o.ID, iam.WorkspaceFields{Name: ptr("W3"), Slug: ptr(unique("w"))}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Workspaces().Create(ctx, other) })
	other.Slug = w.Slug
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Workspaces().Update(ctx, other) }), errs.KindConflict, errs.CodeAlreadyExists, "slug")

	// Children are counted per kind; a deleted child no longer counts.
	if c := get(e.Store.Tx(t).Organizations().Children(ctx, o.ID))(t); c["workspaces"] != 2 || c["users"] != 0 {
		t.Fatalf("children %v", c)
	}
	if c := get(e.Store.Tx(t).Regions().Children(ctx, r.ID))(t); c["tenants"] != 1 {
		t.Fatalf("region children %v", c)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Workspaces().Delete(ctx, w.ID, time.Now()) })
	if _, err := e.Store.Workspaces().Get(ctx, all, w.ID); !errs.IsKind(err, errs.KindNotFound) {
		t.Fatalf("deleted workspace still visible: %v", err)
	}
	if c := get(e.Store.Tx(t).Organizations().Children(ctx, o.ID))(t); c["workspaces"] != 1 {
		t.Fatalf("children after delete %v", c)
	}
	// A deleted row frees its key, and is gone from lists.
	reuse := get(iam.NewWorkspace(o.ID, iam.WorkspaceFields{Name: ptr("W again"), Slug: &w.Slug}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Workspaces().Create(ctx, reuse) })
	page := get(e.Store.Workspaces().List(ctx, all, port.WorkspaceFilter{OrganizationID: &o.ID}, port.PageRequest{}))(t)
	if page.Total != 2 || len(page.Items) != 2 {
		t.Fatalf("list after delete: %+v", page)
	}
	for _, it := range page.Items {
		if it.ID == w.ID {
			t.Fatal("deleted workspace listed")
		}
	}
	// Deleting twice, or updating a deleted row, is not found.
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Workspaces().Delete(ctx, w.ID, time.Now()) }), errs.KindNotFound, "workspace_not_found", "")
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Workspaces().Update(ctx, w) }), errs.KindNotFound, "workspace_not_found", "")

	// Scope: outside the All scope only the caller's own organization, tenant and region.
	mine := port.Scope{OrganizationID: o.ID, TenantID: tn.ID, RegionID: r.ID}
	theirs := port.Scope{OrganizationID: e.DefaultOrg, TenantID: e.DefaultTenant, RegionID: e.DefaultRegion}
	get(e.Store.Organizations().Get(ctx, mine, o.ID))(t)
	get(e.Store.Tenants().Get(ctx, mine, tn.ID))(t)
	get(e.Store.Regions().Get(ctx, mine, r.ID))(t)
	get(e.Store.Workspaces().Get(ctx, mine, reuse.ID))(t)
	for name, err := range map[string]error{
		"organization": errOf(e.Store.Organizations().Get(ctx, theirs, o.ID)),
		"tenant":       errOf(e.Store.Tenants().Get(ctx, theirs, tn.ID)),
		"region":       errOf(e.Store.Regions().Get(ctx, theirs, r.ID)),
		"workspace":    errOf(e.Store.Workspaces().Get(ctx, theirs, reuse.ID)),
	} {
		wantErr(t, err, errs.KindNotFound, name+"_not_found", "")
	}
	if p := get(e.Store.Workspaces().List(ctx, theirs, port.WorkspaceFilter{OrganizationID: &o.ID}, port.PageRequest{}))(t); p.Total != 0 {
		t.Fatalf("out-of-scope workspaces listed: %+v", p)
	}
	if p := get(e.Store.Tenants().List(ctx, mine, port.TenantFilter{}, port.PageRequest{}))(t); p.Total != 1 || p.Items[0].ID != tn.ID {
		t.Fatalf("tenant list in scope: %+v", p)
	}

	// Filters.
	if p := get(e.Store.Tenants().List(ctx, all, port.TenantFilter{RegionID: &r.ID, Q: tn.Slug[:6]}, port.PageRequest{}))(t); p.Total != 1 {
		t.Fatalf("tenant filter: %+v", p)
	}
	o.Domain = nil
	o.Active = false
	ok(t, e, func(tx port.Tx) error { return tx.Organizations().Update(ctx, o) })
	got = get(e.Store.Organizations().Get(ctx, all, o.ID))(t)
	if got.Domain != nil || got.Active {
		t.Fatalf("domain not cleared / active not stored: %+v", got)
	}
	if p := get(e.Store.Organizations().List(ctx, all, port.OrganizationFilter{TenantID: &tn.ID, Active: ptr(false)}, port.PageRequest{}))(t); p.Total != 1 {
		t.Fatalf("active filter: %+v", p)
	}
}

func errOf[T any](_ T, err error) error { return err }

func testUsers(t *testing.T, e *iamtest.Env) {
	_, _, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusCreated)
	got := get(e.Store.Users().Get(ctx, port.Everything, u.ID))(t)
	if got.Email != u.Email || got.PasswordHash != "$fake$hash" || got.Status != iam.StatusCreated || got.PasswordChangedAt == nil {
		t.Fatalf("user read back as %+v", got)
	}
	// Unique email, case-insensitively (it is stored normalised).
	dup := get(iam.NewUser(o.ID, iam.UserFields{Email: ptr(" " + u.Email)}, "long enough password", iam.PasswordPolicy{Min: 12, Max: 128}, time.Now()))(t)
	dup.PasswordHash = "x"
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, dup) }), errs.KindConflict, errs.CodeAlreadyExists, "email")

	// Every mutable column round-trips.
	lock := time.Now().Add(time.Hour)
	got.LockedUntil, got.FailedLoginCount, got.FirstName = &lock, 3, "Grace"
	ok(t, e, func(tx port.Tx) error { return tx.Users().Update(ctx, got) })
	again := get(e.Store.Users().Get(ctx, port.Everything, u.ID))(t)
	if again.LockedUntil == nil || !again.LockedUntil.Equal(iam.Stamp(lock)) || again.FailedLoginCount != 3 || again.FirstName != "Grace" {
		t.Fatalf("update round trip %+v", again)
	}

	// Filters: status, exact email (any case), substring. (The substring has letters no
	// random hex email can hold.)
	active := newUser(t, e, o.ID, iam.StatusActive)
	st := iam.StatusActive
	if p := get(e.Store.Users().List(ctx, port.Everything, port.UserFilter{OrganizationID: &o.ID, Status: &st}, port.PageRequest{}))(t); p.Total != 1 || p.Items[0].ID != active.ID {
		t.Fatalf("status filter %+v", p)
	}
	if p := get(e.Store.Users().List(ctx, port.Everything, port.UserFilter{Email: " " + upper(active.Email)}, port.PageRequest{}))(t); p.Total != 1 {
		t.Fatalf("email filter %+v", p)
	}
	if p := get(e.Store.Users().List(ctx, port.Everything, port.UserFilter{OrganizationID: &o.ID, Q: "GRACE"}, port.PageRequest{}))(t); p.Total != 1 || p.Items[0].ID != u.ID {
		t.Fatalf("q filter %+v", p)
	}

	// Deletion hides the user and frees the email for someone new.
	if err := got.Transition(iam.ActionActivate, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := got.Transition(iam.ActionDelete, time.Now()); err != nil {
		t.Fatal(err)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Users().Update(ctx, got) })
	wantErr(t, errOf(e.Store.Users().Get(ctx, port.Everything, u.ID)), errs.KindNotFound, "user_not_found", "")
	reuse := get(iam.NewUser(o.ID, iam.UserFields{Email: &u.Email}, "long enough password", iam.PasswordPolicy{Min: 12, Max: 128}, time.Now()))(t)
	reuse.PasswordHash = "x"
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, reuse) })
	if p := get(e.Store.Users().List(ctx, port.Everything, port.UserFilter{Email: u.Email}, port.PageRequest{}))(t); p.Total != 1 || p.Items[0].ID != reuse.ID {
		t.Fatalf("reused email lists %+v", p)
	}
	// Outside its organization a user does not exist.
	wantErr(t, errOf(e.Store.Users().Get(ctx, port.Scope{OrganizationID: e.DefaultOrg}, reuse.ID)), errs.KindNotFound, "user_not_found", "")
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func newRole(t *testing.T, e *iamtest.Env, scope iam.RoleScope, name string, tier int) *iam.Role {
	t.Helper()
	r := get(iam.NewRole(scope, iam.RoleFields{Name: &name, Tier: &tier}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Roles().Create(ctx, r) })
	return r
}

func testRoles(t *testing.T, e *iamtest.Env) {
	_, tn, o, _ := hierarchy(t, e)
	orgScope := iam.RoleScope{TenantID: &tn.ID, OrganizationID: &o.ID}
	name := unique("ops")
	mine := newRole(t, e, orgScope, name, 3)
	tenantRole := newRole(t, e, iam.RoleScope{TenantID: &tn.ID}, name, 4)
	global := newRole(t, e, iam.RoleScope{}, name, 4)
	// Same name in another organization is fine; in the same scope it conflicts.
	newRole(t, e, iam.RoleScope{TenantID: &e.DefaultTenant, OrganizationID: &e.DefaultOrg}, name, 3)
	dup := get(iam.NewRole(orgScope, iam.RoleFields{Name: &name, Tier: ptr(5)}, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Roles().Create(ctx, dup) }), errs.KindConflict, errs.CodeAlreadyExists, "name")

	got := get(e.Store.Roles().Get(ctx, port.Everything, mine.ID))(t)
	if got.Scope.Key() != iam.OrganizationScopeKey(o.ID) || got.Tier != rbac.TierDeveloper || got.System {
		t.Fatalf("role read back %+v", got)
	}
	// A caller of the organization sees global, tenant and own roles, not other organizations'.
	scope := port.Scope{OrganizationID: o.ID, TenantID: tn.ID}
	p := get(e.Store.Roles().List(ctx, scope, port.RoleFilter{Q: name}, port.PageRequest{}))(t)
	seen := map[uuid.UUID]bool{}
	for _, r := range p.Items {
		seen[r.ID] = true
	}
	if p.Total != 3 || !seen[mine.ID] || !seen[tenantRole.ID] || !seen[global.ID] {
		t.Fatalf("visible roles %+v", p)
	}
	if p := get(e.Store.Roles().List(ctx, scope, port.RoleFilter{System: ptr(true)}, port.PageRequest{}))(t); p.Total != 5 {
		t.Fatalf("system roles visible: %d", p.Total)
	}
	if p := get(e.Store.Roles().List(ctx, port.Everything, port.RoleFilter{OrganizationID: &o.ID, Tier: ptr(3)}, port.PageRequest{}))(t); p.Total != 1 || p.Items[0].ID != mine.ID {
		t.Fatalf("organization/tier filter %+v", p)
	}
	// System roles cannot be changed even if a caller bypassed the domain.
	sys := get(e.Store.Roles().Get(ctx, port.Everything, e.SystemRoles[rbac.RoleViewer]))(t)
	sys.Description = "changed"
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Roles().Update(ctx, sys) }), errs.KindNotFound, "role_not_found", "")

	// Holders count live users and groups.
	u := newUser(t, e, o.ID, iam.StatusActive)
	ok(t, e, func(tx port.Tx) error {
		return tx.Grants().AssignRole(ctx, u.ID, mine.ID, port.Assignment{At: time.Now()})
	})
	if h := get(e.Store.Tx(t).Roles().Holders(ctx, mine.ID))(t); h["users"] != 1 || h["groups"] != 0 {
		t.Fatalf("holders %v", h)
	}
	p2 := get(e.Store.Roles().Users(ctx, port.Everything, mine.ID, port.PageRequest{}))(t)
	if p2.Total != 1 || p2.Items[0].ID != u.ID {
		t.Fatalf("role users %+v", p2)
	}
	if p := get(e.Store.Roles().Users(ctx, port.Scope{OrganizationID: e.DefaultOrg}, mine.ID, port.PageRequest{}))(t); p.Total != 0 {
		t.Fatalf("role users out of scope %+v", p)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Roles().Delete(ctx, global.ID, time.Now()) })
	wantErr(t, errOf(e.Store.Roles().Get(ctx, port.Everything, global.ID)), errs.KindNotFound, "role_not_found", "")
}

func newPermission(t *testing.T, e *iamtest.Env) *iam.Permission {
	t.Helper()
	p := get(iam.NewPermission(unique("res"), "publish", ptr("Publish"), time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Permissions().Create(ctx, p) })
	return p
}

func testPermissions(t *testing.T, e *iamtest.Env) {
	p := newPermission(t, e)
	dup := get(iam.NewPermission(p.Resource, p.Action, nil, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Permissions().Create(ctx, dup) }), errs.KindConflict, errs.CodeAlreadyExists, "name")
	if l := get(e.Store.Permissions().List(ctx, port.PermissionFilter{Resource: p.Resource}, port.PageRequest{}))(t); l.Total != 1 || l.Items[0].Name != p.Name {
		t.Fatalf("resource filter %+v", l)
	}
	if l := get(e.Store.Permissions().List(ctx, port.PermissionFilter{System: ptr(true)}, port.PageRequest{Limit: 100}))(t); l.Total != len(rbac.Catalog()) {
		t.Fatalf("system permissions %d, catalog %d", l.Total, len(rbac.Catalog()))
	}
	if l := get(e.Store.Permissions().List(ctx, port.PermissionFilter{Action: "acknowledge"}, port.PageRequest{}))(t); l.Total != 1 {
		t.Fatalf("action filter %+v", l)
	}
	_, _, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusActive)
	ok(t, e, func(tx port.Tx) error {
		return tx.Grants().GrantPermission(ctx, u.ID, p.ID, port.Assignment{At: time.Now()})
	})
	if h := get(e.Store.Tx(t).Permissions().Holders(ctx, p.ID))(t); h["users"] != 1 || h["roles"] != 0 {
		t.Fatalf("holders %v", h)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Grants().RevokePermission(ctx, u.ID, p.ID) })
	ok(t, e, func(tx port.Tx) error { return tx.Permissions().Delete(ctx, p.ID, time.Now()) })
	// A deleted permission's name is free again.
	ok(t, e, func(tx port.Tx) error { return tx.Permissions().Create(ctx, dup) })
}

func testGroupsAndGrants(t *testing.T, e *iamtest.Env) {
	_, tn, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusActive)
	g := get(iam.NewGroup(o.ID, iam.GroupFields{Name: ptr(unique("sre"))}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Groups().Create(ctx, g) })
	dup := get(iam.NewGroup(o.ID, iam.GroupFields{Name: &g.Name}, time.Now()))(t)
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Groups().Create(ctx, dup) }), errs.KindConflict, errs.CodeAlreadyExists, "name")
	r := newRole(t, e, iam.RoleScope{TenantID: &tn.ID, OrganizationID: &o.ID}, unique("g"), 3)
	by := e.AdminID
	at := time.Now()
	ok(t, e, func(tx port.Tx) error {
		return errors.Join(tx.Grants().AddMember(ctx, g.ID, u.ID, port.Assignment{At: at, By: &by}),
			tx.Grants().AddGroupRole(ctx, g.ID, r.ID, port.Assignment{At: at, By: &by}),
			tx.Grants().AssignRole(ctx, u.ID, r.ID, port.Assignment{At: at}))
	})
	// Every grant twice is a conflict naming the field; every revocation twice is not found.
	for name, c := range map[string]struct {
		add   func(tx port.Tx) error
		field string
	}{
		"member":     {func(tx port.Tx) error { return tx.Grants().AddMember(ctx, g.ID, u.ID, port.Assignment{At: at}) }, "user_id"},
		"group role": {func(tx port.Tx) error { return tx.Grants().AddGroupRole(ctx, g.ID, r.ID, port.Assignment{At: at}) }, "role_id"},
		"user role":  {func(tx port.Tx) error { return tx.Grants().AssignRole(ctx, u.ID, r.ID, port.Assignment{At: at}) }, "role_id"},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, tx(t, e, c.add), errs.KindConflict, errs.CodeAlreadyExists, c.field) })
	}
	ok(t, e, func(tx port.Tx) error { return tx.Grants().RevokeRole(ctx, u.ID, r.ID) })
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Grants().RevokeRole(ctx, u.ID, r.ID) }), errs.KindNotFound, "role_assignment_not_found", "")
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Grants().RevokePermission(ctx, u.ID, r.ID) }), errs.KindNotFound, "permission_grant_not_found", "")
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Grants().RemoveRolePermission(ctx, r.ID, r.ID) }), errs.KindNotFound, "role_permission_not_found", "")

	members := get(e.Store.Groups().Members(ctx, g.ID, port.PageRequest{}))(t)
	roles := get(e.Store.Groups().Roles(ctx, g.ID, port.PageRequest{}))(t)
	if members.Total != 1 || members.Items[0].ID != u.ID || roles.Total != 1 || roles.Items[0].Role.ID != r.ID ||
		roles.Items[0].AssignedBy == nil || *roles.Items[0].AssignedBy != by || !roles.Items[0].AssignedAt.Equal(iam.Stamp(at)) {
		t.Fatalf("members %+v roles %+v", members, roles)
	}
	// Deleting a group ends its memberships and role grants, and says whose.
	var gone, gRoles []uuid.UUID
	ok(t, e, func(tx port.Tx) error {
		var err error
		gone, gRoles, err = tx.Groups().Delete(ctx, g.ID, time.Now())
		return err
	})
	if len(gone) != 1 || gone[0] != u.ID || len(gRoles) != 1 || gRoles[0] != r.ID {
		t.Fatalf("delete reported %v %v", gone, gRoles)
	}
	if h := get(e.Store.Tx(t).Roles().Holders(ctx, r.ID))(t); h["groups"] != 0 {
		t.Fatalf("group role survived: %v", h)
	}
	// The group's name is free again.
	ok(t, e, func(tx port.Tx) error { return tx.Groups().Create(ctx, dup) })
}

func testEffectivePermissions(t *testing.T, e *iamtest.Env) {
	_, tn, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusActive)
	viewer := e.SystemRoles[rbac.RoleViewer]
	custom := newRole(t, e, iam.RoleScope{TenantID: &tn.ID, OrganizationID: &o.ID}, unique("c"), 3)
	direct := newPermission(t, e)
	inRole := newPermission(t, e)
	g := get(iam.NewGroup(o.ID, iam.GroupFields{Name: ptr(unique("g"))}, time.Now()))(t)
	now := port.Assignment{At: time.Now()}
	ok(t, e, func(tx port.Tx) error {
		return errors.Join(tx.Groups().Create(ctx, g),
			tx.Grants().AssignRole(ctx, u.ID, viewer, now),
			tx.Grants().AddRolePermission(ctx, custom.ID, inRole.ID, now),
			tx.Grants().AddMember(ctx, g.ID, u.ID, now),
			tx.Grants().AddGroupRole(ctx, g.ID, custom.ID, now),
			tx.Grants().GrantPermission(ctx, u.ID, direct.ID, now),
			// Reachable twice: directly and through the viewer role.
			tx.Grants().GrantPermission(ctx, u.ID, get(e.Store.Permissions().List(ctx, port.PermissionFilter{Q: "user:read"}, port.PageRequest{}))(t).Items[0].ID, now))
	})
	grants := get(e.Store.Access().EffectivePermissions(ctx, u.ID))(t)
	eff := map[string]iam.EffectivePermission{}
	for _, p := range iam.Effective(grants) {
		eff[p.Permission] = p
	}
	if s := eff[inRole.Name].Sources; len(s) != 1 || s[0].Kind != iam.GrantGroup || s[0].SourceID != g.ID ||
		s[0].SourceName != g.Name || s[0].RoleID != custom.ID || s[0].RoleName != custom.Name {
		t.Fatalf("group source %+v", s)
	}
	if s := eff[direct.Name].Sources; len(s) != 1 || s[0].Kind != iam.GrantDirect || s[0].SourceID != direct.ID {
		t.Fatalf("direct source %+v", s)
	}
	if s := eff["user:read"].Sources; len(s) != 2 || s[0].Kind != iam.GrantDirect || s[1].Kind != iam.GrantRole || s[1].SourceName != rbac.RoleViewer {
		t.Fatalf("user:read sources %+v", s)
	}
	if _, ok := eff["user:create"]; ok {
		t.Fatal("viewer grants no user:create")
	}
	// Soft-deleted groups and permissions give nothing; removing the last role leaves direct
	// grants in place.
	ok(t, e, func(tx port.Tx) error {
		_, _, err := tx.Groups().Delete(ctx, g.ID, time.Now())
		return errors.Join(err, tx.Grants().RevokeRole(ctx, u.ID, viewer))
	})
	left := iam.SetOf(get(e.Store.Access().EffectivePermissions(ctx, u.ID))(t))
	if len(left) != 2 || !left.Has(direct.Name) || !left.Has("user:read") {
		t.Fatalf("after removals: %v", left)
	}
	ok(t, e, func(tx port.Tx) error {
		return errors.Join(tx.Grants().RevokePermission(ctx, u.ID, direct.ID), tx.Permissions().Delete(ctx, direct.ID, time.Now()))
	})
	if left := iam.SetOf(get(e.Store.Access().EffectivePermissions(ctx, u.ID))(t)); len(left) != 1 {
		t.Fatalf("after deleting: %v", left)
	}
	if none := get(e.Store.Access().EffectivePermissions(ctx, uuid.New()))(t); len(none) != 0 {
		t.Fatalf("unknown user has %v", none)
	}
}

func testStanding(t *testing.T, e *iamtest.Env) {
	st := get(e.Store.Access().Standing(ctx, e.AdminID))(t)
	if !st.SuperAdministrator || st.BestTier != rbac.TierSuperAdministrator || st.OrganizationID != e.DefaultOrg ||
		st.TenantID != e.DefaultTenant || st.RegionID != e.DefaultRegion || st.Status != iam.StatusActive || !st.HierarchyActive {
		t.Fatalf("admin standing %+v", st)
	}
	r, tn, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusActive)
	st = get(e.Store.Access().Standing(ctx, u.ID))(t)
	if st.SuperAdministrator || st.BestTier != rbac.TierNone || st.RegionID != r.ID || st.TenantID != tn.ID || !st.HierarchyActive {
		t.Fatalf("roleless standing %+v", st)
	}
	// Anything inactive above the user makes the hierarchy inactive; reactivating restores it.
	for name, flip := range map[string]func(bool){
		"region":       func(a bool) { e.DB.Ent.Region.UpdateOneID(r.ID).SetActive(a).ExecX(ctx) },
		"tenant":       func(a bool) { e.DB.Ent.Tenant.UpdateOneID(tn.ID).SetActive(a).ExecX(ctx) },
		"organization": func(a bool) { e.DB.Ent.Organization.UpdateOneID(o.ID).SetActive(a).ExecX(ctx) },
	} {
		flip(false)
		if st := get(e.Store.Access().Standing(ctx, u.ID))(t); st.HierarchyActive {
			t.Fatalf("inactive %s: standing %+v", name, st)
		}
		flip(true)
		if st := get(e.Store.Access().Standing(ctx, u.ID))(t); !st.HierarchyActive {
			t.Fatalf("reactivated %s: standing %+v", name, st)
		}
	}
	before := get(e.Store.Access().ActiveSuperAdministrators(ctx))(t)
	// A group that holds super_administrator makes its active members super administrators.
	g := get(iam.NewGroup(o.ID, iam.GroupFields{Name: ptr(unique("root"))}, time.Now()))(t)
	now := port.Assignment{At: time.Now()}
	ok(t, e, func(tx port.Tx) error {
		return errors.Join(tx.Groups().Create(ctx, g), tx.Grants().AddMember(ctx, g.ID, u.ID, now),
			tx.Grants().AddGroupRole(ctx, g.ID, e.SuperAdminRole, now),
			tx.Grants().AssignRole(ctx, u.ID, e.SystemRoles[rbac.RoleViewer], now))
	})
	st = get(e.Store.Access().Standing(ctx, u.ID))(t)
	if !st.SuperAdministrator || st.BestTier != rbac.TierSuperAdministrator {
		t.Fatalf("group super administrator %+v", st)
	}
	if n := get(e.Store.Access().ActiveSuperAdministrators(ctx))(t); n != before+1 {
		t.Fatalf("active super administrators %d, want %d", n, before+1)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Access().LockSuperAdministrators(ctx) })
	ok(t, e, func(tx port.Tx) error { return tx.Grants().RemoveGroupRole(ctx, g.ID, e.SuperAdminRole) })
	if n := get(e.Store.Access().ActiveSuperAdministrators(ctx))(t); n != before {
		t.Fatalf("after removal %d, want %d", n, before)
	}
	if st := get(e.Store.Access().Standing(ctx, u.ID))(t); st.BestTier != rbac.TierViewer {
		t.Fatalf("tier after removal %+v", st)
	}
	wantErr(t, errOf(e.Store.Access().Standing(ctx, uuid.New())), errs.KindNotFound, "user_not_found", "")
}

func testSessions(t *testing.T, e *iamtest.Env) {
	_, _, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusActive)
	for range 2 {
		get(e.DB.Ent.Session.Create().SetUserID(u.ID).SetExpiresAt(time.Now().Add(time.Hour)).Save(ctx))(t)
	}
	get(e.DB.Ent.Session.Create().SetUserID(u.ID).SetExpiresAt(time.Now().Add(time.Hour)).SetRevokedAt(time.Now()).Save(ctx))(t)
	var n int
	ok(t, e, func(tx port.Tx) error {
		var err error
		n, err = tx.Sessions().RevokeAll(ctx, u.ID, "user_inactive", time.Now())
		return err
	})
	if n != 2 {
		t.Fatalf("revoked %d, want 2", n)
	}
	live := get(e.DB.Ent.Session.Query().Where().All(ctx))(t)
	for _, s := range live {
		if s.UserID == u.ID && s.RevokedAt == nil {
			t.Fatal("a session survived")
		}
	}
}

func testRollback(t *testing.T, e *iamtest.Env) {
	mark := e.Events.Mark()
	r := get(iam.NewRegion(iam.RegionFields{Name: ptr("R"), Code: ptr(unique("rb"))}, time.Now()))(t)
	boom := errors.New("boom")
	err := tx(t, e, func(tx port.Tx) error {
		if err := tx.Regions().Create(ctx, r); err != nil {
			return err
		}
		tx.Emit(event.RegionCreated{RegionID: r.ID})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	wantErr(t, errOf(e.Store.Regions().Get(ctx, port.Everything, r.ID)), errs.KindNotFound, "region_not_found", "")
	if names := e.Events.Names(mark); len(names) != 0 {
		t.Fatalf("a rolled-back change published %v", names)
	}
}

func testOutbox(t *testing.T, e *iamtest.Env) {
	r := get(iam.NewRegion(iam.RegionFields{Name: ptr("R"), Code: ptr(unique("ob"))}, time.Now()))(t)
	mark := e.Events.Mark()
	ok(t, e, func(tx port.Tx) error {
		tx.Emit(event.RegionCreated{RegionID: r.ID, Code: r.Code}, event.RegionDeleted{RegionID: r.ID})
		return nil
	})
	if names := e.Events.Names(mark); len(names) != 2 || names[0] != "RegionCreated" || names[1] != "RegionDeleted" {
		t.Fatalf("published %v", names)
	}
	// Nothing marked them dispatched here (the recorder is no dispatcher): both are pending.
	pending := get(e.Store.Outbox().Pending(ctx, time.Now(), 5, 1000))(t)
	var mine []event.Envelope
	for _, p := range pending {
		if p.Event.Meta().AggregateID == r.ID.String() {
			mine = append(mine, p)
		}
	}
	if len(mine) != 2 || mine[0].Event.(event.RegionCreated).Code != r.Code {
		t.Fatalf("pending %+v", mine)
	}
	if err := e.Store.Outbox().MarkFailed(ctx, mine[0].ID, "subscriber down"); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.Outbox().MarkDispatched(ctx, mine[1].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, p := range get(e.Store.Outbox().Pending(ctx, time.Now(), 5, 1000))(t) {
		if p.ID == mine[1].ID {
			t.Fatal("a dispatched event is still pending")
		}
	}
	// After maxAttempts failures an event is parked.
	for _, p := range get(e.Store.Outbox().Pending(ctx, time.Now(), 1, 1000))(t) {
		if p.ID == mine[0].ID {
			t.Fatal("an event past its attempts is still offered")
		}
	}
	if d := get(e.Store.Outbox().Dispatched(ctx, mine[1].ID))(t); !d {
		t.Fatal("not marked dispatched")
	}
	// Purging removes dispatched events only.
	if n := get(e.Store.Outbox().Purge(ctx, time.Now().Add(time.Second)))(t); n < 1 {
		t.Fatalf("purged %d", n)
	}
	if d := get(e.Store.Outbox().Dispatched(ctx, mine[1].ID))(t); d {
		t.Fatal("a purged event is still there")
	}
	if p := get(e.Store.Outbox().Pending(ctx, time.Now(), 5, 1000))(t); !containsID(p, mine[0].ID) {
		t.Fatal("purge removed a pending event")
	}
}

func containsID(envs []event.Envelope, id uuid.UUID) bool {
	for _, e := range envs {
		if e.ID == id {
			return true
		}
	}
	return false
}
