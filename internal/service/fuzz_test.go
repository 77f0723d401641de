package service_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// Arbitrary request bodies against a public endpoint get a 4xx problem+json, never a 5xx.
func FuzzPublicRequestBody(f *testing.F) {
	srv := apitest.Start(f, dbtest.Dialects[0], apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000"))
	for _, s := range []string{`{"refresh_token":"x"}`, `{}`, `[]`, `null`, `{"refresh_token":1}`, `{"refresh_token":"tfr_AAAA"}`,
		"\xff\xfe", `{"refresh_token":"` + string(bytes.Repeat([]byte("a"), 600)) + `"}`} {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(`refresh_token=x`), "application/x-www-form-urlencoded")
	h := srv.Service.Handler()
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v2/auth/refresh", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 400 || rec.Code >= 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("body %q (%s): %d %s %s", body, contentType, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	})
}
