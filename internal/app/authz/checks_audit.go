package authz

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/principal"
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

// recordBatch records the batch's DATA row (check_authorization). A batch that asks about
// another user is a sensitive read (who holds what); one about the caller alone is ordinary.
// Its target is the organization of the other users it revealed when they share one,
// otherwise the caller's; its metadata holds the checks asked (never the answers), and its id
// the one user every check was about, if there is one.
func (s *Service) recordBatch(ctx context.Context, caller *principal.Principal, qs []Question, read subjectsRead, err error) {
	kind := audit.ReadOrdinary
	subject, single := caller.UserID, true
	for i, q := range qs {
		about := aboutWhom(q, caller.UserID)
		if about != caller.UserID {
			kind = audit.ReadSensitive
		}
		if i == 0 {
			subject = about
		} else if about != subject {
			single = false
		}
	}
	if !s.audit.Records(kind) {
		return
	}
	checks := make([]map[string]any, len(qs))
	for i, q := range qs {
		m := map[string]any{"user_id": aboutWhom(q, caller.UserID), "permission": q.Permission}
		if q.OrganizationID != nil {
			m["organization_id"] = *q.OrganizationID
		}
		if q.WorkspaceID != nil {
			m["workspace_id"] = *q.WorkspaceID
		}
		checks[i] = m
	}
	e := audit.NewData(ctx, "check_authorization", "authorization", err)
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
	s.audit.Record(ctx, e)
}

// aboutWhom is the user a question is about.
func aboutWhom(q Question, caller uuid.UUID) uuid.UUID {
	if q.UserID != nil {
		return *q.UserID
	}
	return caller
}
