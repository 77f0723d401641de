package event

import "github.com/google/uuid"

// AggregateSession is the aggregate type of the session events.
const AggregateSession = "session"

// Authentication events. They travel through the outbox like every IAM change, so the caches
// that hold sessions are invalidated by the same subscriber on this and (with Redis) every
// other replica. A refresh that rotates its token emits nothing: it changes nothing anybody
// caches, and it is the hot path of every long-lived client.

// SessionOpened: a login succeeded and opened a session.
type SessionOpened struct {
	SessionID      uuid.UUID `json:"session_id"`
	UserID         uuid.UUID `json:"user_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	// PasswordRehashed: the stored hash was replaced with one of the current parameters.
	PasswordRehashed bool `json:"password_rehashed,omitempty"`
}

func (e SessionOpened) Meta() Meta { return v1("SessionOpened", AggregateSession, e.SessionID) }

// SessionEnded: one session was revoked; its access and refresh tokens stop working at once.
// Reason is authn.EndLogout or authn.EndRefreshTokenReuse (a spent refresh token was
// presented again, so somebody holds a copy).
type SessionEnded struct {
	SessionID uuid.UUID `json:"session_id"`
	UserID    uuid.UUID `json:"user_id"`
	Reason    string    `json:"reason"`
}

func (e SessionEnded) Meta() Meta { return v1("SessionEnded", AggregateSession, e.SessionID) }

// PasswordChanged: a user changed their own password; every other session of theirs was
// revoked and any lockout cleared in the same transaction.
type PasswordChanged struct {
	UserID          uuid.UUID `json:"user_id"`
	KeptSessionID   uuid.UUID `json:"kept_session_id"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e PasswordChanged) Meta() Meta { return v1("PasswordChanged", AggregateUser, e.UserID) }

func init() {
	register[SessionOpened]()
	register[SessionEnded]()
	register[PasswordChanged]()
}
