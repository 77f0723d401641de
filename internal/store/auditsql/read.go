package auditsql

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/internal/app/audit"
)

var _ audit.Reader = (*Sink)(nil)

// scope returns the organization predicate (the actor's or the target's organization); false
// means the scope matches nothing.
func scope(s audit.Scope) (predicate.AuditLog, bool) {
	if s.All {
		return nil, true
	}
	if s.OrganizationID == "" {
		return nil, false
	}
	org := clean(s.OrganizationID)
	return auditlog.Or(auditlog.OrganizationIDEQ(org), auditlog.TargetOrganizationIDEQ(org)), true
}

func filterPreds(f audit.Filter) []predicate.AuditLog {
	var p []predicate.AuditLog
	if !f.From.IsZero() {
		p = append(p, auditlog.TimestampGTE(f.From.UTC()))
	}
	if !f.To.IsZero() {
		p = append(p, auditlog.TimestampLT(f.To.UTC()))
	}
	for _, c := range []struct {
		v    string
		pred func(string) predicate.AuditLog
	}{
		{f.UserID, auditlog.UserIDEQ}, {f.UserEmail, auditlog.UserEmailEQ}, {f.Action, auditlog.ActionEQ},
		{f.Resource, auditlog.ResourceEQ}, {f.TenantID, auditlog.TenantIDEQ},
		{f.OrganizationID, auditlog.OrganizationIDEQ}, {f.TargetOrganizationID, auditlog.TargetOrganizationIDEQ},
		{f.WorkspaceID, auditlog.WorkspaceIDEQ},
		{f.SessionID, auditlog.SessionIDEQ},
	} {
		if c.v != "" {
			p = append(p, c.pred(clean(c.v)))
		}
	}
	return append(p, enumPreds(f.EventType, f.Result)...)
}

func enumPreds(t audit.EventType, r audit.Result) []predicate.AuditLog {
	var p []predicate.AuditLog
	if t != 0 {
		p = append(p, auditlog.EventTypeEQ(auditlog.EventType(t.String())))
	}
	if r != 0 {
		p = append(p, auditlog.ResultEQ(auditlog.Result(r.String())))
	}
	return p
}

// branches splits a scope into predicates, each answerable by walking one (column,
// timestamp) index newest first; a row may match more than one. An organization's log is its own rows plus the
// rows of other organizations' actors that targeted it; as one OR the database must sort
// every matching row to find the newest page, which grows with the log (it was half the
// server's CPU under the load harness).
func branches(s audit.Scope) ([][]predicate.AuditLog, bool) {
	if s.All {
		return [][]predicate.AuditLog{nil}, true
	}
	if s.OrganizationID == "" {
		return nil, false
	}
	org := clean(s.OrganizationID)
	return [][]predicate.AuditLog{
		{auditlog.OrganizationIDEQ(org)},
		// Not "and organization_id <> org": most rows that target an organization are its
		// own, and skipping them would walk the whole index to find the few that are not.
		{auditlog.TargetOrganizationIDEQ(org)},
	}, true
}

// List returns one page, newest first, with (timestamp, id) as the keyset: the newest
// limit+1 rows of each scope branch, merged (the newest limit+1 of a union are among the
// newest limit+1 of its parts).
func (s *Sink) List(ctx context.Context, q audit.ListQuery) (audit.Page, error) {
	limit := max(1, min(q.Limit, audit.MaxListLimit))
	parts, ok := branches(q.Scope)
	if !ok {
		return audit.Page{}, nil
	}
	preds := filterPreds(q.Filter)
	if c := q.After; c != nil {
		ts := c.Timestamp.UTC()
		preds = append(preds, auditlog.TimestampLTE(ts),
			auditlog.Or(auditlog.TimestampLT(ts), auditlog.And(auditlog.TimestampEQ(ts), auditlog.IDLT(c.ID))))
	}
	var events []audit.Event
	for _, part := range parts {
		rows, err := s.client.AuditLog.Query().Where(append(slices.Clip(preds), part...)...).
			Order(auditlog.ByTimestamp(entsql.OrderDesc()), auditlog.ByID(entsql.OrderDesc())).
			Limit(limit + 1).All(ctx)
		if err != nil {
			return audit.Page{}, fmt.Errorf("list audit logs: %w", err)
		}
		for _, r := range rows {
			events = append(events, toEvent(r))
		}
	}
	if len(parts) > 1 {
		slices.SortFunc(events, newestFirst)
		events = slices.CompactFunc(events, func(a, b audit.Event) bool { return a.ID == b.ID })
	}
	if len(events) <= limit {
		return audit.Page{Events: events}, nil
	}
	last := events[limit-1]
	return audit.Page{Events: events[:limit], Next: &audit.Cursor{Timestamp: last.Timestamp, ID: last.ID}}, nil
}

