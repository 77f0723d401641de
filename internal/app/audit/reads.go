package audit

import "github.com/telemetryflow/core/internal/domain/errs"

// Reads is which executed reads leave a DATA row (TF_AUDIT_READS). The zero value records
// every read: in the seed's permission-check flow every authorized, executed request ends
// with "Log: DATA SUCCESS".
type Reads uint8

const (
	// ReadsAll records every executed read.
	ReadsAll Reads = iota
	// ReadsSensitive records the sensitive reads (and the audit trail's).
	ReadsSensitive
	// ReadsNone records only reads of the audit trail.
	ReadsNone
)

var readsNames = [...]string{ReadsAll: "all", ReadsSensitive: "sensitive", ReadsNone: "none"}

func (r Reads) String() string { return enumName(readsNames[:], r) }

// ParseReads accepts the setting's names: all, sensitive, none.
func ParseReads(s string) (Reads, bool) { return parseEnum[Reads](readsNames[:], s) }

// ReadKind is what a read reveals, which decides whether the setting records it.
type ReadKind uint8

const (
	// ReadOrdinary reads entities or lists of them, or the caller's own profile.
	ReadOrdinary ReadKind = iota
	// ReadSensitive reveals who holds what: grants, members, effective permissions,
	// authorization decisions about another user.
	ReadSensitive
	// ReadAuditTrail reads the audit log itself.
	ReadAuditTrail
)

// Records is the one rule of which reads leave a DATA row: the audit trail's always ("who
// looked at the audit trail?" must stay answerable whatever the setting), sensitive reads
// unless the setting is none, ordinary reads only with all.
func (r Reads) Records(k ReadKind) bool {
	switch k {
	case ReadAuditTrail:
		return true
	case ReadSensitive:
		return r != ReadsNone
	default:
		return r == ReadsAll
	}
}

// Outcome is the result column and error message of a use case that ended with err: SUCCESS
// for nil, DENIED for a refusal, FAILURE for anything else (a 404 included). The message is
// the error's code and safe message only: internal causes can hold SQL or data.
func Outcome(err error) (Result, string) {
	if err == nil {
		return ResultSuccess, ""
	}
	e := errs.As(err)
	if e.Kind == errs.KindForbidden {
		return ResultDenied, e.Code + ": " + e.Message
	}
	return ResultFailure, e.Code + ": " + e.Message
}
