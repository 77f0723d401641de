package auditquery

import (
	"context"

	"github.com/telemetryflow/core/internal/app/audit"
)

// exportPage is how many events one query of an export fetches: large enough that the query
// cost is amortised, small enough that memory stays flat however big the export is.
const exportPage = 1000

// Export walks every event matching a filter in the caller's scope, newest first, one page
// per query (the keyset cursor), so an export of any size holds one page in memory.
type Export struct {
	reader audit.Reader
	q      audit.ListQuery
	first  []audit.Event
	done   bool
}

// Export checks the caller and the filter and fetches the first page before returning, so a
// failing store is an error response rather than a stream cut short. Its DATA row is recorded
// then (its duration covers the first page, not the whole stream).
func (s *Service) Export(ctx context.Context, f audit.Filter) (*Export, error) {
	x, err := s.export(ctx, f)
	var scope audit.Scope
	if x != nil {
		scope = x.q.Scope
	}
	err = s.trail(ctx, trailRead{action: "export_audit_logs", filter: filterMetadata(f), target: listTarget(ctx, scope, f)}, err)
	if err != nil {
		return nil, err
	}
	return x, nil
}

func (s *Service) export(ctx context.Context, f audit.Filter) (*Export, error) {
	if err := checkRange(f); err != nil {
		return nil, err
	}
	scope, err := s.Scope(ctx)
	if err != nil {
		return nil, err
	}
	x := &Export{reader: s.reader, q: audit.ListQuery{Scope: scope, Filter: f, Limit: exportPage}}
	page, err := x.fetch(ctx)
	if err != nil {
		return nil, err
	}
	x.first = page
	return x, nil
}

// Next returns the next page; an empty page means the export is complete.
func (x *Export) Next(ctx context.Context) ([]audit.Event, error) {
	if x.first != nil {
		page := x.first
		x.first = nil
		return page, nil
	}
	return x.fetch(ctx)
}

func (x *Export) fetch(ctx context.Context) ([]audit.Event, error) {
	if x.done {
		return nil, nil
	}
	page, err := x.reader.List(ctx, x.q)
	if err != nil {
		return nil, storeError(err)
	}
	if page.Next == nil {
		x.done = true
	} else {
		x.q.After = page.Next
	}
	if page.Events == nil {
		page.Events = []audit.Event{}
	}
	return page.Events, nil
}

// filterMetadata records which filters an export used (values included: they are the
// caller's own input and say what was exported).
func filterMetadata(f audit.Filter) map[string]any {
	m := map[string]any{}
	add := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	if !f.From.IsZero() {
		m["from"] = f.From.UTC()
	}
	if !f.To.IsZero() {
		m["to"] = f.To.UTC()
	}
	add("user_id", f.UserID)
	add("user_email", f.UserEmail)
	add("event_type", f.EventType.String())
	add("result", f.Result.String())
	add("action", f.Action)
	add("resource", f.Resource)
	add("tenant_id", f.TenantID)
	add("organization_id", f.OrganizationID)
	add("target_organization_id", f.TargetOrganizationID)
	add("workspace_id", f.WorkspaceID)
	add("session_id", f.SessionID)
	return m
}
