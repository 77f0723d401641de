package store_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/telemetryflow/core"

// TestOnlyTheStoreLayerImportsEnt keeps the generated ent packages behind the store layer:
// no package outside internal/store/... (and ent itself) may import them. Everything else
// reaches stored state through the ports of internal/app/port, so a schema change touches the
// store layer only. (Test files are not packages of the build and may look at rows through
// internal/store/storetest.)
func TestOnlyTheStoreLayerImportsEnt(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the packages: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	packages := 0
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		packages++
		pkg := fields[0]
		if within(pkg, module+"/ent") || within(pkg, module+"/internal/store") {
			continue
		}
		for _, imp := range fields[1:] {
			if within(imp, module+"/ent") {
				t.Errorf("%s imports %s: only the store layer (internal/store/...) may use the generated ent packages", pkg, imp)
			}
		}
	}
	if packages < 50 {
		t.Fatalf("go list named %d packages; the module has far more", packages)
	}
}

// within reports whether pkg is root or below it.
func within(pkg, root string) bool { return pkg == root || strings.HasPrefix(pkg, root+"/") }
