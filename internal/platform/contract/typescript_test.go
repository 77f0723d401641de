package contract_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// toolsDir holds the pinned Node tools and the TypeScript program (tools/contract-ts).
const toolsDir = "../../../tools/contract-ts"

// nodeTimeout bounds each Node step, so a hung tool fails the test instead of the suite.
const nodeTimeout = 3 * time.Minute

// A client generated in another language works against the real server: openapi-typescript
// types the program, tsc checks it, and it logs in, lists users, reads one, gets a typed 403
// as a viewer, refreshes, logs out and gets typed 401s, through a proxy that checks every
// request and response against the contract.
func TestTypeScriptClient(t *testing.T) {
	t.Parallel()
	entry, out, err := buildTypeScriptClient(t, core.OpenAPI)
	if err != nil {
		t.Fatalf("the TypeScript client does not build against openapi.yaml: %v\n%s", err, out)
	}
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := apitest.Start(t, dia)
			const viewerEmail, viewerPassword = "viewer@example.com", "viewer-password-for-tests"
			createViewer(t, srv, viewerEmail, viewerPassword)
			proxy := newContractProxy(t, core.OpenAPI, srv.URL)

			cmd := nodeCommand(t, entry)
			cmd.Env = append(os.Environ(),
				"TF_API_URL="+proxy.URL,
				"TF_ADMIN_EMAIL="+apitest.AdminEmail, "TF_ADMIN_PASSWORD="+apitest.AdminPassword,
				"TF_VIEWER_EMAIL="+viewerEmail, "TF_VIEWER_PASSWORD="+viewerPassword)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("the TypeScript client failed: %v\n%s", err, out)
			}
			for _, p := range proxy.Problems() {
				t.Errorf("contract and server disagree: %s", p)
			}
			want := []string{
				"login 200", "listUsers 200", "getUser 200", "login 200", "createUser 403",
				"refreshToken 200", "getMe 200", "logout 204", "getMe 401", "refreshToken 401",
			}
			if got := proxy.Exchanges(); !slices.Equal(got, want) {
				t.Errorf("exchanges:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// The type check is a real check: against a contract whose User calls `email` `mail`, the
// program no longer compiles.
func TestTypeScriptClientBreaksOnContractDrift(t *testing.T) {
	t.Parallel()
	spec := string(core.OpenAPI)
	from, to := strings.Index(spec, "\n    User:\n"), strings.Index(spec, "\n    UserCreate:\n")
	if from < 0 || to < from {
		t.Fatal("no User schema followed by UserCreate; update the mutation")
	}
	user := strings.Replace(spec[from:to], "        - email\n", "        - mail\n", 1)
	user = strings.Replace(user, "        email:\n", "        mail:\n", 1)
	if strings.Contains(user, "email") {
		t.Fatal("the mutation did not rename email in User")
	}
	_, out, err := buildTypeScriptClient(t, []byte(spec[:from]+user+spec[to:]))
	if err == nil {
		t.Fatal("the program type-checks against a contract whose User has no email")
	}
	if !strings.Contains(string(out), "email") {
		t.Errorf("tsc failed for another reason:\n%s", out)
	}
}

// buildTypeScriptClient generates types from spec and compiles the program in a directory
// of its own (parallel-safe, nothing written to the tree). It returns the compiled entry
// point, or the failing tool's output.
func buildTypeScriptClient(t *testing.T, spec []byte) (entry string, out []byte, err error) {
	t.Helper()
	tools, err := filepath.Abs(toolsDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(tools, "node_modules", ".bin", "tsc")); err != nil {
		t.Fatalf("the pinned Node tools are not installed in %s: run `go tool task contract:deps` (npm ci): %v", tools, err)
	}
	dir := t.TempDir()
	for _, f := range []string{"package.json", "tsconfig.json", "src/client.ts"} {
		b, err := os.ReadFile(filepath.Join(tools, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(tools, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "openapi.yaml"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, step := range [][]string{
		{"node_modules/openapi-typescript/bin/cli.js", "openapi.yaml", "--output", "src/api.d.ts"},
		{"node_modules/typescript/bin/tsc", "--project", "tsconfig.json"},
	} {
		cmd := nodeCommand(t, step...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", out, err
		}
	}
	return filepath.Join(dir, "dist", "client.js"), nil, nil
}

// nodeCommand runs node with args; a machine without node fails the test (never skips it).
func nodeCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH: the contract's TypeScript client test needs Node.js 20.19+: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), nodeTimeout)
	t.Cleanup(cancel)
	return exec.CommandContext(ctx, node, args...)
}

// createViewer creates an active user holding the viewer role through the API, as an
// administrator would.
func createViewer(t *testing.T, srv *apitest.Server, email, password string) {
	t.Helper()
	ctx := t.Context()
	admin := srv.LoginAdmin(t)
	u, err := admin.CreateUser(ctx, &oas.UserCreate{Email: email, Password: password, FirstName: "Vera",
		LastName: "Viewer", OrganizationID: srv.OrganizationID(t, seed.DefaultSlug)})
	if err != nil {
		t.Fatal(err)
	}
	roles, err := admin.ListRoles(ctx, oas.ListRolesParams{Q: oas.NewOptString("viewer"), SystemRole: oas.NewOptBool(true)})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(roles.Items, func(r oas.Role) bool { return r.Name == "viewer" })
	if i < 0 {
		t.Fatal("no viewer system role")
	}
	if _, err := admin.AssignUserRole(ctx, &oas.RoleRef{RoleID: roles.Items[i].ID}, oas.AssignUserRoleParams{ID: u.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ActivateUser(ctx, oas.ActivateUserParams{ID: u.ID}); err != nil {
		t.Fatal(err)
	}
}
