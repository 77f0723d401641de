package event

import "github.com/google/uuid"

// RegionCreated: a region was created.
type RegionCreated struct {
	RegionID uuid.UUID `json:"region_id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
}

func (e RegionCreated) Meta() Meta {
	return Meta{"RegionCreated", 1, AggregateRegion, e.RegionID.String()}
}

// RegionUpdated: a region's fields changed.
type RegionUpdated struct {
	RegionID uuid.UUID `json:"region_id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Active   bool      `json:"active"`
}

func (e RegionUpdated) Meta() Meta {
	return Meta{"RegionUpdated", 1, AggregateRegion, e.RegionID.String()}
}

// RegionDeleted: a region was soft-deleted.
type RegionDeleted struct {
	RegionID uuid.UUID `json:"region_id"`
}

func (e RegionDeleted) Meta() Meta {
	return Meta{"RegionDeleted", 1, AggregateRegion, e.RegionID.String()}
}

// TenantCreated: a tenant was created in a region.
type TenantCreated struct {
	TenantID uuid.UUID `json:"tenant_id"`
	RegionID uuid.UUID `json:"region_id"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
}

func (e TenantCreated) Meta() Meta {
	return Meta{"TenantCreated", 1, AggregateTenant, e.TenantID.String()}
}

// TenantUpdated: a tenant's fields changed.
type TenantUpdated struct {
	TenantID uuid.UUID `json:"tenant_id"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
	Active   bool      `json:"active"`
}

func (e TenantUpdated) Meta() Meta {
	return Meta{"TenantUpdated", 1, AggregateTenant, e.TenantID.String()}
}

// TenantDeleted: a tenant was soft-deleted.
type TenantDeleted struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (e TenantDeleted) Meta() Meta {
	return Meta{"TenantDeleted", 1, AggregateTenant, e.TenantID.String()}
}

// OrganizationCreated: an organization was created in a tenant.
type OrganizationCreated struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	TenantID       uuid.UUID `json:"tenant_id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
}

func (e OrganizationCreated) Meta() Meta {
	return Meta{"OrganizationCreated", 1, AggregateOrganization, e.OrganizationID.String()}
}

// OrganizationUpdated: an organization's fields changed.
type OrganizationUpdated struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	Active         bool      `json:"active"`
}

func (e OrganizationUpdated) Meta() Meta {
	return Meta{"OrganizationUpdated", 1, AggregateOrganization, e.OrganizationID.String()}
}

// OrganizationDeleted: an organization was soft-deleted.
type OrganizationDeleted struct {
	OrganizationID uuid.UUID `json:"organization_id"`
}

func (e OrganizationDeleted) Meta() Meta {
	return Meta{"OrganizationDeleted", 1, AggregateOrganization, e.OrganizationID.String()}
}

// WorkspaceCreated: a workspace was created in an organization.
type WorkspaceCreated struct {
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
}

func (e WorkspaceCreated) Meta() Meta {
	return Meta{"WorkspaceCreated", 1, AggregateWorkspace, e.WorkspaceID.String()}
}

// WorkspaceUpdated: a workspace's fields changed.
type WorkspaceUpdated struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Active      bool      `json:"active"`
}

func (e WorkspaceUpdated) Meta() Meta {
	return Meta{"WorkspaceUpdated", 1, AggregateWorkspace, e.WorkspaceID.String()}
}

// WorkspaceDeleted: a workspace was soft-deleted.
type WorkspaceDeleted struct {
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
}

func (e WorkspaceDeleted) Meta() Meta {
	return Meta{"WorkspaceDeleted", 1, AggregateWorkspace, e.WorkspaceID.String()}
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
