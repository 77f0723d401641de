package iam

import (
	"fmt"
	"sort"
	"strings"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Power is what the acting-on rule compares. It describes one user, one role, the roles of a
// group, or everyone a change reaches (a group's members, a role's holders).
type Power struct {
	// Super: super_administrator is among the roles. A super administrator can do
	// everything, including what no permission of the catalog names.
	Super bool
	// Tier is the best (smallest) tier among the roles; rbac.TierNone without roles.
	Tier rbac.Tier
	// Permissions are the names of the permissions held, from every source.
	Permissions PermissionSet
}

// Missing lists, sorted, what other holds and p does not. A super administrator misses
// nothing; anyone else facing a super administrator misses that role itself.
func (p Power) Missing(other Power) []string {
	if p.Super {
		return nil
	}
	var out []string
	if other.Super {
		out = append(out, rbac.RoleSuperAdministrator)
	}
	for name := range other.Permissions {
		if !p.Permissions.Has(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Covers reports whether p holds everything other holds (p ⊇ other).
func (p Power) Covers(other Power) bool { return len(p.Missing(other)) == 0 }

// CheckPowerCovers is the rule for changing other users and for handing out or taking away
// roles and permissions: the caller must hold every permission of the target (a user, a role,
// a group's roles, or everyone the change reaches), or be a super administrator. Without it, an
// organization administrator could take over a colleague whose power comes from direct
// permissions (reset their password and log in as them) or strip them.
//
// A target whose role tier outranks the caller's best is refused first, with tier_escalation
// (the tier rule of SPEC §4 still holds); but a tier never allows anything on its own — a
// tier-4 role carrying system:admin is refused by the permission check. what names the change
// for the message ("change this user", "grant role ops").
func CheckPowerCovers(caller, target Power, what string) error {
	if caller.Super {
		return nil
	}
	if target.Tier.Valid() {
		if err := CheckTierGrant(caller.Tier, target.Tier); err != nil {
			return err
		}
	}
	missing := caller.Missing(target)
	if len(missing) == 0 {
		return nil
	}
	return errs.New(errs.KindForbidden, CodePermissionEscalation,
		fmt.Sprintf("You cannot %s: you do not hold %s.", what, listed(missing)))
}

// listed names at most five items, so a message stays readable however large the gap.
func listed(names []string) string {
	const most = 5
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:most], ", "), len(names)-most)
}
