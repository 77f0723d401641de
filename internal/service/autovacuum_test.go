package service_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// A service on a PostgreSQL server without autovacuum says so once at start, and one on a
// server with it says nothing about it. This machine's server has it off.
func TestStartWarnsWhenAutovacuumIsOff(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t, dialect.Postgres)
	env := map[string]string{
		"TF_DATABASE_URL": url, "TF_DATA_DIR": t.TempDir(),
		"TF_BOOTSTRAP_ADMIN_EMAIL": "admin@example.com", "TF_BOOTSTRAP_ADMIN_PASSWORD": "Adm1n-bootstrap-Pa55phrase",
		"TF_ARGON2_MEMORY_KIB": "8192", "TF_ARGON2_ITERATIONS": "1",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(context.Background(), sqldb.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var shown string
	if err := db.SQL.QueryRow("SHOW autovacuum").Scan(&shown); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	svc, err := service.New(context.Background(), cfg, service.Options{Log: logging.New(logs, "info", "json"), Announce: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	warned := strings.Count(logs.String(), `"msg":"PostgreSQL autovacuum is off`)
	if want := map[string]int{"off": 1, "on": 0}[shown]; warned != want {
		t.Fatalf("autovacuum %s: %d warnings at start, want %d; log:\n%s", shown, warned, want, logs.String())
	}
}
