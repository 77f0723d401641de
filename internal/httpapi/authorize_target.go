package httpapi

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// organizationRoute is the route prefix whose {id} names an organization.
const organizationRoute = "/api/v2/organizations/{id}"

// namedOrganization is the organization a request names in its path (/organizations/{id}...),
// or "": the target of its AUTHZ row if it is denied. The gate decides before anything is decoded, so a body's
// organization_id is never read for a caller who may not call the operation; the organization
// of other resources (a user, a workspace) would need a read on the caller's behalf, which a
// denied caller must not cause. Those denials carry no target organization.
func namedOrganization(ctx context.Context) string {
	info := reqinfo.From(ctx)
	if !strings.HasPrefix(info.Route, organizationRoute) {
		return ""
	}
	rest := strings.TrimPrefix(info.Path, "/api/v2/organizations/")
	id, _, _ := strings.Cut(rest, "/")
	u, err := uuid.Parse(id)
	if err != nil || u == uuid.Nil {
		return ""
	}
	return u.String()
}
