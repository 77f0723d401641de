package authz_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// garbageQuery sets every query parameter name the contract uses to a value no operation
// accepts, so any operation that decoded its parameters before authorizing would answer 400.
var garbageQuery = url.Values{
	"limit": {"many"}, "offset": {"-7"}, "cursor": {"\x00"}, "active": {"perhaps"}, "sort": {"?!"},
	"from": {"yesterday"}, "to": {"tomorrow"}, "user_id": {"nobody"}, "organization_id": {"nowhere"},
	"tenant_id": {"x"}, "workspace_id": {"x"}, "session_id": {"x"}, "status": {"sleepy"},
	"format": {"xml"}, "result": {"maybe"}, "event_type": {"party"}, "group_by": {"?"},
}

// garble rewrites a request the generated client built: every path segment after the
// operation's first becomes "not-a-uuid", garbage joins the query, and the body becomes
// broken JSON.
type garble struct{ next http.RoundTripper }

func (g garble) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	segs := strings.Split(r.URL.Path, "/")
	for i, s := range segs {
		if _, err := uuid.Parse(s); err == nil {
			segs[i] = "not-a-uuid"
		}
	}
	r.URL.Path, r.URL.RawPath = strings.Join(segs, "/"), ""
	r.URL.RawQuery = garbageQuery.Encode()
	if r.Body != nil {
		r.Body = io.NopCloser(strings.NewReader(`{"email": 5, "password": [`))
		r.ContentLength = -1
	}
	return g.next.RoundTrip(r)
}

// A caller without an operation's permission gets 403 whatever its parameters and body look
// like: the decision is taken before anything is decoded, so a denied caller learns none of
// the operation's input rules. Exactly one AUTHZ DENIED row records it, and no AUTH row.
func TestDenialComesBeforeDecoding(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		ctx := context.Background()
		db := srv.DB(t)
		viewerID := srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
		_, tok := srv.Login(t, "viewer@example.com", pw)
		viewer := srv.WithToken(t, tok.AccessToken)
		garbled, err := oas.NewClient(srv.URL, apitest.Bearer(tok.AccessToken),
			oas.WithClient(&http.Client{Transport: garble{http.DefaultTransport}, Timeout: 30 * time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		id := uuid.New()
		cases := []struct {
			name, action string
			call         func() error
		}{
			{"invalid body to POST /users", "create_user", func() error {
				_, err := viewer.CreateUser(ctx, &oas.UserCreate{Email: "x", Password: "", OrganizationID: id})
				return err
			}},
			{"broken JSON to POST /users", "create_user", func() error {
				_, err := garbled.CreateUser(ctx, &oas.UserCreate{})
				return err
			}},
			{"bad path id to PUT /users/{id}/password", "reset_user_password", func() error {
				return garbled.ResetUserPassword(ctx, &oas.ResetPasswordRequest{}, oas.ResetUserPasswordParams{ID: id})
			}},
			{"bad path ids to DELETE /groups/{id}/members/{userId}", "remove_group_member", func() error {
				return garbled.RemoveGroupMember(ctx, oas.RemoveGroupMemberParams{ID: id, UserId: id})
			}},
			{"bad query to GET /audit/logs", "list_audit_logs", func() error {
				_, err := garbled.ListAuditLogs(ctx, oas.ListAuditLogsParams{})
				return err
			}},
			{"out-of-range limit to GET /audit/logs", "list_audit_logs", func() error {
				_, err := viewer.ListAuditLogs(ctx, oas.ListAuditLogsParams{Limit: oas.NewOptInt(100000)})
				return err
			}},
		}
		for _, c := range cases {
			before := countRows(t, db, viewerID, c.action)
			err := c.call()
			var p *oas.ProblemStatusCodeWithHeaders
			if !errors.As(err, &p) || p.StatusCode != http.StatusForbidden || p.Response.Code != "permission_denied" {
				t.Errorf("%s: got %v, want 403 permission_denied", c.name, describe(err))
				continue
			}
			after := countRows(t, db, viewerID, c.action)
			if after.denied-before.denied != 1 || after.auth != before.auth {
				t.Errorf("%s: AUTHZ DENIED rows +%d, AUTH rows +%d; want +1 and +0", c.name,
					after.denied-before.denied, after.auth-before.auth)
			}
		}
		// A bad token is still refused at authentication, before the gate: 401 and an AUTH
		// token_rejected row, no AUTHZ row.
		_, err = srv.WithToken(t, "not.a.jwt").CreateUser(ctx, &oas.UserCreate{Email: "x"})
		var p *oas.ProblemStatusCodeWithHeaders
		if !errors.As(err, &p) || p.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad token: %v", describe(err))
		}
		rejected := db.Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTH),
			auditlog.ActionEQ("token_rejected"), auditlog.ErrorMessageEQ("malformed")).CountX(ctx)
		if rejected != 1 {
			t.Fatalf("token_rejected rows for the bad token: %d", rejected)
		}
	})
}

type rowCounts struct{ denied, auth int }

// countRows counts the caller's AUTHZ DENIED rows for action and every AUTH row.
func countRows(t *testing.T, db *storetest.DB, userID uuid.UUID, action string) rowCounts {
	t.Helper()
	ctx := context.Background()
	return rowCounts{
		denied: db.Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTHZ), auditlog.ResultEQ(auditlog.ResultDENIED),
			auditlog.ActionEQ(action), auditlog.UserIDEQ(userID.String())).CountX(ctx),
		auth: db.Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTH)).CountX(ctx),
	}
}

func describe(err error) string {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return p.Response.Code + " (" + http.StatusText(p.StatusCode) + ")"
	}
	if err == nil {
		return "success"
	}
	return err.Error()
}

// Table-driven over the contract: every operation that declares a permission, called by a
// principal holding no permission at all with garbage path parameters, query and body (and, a
// second time, a body of the wrong media type), answers 403 permission_denied.
func TestEveryPermissionedOperationDeniesBeforeDecoding(t *testing.T) {
	t.Parallel()
	ops := operations(t)
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		srv.CreateUser(t, apitest.UserSpec{Email: "nobody@example.com", Password: pw})
		_, tok := srv.Login(t, "nobody@example.com", pw)
		checked := 0
		for _, op := range ops {
			if op.Permission == "" {
				continue
			}
			for _, ctype := range []string{"application/json", "text/plain"} {
				path := op.Path
				for strings.Contains(path, "{") {
					i, j := strings.Index(path, "{"), strings.Index(path, "}")
					path = path[:i] + "not-a-uuid" + path[j+1:]
				}
				var body io.Reader
				if op.HasBody {
					body = bytes.NewReader([]byte(`{"name": 5, "checks": "x", "tier": "high"`))
				}
				req, _ := http.NewRequest(strings.ToUpper(op.Method), srv.URL+path+"?"+garbageQuery.Encode(), body)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				if body != nil {
					req.Header.Set("Content-Type", ctype)
				}
				resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusForbidden || !bytes.Contains(raw, []byte(`"code":"permission_denied"`)) {
					t.Errorf("%s %s (%s, %s): %d %s", op.Method, op.Path, op.Permission, ctype, resp.StatusCode, raw)
				}
				checked++
			}
		}
		if checked < 2*55 {
			t.Fatalf("only %d requests checked", checked)
		}
	})
}
