package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// badByte is what the rewriting transport turns into a raw 0xFF byte, so the generated client
// can send invalid UTF-8 whatever its JSON encoder would make of it.
const badByte = "BADBYTE"

// rawBytes rewrites the marker in bodies into invalid UTF-8 and sets the User-Agent.
type rawBytes struct {
	next      http.RoundTripper
	userAgent string
}

func (r rawBytes) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		b = bytes.ReplaceAll(b, []byte(badByte), []byte{0xff})
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	if r.userAgent != "" {
		req.Header.Set("User-Agent", r.userAgent)
	}
	return r.next.RoundTrip(req)
}

func rawClient(t *testing.T, srv *apitest.Server, token, userAgent string) *oas.Client {
	t.Helper()
	c, err := oas.NewClient(srv.URL, apitest.Bearer(token), oas.WithClient(&http.Client{Transport: rawBytes{http.DefaultTransport, userAgent}}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NUL characters and invalid UTF-8 in any string — body, query or path, on the unauthenticated
// login too — are a 400 naming the field, never a 500, on both dialects.
func TestNULAndInvalidUTF8AreFieldErrors(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, tok := a.srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
		anon := rawClient(t, a.srv, "", "")
		root := rawClient(t, a.srv, tok.AccessToken, "")
		const textCode = "invalid_text"
		cases := []struct {
			name, code, field string
			call              func() error
		}{
			{"login email with NUL", textCode, "email", func() error {
				return errOf(anon.Login(bg, &oas.LoginRequest{Email: "ab\x00@x.io", Password: "whatever-password"}))
			}},
			{"login email with invalid UTF-8", textCode, "email", func() error {
				return errOf(anon.Login(bg, &oas.LoginRequest{Email: "ab" + badByte + "@x.io", Password: "whatever-password"}))
			}},
			{"login password with NUL", textCode, "password", func() error {
				return errOf(anon.Login(bg, &oas.LoginRequest{Email: "ab@x.io", Password: "pass\x00word-long-enough"}))
			}},
			{"refresh token with NUL", textCode, "refresh_token", func() error {
				return errOf(anon.RefreshToken(bg, &oas.RefreshRequest{RefreshToken: "tfr_\x00"}))
			}},
			{"create region name with NUL", textCode, "name", func() error {
				return errOf(root.CreateRegion(bg, &oas.RegionCreate{Name: "Europe\x00", Code: "eu-nul"}))
			}},
			{"create user names with invalid UTF-8", textCode, "first_name", func() error {
				return errOf(root.CreateUser(bg, &oas.UserCreate{Email: unique("u") + "@x.io", Password: "a-long-enough-password",
					FirstName: "Ad" + badByte, LastName: "Lovelace", OrganizationID: uuid.New()}))
			}},
			{"nested body field", textCode, "checks[1].permission", func() error {
				return errOf(root.CheckAuthorization(bg, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
					{Permission: "user:read"}, {Permission: "user:\x00read"}}}))
			}},
			{"query with NUL", textCode, "q", func() error {
				return errOf(root.ListUsers(bg, oas.ListUsersParams{Q: oas.NewOptString("a\x00")}))
			}},
			{"query with invalid UTF-8", textCode, "email", func() error {
				return errOf(root.ListUsers(bg, oas.ListUsersParams{Email: oas.NewOptString("a\xff@x.io")}))
			}},
			{"audit query with NUL", textCode, "user_email", func() error {
				return errOf(root.ListAuditLogs(bg, oas.ListAuditLogsParams{UserEmail: oas.NewOptString("\x00")}))
			}},
			{"cursor with NUL", textCode, "cursor", func() error {
				return errOf(root.ListRoles(bg, oas.ListRolesParams{Cursor: oas.NewOptString("abc\x00")}))
			}},
		}
		for _, c := range cases {
			err := c.call()
			if err == nil {
				t.Errorf("%s: accepted", c.name)
				continue
			}
			t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) { problem(t, err, http.StatusBadRequest, c.code, c.field) })
		}
		// Path parameters are UUIDs: a NUL or a stray byte there is the same 400 naming the field.
		for _, path := range []string{"/api/v2/users/%00", "/api/v2/users/%FF", "/api/v2/groups/%00/members"} {
			req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte(`"field":"id"`)) {
				t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
			}
		}
	})
}

// Lone UTF-16 surrogate escapes are decoded into U+FFFD (valid text), so they are an ordinary
// failed login, not an error; an invalid User-Agent is stored made valid, not refused.
func TestLoneSurrogatesAndBadUserAgentsAreNotServerErrors(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		body := `{"email":"\ud800ab@x.io","password":"whatever-password"}`
		resp, err := http.Post(a.srv.URL+"/api/v2/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("lone surrogate login: %d, want 401", resp.StatusCode)
		}
		c := rawClient(t, a.srv, "", "agent/\xff\xfe")
		if _, err := c.Login(bg, &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword}); err != nil {
			t.Fatalf("login with an invalid User-Agent: %v", describe(err))
		}
	})
}
