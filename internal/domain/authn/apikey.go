package authn

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// APIKey is a personal access token of one user, as stored: its secret only as a keyed hash
// (internal/crypto/apikey). It acts as its owner, narrowed to Permissions when the list is
// set: the effective permissions are the list intersected with the owner's current ones.
type APIKey struct {
	ID     uuid.UUID
	UserID uuid.UUID
	Name   string
	Prefix string
	Hash   []byte
	// Permissions is nil for a key with all of its owner's permissions.
	Permissions []string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
}

// MaxAPIKeysPerUser bounds the live keys of one user (and so the owner's list).
const MaxAPIKeysPerUser = 50

// Codes of the API key rules.
const CodeTooManyAPIKeys = "too_many_api_keys"

// NewAPIKey validates what a user asks for and builds the key (without its secret): a name,
// the permission list (nil: all of the owner's; duplicates dropped, sorted; each a well-formed
// name) and an expiry in the future. Whether the names exist and whether the owner holds them
// is checked by the use case, which reads the catalog and the owner's permissions.
func NewAPIKey(userID uuid.UUID, name string, permissions []string, expiresAt *time.Time, now time.Time) (APIKey, error) {
	var fields []errs.FieldError
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		fields = append(fields, errs.FieldError{Field: "name", Message: "must not be empty"})
	case utf8.RuneCountInString(name) > iam.MaxNameLen:
		fields = append(fields, errs.FieldError{Field: "name", Message: "must be at most 100 characters"})
	case strings.ContainsFunc(name, unicode.IsControl):
		fields = append(fields, errs.FieldError{Field: "name", Message: "must not contain control characters"})
	}
	var list []string
	if permissions != nil {
		if len(permissions) == 0 {
			fields = append(fields, errs.FieldError{Field: "permissions",
				Message: "must name at least one permission; omit it for all of your permissions"})
		}
		list = make([]string, 0, len(permissions))
		for _, p := range permissions {
			if _, _, err := rbac.ParsePermission(p); err != nil {
				fields = append(fields, errs.FieldError{Field: "permissions", Message: p + ": " + err.Error()})
				continue
			}
			list = append(list, p)
		}
		slices.Sort(list)
		list = slices.Compact(list)
	}
	if expiresAt != nil {
		at := expiresAt.UTC()
		if !at.After(now) {
			fields = append(fields, errs.FieldError{Field: "expires_at", Message: "must be in the future"})
		}
		expiresAt = &at
	}
	if len(fields) > 0 {
		return APIKey{}, errs.Invalid(fields...)
	}
	return APIKey{ID: iam.NewID(), UserID: userID, Name: name, Permissions: list, CreatedAt: now, ExpiresAt: expiresAt}, nil
}

// UnknownPermissions is the 400 for list entries the catalog does not hold.
func UnknownPermissions(names []string) error {
	fields := make([]errs.FieldError, 0, len(names))
	for _, n := range names {
		fields = append(fields, errs.FieldError{Field: "permissions", Code: "unknown_permission", Message: n + ": no such permission"})
	}
	return errs.Invalid(fields...)
}

// CheckAPIKeyCount refuses a key beyond MaxAPIKeysPerUser live ones.
func CheckAPIKeyCount(live int) error {
	if live < MaxAPIKeysPerUser {
		return nil
	}
	return errs.New(errs.KindConflict, CodeTooManyAPIKeys,
		"You have the maximum number of API keys; revoke one first.")
}

// Why an API key is refused at use (the audit reason of token_rejected).
const (
	KeyUnknown       = "api_key_unknown"
	KeyRevoked       = "api_key_revoked"
	KeyExpired       = "api_key_expired"
	KeyOwnerInactive = "api_key_owner_inactive"
	KeyOwnerPlaced   = "api_key_organization_inactive"
)

// Refusal says why the key may not be used at now ("" when it may): revoked, expired, or its
// owner deleted or not active (ownerUsable) or under an inactive organization, tenant or
// region (ownerPlaced).
func (k APIKey) Refusal(now time.Time, ownerUsable, ownerPlaced bool) string {
	switch {
	case k.RevokedAt != nil:
		return KeyRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return KeyExpired
	case !ownerUsable:
		return KeyOwnerInactive
	case !ownerPlaced:
		return KeyOwnerPlaced
	}
	return ""
}

// OwnerUsable reports whether u may act through a key: live and active, like a session.
func OwnerUsable(u *iam.User) bool { return u.DeletedAt == nil && u.Status.CanLogIn() }
