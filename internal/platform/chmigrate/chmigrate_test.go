package chmigrate_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

var update = flag.Bool("update", false, "rewrite the golden DDL files from the server")

// objects are everything the migrations create, compared with testdata/<name>.sql.
var objects = []string{
	"audit_logs", "audit_logs_stats", "audit_logs_stats_mv",
	"audit_logs_user_activity", "audit_logs_user_activity_mv", "schema_migrations",
	"audit_logs_stats_by_target", "audit_logs_stats_by_target_mv",
	"audit_logs_user_activity_by_target", "audit_logs_user_activity_by_target_mv",
}

func showCreate(t *testing.T, s *chtest.Server, name string) string {
	t.Helper()
	var stmt proto.ColStr
	if err := s.Client.Do(context.Background(), ch.Query{
		Body:   "SHOW CREATE TABLE " + name,
		Result: proto.Results{{Name: "statement", Data: &stmt}},
	}); err != nil {
		t.Fatalf("show create %s: %v", name, err)
	}
	// The per-test database name is random; golden files use none.
	return strings.ReplaceAll(stmt.Row(0), s.Database+".", "") + "\n"
}

// TestGoldenDDL applies the migrations and compares the DDL ClickHouse reports with the
// committed files, so any change to the schema is a visible, reviewed diff.
func TestGoldenDDL(t *testing.T) {
	t.Parallel()
	s := chtest.New(t)
	r, err := chmigrate.New(s.Client, chmigrate.Config{RetentionDays: 90})
	if err != nil {
		t.Fatal(err)
	}
	applied, err := r.Up(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 3 {
		t.Fatalf("applied %v", applied)
	}
	for _, name := range objects {
		got := showCreate(t, s, name)
		path := filepath.Join("testdata", name+".sql")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/chmigrate -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s:\n--- server\n%s\n--- golden\n%s", name, path, got, want)
		}
	}
}

func TestUpIsIdempotentAndStatusTracksVersions(t *testing.T) {
	t.Parallel()
	s := chtest.New(t)
	ctx := context.Background()
	r, err := chmigrate.New(s.Client, chmigrate.Config{RetentionDays: 90})
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.Status(ctx)
	if err != nil || st.Applied != 0 || len(st.Pending) != 3 {
		t.Fatalf("before: %+v %v", st, err)
	}
	if _, err := r.Up(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := r.Up(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second up applied %v (%v)", again, err)
	}
	st, err = r.Status(ctx)
	if err != nil || st.Applied != 3 || len(st.Pending) != 0 || st.Current != "20261130000003" {
		t.Fatalf("after: %+v %v", st, err)
	}
}

func TestRetentionIsAParameterAndChangesApply(t *testing.T) {
	t.Parallel()
	s := chtest.New(t)
	ctx := context.Background()
	for _, days := range []int{30, 400} {
		r, err := chmigrate.New(s.Client, chmigrate.Config{RetentionDays: days})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Up(ctx); err != nil {
			t.Fatal(err)
		}
		want := "toIntervalDay(" + strconv.Itoa(days) + ")"
		for _, table := range []string{"audit_logs", "audit_logs_stats", "audit_logs_user_activity",
			"audit_logs_stats_by_target", "audit_logs_user_activity_by_target"} {
			if ddl := showCreate(t, s, table); !strings.Contains(ddl, "TTL ") || !strings.Contains(ddl, want) {
				t.Fatalf("retention %d: %s has\n%s", days, table, ddl)
			}
		}
	}
	if _, err := chmigrate.New(s.Client, chmigrate.Config{RetentionDays: 0}); err == nil {
		t.Fatal("retention 0 accepted")
	}
}

func TestChangedMigrationIsRefused(t *testing.T) {
	t.Parallel()
	s := chtest.New(t)
	ctx := context.Background()
	files := fstest.MapFS{"0001_t.sql": {Data: []byte("CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = Memory;\n")}}
	r, err := chmigrate.New(s.Client, chmigrate.Config{RetentionDays: 1, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	// The retention step needs the audit tables; only the history matters here.
	_, _ = r.Up(ctx)
	files["0001_t.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE IF NOT EXISTS t (x UInt16) ENGINE = Memory;\n")}
	r, err = chmigrate.New(s.Client, chmigrate.Config{RetentionDays: 1, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Up(ctx); err == nil || !strings.Contains(err.Error(), "changed after it was applied") {
		t.Fatalf("changed migration: %v", err)
	}
}

func TestStatements(t *testing.T) {
	t.Parallel()
	got := chmigrate.Statements("-- a comment; with a semicolon\nCREATE TABLE a (x UInt8)\nENGINE = Memory;\n\nCREATE VIEW v AS SELECT 1;\n")
	want := []string{"CREATE TABLE a (x UInt8)\nENGINE = Memory", "CREATE VIEW v AS SELECT 1"}
	if !slices.Equal(got, want) {
		t.Fatalf("%q", got)
	}
}
