package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// lockedBuffer collects log output written by concurrent request goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Requests that carry every kind of credential leave none of them, and no password hash, in
// the log, at the most verbose level, while each request still gets its access-log line.
func TestLogsNeverContainSecrets(t *testing.T) {
	t.Parallel()
	const (
		adminEmail    = "admin@example.com"
		adminPassword = "Adm1n-bootstrap-Pa55phrase"
		wrongPassword = "Wr0ng-Pa55phrase-guess"
		newPassword   = "N3w-Pa55phrase-for-user"
		forgedToken   = "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNlY3JldA"
		queryToken    = "qt_Zm9vYmFyYmF6cXV4c2VjcmV0"
		pathSecret    = "pathsecret0f2d6b"
		// Second-factor material (docs/mfa-and-sessions.md): a code, a recovery code, a token.
		mfaCode      = "913577"
		recoveryCode = "q7rz-m2xk-c4vp-h8tn"
		mfaToken     = "tfm_bWZhdG9rZW4tc2VjcmV0LXZhbHVlLWZvci10ZXN0czAx"
	)
	env := map[string]string{
		"TF_DATABASE_URL": dbtest.URL(t, dialect.SQLite), "TF_DATA_DIR": t.TempDir(),
		"TF_BOOTSTRAP_ADMIN_EMAIL": adminEmail, "TF_BOOTSTRAP_ADMIN_PASSWORD": adminPassword,
		"TF_ARGON2_MEMORY_KIB": "8192", "TF_ARGON2_ITERATIONS": "1",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	svc, err := service.New(context.Background(), cfg, service.Options{Log: logging.New(logs, "debug", "json"), Announce: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	ts := httptest.NewServer(svc.Handler())
	defer ts.Close()
	db, err := sqldb.Open(context.Background(), sqldb.Config{URL: cfg.Database.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	admin, err := storetest.Wrap(db).Ent.User.Query().Where(user.EmailEQ(adminEmail)).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hash := admin.PasswordHash
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("stored hash %q is not argon2id", hash[:10])
	}

	// Real tokens from a real login, so the authenticated paths (verification, authorization,
	// audit) run with them.
	resp, err := http.Post(ts.URL+"/api/v2/auth/login", "application/json",
		strings.NewReader(`{"email":"`+adminEmail+`","password":"`+adminPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tokens struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tokens); err != nil || resp.StatusCode != http.StatusOK || tokens.AccessToken == "" || tokens.RefreshToken == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	accessToken, refreshToken := tokens.AccessToken, tokens.RefreshToken
	bearer := "Bearer " + accessToken
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(adminEmail+":"+adminPassword))
	userPath := "/api/v2/users/" + admin.ID.String()
	// An API key: minted (its token is in the response only) and used.
	keyReq, _ := http.NewRequest("POST", ts.URL+"/api/v2/auth/api-keys", strings.NewReader(`{"name":"ci"}`))
	keyReq.Header.Set("Content-Type", "application/json")
	keyReq.Header.Set("Authorization", bearer)
	keyResp, err := http.DefaultClient.Do(keyReq)
	if err != nil {
		t.Fatal(err)
	}
	var key struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(keyResp.Body).Decode(&key); err != nil || keyResp.StatusCode != http.StatusCreated || key.Token == "" {
		t.Fatalf("create api key: %d %v", keyResp.StatusCode, err)
	}
	keyResp.Body.Close()
	const unknownKey = "tfk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	requests := []struct {
		method, path, auth, body string
	}{
		{"GET", "/api/v2/auth/me", bearer, ""},
		{"GET", "/api/v2/auth/me", "Bearer " + forgedToken, ""},
		{"GET", "/api/v2/users", "Bearer " + key.Token, ""},
		{"GET", "/api/v2/auth/me", "Bearer " + unknownKey, ""},
		{"GET", "/api/v2/users", bearer, ""},
		{"POST", "/api/v2/authz/check", bearer, `{"checks":[{"user_id":"` + admin.ID.String() + `","permission":"user:read"}]}`},
		{"POST", "/api/v2/auth/login", "", `{"email":"` + adminEmail + `","password":"` + wrongPassword + `"}`},
		{"POST", "/api/v2/auth/login", "", `{"email":"nobody@example.com","password":"` + wrongPassword + `"}`},
		{"POST", "/api/v2/auth/login", "", `{"email":"` + adminEmail + `","password":"` + adminPassword},
		{"POST", "/api/v2/auth/login", "", `{"email":42,"password":"` + adminPassword + `"}`},
		{"POST", "/api/v2/auth/login", basic, `{"email":"` + adminEmail + `","password":"` + hash + `"}`},
		{"POST", "/api/v2/auth/refresh", "", `{"refresh_token":"` + refreshToken + `"}`},
		{"POST", "/api/v2/auth/refresh", "", `{"refresh_token":` + refreshToken + `}`},
		{"POST", "/api/v2/auth/password", bearer, `{"current_password":"` + adminPassword + `","new_password":"` + newPassword + `"}`},
		{"PUT", userPath + "/password", bearer, `{"new_password":"` + newPassword + `"}`},
		{"POST", "/api/v2/users", bearer, `{"email":"u@example.com","password":"` + newPassword + `","first_name":"U","last_name":"V","organization_id":"` + uuid.NewString() + `"}`},
		{"GET", "/api/v2/users?access_token=" + queryToken + "&q=" + adminPassword, bearer, ""},
		{"GET", "/api/v2/users/" + pathSecret, bearer, ""},
		{"GET", "/api/v2/" + pathSecret + "/" + accessToken, basic, ""},
		{"GET", "/health/ready?token=" + queryToken, "", ""},
		{"POST", "/api/v2/auth/mfa/totp", bearer, ""},
		{"POST", "/api/v2/auth/mfa/totp/confirm", bearer, `{"code":"` + mfaCode + `"}`},
		{"POST", "/api/v2/auth/mfa/verify", "", `{"mfa_token":"` + mfaToken + `","code":"` + mfaCode + `"}`},
		{"POST", "/api/v2/auth/mfa/verify", "", `{"mfa_token":"` + mfaToken + `","code":"` + recoveryCode + `"}`},
		{"DELETE", "/api/v2/auth/mfa/totp", bearer, `{"code":"` + mfaCode + `"}`},
		// Last: it ends the session the token belongs to.
		{"POST", "/api/v2/auth/logout", bearer, ""},
		{"POST", "/api/v2/auth/refresh", "", `{"refresh_token":"` + refreshToken + `"}`},
	}
	requestIDs := map[string]bool{}
	for _, rq := range requests {
		var body io.Reader
		if rq.body != "" {
			body = strings.NewReader(rq.body)
		}
		req, err := http.NewRequest(rq.method, ts.URL+rq.path, body)
		if err != nil {
			t.Fatal(err)
		}
		if rq.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if rq.auth != "" {
			req.Header.Set("Authorization", rq.auth)
		}
		req.Header.Set("Cookie", "session="+refreshToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		requestIDs[resp.Header.Get(reqinfo.HeaderRequestID)] = true
	}

	out := logs.String()
	for name, secret := range map[string]string{
		"bootstrap password": adminPassword, "wrong password": wrongPassword, "new password": newPassword,
		"refresh token": refreshToken, "access token": accessToken, "forged token": forgedToken, "query token": queryToken,
		"API key": key.Token, "API key secret": key.Token[12:], "unknown API key secret": unknownKey[12:],
		"secret in a path": pathSecret, "Basic credentials": basic[len("Basic "):], "password hash": hash,
		"any argon2id hash": "$argon2id$", "an Authorization scheme": "Bearer ",
		// A bare 6-digit code could occur inside a number (a duration): look for it as a value.
		"TOTP code": `"` + mfaCode, "TOTP code after =": "=" + mfaCode, "recovery code": recoveryCode, "mfa_token": mfaToken,
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains the %s", name)
		}
	}

	// The test would pass vacuously on an empty log: every request must have its access line.
	logged := map[string]bool{}
	authenticated := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		if rec["msg"] == "request" {
			id, _ := rec["request_id"].(string)
			logged[id] = true
			if rec["user_id"] == admin.ID.String() {
				authenticated++
			}
			if rec["trace_id"] == nil || rec["route"] == nil || rec["status"] == nil || rec["duration_ms"] == nil || rec["bytes"] == nil {
				t.Errorf("access line lacks a field: %s", line)
			}
		}
	}
	for id := range requestIDs {
		if !logged[id] {
			t.Errorf("request %s has no access-log line", id)
		}
	}
	if authenticated == 0 {
		t.Error("no access line names the authenticated caller")
	}
	if len(requestIDs) != len(requests) {
		t.Fatalf("%d distinct request ids for %d requests", len(requestIDs), len(requests))
	}
}
