package httpapi

import (
	"reflect"

	"github.com/google/uuid"
	"github.com/ogen-go/ogen/middleware"

	"github.com/telemetryflow/core/oas"
)

// namedOrganization is the organization a request names before any handler runs, for the
// target_organization_id of an AUTHZ denial: an `organization_id` parameter or body field
// (creating a user, a group, a workspace; list filters), or the path id of an
// /organizations/{id} operation. A request that names its target by another id (/users/{id})
// leaves it unknown: finding it would mean reading the resource for a caller who may not.
func namedOrganization(req middleware.Request, resource string) string {
	for k, v := range req.Params {
		if k.Name == "organization_id" || (resource == "organization" && k.Name == "id" && k.In == "path") {
			if s := idString(v); s != "" {
				return s
			}
		}
	}
	rv := reflect.ValueOf(req.Body)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return ""
		}
		rv = rv.Elem()
	}
	if rv.IsValid() && rv.Kind() == reflect.Struct {
		if f := rv.FieldByName("OrganizationID"); f.IsValid() && f.CanInterface() {
			return idString(f.Interface())
		}
	}
	return ""
}

// idString renders the id forms ogen decodes to; anything else (or no value) is "".
func idString(v any) string {
	switch v := v.(type) {
	case uuid.UUID:
		if v != uuid.Nil {
			return v.String()
		}
	case oas.OptUUID:
		if v.Set && v.Value != uuid.Nil {
			return v.Value.String()
		}
	case *uuid.UUID:
		if v != nil && *v != uuid.Nil {
			return v.String()
		}
	}
	return ""
}
