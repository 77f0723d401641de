package iam

import (
	"time"

	"github.com/google/uuid"
)

// NewID returns a time-ordered UUID (v7), like every primary key of the schema.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// Stamp normalises a moment to what both stores keep: UTC with microsecond precision
// (PostgreSQL's timestamptz resolution), so a value read back equals the value written and
// keyset cursors compare exactly on every dialect.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
