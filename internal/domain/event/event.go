// Package event defines the typed, versioned domain events of IAM. A command records them in
// the same transaction as its change (the outbox); after commit they are dispatched to
// in-process subscribers (permission cache, session invalidation, ...).
//
// An event's name and version identify its payload schema. A change to a payload that old
// readers would misread gets a new version and a new registration; the old one stays
// decodable for events still in the outbox.
package event

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Meta identifies an event: what it is, which payload version, and which aggregate it is about.
type Meta struct {
	Name          string
	Version       int
	AggregateType string
	AggregateID   string
}

// v1 is the Meta of a first version of an event about the aggregate of type agg with the id.
func v1(name, agg string, id uuid.UUID) Meta { return Meta{name, 1, agg, id.String()} }

// Event is a domain event. Payloads are plain structs serialised as JSON.
type Event interface {
	Meta() Meta
}

// Envelope is an event as stored and delivered: with a unique id (subscribers deduplicate by
// it) and the moment it happened.
type Envelope struct {
	ID         uuid.UUID
	OccurredAt time.Time
	Event      Event
}

// Wrap gives e an identity.
func Wrap(e Event, at time.Time) Envelope {
	return Envelope{ID: uuid.Must(uuid.NewV7()), OccurredAt: at.UTC().Truncate(time.Microsecond), Event: e}
}

type key struct {
	name    string
	version int
}

var decoders = map[key]func([]byte) (Event, error){}

// register makes E decodable by its name and version.
func register[E Event]() {
	var zero E
	m := zero.Meta()
	k := key{m.Name, m.Version}
	if _, dup := decoders[k]; dup {
		// A second type under the same name and version would make payloads ambiguous; the
		// first registration wins and the round-trip test catches the mistake.
		return
	}
	decoders[k] = func(b []byte) (Event, error) {
		var e E
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, err
		}
		return e, nil
	}
}

// Encode serialises an event's payload.
func Encode(e Event) ([]byte, error) { return json.Marshal(e) }

// Decode rebuilds a typed event from its stored name, version and payload.
func Decode(name string, version int, payload []byte) (Event, error) {
	d, ok := decoders[key{name, version}]
	if !ok {
		return nil, fmt.Errorf("event: unknown %s v%d", name, version)
	}
	e, err := d(payload)
	if err != nil {
		return nil, fmt.Errorf("event: decode %s v%d: %w", name, version, err)
	}
	return e, nil
}

// Registered lists the name and version of every known event, for tests and documentation.
func Registered() []Meta {
	out := make([]Meta, 0, len(decoders))
	for k := range decoders {
		out = append(out, Meta{Name: k.name, Version: k.version})
	}
	return out
}

// Aggregate types.
const (
	AggregateRegion       = "region"
	AggregateTenant       = "tenant"
	AggregateOrganization = "organization"
	AggregateWorkspace    = "workspace"
	AggregateUser         = "user"
	AggregateRole         = "role"
	AggregatePermission   = "permission"
	AggregateGroup        = "group"
)
