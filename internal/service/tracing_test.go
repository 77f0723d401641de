package service_test

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

var (
	recorderOnce sync.Once
	recorder     *tracetest.SpanRecorder
)

// spans installs, once per test binary, a process-wide tracer provider that records in memory.
// Tests running alongside also record into it; each test reads only its own trace.
func spans(t testing.TB) *tracetest.SpanRecorder {
	t.Helper()
	recorderOnce.Do(func() {
		recorder = tracetest.NewSpanRecorder()
		tel, err := telemetry.New(context.Background(), telemetry.Config{SpanProcessors: []sdktrace.SpanProcessor{recorder}})
		if err != nil {
			t.Fatal(err)
		}
		tel.Install(slog.New(slog.DiscardHandler))
	})
	return recorder
}

const (
	callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpan  = "00f067aa0ba902b7"
)

func inTrace(rec *tracetest.SpanRecorder, traceID string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.SpanContext().TraceID().String() == traceID {
			out = append(out, s)
		}
	}
	return out
}

func attr(s sdktrace.ReadOnlySpan, key attribute.Key) attribute.Value {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// A login through the running service continues the caller's W3C trace and produces the
// expected tree: ogen's server span for the operation, with the SQL statements and the password
// verification beneath it; nothing secret rides along in an attribute.
func TestLoginTraceSpanTree(t *testing.T) {
	rec := spans(t)
	for i, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			traceID := callerTrace[:31] + strconv.Itoa(i)
			srv := apitest.Start(t, dia)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v2/auth/login",
				strings.NewReader(`{"email":"`+apitest.AdminEmail+`","password":"`+apitest.AdminPassword+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("traceparent", "00-"+traceID+"-"+callerSpan+"-01")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("login: %d", resp.StatusCode)
			}

			got := inTrace(rec, traceID)
			var root sdktrace.ReadOnlySpan
			for _, s := range got {
				if s.Parent().IsRemote() {
					if root != nil {
						t.Fatalf("two spans claim the caller as parent: %s, %s", root.Name(), s.Name())
					}
					root = s
				}
			}
			if root == nil || root.Name() != "Login" || root.SpanKind() != trace.SpanKindServer || root.Parent().SpanID().String() != callerSpan {
				t.Fatalf("root %v", root)
			}
			if attr(root, "http.route").AsString() != "/api/v2/auth/login" || attr(root, "oas.operation").AsString() != "login" ||
				attr(root, "http.response.status_code").AsInt64() != http.StatusOK {
				t.Fatalf("server span attributes %v", root.Attributes())
			}
			system := map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgresql"}[dia]
			seen := map[string]bool{}
			for _, s := range got {
				if s == root {
					continue
				}
				if s.Parent().SpanID() != root.SpanContext().SpanID() {
					t.Errorf("%s is not a child of Login", s.Name())
				}
				switch s.Name() {
				case "sql.conn.query", "sql.conn.exec":
					if attr(s, "db.system.name").AsString() != system {
						t.Errorf("%s: db.system.name %q", s.Name(), attr(s, "db.system.name").AsString())
					}
					if strings.Contains(attr(s, "db.query.text").AsString(), "users") {
						seen["users query"] = true
					}
				case "password.Verify":
					seen["password.Verify"] = attr(s, "argon2id.memory_kib").AsInt64() > 0
				case "sql.tx.commit":
					seen["a committed write"] = true
				}
				for _, kv := range s.Attributes() {
					if v := kv.Value.Emit(); strings.Contains(v, apitest.AdminPassword) || strings.Contains(v, "$argon2id$") {
						t.Errorf("span %s attribute %s carries a secret", s.Name(), kv.Key)
					}
				}
			}
			for _, want := range []string{"users query", "password.Verify", "a committed write"} {
				if !seen[want] {
					var names []string
					for _, s := range got {
						names = append(names, s.Name())
					}
					t.Errorf("no %s under Login; spans: %v", want, names)
				}
			}
		})
	}
}
