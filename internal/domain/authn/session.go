package authn

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
)

// Session is one login; access tokens carry its id (sid), so ending it ends them all.
type Session struct {
	ID           uuid.UUID
	UserID       uuid.UUID
	CreatedAt    time.Time
	LastSeenAt   time.Time
	ExpiresAt    time.Time // the absolute end, whatever the refresh activity
	RevokedAt    *time.Time
	RevokeReason string
	IPAddress    string
	UserAgent    string
	// AMR is how the user authenticated (RFC 8176): AMRFor's answer, kept by every refresh.
	AMR []string
	// ClientID is the OAuth2 client that opened the session by a client_credentials grant
	// ("" for a password login); Scope the permissions its tokens are narrowed to (nil: not
	// narrowed).
	ClientID string
	Scope    []string
}

// Why a session ended (the revoke_reason column and the SessionEnded event).
const (
	EndLogout            = "logout"
	EndRefreshTokenReuse = "refresh_token_reuse"
	EndPasswordChanged   = "password_changed"
	// EndRevoked: the user ended one of their sessions from the session list.
	EndRevoked = "revoked"
	// EndRevokedByAdministrator: an administrator ended the user's sessions.
	EndRevokedByAdministrator = "revoked_by_administrator"
	// EndMFAReset: an administrator reset the user's second factor.
	EndMFAReset = "mfa_reset"
)

// OpenSession starts a session of the user at now that ends after maxAge at the latest.
func OpenSession(userID uuid.UUID, now time.Time, maxAge time.Duration, ip, userAgent string) Session {
	return Session{ID: iam.NewID(), UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(maxAge),
		IPAddress: ip, UserAgent: userAgent, AMR: AMRFor("")}
}

// Usable reports whether the session still grants access apart from its expiry, which is
// checked at each use: it is not revoked, and its user is live and active.
func (s Session) Usable(u *iam.User) bool {
	return s.RevokedAt == nil && u.DeletedAt == nil && u.Status.CanLogIn()
}

// RefreshToken is one link of a session's rotation chain; only its hash is stored.
type RefreshToken struct {
	ID        uuid.UUID
	Hash      []byte
	SessionID uuid.UUID
	// Family is shared by every token rotated from one login.
	Family    uuid.UUID
	CreatedAt time.Time
	UsedAt    *time.Time
	ExpiresAt time.Time
}

// IssueRefreshToken makes the next token of the session's family at now: it lives ttl
// (sliding), never beyond the session. raw goes to the client; t is what is stored.
func IssueRefreshToken(s Session, family uuid.UUID, now time.Time, ttl time.Duration) (raw string, t RefreshToken) {
	raw, hash := NewRefreshToken()
	end := now.Add(ttl)
	if s.ExpiresAt.Before(end) {
		end = s.ExpiresAt
	}
	return raw, RefreshToken{ID: iam.NewID(), Hash: hash, SessionID: s.ID, Family: family, CreatedAt: now, ExpiresAt: end}
}

// RefreshRefusal is why a refresh token is not exchanged; its text is the audit reason.
type RefreshRefusal string

const (
	RefreshMalformed RefreshRefusal = "malformed"
	RefreshUnknown   RefreshRefusal = "unknown_token"
	// RefreshReused: the token was spent already; someone holds a copy, so the session ends.
	RefreshReused               RefreshRefusal = "reused"
	RefreshSessionEnded         RefreshRefusal = "session_ended_or_expired"
	RefreshOrganizationInactive RefreshRefusal = "organization_inactive"
)

// CheckRefresh decides whether t may be exchanged at now ("" when it may). Reuse is checked
// first: a spent token is a theft signal even on an ended session. A user under an inactive
// organization, tenant or region is suspended, not ended: the token stays unspent for a
// reactivation.
func CheckRefresh(t RefreshToken, s Session, u *iam.User, hierarchyActive bool, now time.Time) RefreshRefusal {
	switch {
	case t.UsedAt != nil:
		return RefreshReused
	case !s.Usable(u) || !now.Before(s.ExpiresAt) || !now.Before(t.ExpiresAt):
		return RefreshSessionEnded
	case !hierarchyActive:
		return RefreshOrganizationInactive
	}
	return ""
}

// LastSeenEvery is how stale a session's last_seen_at may get: a request writes it only when
// the stored value is older (so a busy session costs one write a minute, not one per request).
const LastSeenEvery = time.Minute
