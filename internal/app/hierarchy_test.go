package app_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// TestHierarchyIntegrity: parents must be live, children block deletion (no cascade), and
// deletion frees unique keys.
func TestHierarchyIntegrity(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, q, ctx := f.App.Commands, f.App.Queries, f.Admin()
		mark := f.Events.Mark()

		r := get(c.CreateRegion.Handle(ctx, command.CreateRegion{Name: "EU", Code: unique("eu")}))(t)
		_, err := c.CreateRegion.Handle(ctx, command.CreateRegion{Name: "EU again", Code: r.Code})
		wantCode(t, err, errs.KindConflict, errs.CodeAlreadyExists, "code")
		_, err = c.CreateRegion.Handle(ctx, command.CreateRegion{Name: "", Code: "EU"})
		if e := wantCode(t, err, errs.KindInvalid, errs.CodeValidation); len(e.Fields) != 2 {
			t.Fatalf("fields %+v", e.Fields)
		}
		_, err = c.CreateTenant.Handle(ctx, command.CreateTenant{RegionID: uuid.New(), TenantFields: iam.TenantFields{Name: ptr("T"), Slug: ptr("t")}})
		wantCode(t, err, errs.KindUnprocessable, iam.CodeReferenceNotFound, "region_id")

		tn := get(c.CreateTenant.Handle(ctx, command.CreateTenant{RegionID: r.ID, TenantFields: iam.TenantFields{Name: ptr("T"), Slug: ptr(unique("t"))}}))(t)
		o := get(c.CreateOrganization.Handle(ctx, command.CreateOrganization{TenantID: tn.ID, OrganizationFields: iam.OrganizationFields{Name: ptr("O"), Slug: ptr(unique("o"))}}))(t)
		w := get(c.CreateWorkspace.Handle(ctx, command.CreateWorkspace{OrganizationID: o.ID, WorkspaceFields: iam.WorkspaceFields{Name: ptr("W"), Slug: ptr("prod")}}))(t)
		g := get(c.CreateGroup.Handle(ctx, command.CreateGroup{OrganizationID: o.ID, GroupFields: iam.GroupFields{Name: ptr("sre")}}))(t)
		role := get(c.CreateRole.Handle(ctx, command.CreateRole{OrganizationID: &o.ID, RoleFields: iam.RoleFields{Name: ptr("ops"), Tier: ptr(3)}}))(t)
		if role.Scope.OrganizationID == nil || *role.Scope.OrganizationID != o.ID || *role.Scope.TenantID != tn.ID {
			t.Fatalf("organization role scope %+v", role.Scope)
		}

		for _, tc := range []struct {
			name string
			err  error
		}{
			{"region with a tenant", errOf(c.DeleteRegion.Handle(ctx, command.DeleteRegion{ID: r.ID}))},
			{"tenant with an organization", errOf(c.DeleteTenant.Handle(ctx, command.DeleteTenant{ID: tn.ID}))},
			{"organization with a workspace, a group and a role", errOf(c.DeleteOrganization.Handle(ctx, command.DeleteOrganization{ID: o.ID}))},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindConflict, iam.CodeHasChildren) })
		}
		get(c.DeleteWorkspace.Handle(ctx, command.DeleteWorkspace{ID: w.ID}))(t)
		get(c.DeleteGroup.Handle(ctx, command.DeleteGroup{ID: g.ID}))(t)
		get(c.DeleteRole.Handle(ctx, command.DeleteRole{ID: role.ID}))(t)
		// A workspace needs a live organization.
		get(c.DeleteOrganization.Handle(ctx, command.DeleteOrganization{ID: o.ID}))(t)
		_, err = c.CreateWorkspace.Handle(ctx, command.CreateWorkspace{OrganizationID: o.ID, WorkspaceFields: iam.WorkspaceFields{Name: ptr("W"), Slug: ptr("w")}})
		wantCode(t, err, errs.KindUnprocessable, iam.CodeReferenceNotFound, "organization_id")
		get(c.DeleteTenant.Handle(ctx, command.DeleteTenant{ID: tn.ID}))(t)
		get(c.DeleteRegion.Handle(ctx, command.DeleteRegion{ID: r.ID}))(t)
		_, err = q.GetRegion.Handle(ctx, query.GetRegion{ID: r.ID})
		wantCode(t, err, errs.KindNotFound, "region_not_found")
		_, err = c.DeleteRegion.Handle(ctx, command.DeleteRegion{ID: r.ID})
		wantCode(t, err, errs.KindNotFound, "region_not_found")
		// The code is free again.
		get(c.CreateRegion.Handle(ctx, command.CreateRegion{Name: "EU", Code: r.Code}))(t)

		want := []string{"RegionCreated", "TenantCreated", "OrganizationCreated", "WorkspaceCreated", "GroupCreated", "RoleCreated",
			"WorkspaceDeleted", "GroupDeleted", "RoleDeleted", "OrganizationDeleted", "TenantDeleted", "RegionDeleted", "RegionCreated"}
		if got := f.Events.Names(mark); !equal(got, want) {
			t.Fatalf("events %v\nwant %v", got, want)
		}
	})
}

