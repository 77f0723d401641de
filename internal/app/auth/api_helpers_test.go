package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/oas"
)

// problemOf asserts err is a problem response with the status and returns it.
func problemOf(t *testing.T, err error, status int) *oas.ProblemStatusCodeWithHeaders {
	t.Helper()
	var p *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &p) {
		t.Fatalf("want a %d problem, got %v", status, err)
	}
	if p.StatusCode != status || p.Response.Status != status {
		t.Fatalf("status %d (body %d), want %d: %+v", p.StatusCode, p.Response.Status, status, p.Response)
	}
	return p
}

// auditRows counts the AUTH events with the action and error message: failed authentications
// may be coalesced into one row carrying their number in metadata "count", so rows are weighed
// by it.
func auditRows(t *testing.T, db *storetest.DB, action, errMsg string) int {
	t.Helper()
	n, _ := auditEvents(t, db, action, errMsg)
	return n
}

// auditEvents is auditRows, and how many rows hold them.
func auditEvents(t *testing.T, db *storetest.DB, action, errMsg string) (events, rows int) {
	t.Helper()
	q := db.Ent.AuditLog.Query().Where(auditlog.ActionEQ(action), auditlog.EventTypeEQ(auditlog.EventTypeAUTH))
	if errMsg != "" {
		q = q.Where(auditlog.ErrorMessageEQ(errMsg))
	}
	all, err := q.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		var m struct {
			Count *int `json:"count"`
		}
		if err := json.Unmarshal([]byte(r.Metadata), &m); err != nil {
			t.Fatal(err)
		}
		if m.Count == nil {
			events++
		} else {
			events += *m.Count
		}
	}
	return events, len(all)
}

// rawGet sends a GET with an Authorization header value (empty: none).
func rawGet(t *testing.T, url, authorization string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func asProblem(err error, p **oas.ProblemStatusCodeWithHeaders) bool { return errors.As(err, p) }

func kidOf(t *testing.T, raw string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}
