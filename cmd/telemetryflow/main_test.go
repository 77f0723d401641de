package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/migrations"
)

// migrationFiles counts the embedded migrations of a dialect, so adding one does not break
// this test.
func migrationFiles(t *testing.T, dia string) int {
	t.Helper()
	dir := "sqlite"
	if dia == dialect.Postgres {
		dir = "postgres"
	}
	files, err := fs.Glob(migrations.FS, dir+"/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded migrations for %s: %v", dia, err)
	}
	return len(files)
}

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestMigrateAndKeysCommands(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"TF_DATABASE_URL": dbtest.URL(t, dia), "TF_DATA_DIR": t.TempDir(), "TF_LOG_LEVEL": "error"}
			code, out, errOut := runCLI(t, env, "migrate", "status")
			if code != 0 || !strings.Contains(out, "applied: 0") || strings.Contains(out, "pending: 0") {
				t.Fatalf("status before: %d %q %q", code, out, errOut)
			}
			want := fmt.Sprintf("applied %d migration", migrationFiles(t, dia))
			if code, out, errOut = runCLI(t, env, "migrate", "up"); code != 0 || !strings.Contains(out, want) {
				t.Fatalf("up: %d %q %q", code, out, errOut)
			}
			if code, out, _ = runCLI(t, env, "migrate", "up"); code != 0 || !strings.Contains(out, "applied 0 migration") {
				t.Fatalf("second up: %d %q", code, out)
			}
			if code, out, _ = runCLI(t, env, "migrate", "status"); code != 0 || !strings.Contains(out, "pending: 0") {
				t.Fatalf("status after: %d %q", code, out)
			}
			code, first, errOut := runCLI(t, env, "keys", "rotate")
			if code != 0 || !strings.HasPrefix(first, "new signing key: ") {
				t.Fatalf("rotate: %d %q %q", code, first, errOut)
			}
			if _, second, _ := runCLI(t, env, "keys", "rotate"); second == first {
				t.Fatal("rotation produced the same key twice")
			}
		})
	}
}

func TestInvalidConfigurationNamesEveryProblem(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCLI(t, map[string]string{"TF_HTTP_ADDR": "nope", "TF_LOG_LEVEL": "loud"}, "serve")
	if code != 2 || !strings.Contains(errOut, "TF_HTTP_ADDR") || !strings.Contains(errOut, "TF_LOG_LEVEL") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "fly"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, nil, "help"); code != 0 || !strings.Contains(out, "TF_DATABASE_URL") {
		t.Fatalf("help: %d", code)
	}
}
