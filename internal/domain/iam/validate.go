package iam

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// Limits and patterns shared by the contract (openapi.yaml) and the schema (ent/schema). The
// domain checks them again so a rule holds whichever adapter calls it.
const (
	MaxNameLen        = 100
	MaxDescriptionLen = 1000
	MaxEmailLen       = 254
	MaxDomainLen      = 253
)

var (
	slugPattern       = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	regionCodePattern = regexp.MustCompile(`^[a-z0-9-]{2,50}$`)
	roleNamePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,99}$`)
	permPartPattern   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,49}$`)
	domainPattern     = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$`)
)

// checker collects every field problem of one request, so the caller learns all of them at
// once instead of one per round trip.
type checker struct{ fields []errs.FieldError }

func (c *checker) add(field, format string, args ...any) {
	c.fields = append(c.fields, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// addCode adds a field error that names the rule it breaks with a stable code.
func (c *checker) addCode(field, code, format string, args ...any) {
	c.fields = append(c.fields, errs.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// err is nil when every check passed, else a 400 validation_failed listing the fields.
func (c *checker) err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return errs.Invalid(c.fields...)
}

// name checks a required display name and returns it trimmed.
func (c *checker) name(field, v string) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		c.add(field, "must not be empty")
	case utf8.RuneCountInString(v) > MaxNameLen:
		c.add(field, "must be at most %d characters", MaxNameLen)
	case hasControl(v):
		c.add(field, "must not contain control characters")
	}
	return v
}

// personName checks an optional first or last name.
func (c *checker) personName(field, v string) string {
	v = strings.TrimSpace(v)
	switch {
	case utf8.RuneCountInString(v) > MaxNameLen:
		c.add(field, "must be at most %d characters", MaxNameLen)
	case hasControl(v):
		c.add(field, "must not contain control characters")
	}
	return v
}

func (c *checker) description(v string) string {
	if utf8.RuneCountInString(v) > MaxDescriptionLen {
		c.add("description", "must be at most %d characters", MaxDescriptionLen)
	}
	return v
}

func (c *checker) pattern(field, v string, re *regexp.Regexp, what string) string {
	if !re.MatchString(v) {
		c.add(field, "must be %s", what)
	}
	return v
}

func (c *checker) slug(v string) string {
	return c.pattern("slug", v, slugPattern, "1-63 lower-case letters, digits or inner dashes")
}

func (c *checker) email(field, v string) string {
	e, err := NormalizeEmail(v)
	if err != nil {
		c.add(field, "%s", err.Error())
	}
	return e
}

// CanonicalEmail is the one normalisation of an email address: trimmed and lower-cased.
// Emails are stored in this form, so they are unique case-insensitively; everything that
// looks an address up or derives a key from it (login, lockout counts, the bootstrap
// administrator, list filters, the password policy) canonicalises through here.
func CanonicalEmail(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// NormalizeEmail canonicalises an address and checks it is a plain address (no display name,
// no comments).
func NormalizeEmail(v string) (string, error) {
	e := CanonicalEmail(v)
	if len(e) < 3 || len(e) > MaxEmailLen {
		return e, fmt.Errorf("must be 3-%d characters", MaxEmailLen)
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return e, fmt.Errorf("must be a valid email address")
	}
	local, host, _ := strings.Cut(e, "@")
	if local == "" || host == "" || strings.ContainsAny(e, " \t\r\n") {
		return e, fmt.Errorf("must be a valid email address")
	}
	return e, nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// emptyPatch is the error for an update that changes nothing: the contract requires at least
// one property, and ogen does not enforce minProperties.
func emptyPatch() error {
	return errs.Invalid(errs.FieldError{Field: "body", Message: "must set at least one property"})
}

// fieldsOf returns the field errors of a validation error (none for other errors).
func fieldsOf(err error) []errs.FieldError {
	if e, ok := err.(*errs.Error); ok {
		return e.Fields
	}
	return nil
}

// deref is the value of an optional field, or its zero value.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
