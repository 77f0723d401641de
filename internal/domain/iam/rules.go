package iam

import (
	"fmt"
	"sort"
	"strings"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// CheckTierGrant applies the tier rule (SPEC §4): nobody grants — or takes away, or acts on a
// user holding — a role more powerful (smaller tier number) than their own best tier.
func CheckTierGrant(granterBest, role rbac.Tier) error {
	if rbac.CanGrantTier(granterBest, role) {
		return nil
	}
	return errs.New(errs.KindForbidden, CodeTierEscalation,
		fmt.Sprintf("A role of tier %d outranks your best tier (%s).", role, tierName(granterBest)))
}

func tierName(t rbac.Tier) string {
	if !t.Valid() {
		return "none"
	}
	return fmt.Sprint(int(t))
}

// CheckPermissionHeld refuses to hand out a permission the granter does not hold themselves,
// directly or through a role: otherwise any user:update holder could grant system:admin.
func CheckPermissionHeld(held PermissionSet, permission string) error {
	if held.Has(permission) {
		return nil
	}
	return errs.New(errs.KindForbidden, CodePermissionEscalation,
		"You cannot grant "+permission+" because you do not hold it.")
}

// CheckSuperAdministratorsRemain is evaluated after a change, inside its transaction: the
// platform must keep at least one active super administrator, or nobody could ever manage
// it again.
func CheckSuperAdministratorsRemain(activeAfter int) error {
	if activeAfter > 0 {
		return nil
	}
	return errs.New(errs.KindConflict, CodeLastSuperAdministrator,
		"This would leave the platform without an active super administrator.")
}

// CheckNotDeactivatingOwn refuses to set active=false (a non-nil false) on the organization the
// caller belongs to, or on the tenant or region (level) that holds it: everyone under an
// inactive organization loses access, so the caller would lock themselves out, and an
// administrator would leave their organization with nobody able to reactivate it.
func CheckNotDeactivatingOwn(level string, own bool, active *bool) error {
	if !own || active == nil || *active {
		return nil
	}
	what := "your own organization"
	if level != "organization" {
		what = "the " + level + " that holds your organization"
	}
	return errs.New(errs.KindConflict, CodeOwnOrganizationDeactivation,
		"You cannot deactivate "+what+": it would end your own access.")
}

// Children counts the live rows that still reference a resource, by kind.
type Children map[string]int

// CheckNoChildren refuses to delete a parent that live children still reference. Deletion
// never cascades down the hierarchy: the caller deletes (or moves) children first.
func CheckNoChildren(resource string, c Children) error {
	var parts []string
	for kind, n := range c {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, kind))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	sort.Strings(parts)
	return errs.New(errs.KindConflict, CodeHasChildren,
		"The "+resource+" is still referenced by "+strings.Join(parts, ", ")+"; remove them first.")
}

// ReferenceNotFound is the answer for an id in a request body that names nothing the caller
// can see; out-of-scope ids get exactly the same answer as missing ones.
func ReferenceNotFound(field, resource string) error {
	return &errs.Error{Kind: errs.KindUnprocessable, Code: CodeReferenceNotFound,
		Message: "The " + resource + " does not exist.",
		Fields:  []errs.FieldError{{Field: field, Message: "does not exist"}}}
}

// OutOfScope refuses a change to something the caller can see but which lies above their
// organization (their tenant, their region, a global or tenant role).
func OutOfScope(what string) error {
	return errs.New(errs.KindForbidden, CodeOutOfScope, "Only a super administrator can change "+what+".")
}
