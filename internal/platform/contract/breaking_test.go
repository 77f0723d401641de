package contract_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	core "github.com/telemetryflow/core"
)

// The breaking-change check (scripts/contract-diff.sh, task contract:diff) against the last
// released contract (docs/contract/releases): changes that break clients fail it unless
// info.version's major number moves; a missing release fails it rather than passing unchecked.
func TestBreakingChangesNeedAMajorVersion(t *testing.T) {
	t.Parallel()
	script, err := filepath.Abs("../../../scripts/contract-diff.sh")
	if err != nil {
		t.Fatal(err)
	}
	oasdiff := oasdiffBinary(t)
	base := string(core.OpenAPI)
	if !strings.Contains(base, "\n  version: 2.0.0\n") {
		t.Fatal("the contract's info.version is no longer 2.0.0; update the fixtures")
	}
	const userEmail = "      required:\n        - id\n        - email\n        - first_name\n"
	if !strings.Contains(base, userEmail) {
		t.Fatal("User.email is no longer required; update the breaking mutation")
	}
	version := func(spec, v string) string {
		return strings.Replace(spec, "\n  version: 2.0.0\n", "\n  version: "+v+"\n", 1)
	}
	// Responses may no longer carry the email: every client reading it breaks.
	breaking := strings.Replace(base, userEmail, "      required:\n        - id\n        - first_name\n", 1)
	compatible := strings.Replace(base, "      summary: Read a user\n", "      summary: Read one user\n", 1)

	cases := []struct {
		name     string
		released bool
		revision string
		pass     bool
		says     string
	}{
		{name: "no released contract", released: false, revision: base, pass: false, says: "no released contract"},
		{name: "compatible change, same version", released: true, revision: compatible, pass: true},
		{name: "breaking change, same version", released: true, revision: breaking, pass: false, says: "violated"},
		{name: "breaking change, minor bump", released: true, revision: version(breaking, "2.1.0"), pass: false, says: "violated"},
		{name: "breaking change, major bump", released: true, revision: version(breaking, "3.0.0"), pass: true, says: "satisfied"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			write := func(path, spec string) {
				t.Helper()
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.released {
				// An older release beside the newest proves the newest is the baseline.
				write(filepath.Join(dir, "docs/contract/releases/v1.9.0.yaml"), version(breaking, "1.9.0"))
				write(filepath.Join(dir, "docs/contract/releases/v2.0.0.yaml"), base)
			}
			write(filepath.Join(dir, "openapi.yaml"), c.revision)

			cmd := exec.Command(script)
			cmd.Env = append(os.Environ(), "CONTRACT_DIFF_DIR="+dir, "OASDIFF="+oasdiff)
			out, err := cmd.CombinedOutput()
			if passed := err == nil; passed != c.pass {
				t.Fatalf("passed=%v, want %v (%v)\n%s", passed, c.pass, err, out)
			}
			if !strings.Contains(string(out), c.says) {
				t.Errorf("output does not say %q:\n%s", c.says, out)
			}
		})
	}
}

// oasdiffBinary builds (or finds in the build cache) the oasdiff pinned in go.mod.
func oasdiffBinary(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "tool", "-n", "oasdiff")
	cmd.Dir = "../../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go tool -n oasdiff: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// The newest released contract shares openapi.yaml's major version: a major bump is
// released by adding its file, so the check never compares across an unrecorded release.
func TestTheLastReleaseIsInTheTree(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../../docs/contract/releases/v*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no released contract in docs/contract/releases (%v)", err)
	}
	release, err := os.ReadFile("../../../docs/contract/releases/v2.0.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(release), "\n  version: 2.0.0\n") {
		t.Error("docs/contract/releases/v2.0.0.yaml does not declare info.version 2.0.0")
	}
}