// newestFirst is the keyset order: timestamp, then id, both descending.
func newestFirst(a, b audit.Event) int {
	if c := b.Timestamp.Compare(a.Timestamp); c != 0 {
		return c
	}
	return bytes.Compare(b.ID[:], a.ID[:])
}

// Get returns one stored event; audit.ErrNotFound when absent or outside the scope.
func (s *Sink) Get(ctx context.Context, sc audit.Scope, id uuid.UUID) (audit.Event, error) {
	sp, ok := scope(sc)
	if !ok {
		return audit.Event{}, audit.ErrNotFound
	}
	preds := []predicate.AuditLog{auditlog.IDEQ(id)}
	if sp != nil {
		preds = append(preds, sp)
	}
	row, err := s.client.AuditLog.Query().Where(preds...).Only(ctx)
	if ent.IsNotFound(err) {
		return audit.Event{}, audit.ErrNotFound
	}
	if err != nil {
		return audit.Event{}, fmt.Errorf("get audit log: %w", err)
	}
	return toEvent(row), nil
}

// dayPreds restricts timestamps to the whole UTC days [from, to) overlaps, so that the SQL
// store counts the same days as ClickHouse's daily summaries.
func dayPreds(from, to time.Time) ([]predicate.AuditLog, bool) {
	first, last, ok := audit.DayRange(from, to)
	if !ok {
		return nil, false
	}
	var p []predicate.AuditLog
	if !first.IsZero() {
		p = append(p, auditlog.TimestampGTE(first))
	}
	if !last.IsZero() {
		p = append(p, auditlog.TimestampLT(last.AddDate(0, 0, 1)))
	}
	return p, true
}

// Stats counts events per UTC day, event type and result (a GROUP BY on the table: the SQL
// store has no materialized views).
func (s *Sink) Stats(ctx context.Context, q audit.StatsQuery) ([]audit.StatsRow, error) {
	preds, ok := dayPreds(q.From, q.To)
	sp, inScope := scope(q.Scope)
	if !ok || !inScope {
		return nil, nil
	}
	if sp != nil {
		preds = append(preds, sp)
	}
	preds = append(preds, enumPreds(q.EventType, q.Result)...)
	out, err := dailyCounts(ctx, s, preds, true, "stats", func(d time.Time, t audit.EventType, r audit.Result, n uint64) audit.StatsRow {
		return audit.StatsRow{Date: d, EventType: t, Result: r, Count: n}
	})
	audit.SortStats(out)
	return out, err
}

// UserActivity counts one user's events per UTC day and event type.
func (s *Sink) UserActivity(ctx context.Context, q audit.ActivityQuery) ([]audit.ActivityRow, error) {
	preds, ok := dayPreds(q.From, q.To)
	sp, inScope := scope(q.Scope)
	if !ok || !inScope || q.UserID == "" {
		return nil, nil
	}
	if sp != nil {
		preds = append(preds, sp)
	}
	preds = append(preds, auditlog.UserIDEQ(clean(q.UserID)))
	out, err := dailyCounts(ctx, s, preds, false, "user activity", func(d time.Time, t audit.EventType, _ audit.Result, n uint64) audit.ActivityRow {
		return audit.ActivityRow{Date: d, EventType: t, Count: n}
	})
	audit.SortActivity(out)
	return out, err
}

func toEvent(r *ent.AuditLog) audit.Event {
	et, _ := audit.ParseEventType(string(r.EventType))
	res, _ := audit.ParseResult(string(r.Result))
	return audit.Event{
		ID: r.ID, Timestamp: r.Timestamp.UTC(), UserID: r.UserID, UserEmail: r.UserEmail,
		UserFirstName: r.UserFirstName, UserLastName: r.UserLastName, EventType: et, Action: r.Action,
		Resource: r.Resource, Result: res, ErrorMessage: r.ErrorMessage, IPAddress: r.IPAddress,
		UserAgent: r.UserAgent, Metadata: r.Metadata, TenantID: r.TenantID, WorkspaceID: r.WorkspaceID,
		OrganizationID: r.OrganizationID, TargetOrganizationID: r.TargetOrganizationID, SessionID: r.SessionID, DurationMS: r.DurationMs,
		CreatedAt: r.CreatedAt.UTC(),
	}
}
