package main

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// The container probe: exit 0 against a ready server, 1 (with the reason) when nothing answers.
func TestHealthcheckCommand(t *testing.T) {
	srv := apitest.Start(t, dialect.SQLite)
	addr := strings.TrimPrefix(srv.URL, "http://")
	var out bytes.Buffer
	if code := run([]string{"healthcheck", "--http-addr", addr}, noEnv, &out, &out); code != 0 {
		t.Fatalf("against a ready server: exit %d\n%s", code, out.String())
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	out.Reset()
	if code := run([]string{"healthcheck", "--http-addr", closed}, noEnv, &out, &out); code != 1 || !strings.Contains(out.String(), "healthcheck") {
		t.Fatalf("against a closed port: exit %d\n%s", code, out.String())
	}
}

func noEnv(string) string { return "" }
