package iam

import (
	"crypto/subtle"
	"strings"
	"unicode/utf8"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// Password policy defaults (SPEC §3); the configured values (TF_PASSWORD_MIN_LENGTH,
// TF_PASSWORD_MAX_LENGTH) are passed in by the caller.
const (
	DefaultPasswordMin = 12
	DefaultPasswordMax = 128
	// MinDistinctRunes is how many different characters (compared lower-cased) a password
	// needs: "aaaaaaaaaaaa", twelve spaces or "abababababab" are long but guessed at once.
	MinDistinctRunes = 5
)

// Stable codes of the password rules, carried by the field error (docs/security.md).
const (
	CodePasswordTooShort       = "password_too_short"
	CodePasswordTooLong        = "password_too_long"
	CodePasswordTooFewDistinct = "password_too_few_distinct"
	CodePasswordIsEmail        = "password_is_email"
	CodePasswordBreached       = "password_breached"
)

// PasswordList is a list of passwords nobody should use because attackers try them first
// (the adapter internal/domain/breached holds the bundled one). The domain only asks it.
type PasswordList interface {
	// Contains reports whether the lower-cased password is on the list.
	Contains(lower string) bool
}

// PasswordPolicy carries the configured length bounds and the list of common passwords.
type PasswordPolicy struct {
	Min, Max int
	// Common refuses passwords found on a list of commonly used, breached passwords (OWASP
	// ASVS 2.1.7); nil refuses none.
	Common PasswordList
}

// Check applies the policy, rule by rule, and reports the first rule the password breaks:
// between Min and Max characters (runes, so multi-byte pass-phrases are not penalised), at
// least MinDistinctRunes different characters, not the account's own email, and not on the
// common-password list. Case is ignored by the last three rules. The password is never
// echoed in the error.
func (p PasswordPolicy) Check(pw, email string) error {
	min, max := p.Min, p.Max
	if min <= 0 {
		min = DefaultPasswordMin
	}
	if max < min {
		max = DefaultPasswordMax
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < min:
		return policyError(CodePasswordTooShort, "must be at least %d characters", min)
	case n > max:
		return policyError(CodePasswordTooLong, "must be at most %d characters", max)
	}
	lower := strings.ToLower(pw)
	if distinctRunes(lower, MinDistinctRunes) < MinDistinctRunes {
		return policyError(CodePasswordTooFewDistinct, "must contain at least %d different characters", MinDistinctRunes)
	}
	// Compared in constant time: the password is the secret of the two.
	if email != "" && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(lower)), []byte(CanonicalEmail(email))) == 1 {
		return policyError(CodePasswordIsEmail, "must not be the email address")
	}
	if p.Common != nil && p.Common.Contains(lower) {
		return policyError(CodePasswordBreached, "is a commonly used password found in breached-password lists; choose another")
	}
	return nil
}

// distinctRunes counts the different runes of s, stopping at enough.
func distinctRunes(s string, enough int) int {
	seen := make([]rune, 0, enough)
	for _, r := range s {
		if !containsRune(seen, r) {
			seen = append(seen, r)
			if len(seen) == enough {
				break
			}
		}
	}
	return len(seen)
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func policyError(code, format string, args ...any) error {
	var c checker
	c.addCode("password", code, format, args...)
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

// CheckChange is the rule for an owner replacing their own password (the current one already
// verified): the new one meets the policy and differs from the current one. Errors name the
// field new_password, as the change's body does.
func (p PasswordPolicy) CheckChange(current, next, email string) error {
	if err := p.Check(next, email); err != nil {
		return PasswordField(err, "new_password")
	}
	if next == current {
		return errs.Invalid(errs.FieldError{Field: "new_password", Message: "must differ from the current password"})
	}
	return nil
}
