package apitest

import (
	"testing"

	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// Each runs body as a parallel subtest per dialect, each against its own server on its own
// fresh database: the API-level twin of dbtest.Each.
func Each(t *testing.T, body func(t *testing.T, srv *Server)) {
	t.Helper()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			body(t, Start(t, dia))
		})
	}
}
