package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/oas"
)

// subjectsRead collects the organizations of the other users whose permissions a batch
// revealed (those the caller may read; users reported as not found reveal nothing).
type subjectsRead struct {
	org  uuid.UUID
	many bool
}

func (s *subjectsRead) add(org uuid.UUID) {
	switch {
	case s.org == uuid.Nil:
		s.org = org
	case s.org != org:
		s.many = true
	}
}

// audit records the batch's DATA row (check_authorization). A batch that asks about another
// user is a sensitive read (who holds what); one about the caller alone is ordinary. Its
// target is the organization of the other users it revealed when they share one, otherwise
// the caller's; its metadata holds the checks asked (never the answers), and its id the one
// user every check was about, if there is one.
func (h *AuthzAPI) audit(ctx context.Context, caller *principal.Principal, req *oas.AuthzCheckRequest, read subjectsRead, err error) {
	kind := audit.ReadOrdinary
	subject, single := caller.UserID, true
	for i, c := range req.Checks {
		about := c.UserID.Or(caller.UserID)
		if about != caller.UserID {
			kind = audit.ReadSensitive
		}
		if i == 0 {
			subject = about
		} else if about != subject {
			single = false
		}
	}
	if !h.reads.Records(kind) {
		return
	}
	checks := make([]map[string]any, len(req.Checks))
	for i, c := range req.Checks {
		m := map[string]any{"user_id": c.UserID.Or(caller.UserID), "permission": c.Permission}
		if v, ok := c.OrganizationID.Get(); ok {
			m["organization_id"] = v
		}
		if v, ok := c.WorkspaceID.Get(); ok {
			m["workspace_id"] = v
		}
		checks[i] = m
	}
	result, message := audit.Outcome(err)
	e := audit.New(ctx, audit.EventData, "check_authorization", "authorization", result)
	e.ErrorMessage = message
	meta := map[string]any{"checks": checks}
	if single {
		meta["id"] = subject
	}
	e.WithMetadata(meta)
	target := caller.OrganizationID
	if read.org != uuid.Nil && !read.many {
		target = read.org
	}
	if target != uuid.Nil {
		e.TargetOrganizationID = target.String()
	}
	if rerr := h.reads.Record(ctx, kind, e); rerr != nil {
		h.log.ErrorContext(ctx, "audit record failed", "action", e.Action, "error", rerr)
	}
}
