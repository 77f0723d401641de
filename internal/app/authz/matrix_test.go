package authz_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// specAllows is SPEC.md §4 written as a table, independently of internal/domain/rbac, so the
// matrix below checks the implementation against the specification rather than against itself.
func specAllows(role, perm string) bool {
	res, act, _ := strings.Cut(perm, ":")
	platform := map[string]bool{"metrics": true, "logs": true, "traces": true, "dashboard": true, "alert": true,
		"alert-rule-group": true, "monitor": true, "agent": true, "uptime": true}
	switch role {
	case rbac.RoleSuperAdministrator:
		return true
	case rbac.RoleAdministrator:
		switch {
		case res == "platform" || res == "system":
			return false
		case res == "organization" && (act == "create" || act == "delete"):
			return false
		case (res == "region" || res == "tenant" || res == "permission") && act != "read":
			return false
		}
		return true
	case rbac.RoleDeveloper, rbac.RoleDemo:
		switch {
		case platform[res] || res == "workspace":
			return act != "delete"
		case res == "audit" || res == "platform" || res == "system":
			return false
		}
		return act == "read"
	case rbac.RoleViewer:
		return act == "read" && res != "audit"
	}
	return false
}

// bodies are minimal valid request bodies, so an allowed request gets past decoding and
// reaches its handler (the authorization check itself runs before decoding).
func bodies() map[string]any {
	id := uuid.NewString()
	pw := "a-long-enough-password"
	return map[string]any{
		"createRegion": map[string]any{"name": "R", "code": "r-" + id[:8]}, "updateRegion": map[string]any{"name": "R"},
		"createTenant": map[string]any{"name": "T", "slug": "t-" + id[:8], "region_id": id}, "updateTenant": map[string]any{"name": "T"},
		"createOrganization": map[string]any{"name": "O", "slug": "o-" + id[:8], "tenant_id": id}, "updateOrganization": map[string]any{"name": "O"},
		"createWorkspace": map[string]any{"name": "W", "slug": "w-" + id[:8], "organization_id": id}, "updateWorkspace": map[string]any{"name": "W"},
		"createUser": map[string]any{"email": id[:8] + "@example.com", "password": pw, "first_name": "A", "last_name": "B", "organization_id": id},
		"updateUser": map[string]any{"first_name": "A"}, "resetUserPassword": map[string]any{"new_password": pw},
		"assignUserRole": map[string]any{"role_id": id}, "grantUserPermission": map[string]any{"permission_id": id},
		"createRole": map[string]any{"name": "r" + id[:8], "tier": 5}, "updateRole": map[string]any{"description": "d"},
		"addRolePermission": map[string]any{"permission_id": id},
		"createPermission":  map[string]any{"resource": "r" + id[:4], "action": "a"}, "updatePermission": map[string]any{"description": "d"},
		"createGroup": map[string]any{"name": "g" + id[:8], "organization_id": id}, "updateGroup": map[string]any{"name": "g"},
		"addGroupMember": map[string]any{"user_id": id}, "addGroupRole": map[string]any{"role_id": id},
		"createServiceAccount": map[string]any{"name": "sa", "organization_id": id}, "updateServiceAccount": map[string]any{"name": "sa"},
		"createServiceAccountSecret": map[string]any{"description": "d"},
		"createServiceAccountKey":    map[string]any{"jwk": map[string]any{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}},
	}
}

// call sends op with every path parameter set to id.
func call(t *testing.T, baseURL, token string, op contract.Operation, id string) (int, string) {
	t.Helper()
	path := op.Path
	for strings.Contains(path, "{") {
		i, j := strings.Index(path, "{"), strings.Index(path, "}")
		path = path[:i] + id + path[j+1:]
	}
	var body any
	if op.HasBody {
		b, ok := bodies()[op.ID]
		if !ok {
			t.Fatalf("the matrix has no body for %s: add one", op.ID)
		}
		body = b
	}
	status, code, _ := send(t, baseURL, token, op, path, body)
	return status, code
}

// Every system role against every operation that declares a permission: allowed operations get
// past authorization (whatever the handler then answers), denied ones are 403 permission_denied.
func TestRoleOperationMatrix(t *testing.T) {
	t.Parallel()
	ops := operations(t)
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		tokens := map[string]string{}
		for _, role := range []string{rbac.RoleSuperAdministrator, rbac.RoleAdministrator, rbac.RoleDeveloper, rbac.RoleViewer, rbac.RoleDemo} {
			org := seed.DefaultSlug
			if role == rbac.RoleDemo {
				org = seed.DemoSlug
			}
			email := role + "@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: pw, OrgSlug: org, Roles: []string{role}})
			_, tok := srv.Login(t, email, pw)
			tokens[role] = tok.AccessToken
		}
		checked := 0
		for _, op := range ops {
			if op.Permission == "" {
				continue
			}
			for role, tok := range tokens {
				status, code := call(t, srv.URL, tok, op, uuid.NewString())
				denied := status == http.StatusForbidden && code == "permission_denied"
				if want := specAllows(role, op.Permission); want == denied {
					t.Errorf("%s %s (%s): status %d %s, spec says allowed=%v", role, op.ID, op.Permission, status, code, want)
				}
				if status == http.StatusUnauthorized || status >= 500 && status != http.StatusNotImplemented {
					t.Errorf("%s %s: unexpected %d %s", role, op.ID, status, code)
				}
				checked++
			}
		}
		if checked < 5*60 {
			t.Fatalf("only %d role × operation pairs checked", checked)
		}
		t.Logf("%d role × operation pairs", checked)
	})
}
