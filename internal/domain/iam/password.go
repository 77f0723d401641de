package iam

import (
	"crypto/subtle"
	"strings"
	"unicode/utf8"

	"github.com/telemetryflow/core/internal/errs"
)

// Password policy defaults (SPEC §3); the configured values (TF_PASSWORD_MIN_LENGTH,
// TF_PASSWORD_MAX_LENGTH) are passed in by the caller.
const (
	DefaultPasswordMin = 12
	DefaultPasswordMax = 128
)

// ValidatePassword applies the password policy: between min and max characters (runes, so
// multi-byte pass-phrases are not penalised) and not the account's own email. The password is
// never echoed in the error.
func ValidatePassword(pw, email string, min, max int) error {
	if min <= 0 {
		min = DefaultPasswordMin
	}
	if max < min {
		max = DefaultPasswordMax
	}
	field := "password"
	n := utf8.RuneCountInString(pw)
	switch {
	case n < min:
		return policyError(field, "must be at least %d characters", min)
	case n > max:
		return policyError(field, "must be at most %d characters", max)
	}
	// Compared in constant time: the password is the secret of the two.
	if email != "" && subtle.ConstantTimeCompare([]byte(strings.ToLower(strings.TrimSpace(pw))), []byte(strings.ToLower(strings.TrimSpace(email)))) == 1 {
		return policyError(field, "must not be the email address")
	}
	return nil
}

func policyError(field, format string, args ...any) error {
	var c checker
	c.add(field, format, args...)
	return c.err()
}

// PasswordField renames the field of a policy error, for operations whose body calls it
// differently (new_password).
func PasswordField(err error, field string) error {
	e, ok := err.(*errs.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = append([]errs.FieldError(nil), e.Fields...)
	for i := range out.Fields {
		out.Fields[i].Field = field
	}
	return &out
}
