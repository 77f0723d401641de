package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// The example runs against the real service, and its calls carry W3C trace context: each of the
// server's operation spans is the child of the example's client span for the same call.
func TestExampleAgainstTheService(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tel, err := telemetry.New(context.Background(), telemetry.Config{SpanProcessors: []sdktrace.SpanProcessor{rec}})
	if err != nil {
		t.Fatal(err)
	}
	tel.Install(slog.New(slog.DiscardHandler))
	srv := apitest.Start(t, dialect.SQLite)

	var out bytes.Buffer
	if err := run(context.Background(), config{url: srv.URL, email: apitest.AdminEmail, password: apitest.AdminPassword}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"logged in", "I am " + apitest.AdminEmail, "may user:read? true", "refreshed", "logged out"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	clients := map[trace.SpanID]string{}
	for _, s := range rec.Ended() {
		if s.SpanKind() == trace.SpanKindClient && s.InstrumentationScope().Name == "github.com/telemetryflow/core/examples/sdk" {
			clients[s.SpanContext().SpanID()] = s.Name()
		}
	}
	method := func(s sdktrace.ReadOnlySpan) string {
		for _, kv := range s.Attributes() {
			if kv.Key == "http.request.method" {
				return kv.Value.AsString()
			}
		}
		return ""
	}
	joined := 0
	for _, s := range rec.Ended() {
		if s.SpanKind() != trace.SpanKindServer {
			continue
		}
		if name, ok := clients[s.Parent().SpanID()]; !ok || name != method(s) || !s.Parent().IsRemote() {
			t.Errorf("server span %s: parent %v is not the client's span for the call", s.Name(), s.Parent().SpanID())
			continue
		}
		joined++
	}
	if joined != 5 {
		t.Fatalf("%d server spans joined the client's trace, want 5 (login, me, check, refresh, logout)", joined)
	}
}
