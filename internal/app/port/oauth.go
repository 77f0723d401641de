package port

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/oauth"
)

// The ports of machine identities: a service account's client secrets and public keys, and
// the private_key_jwt assertions already seen.

// ClientCredentials reads a service account's credentials.
type ClientCredentials interface {
	// Secrets lists the account's secrets not revoked (expired ones included), newest first.
	Secrets(ctx context.Context, userID uuid.UUID) ([]oauth.Secret, error)
	// WithSecrets reads the live user with their placement and their secrets not revoked
	// (newest first) in one round trip, the hot path of client_secret_basic/post;
	// errs.NotFound when the user is absent or deleted.
	WithSecrets(ctx context.Context, userID uuid.UUID) (*PlacedUser, []oauth.Secret, error)
	// Keys lists the account's keys not revoked (expired ones included), newest first.
	Keys(ctx context.Context, userID uuid.UUID) ([]oauth.Key, error)
}

// ClientCredentialRepository changes them.
type ClientCredentialRepository interface {
	ClientCredentials
	AddSecret(ctx context.Context, s oauth.Secret) error
	// RevokeSecret revokes the account's secret; errs.NotFound when it has no such live secret.
	RevokeSecret(ctx context.Context, userID, id uuid.UUID, at time.Time) error
	// SecretUsed records a successful authentication with the secret.
	SecretUsed(ctx context.Context, id uuid.UUID, at time.Time) error
	AddKey(ctx context.Context, k oauth.Key) error
	// RevokeKey revokes the account's key; errs.NotFound when it has no such live key.
	RevokeKey(ctx context.Context, userID, id uuid.UUID, at time.Time) error
	// UseAssertion remembers an assertion id until expires and answers true, or false when it
	// was seen already (a replay). Forgotten ids (expired before now) are pruned on the way.
	UseAssertion(ctx context.Context, id string, expires, now time.Time) (bool, error)
}
