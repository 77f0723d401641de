package sqldb_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// The SQL driver is wrapped for tracing only when spans or metrics go somewhere: a provider
// given, or installed telemetry that exports (not installed in this test binary).
func TestInstrumentedOnlyWhenSomethingRecords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		cfg  sqldb.Config
		want bool
	}{
		{"nothing exports", sqldb.Config{}, false},
		{"a tracer provider", sqldb.Config{TracerProvider: sdktrace.NewTracerProvider()}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.cfg.URL = "sqlite:" + filepath.Join(t.TempDir(), "i.db")
			db, err := sqldb.OpenLazy(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			driver := fmt.Sprintf("%T", db.SQL.Driver())
			if got := strings.Contains(driver, "otelsql"); got != c.want {
				t.Fatalf("driver %s: instrumented %v, want %v", driver, got, c.want)
			}
		})
	}
}
