package auditquery

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// trailRead is one read of the audit trail, as its DATA row describes it. Rows never hold
// what was read (the response), only what was asked.
type trailRead struct {
	action string
	// id is the event or user the path names ("" for none).
	id string
	// filter is the read's filters (the caller's own input: it says what was looked for).
	filter map[string]any
	// target is the organization whose events were read, where known.
	target string
}

// trail records the DATA row of a read of the audit trail that ended with err, and returns
// err. Reading the audit trail is always recorded (audit.ReadAuditTrail: "who looked at the
// audit trail?" must stay answerable whatever TF_AUDIT_READS says), and it fails closed: a
// read whose row cannot be recorded is answered with an error instead of the data.
func (s *Service) trail(ctx context.Context, r trailRead, err error) error {
	if !s.audit.Records(audit.ReadAuditTrail) {
		return err
	}
	e := audit.NewData(ctx, r.action, "audit_log", err)
	e.TargetOrganizationID = r.target
	meta := map[string]any{}
	if r.id != "" {
		meta["id"] = r.id
	}
	if len(r.filter) > 0 {
		meta["filter"] = r.filter
	}
	e.WithMetadata(meta)
	if rerr := s.audit.RecordOrFail(ctx, e); rerr != nil {
		if err != nil {
			return err
		}
		return errs.Internal(fmt.Errorf("audit trail read not recorded: %w", rerr))
	}
	return err
}

// listTarget is the organization a list or an export of the audit log reads: the one its
// filter names when the caller's scope covers it, otherwise the caller's own. A filter outside
// the scope reads nothing of that organization, so it does not become the target (anyone
// could otherwise put rows into another organization's trail).
func listTarget(ctx context.Context, scope audit.Scope, f audit.Filter) string {
	if f.OrganizationID != "" && (scope.All || f.OrganizationID == scope.OrganizationID) {
		return f.OrganizationID
	}
	return callerOrganization(ctx)
}

// callerOrganization is the caller's organization ("" for none).
func callerOrganization(ctx context.Context) string {
	if p := principal.From(ctx); p != nil && p.OrganizationID != uuid.Nil {
		return p.OrganizationID.String()
	}
	return ""
}
