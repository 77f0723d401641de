package audit

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
)

// ErrNotFound is returned by Reader.Get for an unknown id or one outside the scope.
var ErrNotFound = errors.New("audit event not found")

// Scope limits what a query may see. The application layer sets it from the caller; it never
// comes from request input.
type Scope struct {
	// All lets the query see every organization (super administrators).
	All bool
	// OrganizationID is the only organization visible when All is false: events whose actor
	// (organization_id) or target (target_organization_id) belongs to it. An empty value
	// matches nothing (events without an organization are visible to super administrators
	// only).
	OrganizationID string
}

// Filter selects events; zero fields match everything.
type Filter struct {
	// From is inclusive and To exclusive, on Timestamp.
	From, To       time.Time
	UserID         string
	UserEmail      string
	EventType      EventType
	Result         Result
	Action         string
	Resource       string
	TenantID       string
	OrganizationID string
	// TargetOrganizationID matches the organization an event's action was done to.
	TargetOrganizationID string
	WorkspaceID          string
	SessionID            string
}

// Cursor is a position in the newest-first order: the next page starts strictly after it.
type Cursor struct {
	Timestamp time.Time
	ID        uuid.UUID
}

// ListQuery asks for one page.
type ListQuery struct {
	Scope  Scope
	Filter Filter
	After  *Cursor
	Limit  int
}

// Page is one page of events, newest first; Next is nil on the last page.
type Page struct {
	Events []Event
	Next   *Cursor
}

// StatsQuery asks for daily counts. A day is included when it overlaps [From, To).
type StatsQuery struct {
	Scope     Scope
	From, To  time.Time
	EventType EventType
	Result    Result
}

// StatsRow is one day's count for one event type and result.
type StatsRow struct {
	Date      time.Time // midnight UTC
	EventType EventType
	Result    Result
	Count     uint64
}

// ActivityQuery asks for one user's daily counts. A day is included when it overlaps [From, To).
type ActivityQuery struct {
	Scope    Scope
	UserID   string
	From, To time.Time
}

// ActivityRow is one day's count for one event type.
type ActivityRow struct {
	Date      time.Time // midnight UTC
	EventType EventType
	Count     uint64
}

// Reader is the query side of an audit store. Every implementation orders pages by
// (timestamp, id) descending in its own id order, returns stats rows by date, event type,
// result and activity rows by date, event type, all ascending (SortStats, SortActivity).
type Reader interface {
	List(ctx context.Context, q ListQuery) (Page, error)
	Get(ctx context.Context, scope Scope, id uuid.UUID) (Event, error)
	Stats(ctx context.Context, q StatsQuery) ([]StatsRow, error)
	UserActivity(ctx context.Context, q ActivityQuery) ([]ActivityRow, error)
}

// SortStats puts stats rows in the order every Reader returns them: by date, event type and
// result, ascending.
func SortStats(rows []StatsRow) {
	slices.SortFunc(rows, func(a, b StatsRow) int {
		return compareDaily(a.Date, a.EventType, a.Result, b.Date, b.EventType, b.Result)
	})
}

// SortActivity puts activity rows in the order every Reader returns them: by date and event
// type, ascending.
func SortActivity(rows []ActivityRow) {
	slices.SortFunc(rows, func(a, b ActivityRow) int { return compareDaily(a.Date, a.EventType, 0, b.Date, b.EventType, 0) })
}

// compareDaily is the one order of the daily statistics.
func compareDaily(aDate time.Time, aType EventType, aResult Result, bDate time.Time, bType EventType, bResult Result) int {
	if c := aDate.Compare(bDate); c != 0 {
		return c
	}
	if c := cmp.Compare(aType, bType); c != 0 {
		return c
	}
	return cmp.Compare(aResult, bResult)
}

// DayRange converts [from, to) into the first and last UTC day it overlaps; a zero bound
// stays zero (unbounded). ok is false when the range is empty.
func DayRange(from, to time.Time) (first, last time.Time, ok bool) {
	if !from.IsZero() {
		first = truncateDay(from)
	}
	if !to.IsZero() {
		last = truncateDay(to.Add(-time.Nanosecond))
		if !from.IsZero() && !to.After(from) {
			return first, last, false
		}
	}
	return first, last, true
}

func truncateDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// MaxListLimit bounds a page.
const MaxListLimit = 1000
