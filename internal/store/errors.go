package store

import (
	"errors"
	"strings"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/domain/errs"
)

// unique maps the names a unique violation can carry — the PostgreSQL index name, or the
// SQLite "table.column" list — to the API field it is about.
type unique map[string]string

// mapErr turns ent and driver errors into the error model: a missing row becomes
// <resource>_not_found, a unique violation already_exists naming the field, anything else
// internal. Unique violations are recognised on both dialects: ent classifies the driver's
// message (PostgreSQL SQLSTATE 23505 "violates unique constraint", SQLite "UNIQUE constraint
// failed") as a ConstraintError.
func mapErr(err error, resource string, fields unique) error {
	if err == nil {
		return nil
	}
	var own *errs.Error
	if errors.As(err, &own) {
		return own
	}
	if ent.IsNotFound(err) && resource != "" {
		return errs.NotFound(resource)
	}
	if ent.IsConstraintError(err) && isUnique(err) {
		field := fieldOf(err.Error(), fields)
		return errs.Conflict(field, "The "+field+" is already in use.")
	}
	return errs.Internal(err)
}

func isUnique(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "violates unique constraint") || strings.Contains(msg, "UNIQUE constraint failed") ||
		strings.Contains(msg, "SQLSTATE 23505")
}

// fieldOf finds which of the known unique keys the message names; the first key listed in
// fields (by its "" entry) is the fallback.
func fieldOf(msg string, fields unique) string {
	for name, field := range fields {
		if name != "" && strings.Contains(msg, name) {
			return field
		}
	}
	if f, ok := fields[""]; ok {
		return f
	}
	return "id"
}
