// Package rbac holds the pure rules of the 5-tier role model: permission names, the seeded
// catalog, the system roles and what each tier may grant.
package rbac

import (
	"errors"
	"regexp"
	"strings"
)

// Permission names are `resource:action`, both lower-case words with dashes.
var partPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,49}$`)

// ErrBadPermissionName is returned for names that are not resource:action.
var ErrBadPermissionName = errors.New("must be resource:action (lower-case letters, digits, dashes)")

// ParsePermission splits and validates a permission name.
func ParsePermission(name string) (resource, action string, err error) {
	resource, action, ok := strings.Cut(name, ":")
	if !ok || !partPattern.MatchString(resource) || !partPattern.MatchString(action) {
		return "", "", ErrBadPermissionName
	}
	return resource, action, nil
}

// PermissionName joins a resource and an action.
func PermissionName(resource, action string) string { return resource + ":" + action }

// PermissionDef is one entry of the seeded catalog.
type PermissionDef struct {
	Resource    string
	Action      string
	Description string
}

// Name is the permission's `resource:action`.
func (p PermissionDef) Name() string { return PermissionName(p.Resource, p.Action) }

// IAM resources managed by this service.
var iamResources = []string{"user", "role", "permission", "group", "region", "tenant", "organization", "workspace"}

var crud = []string{"create", "read", "update", "delete"}

// platformCatalog lists permissions other TelemetryFlow services ask /authz/check about.
var platformCatalog = map[string][]string{
	"metrics":          {"read", "write", "delete", "export"},
	"logs":             {"read", "write", "delete", "export"},
	"traces":           {"read", "write", "delete", "export"},
	"dashboard":        {"create", "read", "update", "delete", "share"},
	"alert":            {"create", "read", "update", "delete", "acknowledge"},
	"alert-rule-group": {"create", "read", "update", "delete"},
	"monitor":          {"create", "read", "update", "delete"},
	"agent":            {"create", "read", "update", "register"},
	"uptime":           {"create", "read", "update", "check"},
}

var platformOrder = []string{"metrics", "logs", "traces", "dashboard", "alert", "alert-rule-group", "monitor", "agent", "uptime"}

// Catalog returns every system permission in a stable order.
func Catalog() []PermissionDef {
	var out []PermissionDef
	for _, r := range iamResources {
		for _, a := range crud {
			out = append(out, PermissionDef{r, a, strings.ToUpper(a[:1]) + a[1:] + " " + r + "s"})
		}
	}
	out = append(out,
		PermissionDef{"audit", "read", "Read audit logs and statistics"},
		PermissionDef{"audit", "export", "Export audit logs"},
		// Resource servers introspect OAuth2 tokens (RFC 7662) of their organization.
		PermissionDef{"oauth2", "introspect", "Introspect OAuth2 access tokens"},
		PermissionDef{"platform", "manage", "Manage the platform"},
		PermissionDef{"system", "admin", "Administer the system"},
		PermissionDef{"system", "config", "Change system configuration"},
	)
	for _, r := range platformOrder {
		for _, a := range platformCatalog[r] {
			out = append(out, PermissionDef{r, a, strings.ToUpper(a[:1]) + a[1:] + " " + r})
		}
	}
	return out
}
