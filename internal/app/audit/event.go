package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// EventType is the seed's event_type enum; the numbers are the ClickHouse Enum8 values.
type EventType uint8

const (
	EventAuth   EventType = 1
	EventAuthz  EventType = 2
	EventData   EventType = 3
	EventSystem EventType = 4
)

var eventTypeNames = [...]string{EventAuth: "AUTH", EventAuthz: "AUTHZ", EventData: "DATA", EventSystem: "SYSTEM"}

func (t EventType) String() string { return enumName(eventTypeNames[:], t) }

// ParseEventType accepts the enum's names.
func ParseEventType(s string) (EventType, bool) { return parseEnum[EventType](eventTypeNames[:], s) }

// Result is the seed's result enum; the numbers are the ClickHouse Enum8 values.
type Result uint8

const (
	ResultSuccess Result = 1
	ResultFailure Result = 2
	ResultDenied  Result = 3
)

var resultNames = [...]string{ResultSuccess: "SUCCESS", ResultFailure: "FAILURE", ResultDenied: "DENIED"}

func (r Result) String() string { return enumName(resultNames[:], r) }

// ParseResult accepts the enum's names.
func ParseResult(s string) (Result, bool) { return parseEnum[Result](resultNames[:], s) }

// enumName is the name of value v in names ("" for a value without one).
func enumName[E ~uint8](names []string, v E) string {
	if int(v) < len(names) {
		return names[v]
	}
	return ""
}

// parseEnum finds the value named s; an empty name is never a value.
func parseEnum[E ~uint8](names []string, s string) (E, bool) {
	for v, name := range names {
		if name != "" && name == s {
			return E(v), true
		}
	}
	return 0, false
}

// Event is one row of AUDIT_LOGS, column for column.
type Event struct {
	ID             uuid.UUID
	Timestamp      time.Time
	UserID         string
	UserEmail      string
	UserFirstName  string
	UserLastName   string
	EventType      EventType
	Action         string
	Resource       string
	Result         Result
	ErrorMessage   string
	IPAddress      string
	UserAgent      string
	Metadata       string // a JSON object
	TenantID       string
	WorkspaceID    string
	OrganizationID string
	// TargetOrganizationID is the organization of what the action was done to (a user, a
	// group, ...), where that is known, beyond the seed's columns: a change made inside an
	// organization by someone from another one (a super administrator) is visible to the
	// target organization's auditors too (docs/audit.md).
	TargetOrganizationID string
	SessionID            string
	DurationMS           uint32
	CreatedAt            time.Time
}

// New builds an event stamped with a fresh id and the current time, filled from the request
// context (client address, user agent, caller, duration so far).
func New(ctx context.Context, typ EventType, action, resource string, result Result) Event {
	// Millisecond precision is what every store keeps (ClickHouse DateTime64(3)).
	now := time.Now().UTC().Truncate(time.Millisecond)
	e := Event{
		ID:        uuid.Must(uuid.NewV7()),
		Timestamp: now,
		EventType: typ,
		Action:    action,
		Resource:  resource,
		Result:    result,
		Metadata:  "{}",
		CreatedAt: now,
	}
	info := reqinfo.From(ctx)
	e.IPAddress, e.UserAgent = info.IP, info.UserAgent
	if !info.Start.IsZero() {
		e.DurationMS = uint32(min(now.Sub(info.Start).Milliseconds(), int64(^uint32(0))))
	}
	if p := principal.From(ctx); p != nil {
		e.WithPrincipal(p)
	}
	return e
}

// WithPrincipal fills the user and tenancy columns from p.
func (e *Event) WithPrincipal(p *principal.Principal) *Event {
	e.UserID = p.UserID.String()
	e.UserEmail, e.UserFirstName, e.UserLastName = p.Email, p.FirstName, p.LastName
	e.SessionID = p.SessionID.String()
	if p.TenantID != uuid.Nil {
		e.TenantID = p.TenantID.String()
	}
	if p.OrganizationID != uuid.Nil {
		e.OrganizationID = p.OrganizationID.String()
	}
	return e
}

// WithMetadata stores m as the JSON metadata column. Callers must not put secrets in m.
func (e *Event) WithMetadata(m map[string]any) *Event {
	if b, err := json.Marshal(m); err == nil {
		e.Metadata = string(b)
	}
	return e
}

// Recorder is what the request path calls. Implementations must not block on the store and
// must not lose an event they returned nil for.
type Recorder interface {
	Record(ctx context.Context, e Event) error
}

// Sink stores batches of events. Writing an event whose id is already stored must not create
// a second row, so a retry after a timeout is harmless. Write must not keep the slice after
// it returns: the caller reuses it for the next batch.
type Sink interface {
	Write(ctx context.Context, events []Event) error
	// Ping checks the store is reachable (readiness).
	Ping(ctx context.Context) error
}
