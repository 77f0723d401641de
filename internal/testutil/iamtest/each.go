package iamtest

import (
	"testing"

	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// Each runs body as a parallel subtest per dialect, each on its own seeded store with the
// application on top (dbtest.Each, then New).
func Each(t *testing.T, body func(t *testing.T, e *Env)) {
	t.Helper()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) { body(t, New(t, db)) })
}
