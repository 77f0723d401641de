package port

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
)

// APIKeyView is a key with its owner (nil when the owner is deleted) and the owner's
// placement: what authenticating with the key decides on.
type APIKeyView struct {
	Key   authn.APIKey
	Owner *PlacedUser
	// Standing is the owner's second factor and their organization's MFA policy (the same
	// enrolment rule as for sessions).
	Standing SessionStanding
}

// APIKeys keeps users' API keys. Reads go to the primary (a revocation must be seen at once).
type APIKeys interface {
	// ByHash returns the key whose keyed hash is hash, revoked or not, with its owner;
	// errs.NotFound when no key has it.
	ByHash(ctx context.Context, hash []byte) (*APIKeyView, error)
	// Live lists the user's keys not revoked (expired ones included), newest first.
	Live(ctx context.Context, userID uuid.UUID) ([]authn.APIKey, error)
	// Get returns the user's key if it is not revoked; errs.NotFound otherwise (absent,
	// revoked or another user's).
	Get(ctx context.Context, userID, id uuid.UUID) (*authn.APIKey, error)
	Create(ctx context.Context, k authn.APIKey) error
	// Revoke marks the key revoked at at (a no-op when it already is).
	Revoke(ctx context.Context, id uuid.UUID, at time.Time) error
	// Touch records a use at at (last_used_at); the caller coalesces, this writes.
	Touch(ctx context.Context, id uuid.UUID, at time.Time) error
	// KnownPermissions answers which of names the permission catalog holds (live).
	KnownPermissions(ctx context.Context, names []string) ([]string, error)
}
