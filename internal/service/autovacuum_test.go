package service_test

import (
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// A service on a PostgreSQL server without autovacuum says so once at start, and one on a
// server with it says nothing about it. This machine's server has it off.
func TestStartWarnsWhenAutovacuumIsOff(t *testing.T) {
	t.Parallel()
	logs := &lockedBuffer{}
	srv := apitest.Start(t, dialect.Postgres, apitest.WithLog(logging.New(logs, "info", "json")))
	var shown string
	if err := srv.DB(t).SQL.QueryRow("SHOW autovacuum").Scan(&shown); err != nil {
		t.Fatal(err)
	}
	warned := strings.Count(logs.String(), `"msg":"PostgreSQL autovacuum is off`)
	if want := map[string]int{"off": 1, "on": 0}[shown]; warned != want {
		t.Fatalf("autovacuum %s: %d warnings at start, want %d; log:\n%s", shown, warned, want, logs.String())
	}
}
