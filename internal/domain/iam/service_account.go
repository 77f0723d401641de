package iam

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// UserKind says how a user authenticates.
type UserKind string

const (
	// KindHuman logs in with an email and a password.
	KindHuman UserKind = "human"
	// KindService is a service account: a machine identity that never has a password and
	// authenticates as an OAuth2 client (a secret or a private_key_jwt key).
	KindService UserKind = "service"
)

// serviceAccountDomain is the domain of the placeholder email every service account gets, so
// the email stays unique and non-empty for every user. .invalid is reserved (RFC 2606): no
// such address can receive mail, and no password matches a service account anyway.
const serviceAccountDomain = "@service-accounts.invalid"

// ServiceAccountFields are the fields of a service account a caller sets.
type ServiceAccountFields struct {
	Name, Description *string
}

// NewServiceAccount builds an active service account of the organization: its name is kept
// as the user's first name, it has no password and no last name.
func NewServiceAccount(org uuid.UUID, f ServiceAccountFields, now time.Time) (*User, error) {
	u := &User{ID: NewID(), OrganizationID: org, Status: StatusActive, Kind: KindService,
		CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	u.Email = strings.ToLower(u.ID.String()) + serviceAccountDomain
	var c checker
	u.FirstName = c.name("name", deref(f.Name))
	u.Description = c.description(deref(f.Description))
	return u, c.err()
}

// ApplyServiceAccount changes a service account's name or description.
func (u *User) ApplyServiceAccount(f ServiceAccountFields, now time.Time) error {
	if f == (ServiceAccountFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		u.FirstName = c.name("name", *f.Name)
	}
	if f.Description != nil {
		u.Description = c.description(*f.Description)
	}
	u.UpdatedAt = Stamp(now)
	return c.err()
}

// IsService reports whether the user is a service account.
func (u *User) IsService() bool { return u.Kind == KindService }

// NoPasswordForServiceAccount refuses setting a password on a service account: it
// authenticates only as an OAuth2 client.
func NoPasswordForServiceAccount() error {
	return errs.Invalid(errs.FieldError{Field: "new_password", Code: "service_account_has_no_password",
		Message: "a service account has no password; it authenticates with a client secret or key"})
}
