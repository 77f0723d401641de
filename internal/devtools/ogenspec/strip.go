package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// problemSchema is the one problem body every error response carries.
const problemSchema = "#/components/schemas/Problem"

// Strip removes from every operation the responses with an error status (4xx, 5xx) that
// reference a problem response, keeps those marked `x-protocol-error: true` (a body a
// protocol fixes, such as OAuth2's), and fails on an error response shaped any other way.
func Strip(spec []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("not a YAML document")
	}
	root := doc.Content[0]
	problems := problemResponses(root)
	for _, item := range pairs(get(root, "paths")) {
		for _, op := range pairs(item.value) {
			responses := get(op.value, "responses")
			if responses == nil {
				continue
			}
			kept := responses.Content[:0]
			for _, r := range pairs(responses) {
				status, err := strconv.Atoi(r.key.Value)
				if err != nil || status < 400 {
					kept = append(kept, r.key, r.value)
					continue
				}
				// An error whose body a protocol fixes (OAuth2's {error, error_description},
				// RFC 6749 §5.2) is part of the operation's typed result: kept, when marked.
				if scalar(r.value, "x-protocol-error") == "true" {
					kept = append(kept, r.key, r.value)
					continue
				}
				ref := scalar(r.value, "$ref")
				if !problems[ref] {
					return nil, fmt.Errorf("%s %s: response %d must reference a problem response (components/responses with only application/problem+json of %s), not %q",
						strings.ToUpper(op.key.Value), item.key.Value, status, problemSchema, ref)
				}
			}
			responses.Content = kept
		}
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// problemResponses returns the $ref of every component response whose only content is
// application/problem+json with the problem schema.
func problemResponses(root *yaml.Node) map[string]bool {
	out := map[string]bool{}
	for _, r := range pairs(get(get(root, "components"), "responses")) {
		content := pairs(get(r.value, "content"))
		if len(content) == 1 && content[0].key.Value == "application/problem+json" &&
			scalar(get(content[0].value, "schema"), "$ref") == problemSchema {
			out["#/components/responses/"+r.key.Value] = true
		}
	}
	return out
}

type pair struct{ key, value *yaml.Node }

// pairs lists a mapping's entries (none for anything else).
func pairs(n *yaml.Node) []pair {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, pair{n.Content[i], n.Content[i+1]})
	}
	return out
}

func get(n *yaml.Node, key string) *yaml.Node {
	for _, p := range pairs(n) {
		if p.key.Value == key {
			return p.value
		}
	}
	return nil
}

func scalar(n *yaml.Node, key string) string {
	if v := get(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}
