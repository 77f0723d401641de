package service_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// Arbitrary request bodies against the public endpoints (refresh, and login when login is
// set) get a 4xx problem+json, never a 5xx, on every dialect: PostgreSQL refuses NUL and
// invalid UTF-8 in text, so the seeds carry both, raw and as JSON escapes.
func FuzzPublicRequestBody(f *testing.F) {
	var handlers []http.Handler
	for _, dia := range dbtest.Dialects {
		srv := apitest.Start(f, dia, apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000"))
		handlers = append(handlers, srv.Service.Handler())
	}
	for _, s := range []string{`{"refresh_token":"x"}`, `{}`, `[]`, `null`, `{"refresh_token":1}`, `{"refresh_token":"tfr_AAAA"}`,
		"\xff\xfe", `{"refresh_token":"` + string(bytes.Repeat([]byte("a"), 600)) + `"}`,
		`{"refresh_token":"tfr_\u0000"}`, "{\"refresh_token\":\"tfr_\xff\"}", `{"refresh_token":"\ud800"}`} {
		f.Add([]byte(s), "application/json", false)
	}
	for _, s := range []string{`{"email":"ab\u0000@x","password":"a-password-long-enough"}`,
		"{\"email\":\"ab\xff@x\",\"password\":\"a-password-long-enough\"}", `{"email":"a@x","password":"pass\u0000word-long"}`,
		"{\"email\":\"a@x\",\"password\":\"\xc3\x28-password-long\"}", `{"email":"\udc00@x","password":"a-password-long-enough"}`} {
		f.Add([]byte(s), "application/json", true)
	}
	f.Add([]byte(`refresh_token=x`), "application/x-www-form-urlencoded", false)
	f.Fuzz(func(t *testing.T, body []byte, contentType string, login bool) {
		path := "/api/v2/auth/refresh"
		if login {
			path = "/api/v2/auth/login"
		}
		for i, h := range handlers {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code < 400 || rec.Code >= 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%s %s body %q (%s): %d %s %s", dbtest.Dialects[i], path, body, contentType, rec.Code,
					rec.Header().Get("Content-Type"), rec.Body.String())
			}
		}
	})
}
