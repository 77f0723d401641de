package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

func TestSmoke(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := apitest.Start(t, dia)

			t.Run("ready names each dependency", func(t *testing.T) {
				resp := srv.Get(t, "/health/ready")
				var body struct {
					Status string                    `json:"status"`
					Checks map[string]map[string]any `json:"checks"`
				}
				decode(t, resp, http.StatusOK, &body)
				if body.Status != "ready" || body.Checks["database"]["status"] != "up" || body.Checks["audit_sink"]["status"] != "up" {
					t.Fatalf("readiness %+v", body)
				}
			})
			t.Run("/health is readiness", func(t *testing.T) {
				var body struct {
					Status string                    `json:"status"`
					Checks map[string]map[string]any `json:"checks"`
				}
				decode(t, srv.Get(t, "/health"), http.StatusOK, &body)
				if body.Status != "ready" || len(body.Checks) < 3 || body.Checks["database"]["status"] != "up" ||
					body.Checks["audit_sink"]["status"] != "up" || body.Checks["migrations"]["status"] != "up" {
					t.Fatalf("/health %+v", body)
				}
			})
			t.Run("live", func(t *testing.T) {
				decode(t, srv.Get(t, "/health/live"), http.StatusOK, &map[string]string{})
			})
			t.Run("contract is served", func(t *testing.T) {
				resp := srv.Get(t, "/openapi.yaml")
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 || !bytes.Equal(b, core.OpenAPI) {
					t.Fatalf("status %d, %d bytes", resp.StatusCode, len(b))
				}
			})
			t.Run("docs render from the binary", func(t *testing.T) {
				resp := srv.Get(t, "/docs/")
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 || !strings.Contains(string(b), "swagger-ui") || !strings.Contains(string(b), "/openapi.yaml") {
					t.Fatalf("docs: %d %s", resp.StatusCode, b)
				}
				if css := srv.Get(t, "/docs/swagger-ui.css"); css.StatusCode != 200 {
					t.Fatalf("swagger assets: %d", css.StatusCode)
				}
			})
			t.Run("unknown route is problem+json", func(t *testing.T) {
				p := problem(t, srv.Get(t, "/api/v2/nothing-here"), http.StatusNotFound)
				if p.Code != "route_not_found" {
					t.Fatalf("%+v", p)
				}
			})
			t.Run("malformed JSON is problem+json", func(t *testing.T) {
				resp, err := http.Post(srv.URL+"/api/v2/auth/login", "application/json", strings.NewReader(`{"email": "a@b.c", "password": `))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				p := problem(t, resp, http.StatusBadRequest)
				if p.Code != "malformed_request" {
					t.Fatalf("%+v", p)
				}
			})
			t.Run("validation errors name the field", func(t *testing.T) {
				resp, err := http.Post(srv.URL+"/api/v2/auth/login", "application/json", strings.NewReader(`{"password": "x"}`))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				p := problem(t, resp, http.StatusBadRequest)
				if p.Code != "validation_failed" || len(p.Errors) != 1 || p.Errors[0].Field != "email" {
					t.Fatalf("%+v", p)
				}
			})
			t.Run("missing token is 401 problem+json", func(t *testing.T) {
				if p := problem(t, srv.Get(t, "/api/v2/users"), http.StatusUnauthorized); p.Code != "unauthenticated" {
					t.Fatalf("%+v", p)
				}
			})
			t.Run("bad token is 401 through the generated client", func(t *testing.T) {
				_, err := srv.WithToken(t, "not-a-jwt").ListUsers(context.Background(), oas.ListUsersParams{})
				var pe *oas.ProblemStatusCodeWithHeaders
				if !errors.As(err, &pe) || pe.StatusCode != 401 || pe.Response.Code != "invalid_token" {
					t.Fatalf("got %v", err)
				}
				if v, _ := pe.WwwAuthenticate.Get(); !strings.HasPrefix(v, "Bearer") {
					t.Fatalf("WWW-Authenticate %q", v)
				}
			})
		})
	}
}

type problemBody struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Code   string `json:"code"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func problem(t *testing.T, resp *http.Response, status int) problemBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	var p problemBody
	decode(t, resp, status, &p)
	if p.Status != status || !strings.HasSuffix(p.Type, "/"+p.Code) {
		t.Fatalf("problem %+v", p)
	}
	return p
}

func decode(t *testing.T, resp *http.Response, status int, v any) {
	t.Helper()
	if resp.StatusCode != status {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
