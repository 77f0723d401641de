// Command serviceaccount shows a machine identity calling TelemetryFlow Core: a service
// account's client credentials go through the standard Go OAuth2 client
// (golang.org/x/oauth2/clientcredentials, client_secret_basic) to the token endpoint named by
// the discovery document, and the generated client (package oas) asks the decision API with
// the token it renews on its own.
//
//	TF_CLIENT_SECRET=tfcs_... go run ./examples/sdk/serviceaccount -url http://localhost:3000 -client-id <service account id>
//
// The secret comes from TF_CLIENT_SECRET only, so it stays out of the shell history.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/telemetryflow/core/oas"
)

func main() {
	cfg := config{secret: os.Getenv("TF_CLIENT_SECRET")}
	flag.StringVar(&cfg.url, "url", "http://localhost:3000", "service base URL")
	flag.StringVar(&cfg.clientID, "client-id", "", "the service account's client_id (its id)")
	flag.StringVar(&cfg.tokenURL, "token-url", "", "token endpoint (empty: the discovery document's, which follows TF_PUBLIC_URL)")
	flag.StringVar(&cfg.scope, "scope", "", "space-separated permissions to narrow the token to (empty: all the account holds)")
	flag.Parse()
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type config struct{ url, clientID, secret, scope, tokenURL string }

func run(ctx context.Context, cfg config, out io.Writer) error {
	anonymous, err := oas.NewClient(cfg.url, noToken{})
	if err != nil {
		return err
	}
	// Discovery says where the token endpoint is (RFC 8414).
	meta, err := anonymous.GetOAuthServerMetadata(ctx)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	fmt.Fprintf(out, "issuer %s, token endpoint %s\n", meta.Issuer, meta.TokenEndpoint)

	tokenURL := cfg.tokenURL
	if tokenURL == "" {
		tokenURL = meta.TokenEndpoint
	}
	cc := clientcredentials.Config{ClientID: cfg.clientID, ClientSecret: cfg.secret, TokenURL: tokenURL,
		AuthStyle: oauth2.AuthStyleInHeader}
	if cfg.scope != "" {
		cc.Scopes = strings.Fields(cfg.scope)
	}
	// The token source fetches a token, caches it and fetches the next one shortly before it
	// expires (client_credentials issues no refresh token).
	tokens := cc.TokenSource(ctx)
	tok, err := tokens.Token()
	if err != nil {
		return fmt.Errorf("client credentials: %w", err)
	}
	fmt.Fprintf(out, "got a %s token for %s, scope %q\n", tok.TokenType, cfg.clientID, tok.Extra("scope"))

	client, err := oas.NewClient(cfg.url, fromSource{tokens})
	if err != nil {
		return err
	}
	checks := []string{"user:read", "user:delete"}
	decision, err := client.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
		{Permission: checks[0]}, {Permission: checks[1]},
	}})
	if err != nil {
		return describe("authz check", err)
	}
	for i, r := range decision.Results {
		fmt.Fprintf(out, "may %s? %v (%s)\n", checks[i], r.Allowed, r.Reason)
	}
	return nil
}

// fromSource hands the generated client the current token of an OAuth2 token source.
type fromSource struct{ src oauth2.TokenSource }

func (f fromSource) BearerAuth(context.Context, oas.OperationName) (oas.BearerAuth, error) {
	t, err := f.src.Token()
	if err != nil {
		return oas.BearerAuth{}, err
	}
	return oas.BearerAuth{Token: t.AccessToken}, nil
}

// noToken sends no credential (discovery is public).
type noToken struct{}

func (noToken) BearerAuth(context.Context, oas.OperationName) (oas.BearerAuth, error) {
	return oas.BearerAuth{}, errSkip
}

// describe turns the service's problem+json into a readable error.
func describe(what string, err error) error {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return fmt.Errorf("%s: %d %s: %s", what, p.StatusCode, p.Response.Code, p.Response.Detail.Or(p.Response.Title))
	}
	return fmt.Errorf("%s: %w", what, err)
}
