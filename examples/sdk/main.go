// Command sdk shows the generated Go client (package oas) as the TelemetryFlow Core SDK: log in,
// ask the decision API, refresh, log out, and carry W3C trace context on every call.
//
//	go run ./examples/sdk -url http://localhost:3000 -email admin@telemetryflow.local -password '...'
//
// The password may also come from TF_SDK_PASSWORD, so it stays out of the shell history.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/ogen-go/ogen/ogenerrors"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/oas"
)

func main() {
	cfg := config{}
	flag.StringVar(&cfg.url, "url", "http://localhost:3000", "service base URL")
	flag.StringVar(&cfg.email, "email", "admin@telemetryflow.local", "account email")
	flag.StringVar(&cfg.password, "password", os.Getenv("TF_SDK_PASSWORD"), "account password (or TF_SDK_PASSWORD)")
	flag.Parse()
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type config struct{ url, email, password string }

func run(ctx context.Context, cfg config, out io.Writer) error {
	// The transport opens a client span per call and puts its context on the wire (traceparent),
	// so with a tracer provider installed the server's spans join the caller's trace.
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	httpClient := &http.Client{Transport: traceContext{http.DefaultTransport}}

	anonymous, err := oas.NewClient(cfg.url, token(""), oas.WithClient(httpClient))
	if err != nil {
		return err
	}
	tok, err := anonymous.Login(ctx, &oas.LoginRequest{Email: cfg.email, Password: cfg.password})
	if err != nil {
		return describe("login", err)
	}
	fmt.Fprintf(out, "logged in; access token valid for %ds\n", tok.ExpiresIn)

	client, err := oas.NewClient(cfg.url, token(tok.AccessToken), oas.WithClient(httpClient))
	if err != nil {
		return err
	}
	profile, err := client.GetMe(ctx)
	if err != nil {
		return describe("me", err)
	}
	me := profile.User
	fmt.Fprintf(out, "I am %s (%s %s) with %d roles and %d permissions\n", me.Email, me.FirstName, me.LastName,
		len(profile.Roles), len(profile.Permissions))

	decision, err := client.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
		{UserID: oas.NewOptUUID(me.ID), Permission: "user:read"},
		{UserID: oas.NewOptUUID(me.ID), Permission: "metrics:read"},
	}})
	if err != nil {
		return describe("authz check", err)
	}
	for i, r := range decision.Results {
		fmt.Fprintf(out, "may %s? %v (%s)\n", []string{"user:read", "metrics:read"}[i], r.Allowed, r.Reason)
	}

	// Refresh tokens are single use: keep the new one, the old one is spent.
	tok, err = anonymous.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: tok.RefreshToken})
	if err != nil {
		return describe("refresh", err)
	}
	fmt.Fprintln(out, "refreshed; got a new refresh token")
	client, err = oas.NewClient(cfg.url, token(tok.AccessToken), oas.WithClient(httpClient))
	if err != nil {
		return err
	}

	if err := client.Logout(ctx); err != nil {
		return describe("logout", err)
	}
	fmt.Fprintln(out, "logged out")
	return nil
}

// token is a fixed bearer token; an empty one sends no Authorization header.
type token string

func (t token) BearerAuth(context.Context, oas.OperationName) (oas.BearerAuth, error) {
	if t == "" {
		return oas.BearerAuth{}, ogenerrors.ErrSkipClientSecurity
	}
	return oas.BearerAuth{Token: string(t)}, nil
}

// traceContext opens a client span per call and writes its context into W3C headers. The
// generated client has no instrumentation of its own (the service generates it without ogen's
// OpenTelemetry); the span ends when the response headers arrive, which is enough to parent the
// server's spans.
type traceContext struct{ next http.RoundTripper }

func (t traceContext) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, span := otel.Tracer("github.com/telemetryflow/core/examples/sdk").Start(r.Context(), r.Method,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
	defer span.End()
	r = r.Clone(ctx)
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(r.Header))
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "request failed")
		return nil, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
	return resp, nil
}

// describe turns the service's problem+json into a readable error.
func describe(what string, err error) error {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return fmt.Errorf("%s: %d %s: %s", what, p.StatusCode, p.Response.Code, p.Response.Detail.Or(p.Response.Title))
	}
	return fmt.Errorf("%s: %w", what, err)
}
