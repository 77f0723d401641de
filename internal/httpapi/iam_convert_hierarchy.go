package httpapi

import (
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

func regionOut(r *iam.Region) oas.Region {
	return oas.Region{ID: r.ID, Name: r.Name, Code: r.Code, Description: r.Description, Active: r.Active,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func tenantOut(t *iam.Tenant) oas.Tenant {
	return oas.Tenant{ID: t.ID, Name: t.Name, Slug: t.Slug, RegionID: t.RegionID, Description: t.Description,
		Active: t.Active, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func organizationOut(o *iam.Organization) oas.Organization {
	out := oas.Organization{ID: o.ID, Name: o.Name, Slug: o.Slug, TenantID: o.TenantID, Description: o.Description,
		Active: o.Active, RequireMfa: o.RequireMFA, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if o.Domain != nil {
		out.Domain = oas.NewOptString(*o.Domain)
	}
	return out
}

func workspaceOut(w *iam.Workspace) oas.Workspace {
	return oas.Workspace{ID: w.ID, Name: w.Name, Slug: w.Slug, OrganizationID: w.OrganizationID,
		Description: w.Description, Active: w.Active, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

// organizationFields maps an update; domain is nullable (null clears it).
func organizationFields(u *oas.OrganizationUpdate) iam.OrganizationFields {
	f := iam.OrganizationFields{Name: optString(u.Name), Slug: optSlug(u.Slug), Description: optString(u.Description),
		Active: optBool(u.Active), RequireMFA: optBool(u.RequireMfa)}
	if u.Domain.Set {
		f.SetDomain = true
		if !u.Domain.Null {
			d := u.Domain.Value
			f.Domain = &d
		}
	}
	return f
}
