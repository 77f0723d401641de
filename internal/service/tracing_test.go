package service_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/database"
	"github.com/telemetryflow/core/internal/errs"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/password"
	"github.com/telemetryflow/core/internal/principal"
	"github.com/telemetryflow/core/internal/seed"
	"github.com/telemetryflow/core/internal/server"
	"github.com/telemetryflow/core/internal/telemetry"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

var (
	recorderOnce sync.Once
	recorder     *tracetest.SpanRecorder
)

// spans installs, once per test binary, a process-wide tracer provider that records in memory.
// Tests running alongside also record into it; each test reads only its own trace.
func spans(t *testing.T) *tracetest.SpanRecorder {
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

// The running service continues the caller's W3C trace: ogen's server span for the operation
// is a child of the caller's span and carries the route template and status.
func TestServiceContinuesCallerTrace(t *testing.T) {
	rec := spans(t)
	srv := apitest.Start(t, dialect.SQLite)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v2/users/0198f4d0-0000-7000-8000-000000000001", nil)
	req.Header.Set("traceparent", "00-"+callerTrace+"-"+callerSpan+"-01")
	req.Header.Set("Authorization", "Bearer not-a-valid-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	got := inTrace(rec, callerTrace)
	if len(got) != 1 {
		t.Fatalf("want exactly the server span in the caller's trace, got %d", len(got))
	}
	s := got[0]
	if s.Name() != "GetUser" || s.SpanKind() != trace.SpanKindServer || s.Parent().SpanID().String() != callerSpan || !s.Parent().IsRemote() {
		t.Fatalf("span %q kind %v parent %v", s.Name(), s.SpanKind(), s.Parent())
	}
	if attr(s, "http.route").AsString() != "/api/v2/users/{id}" || attr(s, "oas.operation").AsString() != "getUser" ||
		attr(s, "http.response.status_code").AsInt64() != http.StatusUnauthorized {
		t.Fatalf("attributes %v", s.Attributes())
	}
}

// loginStandIn does what a login does to the stores, so the instrumentation of each layer
// shows in one trace: ent over the instrumented pool, then argon2id.
type loginStandIn struct {
	*httpapi.Handler
	db     *database.DB
	hasher *password.Hasher
}

func (h loginStandIn) Login(ctx context.Context, req *oas.LoginRequest) (*oas.TokenResponse, error) {
	u, err := h.db.Ent.User.Query().Where(user.EmailEQ(req.Email)).Only(ctx)
	if err != nil {
		return nil, err
	}
	if ok, _, err := h.hasher.Verify(ctx, req.Password, u.PasswordHash); err != nil || !ok {
		return nil, errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "wrong credentials")
	}
	return nil, errs.New(errs.KindNotImplemented, errs.CodeNotImplemented, "stand-in")
}

type noTokens struct{}

func (noTokens) Verify(context.Context, string) (*principal.Principal, error) {
	return nil, errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "no tokens here")
}

// A request produces the expected tree: the operation's server span, with the SQL statements
// and the password verification beneath it.
func TestSpanTreeOfARequest(t *testing.T) {
	rec := spans(t)
	ctx := context.Background()
	db := dbtest.Open(t, dialect.SQLite)
	hasher, err := password.New(password.Config{MemoryKiB: 8192, Iterations: 1, Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Run(ctx, db.Ent, seed.Config{AdminEmail: "admin@example.com", AdminPassword: "correct-horse-battery", Hasher: hasher, GeneratePassword: password.Generate}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	h := loginStandIn{Handler: httpapi.NewHandler(log, httpapi.Areas{Auth: &httpapi.AuthAPI{}, IAM: &httpapi.IAMAPI{}, Audit: &httpapi.AuditAPI{}, Authz: &httpapi.AuthzAPI{}}), db: db, hasher: hasher}
	api, err := oas.NewServer(h, httpapi.NewSecurity(noTokens{}))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.Routes{API: api, Health: server.NewHealth(0), Problem: httpapi.PlainProblem(log), Log: log, Wrap: telemetry.Middleware}.Handler())
	defer ts.Close()

	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v2/auth/login", strings.NewReader(`{"email":"admin@example.com","password":"wrong-password-here"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+callerTrace[:30]+"aa-"+callerSpan+"-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d", resp.StatusCode)
	}

	var root sdktrace.ReadOnlySpan
	children := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range inTrace(rec, callerTrace[:30]+"aa") {
		if s.Parent().IsRemote() {
			root = s
			continue
		}
		children[s.Parent().SpanID().String()] = append(children[s.Parent().SpanID().String()], s)
	}
	if root == nil || root.Name() != "Login" || root.SpanKind() != trace.SpanKindServer {
		t.Fatalf("root %v", root)
	}
	var sawQuery, sawVerify bool
	for _, c := range children[root.SpanContext().SpanID().String()] {
		switch c.Name() {
		case "sql.conn.query":
			sawQuery = strings.Contains(attr(c, "db.query.text").AsString(), "users") && attr(c, "db.system.name").AsString() == "sqlite"
		case "password.Verify":
			sawVerify = attr(c, "argon2id.memory_kib").AsInt64() == 8192
		}
	}
	if !sawQuery || !sawVerify {
		var names []string
		for _, c := range children[root.SpanContext().SpanID().String()] {
			names = append(names, c.Name())
		}
		t.Fatalf("children of Login: %v; want the users query and password.Verify", names)
	}
}
