// Package contract reads what each operation of openapi.yaml requires of its caller
// (x-permission, x-authenticated or x-public), so enforcement follows the contract itself
// rather than a hand-kept list.
package contract

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Requirement is what one operation needs.
type Requirement struct {
	// Permission is the `resource:action` the caller must hold (empty for the other two kinds).
	Permission string
	// Authenticated means any valid access token suffices.
	Authenticated bool
	// Public means no token at all.
	Public bool
}

// Operation is one contract operation.
type Operation struct {
	ID     string
	Method string
	Path   string
	// HasBody is true when the operation takes a request body.
	HasBody bool
	Requirement
}

type document struct {
	Security []map[string][]string           `yaml:"security"`
	Paths    map[string]map[string]yaml.Node `yaml:"paths"`
}

type operation struct {
	OperationID   string                 `yaml:"operationId"`
	Security      *[]map[string][]string `yaml:"security"`
	Permission    string                 `yaml:"x-permission"`
	Authenticated bool                   `yaml:"x-authenticated"`
	Public        bool                   `yaml:"x-public"`
	RequestBody   yaml.Node              `yaml:"requestBody"`
}

var methods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true}

// Parse returns every operation, sorted by id, and fails on any operation whose declaration is
// missing, ambiguous, names an unknown permission, or contradicts its security section.
func Parse(spec []byte) ([]Operation, error) {
	var doc document
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	known := map[string]bool{}
	for _, p := range rbac.Catalog() {
		known[p.Name()] = true
	}
	var ops []Operation
	var problems []string
	for path, item := range doc.Paths {
		for method, node := range item {
			if !methods[method] {
				continue
			}
			var op operation
			if err := node.Decode(&op); err != nil {
				return nil, fmt.Errorf("contract: %s %s: %w", method, path, err)
			}
			where := fmt.Sprintf("%s %s (%s)", method, path, op.OperationID)
			declared := 0
			for _, b := range []bool{op.Permission != "", op.Authenticated, op.Public} {
				if b {
					declared++
				}
			}
			switch {
			case declared != 1:
				problems = append(problems, where+": declare exactly one of x-permission, x-authenticated, x-public")
			case op.Permission != "" && !known[op.Permission]:
				problems = append(problems, where+": x-permission "+op.Permission+" is not in the permission catalog")
			case op.Public && (op.Security == nil || len(*op.Security) != 0):
				problems = append(problems, where+": x-public operations must set `security: []`")
			case !op.Public && op.Security != nil && len(*op.Security) == 0:
				problems = append(problems, where+": `security: []` requires x-public")
			}
			ops = append(ops, Operation{ID: op.OperationID, Method: method, Path: path, HasBody: op.RequestBody.Kind != 0,
				Requirement: Requirement{Permission: op.Permission, Authenticated: op.Authenticated, Public: op.Public}})
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("contract: %d operation(s) declare their access wrongly: %v", len(problems), problems)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	return ops, nil
}

// Requirements maps operation id to requirement.
func Requirements(spec []byte) (map[string]Requirement, error) {
	ops, err := Parse(spec)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Requirement, len(ops))
	for _, op := range ops {
		out[op.ID] = op.Requirement
	}
	return out, nil
}
