package authz_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

const pw = "a-test-password-123"

func TestEnforcementAndDecisionAPI(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		ctx := context.Background()
		db := srv.DB(t)
		admin := srv.LoginAdmin(t)
		viewerID := srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
		devID := srv.CreateUser(t, apitest.UserSpec{Email: "dev@example.com", Password: pw, Roles: []string{rbac.RoleDeveloper}})
		demoID := srv.CreateUser(t, apitest.UserSpec{Email: "demo@example.com", Password: pw, OrgSlug: seed.DemoSlug, Roles: []string{rbac.RoleDemo}})
		directID := srv.CreateUser(t, apitest.UserSpec{Email: "direct@example.com", Password: pw})
		metricsRead := db.Ent.Permission.Query().Where(permission.NameEQ("metrics:read")).OnlyX(ctx)
		db.Ent.UserPermission.Create().SetUserID(directID).SetPermissionID(metricsRead.ID).ExecX(ctx)
		viewer, _ := srv.Login(t, "viewer@example.com", pw)
		direct, _ := srv.Login(t, "direct@example.com", pw)

		t.Run("denied operation is 403 naming the permission and audited", func(t *testing.T) {
			_, err := viewer.CreateRegion(ctx, &oas.RegionCreate{Name: "x", Code: "xx"})
			var p *oas.ProblemStatusCodeWithHeaders
			if !errors.As(err, &p) || p.StatusCode != 403 || p.Response.Code != "permission_denied" ||
				p.Response.Detail.Value != "This operation requires the permission region:create." {
				t.Fatalf("got %v", err)
			}
			n := db.Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTHZ), auditlog.ResultEQ(auditlog.ResultDENIED),
				auditlog.ActionEQ("create_region"), auditlog.UserIDEQ(viewerID.String()), auditlog.ErrorMessageEQ("no_grant")).CountX(ctx)
			if n != 1 {
				t.Fatalf("AUTHZ DENIED rows: %d", n)
			}
		})
		t.Run("authenticated-only operations need no permission", func(t *testing.T) {
			if _, err := direct.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{{Permission: "metrics:read"}}}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("decision API answers in order with reasons", func(t *testing.T) {
			otherWS := uuid.New()
			res, err := admin.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
				{UserID: oas.NewOptUUID(devID), Permission: "dashboard:create"},
				{UserID: oas.NewOptUUID(devID), Permission: "dashboard:delete"},
				{UserID: oas.NewOptUUID(viewerID), Permission: "user:read"},
				{UserID: oas.NewOptUUID(directID), Permission: "metrics:read"},
				{UserID: oas.NewOptUUID(demoID), Permission: "dashboard:create"},
				{UserID: oas.NewOptUUID(uuid.New()), Permission: "user:read"},
				{Permission: "system:admin"},
				{UserID: oas.NewOptUUID(devID), Permission: "spaceship:launch"},
				{UserID: oas.NewOptUUID(devID), Permission: "dashboard:read", WorkspaceID: oas.NewOptUUID(otherWS)},
				{UserID: oas.NewOptUUID(devID), Permission: "dashboard:read", OrganizationID: oas.NewOptUUID(srv.OrganizationID(t, seed.DemoSlug))},
			}})
			if err != nil {
				t.Fatal(err)
			}
			want := []struct {
				allowed bool
				reason  string
				kind    oas.GrantSourceKind
			}{
				{true, "role:developer", oas.GrantSourceKindRole},
				{false, "no_grant", ""},
				{true, "role:viewer", oas.GrantSourceKindRole},
				{true, "direct", oas.GrantSourceKindDirect},
				{true, "role:demo", oas.GrantSourceKindRole},
				{false, "user_not_found", ""},
				{true, "super_administrator", ""},
				{false, "unknown_permission", ""},
				{false, "out_of_scope", ""},
				{false, "out_of_scope", ""},
			}
			if len(res.Results) != len(want) {
				t.Fatalf("%d results", len(res.Results))
			}
			for i, w := range want {
				got := res.Results[i]
				src, hasSrc := got.Source.Get()
				if got.Allowed != w.allowed || got.Reason != w.reason || (w.kind != "" && (!hasSrc || src.Kind != w.kind)) {
					t.Errorf("check %d: got %v %q %+v, want %v %q %s", i, got.Allowed, got.Reason, got.Source, w.allowed, w.reason, w.kind)
				}
			}
		})
		t.Run("checks about others need user:read over them", func(t *testing.T) {
			res, err := direct.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
				{UserID: oas.NewOptUUID(viewerID), Permission: "user:read"},
				{UserID: oas.NewOptUUID(directID), Permission: "metrics:read"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Results[0].Allowed || res.Results[0].Reason != "not_permitted" || !res.Results[1].Allowed {
				t.Fatalf("%+v", res.Results)
			}
			// Users of another organization are invisible, not merely forbidden.
			res, err = viewer.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
				{UserID: oas.NewOptUUID(demoID), Permission: "dashboard:create"},
			}})
			if err != nil || res.Results[0].Allowed || res.Results[0].Reason != "user_not_found" {
				t.Fatalf("%+v %v", res, err)
			}
		})
	})
}
