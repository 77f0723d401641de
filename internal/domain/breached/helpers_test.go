package breached_test

import "github.com/telemetryflow/core/internal/domain/errs"

func fieldCode(err error) string {
	e := errs.As(err)
	if len(e.Fields) != 1 {
		return ""
	}
	return e.Fields[0].Code
}
