package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Note is the audit context of one use case, carried in its context: the decorator opens it,
// the use case names its target once it has loaded it, and the unit of work writes the DATA
// row of a successful command into the transactional outbox with the change (Committed), so
// a committed change always has its audit row, even if the process dies right after the
// commit. A Note belongs to one call and is not safe for concurrent use.
type Note struct {
	Action, Resource string
	// Input goes into the metadata as JSON; inputs mark secrets `json:"-"`.
	Input any

	targetID  uuid.UUID
	targetOrg uuid.UUID
	committed bool
}

type noteKey struct{}

// WithNote carries n in ctx.
func WithNote(ctx context.Context, n *Note) context.Context {
	return context.WithValue(ctx, noteKey{}, n)
}

// NoteFrom returns the note of the use case ctx belongs to, or nil. Every method of Note is a
// no-op on nil, so use cases call them whether or not they are audited.
func NoteFrom(ctx context.Context) *Note {
	n, _ := ctx.Value(noteKey{}).(*Note)
	return n
}

// Target names what the use case acts on: its id and the organization it belongs to (uuid.Nil
// when it belongs to none: regions, tenants, the permission catalog, global roles).
func (n *Note) Target(id, organization uuid.UUID) {
	if n != nil {
		n.targetID, n.targetOrg = id, organization
	}
}

// Committed reports whether the note's row went into the outbox with a committed change.
func (n *Note) Committed() bool { return n != nil && n.committed }

// Open reports whether the note still waits for a commit to carry its row.
func (n *Note) Open() bool { return n != nil && !n.committed }

// MarkCommitted records that the transaction that carried the row committed.
func (n *Note) MarkCommitted() {
	if n != nil {
		n.committed = true
	}
}

// Event builds the use case's DATA row from the request context, the note and the use case's
// error (NewData). id is the changed entity's id when the note does not name one (uuid.Nil:
// none).
func (n *Note) Event(ctx context.Context, err error, id uuid.UUID) Event {
	e := NewData(ctx, n.Action, n.Resource, err)
	meta := noteMetadata{Input: n.Input}
	if n.targetID != uuid.Nil {
		id = n.targetID
	}
	if id != uuid.Nil {
		meta.ID = &id
	}
	if b, err := json.Marshal(meta); err == nil {
		e.Metadata = string(b)
	}
	if n.targetOrg != uuid.Nil {
		e.TargetOrganizationID = n.targetOrg.String()
	}
	return e
}

// noteMetadata is a use case's metadata column: the id it named and its input. A struct, not
// a map: every read records one, and a map costs an allocation and a sort per row.
type noteMetadata struct {
	ID    *uuid.UUID `json:"id,omitempty"`
	Input any        `json:"input"`
}

// row is a DATA row as it travels in the outbox: every column but the id, which the audit
// subscriber derives from the outbox row (so a redelivery writes the same id twice, and the
// stores keep one).
type row struct {
	Timestamp            time.Time `json:"timestamp"`
	UserID               string    `json:"user_id,omitempty"`
	UserEmail            string    `json:"user_email,omitempty"`
	UserFirstName        string    `json:"user_first_name,omitempty"`
	UserLastName         string    `json:"user_last_name,omitempty"`
	Action               string    `json:"action"`
	Resource             string    `json:"resource"`
	IPAddress            string    `json:"ip_address,omitempty"`
	UserAgent            string    `json:"user_agent,omitempty"`
	Metadata             string    `json:"metadata"`
	TenantID             string    `json:"tenant_id,omitempty"`
	WorkspaceID          string    `json:"workspace_id,omitempty"`
	OrganizationID       string    `json:"organization_id,omitempty"`
	TargetOrganizationID string    `json:"target_organization_id,omitempty"`
	SessionID            string    `json:"session_id,omitempty"`
	DurationMS           uint32    `json:"duration_ms"`
}

// Row encodes the successful command's DATA row for the outbox; the timestamp and duration
// are those of the moment it is called (just before the commit).
func (n *Note) Row(ctx context.Context, id uuid.UUID) ([]byte, error) {
	e := n.Event(ctx, nil, id)
	return json.Marshal(row{
		Timestamp: e.Timestamp, UserID: e.UserID, UserEmail: e.UserEmail, UserFirstName: e.UserFirstName,
		UserLastName: e.UserLastName, Action: e.Action, Resource: e.Resource, IPAddress: e.IPAddress,
		UserAgent: e.UserAgent, Metadata: e.Metadata, TenantID: e.TenantID, WorkspaceID: e.WorkspaceID,
		OrganizationID: e.OrganizationID, TargetOrganizationID: e.TargetOrganizationID, SessionID: e.SessionID,
		DurationMS: e.DurationMS,
	})
}

// DecodeRow rebuilds the DATA row a command's outbox event carries, with the given id.
func DecodeRow(b []byte, id uuid.UUID) (Event, error) {
	var r row
	if err := json.Unmarshal(b, &r); err != nil {
		return Event{}, err
	}
	ts := r.Timestamp.UTC()
	return Event{
		ID: id, Timestamp: ts, CreatedAt: ts, EventType: EventData, Result: ResultSuccess,
		UserID: r.UserID, UserEmail: r.UserEmail, UserFirstName: r.UserFirstName, UserLastName: r.UserLastName,
		Action: r.Action, Resource: r.Resource, IPAddress: r.IPAddress, UserAgent: r.UserAgent, Metadata: r.Metadata,
		TenantID: r.TenantID, WorkspaceID: r.WorkspaceID, OrganizationID: r.OrganizationID,
		TargetOrganizationID: r.TargetOrganizationID, SessionID: r.SessionID, DurationMS: r.DurationMS,
	}, nil
}
