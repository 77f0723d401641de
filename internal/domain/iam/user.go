package iam

import (
	"time"

	"github.com/google/uuid"
)

// User is a person or system that logs in.
type User struct {
	ID                uuid.UUID
	Email             string
	PasswordHash      string // argon2id PHC string; never logged, never returned
	FirstName         string
	LastName          string
	OrganizationID    uuid.UUID
	Status            UserStatus
	LastLoginAt       *time.Time
	FailedLoginCount  int
	LockedUntil       *time.Time
	PasswordChangedAt *time.Time
	// Kind is human (logs in with a password) or service (a machine identity, no password).
	Kind        UserKind
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   *time.Time
}

// UserFields are the profile fields of a user. Status and password change through their own
// operations.
type UserFields struct {
	Email, FirstName, LastName *string
}

// NewUser validates the profile and the initial password together (so one answer lists every
// problem) and builds a user in status created. The caller hashes the password and calls
// SetPassword.
func NewUser(org uuid.UUID, f UserFields, password string, policy PasswordPolicy, now time.Time) (*User, error) {
	u := &User{ID: NewID(), OrganizationID: org, Status: StatusCreated, Kind: KindHuman, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	u.Email = c.email("email", deref(f.Email))
	u.FirstName = c.personName("first_name", deref(f.FirstName))
	u.LastName = c.personName("last_name", deref(f.LastName))
	if err := policy.Check(password, u.Email); err != nil {
		c.fields = append(c.fields, fieldsOf(err)...)
	}
	return u, c.err()
}

// Apply changes the given profile fields.
func (u *User) Apply(f UserFields, now time.Time) error {
	if f == (UserFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Email != nil {
		u.Email = c.email("email", *f.Email)
	}
	if f.FirstName != nil {
		u.FirstName = c.personName("first_name", *f.FirstName)
	}
	if f.LastName != nil {
		u.LastName = c.personName("last_name", *f.LastName)
	}
	u.UpdatedAt = Stamp(now)
	return c.err()
}

// Transition moves the user through the lifecycle; deleting also marks the row deleted so it
// disappears from every query and frees the email.
func (u *User) Transition(a UserAction, now time.Time) error {
	next, err := u.Status.Next(a)
	if err != nil {
		return err
	}
	u.Status = next
	u.UpdatedAt = Stamp(now)
	if next == StatusDeleted {
		at := Stamp(now)
		u.DeletedAt = &at
	}
	return nil
}

// SetPassword stores a new hash and records when it changed. It also clears a lockout: an
// administrator who sets a password means the account to be usable again.
func (u *User) SetPassword(hash string, now time.Time) {
	at := Stamp(now)
	u.PasswordHash = hash
	u.PasswordChangedAt = &at
	u.FailedLoginCount = 0
	u.LockedUntil = nil
	u.UpdatedAt = at
}
