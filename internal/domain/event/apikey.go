package event

import "github.com/google/uuid"

// AggregateAPIKey is the aggregate type of the API key events.
const AggregateAPIKey = "api_key"

// APIKeyCreated: a user created an API key. Nothing cached knows it yet.
type APIKeyCreated struct {
	KeyID  uuid.UUID `json:"key_id"`
	UserID uuid.UUID `json:"user_id"`
	Prefix string    `json:"prefix"`
}

func (e APIKeyCreated) Meta() Meta { return v1("APIKeyCreated", AggregateAPIKey, e.KeyID) }

// APIKeyRevoked: a key was revoked by its owner or an administrator; it is refused from the
// next request on, on every replica (the invalidation drops its owner's cached credentials).
type APIKeyRevoked struct {
	KeyID  uuid.UUID `json:"key_id"`
	UserID uuid.UUID `json:"user_id"`
	// By is who revoked it (the owner or an administrator).
	By uuid.UUID `json:"by"`
}

func (e APIKeyRevoked) Meta() Meta { return v1("APIKeyRevoked", AggregateAPIKey, e.KeyID) }

func init() {
	register[APIKeyCreated]()
	register[APIKeyRevoked]()
}
