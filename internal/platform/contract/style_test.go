package contract_test

import (
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"

	core "github.com/telemetryflow/core"
)

// flowCollections lists every flow mapping ({a: b}) and non-empty flow sequence ([a, b]) in
// spec, by line. In a flow mapping an unquoted comma ends the value, so prose there is cut
// short and its tail becomes a stray key; block style has no such trap and merges line by line.
func flowCollections(t *testing.T, spec []byte) []string {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(spec, &root); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Style&yaml.FlowStyle != 0 && len(n.Content) > 0 {
			out = append(out, fmt.Sprintf("line %d: flow style; write it in block style", n.Line))
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	return out
}

func TestContractIsBlockStyle(t *testing.T) {
	t.Parallel()
	for _, p := range flowCollections(t, core.OpenAPI) {
		t.Error(p)
	}
	bad := "x:\n  id: {type: string, description: The role (kind role), group or permission.}\n  empty: []\n"
	if got := flowCollections(t, []byte(bad)); len(got) != 1 {
		t.Errorf("a flow mapping went unnoticed: %v", got)
	}
}