// TestUpdates changes every resource, checks validation of patches and the events.
func TestUpdates(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, q, ctx := f.App.Commands, f.App.Queries, f.Admin()
		o := f.org(t)
		_, err := c.UpdateOrganization.Handle(ctx, command.UpdateOrganization{ID: o.ID})
		wantCode(t, err, errs.KindInvalid, errs.CodeValidation, "body")
		_, err = c.UpdateOrganization.Handle(ctx, command.UpdateOrganization{ID: o.ID, OrganizationFields: iam.OrganizationFields{Slug: ptr("Not A Slug")}})
		wantCode(t, err, errs.KindInvalid, errs.CodeValidation, "slug")
		got := get(c.UpdateOrganization.Handle(ctx, command.UpdateOrganization{ID: o.ID, OrganizationFields: iam.OrganizationFields{
			Name: ptr("Renamed"), SetDomain: true, Domain: ptr("eng.example.com"), Active: ptr(false)}}))(t)
		if got.Name != "Renamed" || got.Domain == nil || got.Active || !got.UpdatedAt.After(o.UpdatedAt) && !got.UpdatedAt.Equal(o.UpdatedAt) {
			t.Fatalf("updated %+v", got)
		}
		read := get(q.GetOrganization.Handle(ctx, query.GetOrganization{ID: o.ID}))(t)
		if read.Name != "Renamed" || *read.Domain != "eng.example.com" {
			t.Fatalf("read back %+v", read)
		}
		ws := get(c.CreateWorkspace.Handle(ctx, command.CreateWorkspace{OrganizationID: o.ID, WorkspaceFields: iam.WorkspaceFields{Name: ptr("W"), Slug: ptr("a")}}))(t)
		get(c.CreateWorkspace.Handle(ctx, command.CreateWorkspace{OrganizationID: o.ID, WorkspaceFields: iam.WorkspaceFields{Name: ptr("W"), Slug: ptr("b")}}))(t)
		_, err = c.UpdateWorkspace.Handle(ctx, command.UpdateWorkspace{ID: ws.ID, WorkspaceFields: iam.WorkspaceFields{Slug: ptr("b")}})
		wantCode(t, err, errs.KindConflict, errs.CodeAlreadyExists, "slug")
		if w := get(c.UpdateWorkspace.Handle(ctx, command.UpdateWorkspace{ID: ws.ID, WorkspaceFields: iam.WorkspaceFields{Description: ptr("d")}}))(t); w.Description != "d" || w.Slug != "a" {
			t.Fatalf("workspace %+v", w)
		}
		g := get(c.CreateGroup.Handle(ctx, command.CreateGroup{OrganizationID: o.ID, GroupFields: iam.GroupFields{Name: ptr("one")}}))(t)
		if g2 := get(c.UpdateGroup.Handle(ctx, command.UpdateGroup{ID: g.ID, GroupFields: iam.GroupFields{Name: ptr("two")}}))(t); g2.Name != "two" {
			t.Fatalf("group %+v", g2)
		}
		p := get(c.CreatePermission.Handle(ctx, command.CreatePermission{Resource: "report", Action: "publish"}))(t)
		if p.Name != "report:publish" {
			t.Fatalf("permission %+v", p)
		}
		_, err = c.CreatePermission.Handle(ctx, command.CreatePermission{Resource: "report", Action: "publish"})
		wantCode(t, err, errs.KindConflict, errs.CodeAlreadyExists, "name")
		if p2 := get(c.UpdatePermission.Handle(ctx, command.UpdatePermission{ID: p.ID, Description: "Publish reports"}))(t); p2.Description != "Publish reports" {
			t.Fatalf("permission %+v", p2)
		}
		list := get(q.ListPermissions.Handle(ctx, query.ListPermissions{Filter: port.PermissionFilter{Resource: "report"}}))(t)
		if list.Total != 1 {
			t.Fatalf("list %+v", list)
		}
		region := get(q.GetTenant.Handle(ctx, query.GetTenant{ID: f.DefaultTenant}))(t)
		if u := get(c.UpdateTenant.Handle(ctx, command.UpdateTenant{ID: region.ID, TenantFields: iam.TenantFields{Description: ptr("x")}}))(t); u.Description != "x" {
			t.Fatalf("tenant %+v", u)
		}
		far := get(c.CreateRegion.Handle(ctx, command.CreateRegion{Name: "Far", Code: unique("far")}))(t)
		if u := get(c.UpdateRegion.Handle(ctx, command.UpdateRegion{ID: far.ID, RegionFields: iam.RegionFields{Active: ptr(false)}}))(t); u.Active {
			t.Fatalf("region %+v", u)
		}
		// The caller's own region holds their organization: deactivating it would lock them out.
		_, err = c.UpdateRegion.Handle(ctx, command.UpdateRegion{ID: f.DefaultRegion, RegionFields: iam.RegionFields{Active: ptr(false)}})
		wantCode(t, err, errs.KindConflict, iam.CodeOwnOrganizationDeactivation)
	})
}

func errOf[T any](_ T, err error) error { return err }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
