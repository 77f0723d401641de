package iam

// Stable error codes of the IAM rules; they are part of the API contract.
const (
	CodeIllegalTransition         = "illegal_transition"
	CodeTierEscalation            = "tier_escalation"
	CodePermissionEscalation      = "permission_escalation"
	CodeLastSuperAdministrator    = "last_super_administrator"
	CodeSystemRoleImmutable       = "system_role_immutable"
	CodeSystemPermissionImmutable = "system_permission_immutable"
	CodeHasChildren               = "has_children"
	// CodeReferenceNotFound: an id in the request body names nothing the caller can see.
	CodeReferenceNotFound = "reference_not_found"
	// CodeOutOfScope: the caller can see the resource but may not change it (it lies above
	// their organization, e.g. their own tenant or a global role).
	CodeOutOfScope = "out_of_scope"
	// CodeRoleScopeMismatch: a role owned by one tenant or organization granted outside it.
	CodeRoleScopeMismatch = "role_scope_mismatch"
	// CodeGroupOrganizationMismatch: a user added to a group of another organization.
	CodeGroupOrganizationMismatch = "group_organization_mismatch"
	// CodeOwnOrganizationDeactivation: the caller tried to deactivate their own organization
	// (or the tenant or region that holds it).
	CodeOwnOrganizationDeactivation = "own_organization_deactivation"
)
