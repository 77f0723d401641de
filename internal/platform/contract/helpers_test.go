package contract_test

import (
	"testing"

	core "github.com/telemetryflow/core"
)

// rule is a check of the contract text: the problems it finds, none when the contract keeps it.
type rule func(t *testing.T, spec []byte) []string

// holds reports every problem check finds in the contract.
func holds(t *testing.T, check rule) {
	t.Helper()
	for _, p := range check(t, core.OpenAPI) {
		t.Error(p)
	}
}

// catches checks that check finds a problem in each mutated contract (name → text). The
// contract itself must keep the rule (test is the test that says so), or the mutations would
// prove nothing.
func catches(t *testing.T, check rule, test string, mutated map[string]string) {
	t.Helper()
	if problems := check(t, core.OpenAPI); len(problems) > 0 {
		t.Fatalf("the contract itself breaks the rules (see %s), so mutations prove nothing", test)
	}
	for name, spec := range mutated {
		if problems := check(t, []byte(spec)); len(problems) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}
