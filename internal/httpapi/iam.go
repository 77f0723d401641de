package httpapi

// IAMAPI serves regions, tenants, organizations, workspaces, users, roles, permissions, groups
// and their assignments.
type IAMAPI struct{}
