package oauth

import (
	"time"

	"github.com/google/uuid"
)

// Secret is one client secret of a service account as stored: never the secret itself.
type Secret struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	Hash        []byte
	Description string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
}

// Key is a public key a service account signs private_key_jwt assertions with.
type Key struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	KID       string
	Algorithm string
	JWK       []byte // the public JWK as registered
	CreatedAt time.Time
	ExpiresAt *time.Time
	RevokedAt *time.Time
}

// Usable reports whether a credential authenticates at now: not revoked, not expired.
func Usable(revoked, expires *time.Time, now time.Time) bool {
	return revoked == nil && (expires == nil || now.Before(*expires))
}

// Usable reports whether the secret authenticates at now.
func (s Secret) Usable(now time.Time) bool { return Usable(s.RevokedAt, s.ExpiresAt, now) }

// Usable reports whether the key authenticates at now.
func (k Key) Usable(now time.Time) bool { return Usable(k.RevokedAt, k.ExpiresAt, now) }

// CheckExpiry refuses an expiry that is not in the future.
func CheckExpiry(expires *time.Time, now time.Time) error {
	if expires != nil && !expires.After(now) {
		return InvalidExpiry()
	}
	return nil
}
