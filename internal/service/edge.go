package service

import (
	"github.com/telemetryflow/core/internal/contract"
)

// publicBodyBytes caps the bodies of public operations (login, refresh): their largest valid
// body (a 254-character email and a 1024-character password, every character escaped) is
// far below it, and an unauthenticated caller must not make the process hold megabytes.
const publicBodyBytes = 16 << 10

// bodyLimits caps a request body by its operation: public contract operations at
// publicBodyBytes (or max, if lower), everything else at max.
func bodyLimits(ops []contract.Operation, max int) func(operation string) int64 {
	public := map[string]bool{}
	for _, op := range ops {
		if op.Public {
			public[op.ID] = true
		}
	}
	return func(operation string) int64 {
		if public[operation] {
			return int64(min(publicBodyBytes, max))
		}
		return int64(max)
	}
}
