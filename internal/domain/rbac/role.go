package rbac

import "slices"

// Tier orders roles: a smaller number is more powerful.
type Tier int

const (
	TierSuperAdministrator Tier = 1
	TierAdministrator      Tier = 2
	TierDeveloper          Tier = 3
	TierViewer             Tier = 4
	TierDemo               Tier = 5
	// TierNone is the "best tier" of someone without roles: weaker than every role.
	TierNone Tier = 6
)

// Valid reports whether t names a role tier.
func (t Tier) Valid() bool { return t >= TierSuperAdministrator && t <= TierDemo }

// System role names, as in the earlier implementation.
const (
	RoleSuperAdministrator = "super_administrator"
	RoleAdministrator      = "administrator"
	RoleDeveloper          = "developer"
	RoleViewer             = "viewer"
	RoleDemo               = "demo"
)

// SystemRole is a seeded, immutable role.
type SystemRole struct {
	Name        string
	Tier        Tier
	Description string
	Permissions []string
}

// SystemRoles derives each system role's grants from the catalog.
//
// super_administrator: everything, everywhere.
// administrator: everything inside one organization, except platform/system permissions, the
// catalog of permissions, and the hierarchy above the organization (regions, tenants,
// organization create/delete).
// developer: read the organization and build in it (create/read/update of workspaces and the
// platform catalog), no deletes, no identity management, no audit.
// viewer: read-only.
// demo: developer rights, confined to the demo tenant/organization/workspace.
func SystemRoles() []SystemRole {
	all := Catalog()
	pick := func(keep func(PermissionDef) bool) []string {
		var out []string
		for _, p := range all {
			if keep(p) {
				out = append(out, p.Name())
			}
		}
		return out
	}
	adminExcluded := []string{
		"platform:manage", "system:admin", "system:config",
		"organization:create", "organization:delete",
		"region:create", "region:update", "region:delete",
		"tenant:create", "tenant:update", "tenant:delete",
		"permission:create", "permission:update", "permission:delete",
	}
	developer := pick(func(p PermissionDef) bool {
		if isPlatform(p.Resource) {
			return p.Action != "delete"
		}
		switch p.Resource {
		case "workspace":
			return p.Action != "delete"
		case "audit", "platform", "system":
			return false
		}
		return p.Action == "read"
	})
	return []SystemRole{
		{RoleSuperAdministrator, TierSuperAdministrator, "Full control of the whole platform", pick(func(PermissionDef) bool { return true })},
		{RoleAdministrator, TierAdministrator, "Full control inside one organization", pick(func(p PermissionDef) bool { return !slices.Contains(adminExcluded, p.Name()) })},
		{RoleDeveloper, TierDeveloper, "Builds inside one organization; no deletes", developer},
		{RoleViewer, TierViewer, "Read-only access inside one organization", pick(func(p PermissionDef) bool {
			return p.Action == "read" && p.Resource != "audit"
		})},
		{RoleDemo, TierDemo, "Developer rights inside the demo organization only", developer},
	}
}

func isPlatform(resource string) bool {
	_, ok := platformCatalog[resource]
	return ok
}

// CanGrantTier applies the tier rule: nobody grants a role more powerful than their own best.
func CanGrantTier(granterBest, role Tier) bool { return granterBest.Valid() && role >= granterBest }

// BestTier is the most powerful tier among the given ones (TierNone when empty).
func BestTier(tiers ...Tier) Tier {
	best := TierNone
	for _, t := range tiers {
		if t.Valid() && t < best {
			best = t
		}
	}
	return best
}
