// Package auditquery is the application layer of the audit query API: it decides what the
// caller may see (their organization, or everything for a super administrator), turns page
// cursors into positions and streams exports. Transport and storage are elsewhere.
package auditquery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// SuperAdmins answers whether a user is a super administrator (authz.Decider's profile, through
// a small adapter in the composition root).
type SuperAdmins interface {
	IsSuperAdmin(ctx context.Context, userID uuid.UUID) (bool, error)
}

// Config wires the service; every field is required.
type Config struct {
	Reader audit.Reader
	Admins SuperAdmins
	// Audit records every read of the audit trail, failing closed (trail.go).
	Audit *audit.Log
	// Cursors seals the page cursors.
	Cursors *pagecursor.Codec
}

// Validate reports a missing collaborator.
func (c Config) Validate() error {
	if c.Reader == nil || c.Admins == nil || c.Audit == nil || c.Cursors == nil {
		return errors.New("auditquery: a reader, a super administrator check, an audit log and a cursor codec are required")
	}
	return nil
}

// Service runs audit queries for the caller in the context, and records each of them.
type Service struct {
	reader  audit.Reader
	admins  SuperAdmins
	audit   *audit.Log
	cursors *pagecursor.Codec
}

// New builds the service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Service{reader: cfg.Reader, admins: cfg.Admins, audit: cfg.Audit, cursors: cfg.Cursors}, nil
}

// Scope is the resource-scope rule for audit data: a super administrator sees every
// organization; anyone else sees the events of their own organization only — events whose
// actor belongs to it or whose target does (a change made inside it from another
// organization) — and a caller without an organization sees nothing.
func (s *Service) Scope(ctx context.Context) (audit.Scope, error) {
	p := principal.From(ctx)
	if p == nil {
		return audit.Scope{}, errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "A valid bearer access token is required.")
	}
	super, err := s.admins.IsSuperAdmin(ctx, p.UserID)
	if err != nil {
		return audit.Scope{}, errs.Internal(err)
	}
	if super {
		return audit.Scope{All: true}, nil
	}
	if p.OrganizationID == uuid.Nil {
		return audit.Scope{}, nil
	}
	return audit.Scope{OrganizationID: p.OrganizationID.String()}, nil
}

// List returns one page for the caller and the cursor of the next ("" on the last page).
func (s *Service) List(ctx context.Context, f audit.Filter, cursor string, limit int) ([]audit.Event, string, error) {
	scope, events, next, err := s.list(ctx, f, cursor, limit)
	err = s.trail(ctx, trailRead{action: "list_audit_logs", filter: filterMetadata(f), target: listTarget(ctx, scope, f)}, err)
	if err != nil {
		return nil, "", err
	}
	return events, next, nil
}

func (s *Service) list(ctx context.Context, f audit.Filter, cursor string, limit int) (audit.Scope, []audit.Event, string, error) {
	if err := checkRange(f); err != nil {
		return audit.Scope{}, nil, "", err
	}
	scope, err := s.Scope(ctx)
	if err != nil {
		return audit.Scope{}, nil, "", err
	}
	q := audit.ListQuery{Scope: scope, Filter: f, Limit: limit}
	list := cursorList(scope, f)
	if cursor != "" {
		c, err := decodeCursor(s.cursors, list, cursor)
		if err != nil {
			return scope, nil, "", err
		}
		q.After = &c
	}
	page, err := s.reader.List(ctx, q)
	if err != nil {
		return scope, nil, "", storeError(err)
	}
	next := ""
	if page.Next != nil {
		next = encodeCursor(s.cursors, list, *page.Next)
	}
	return scope, page.Events, next, nil
}

// Get returns one event if the caller may see it; otherwise 404, the same as a missing one.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (audit.Event, error) {
	e, err := s.get(ctx, id)
	// The event read belongs to its actor's organization: its auditors see who read it.
	err = s.trail(ctx, trailRead{action: "get_audit_log", id: id.String(), target: e.OrganizationID}, err)
	if err != nil {
		return audit.Event{}, err
	}
	return e, nil
}

func (s *Service) get(ctx context.Context, id uuid.UUID) (audit.Event, error) {
	scope, err := s.Scope(ctx)
	if err != nil {
		return audit.Event{}, err
	}
	e, err := s.reader.Get(ctx, scope, id)
	if errors.Is(err, audit.ErrNotFound) {
		return audit.Event{}, errs.NotFound("audit_log")
	}
	if err != nil {
		return audit.Event{}, storeError(err)
	}
	return e, nil
}

// Stats returns daily counts by event type and result within the caller's scope.
func (s *Service) Stats(ctx context.Context, q audit.StatsQuery) ([]audit.StatsRow, error) {
	rows, err := daily(ctx, s, q.From, q.To, func(scope audit.Scope) ([]audit.StatsRow, error) {
		q.Scope = scope
		return s.reader.Stats(ctx, q)
	})
	err = s.trail(ctx, trailRead{action: "get_audit_stats",
		filter: filterMetadata(audit.Filter{From: q.From, To: q.To, EventType: q.EventType, Result: q.Result}), target: callerOrganization(ctx)}, err)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// UserActivity returns one user's daily counts by event type, counting only events inside
// the caller's scope.
func (s *Service) UserActivity(ctx context.Context, q audit.ActivityQuery) ([]audit.ActivityRow, error) {
	rows, err := daily(ctx, s, q.From, q.To, func(scope audit.Scope) ([]audit.ActivityRow, error) {
		q.Scope = scope
		return s.reader.UserActivity(ctx, q)
	})
	err = s.trail(ctx, trailRead{action: "get_audit_user_activity", id: q.UserID,
		filter: filterMetadata(audit.Filter{From: q.From, To: q.To}), target: callerOrganization(ctx)}, err)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// daily reads daily counts over [from, to) in the caller's scope (read gets the scope).
func daily[R any](ctx context.Context, s *Service, from, to time.Time, read func(audit.Scope) ([]R, error)) ([]R, error) {
	if err := checkRange(audit.Filter{From: from, To: to}); err != nil {
		return nil, err
	}
	scope, err := s.Scope(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := read(scope)
	if err != nil {
		return nil, storeError(err)
	}
	return rows, nil
}

func checkRange(f audit.Filter) error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return errs.Invalid(errs.FieldError{Field: "to", Message: "must not be before from"})
	}
	return nil
}

// storeError reports a failing audit store as unavailable (503): the request was fine.
func storeError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errs.Wrap(errs.KindUnavailable, errs.CodeUnavailable, "The audit store is not available.", fmt.Errorf("audit store: %w", err))
}
