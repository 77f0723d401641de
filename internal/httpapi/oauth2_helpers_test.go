package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// oauthDialect runs body per dialect on a server whose per-address limit does not get in the
// way of a suite sending many token requests from loopback (the limit has its own test).
func oauthDialect(t *testing.T, body func(t *testing.T, a *api), opts ...apitest.Option) {
	t.Helper()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := apitest.Start(t, dia, append([]apitest.Option{apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000")}, opts...)...)
			body(t, &api{srv: srv, root: srv.LoginAdmin(t)})
		})
	}
}

// formReply is an OAuth2 endpoint's answer as a plain HTTP client sees it.
type formReply struct {
	status int
	header http.Header
	body   map[string]any
}

func (r formReply) str(k string) string { s, _ := r.body[k].(string); return s }

// postForm sends an application/x-www-form-urlencoded POST, with HTTP Basic credentials when
// user is not empty.
func postForm(t *testing.T, base, path string, v url.Values, user, pass string) formReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	return do(t, req)
}

// postBearer sends a form with a bearer token.
func postBearer(t *testing.T, base, path string, v url.Values, token string) formReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) formReply {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := formReply{status: res.StatusCode, header: res.Header, body: map[string]any{}}
	if len(b) > 0 {
		_ = json.Unmarshal(b, &out.body)
	}
	return out
}

// wantOAuthError asserts an RFC 6749 §5.2 error.
func wantOAuthError(t *testing.T, r formReply, status int, code string) {
	t.Helper()
	if r.status != status || r.str("error") != code {
		t.Fatalf("want %d %s, got %d %v", status, code, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error content type %q", ct)
	}
	if status == http.StatusUnauthorized && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
		t.Fatalf("invalid_client without WWW-Authenticate: %v", r.header)
	}
}

// serviceAccount creates a service account in the default organization holding role, and a
// client secret for it; it answers the account and the secret.
func serviceAccount(t *testing.T, a *api, name, role string) (*oas.ServiceAccount, string) {
	t.Helper()
	org := a.srv.OrganizationID(t, seed.DefaultSlug)
	sa := ok(a.root.CreateServiceAccount(bg, &oas.ServiceAccountCreate{Name: name, OrganizationID: org}))(t)
	if role != "" {
		ok(a.root.AssignUserRole(bg, &oas.RoleRef{RoleID: roleID(t, a, role)}, oas.AssignUserRoleParams{ID: sa.ID}))(t)
	}
	sec := ok(a.root.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: sa.ID}))(t)
	return sa, sec.ClientSecret
}

// roleID finds a system role by name.
func roleID(t *testing.T, a *api, name string) uuid.UUID {
	t.Helper()
	roles := ok(a.root.ListRoles(bg, oas.ListRolesParams{Q: oas.NewOptString(name), Limit: oas.NewOptInt(100)}))(t)
	for _, r := range roles.Items {
		if r.Name == name {
			return r.ID
		}
	}
	t.Fatalf("no role %s", name)
	return uuid.Nil
}

// grant asks for a client_credentials token with client_secret_basic.
func grant(t *testing.T, a *api, clientID, secret, scope string) formReply {
	t.Helper()
	v := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		v.Set("scope", scope)
	}
	return postForm(t, a.srv.URL, "/oauth2/token", v, clientID, secret)
}

var _ = rbac.RoleViewer
