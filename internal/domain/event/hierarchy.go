package event

import "github.com/google/uuid"

// RegionCreated: a region was created.
type RegionCreated struct {
	RegionID uuid.UUID `json:"region_id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
}

func (e RegionCreated) Meta() Meta { return v1("RegionCreated", AggregateRegion, e.RegionID) }

// RegionUpdated: a region's fields changed.
type RegionUpdated struct {
	RegionID uuid.UUID `json:"region_id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Active   bool      `json:"active"`
}

func (e RegionUpdated) Meta() Meta { return v1("RegionUpdated", AggregateRegion, e.RegionID) }

// RegionDeleted: a region was soft-deleted.
type RegionDeleted struct {
	RegionID uuid.UUID `json:"region_id"`
}

func (e RegionDeleted) Meta() Meta { return v1("RegionDeleted", AggregateRegion, e.RegionID) }

// TenantCreated: a tenant was created in a region.
type TenantCreated struct {
	TenantID uuid.UUID `json:"tenant_id"`
	RegionID uuid.UUID `json:"region_id"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
}

func (e TenantCreated) Meta() Meta { return v1("TenantCreated", AggregateTenant, e.TenantID) }

// TenantUpdated: a tenant's fields changed.
type TenantUpdated struct {
	TenantID uuid.UUID `json:"tenant_id"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
	Active   bool      `json:"active"`
}

func (e TenantUpdated) Meta() Meta { return v1("TenantUpdated", AggregateTenant, e.TenantID) }

// TenantDeleted: a tenant was soft-deleted.
type TenantDeleted struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (e TenantDeleted) Meta() Meta { return v1("TenantDeleted", AggregateTenant, e.TenantID) }

// OrganizationCreated: an organization was created in a tenant.
type OrganizationCreated struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	TenantID       uuid.UUID `json:"tenant_id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
}

func (e OrganizationCreated) Meta() Meta {
	return v1("OrganizationCreated", AggregateOrganization, e.OrganizationID)
}

// OrganizationUpdated: an organization's fields changed.
type OrganizationUpdated struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	Active         bool      `json:"active"`
}

func (e OrganizationUpdated) Meta() Meta {
	return v1("OrganizationUpdated", AggregateOrganization, e.OrganizationID)
}

// OrganizationDeleted: an organization was soft-deleted.
type OrganizationDeleted struct {
	OrganizationID uuid.UUID `json:"organization_id"`
}

func (e OrganizationDeleted) Meta() Meta {
	return v1("OrganizationDeleted", AggregateOrganization, e.OrganizationID)
}

// WorkspaceCreated: a workspace was created in an organization.
type WorkspaceCreated struct {
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
}

func (e WorkspaceCreated) Meta() Meta {
	return v1("WorkspaceCreated", AggregateWorkspace, e.WorkspaceID)
}

// WorkspaceUpdated: a workspace's fields changed.
type WorkspaceUpdated struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Active      bool      `json:"active"`
}

func (e WorkspaceUpdated) Meta() Meta {
	return v1("WorkspaceUpdated", AggregateWorkspace, e.WorkspaceID)
}

// WorkspaceDeleted: a workspace was soft-deleted.
type WorkspaceDeleted struct {
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
}

func (e WorkspaceDeleted) Meta() Meta {
	return v1("WorkspaceDeleted", AggregateWorkspace, e.WorkspaceID)
}

func init() {
	register[RegionCreated]()
	register[RegionUpdated]()
	register[RegionDeleted]()
	register[TenantCreated]()
	register[TenantUpdated]()
	register[TenantDeleted]()
	register[OrganizationCreated]()
	register[OrganizationUpdated]()
	register[OrganizationDeleted]()
	register[WorkspaceCreated]()
	register[WorkspaceUpdated]()
	register[WorkspaceDeleted]()
}
