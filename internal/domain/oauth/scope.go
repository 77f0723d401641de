package oauth

import (
	"slices"
	"strings"
)

// maxScopeItems bounds the scope parameter: the catalog is far smaller.
const maxScopeItems = 200

// ParseScope splits a space-separated scope (RFC 6749 §3.3) into sorted, distinct permission
// names. An empty scope answers nil (not narrowed). Each name must look like resource:action.
func ParseScope(s string) ([]string, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, nil
	}
	if len(fields) > maxScopeItems || len(s) > 8000 {
		return nil, InvalidScope()
	}
	for _, f := range fields {
		res, act, ok := strings.Cut(f, ":")
		if !ok || res == "" || act == "" || len(f) > 200 {
			return nil, InvalidScope()
		}
	}
	slices.Sort(fields)
	return slices.Compact(fields), nil
}

// Narrow checks a requested scope against what the client holds: every name must be held
// (invalid_scope otherwise). It answers the scope to issue, nil for not narrowed.
func Narrow(requested []string, holds func(permission string) bool) ([]string, error) {
	for _, p := range requested {
		if !holds(p) {
			return nil, InvalidScope()
		}
	}
	return requested, nil
}

// JoinScope is the scope's wire form.
func JoinScope(names []string) string { return strings.Join(names, " ") }
