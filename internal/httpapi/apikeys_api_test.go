package httpapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/apikey"
	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// createKey creates a key for the client's user and returns it (with its token).
func createKey(t *testing.T, c *oas.Client, name string, permissions ...string) *oas.APIKeyCreated {
	t.Helper()
	return ok(c.CreateApiKey(bg, &oas.APIKeyCreate{Name: name, Permissions: permissions}))(t)
}

// keyRejections counts the token_rejected rows about API keys with the reason.
func keyRejections(t *testing.T, srv *apitest.Server, reason string) []string {
	t.Helper()
	srv.FlushAudit(t)
	rows, err := srv.DB(t).Ent.AuditLog.Query().Where(auditlog.ActionEQ("token_rejected"), auditlog.ResourceEQ("api_key"),
		auditlog.ErrorMessageEQ(reason)).All(bg)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.Metadata)
	}
	return out
}

// TestAPIKeyLifecycle: a user creates a key, sees its token once, uses it as a bearer token,
// lists it (without the token, with last_used_at), revokes it, and the key is refused on the
// next request. The token is stored nowhere, only its keyed hash.
func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		u, c := a.user(t, o.ID, a.systemRole(t, "developer"))
		exp := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
		k := ok(c.CreateApiKey(bg, &oas.APIKeyCreate{Name: " ci ", ExpiresAt: oas.NewOptDateTime(exp)}))(t)
		if !strings.HasPrefix(k.Token, "tfk_") || len(k.Token) != 47 || k.Prefix != k.Token[:12] || k.Name != "ci" ||
			k.Permissions != nil || !k.ExpiresAt.Value.Equal(exp) {
			t.Fatalf("created key %+v", k)
		}

		// The bearer works on an ordinary endpoint and acts as its owner.
		kc := a.srv.WithToken(t, k.Token)
		me := ok(kc.GetMe(bg))(t)
		if me.User.ID != u.ID || me.SessionID != k.ID {
			t.Fatalf("key acts as %s in session %s, want %s in %s", me.User.ID, me.SessionID, u.ID, k.ID)
		}
		ok(kc.ListUsers(bg, oas.ListUsersParams{}))(t)

		// Listed, never with the token; last_used_at is recorded (coalesced, asynchronously).
		var listed oas.APIKey
		for range 100 {
			l := ok(c.ListApiKeys(bg))(t)
			if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != k.ID || l.Items[0].Prefix != k.Prefix {
				t.Fatalf("list %+v", l)
			}
			if listed = l.Items[0]; listed.LastUsedAt.Set {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !listed.LastUsedAt.Set {
			t.Fatal("last_used_at never recorded")
		}
		_, session := a.srv.Login(t, u.Email, userPassword)
		if body := rawGetWith(t, a.srv.URL+"/api/v2/auth/api-keys", session.AccessToken); strings.Contains(string(body), k.Token) || strings.Contains(string(body), k.Token[12:]) {
			t.Fatal("the list shows the token")
		}
		row := ok(a.srv.DB(t).Ent.APIKey.Query().Where(apikey.IDEQ(k.ID)).Only(bg))(t)
		if len(row.SecretHash) != 32 || strings.Contains(string(row.SecretHash), k.Token[12:]) || row.UserID != u.ID {
			t.Fatalf("stored key %+v", row)
		}

		// Revoked: refused from the next request on, and gone from the list.
		ok(struct{}{}, c.DeleteApiKey(bg, oas.DeleteApiKeyParams{ID: k.ID}))(t)
		problem(t, errOf(kc.GetMe(bg)), http.StatusUnauthorized, "invalid_token")
		problem(t, c.DeleteApiKey(bg, oas.DeleteApiKeyParams{ID: k.ID}), http.StatusNotFound, "api_key_not_found")
		if l := ok(c.ListApiKeys(bg))(t); l.Total != 0 {
			t.Fatalf("revoked key still listed: %+v", l)
		}
		// Unknown and malformed keys are refused too; rejections are audited with the key, never the token.
		problem(t, errOf(a.srv.WithToken(t, "tfk_"+strings.Repeat("A", 43)).GetMe(bg)), http.StatusUnauthorized, "invalid_token")
		problem(t, errOf(a.srv.WithToken(t, "tfk_short").GetMe(bg)), http.StatusUnauthorized, "invalid_token")
		revoked := keyRejections(t, a.srv, "api_key_revoked")
		if len(revoked) == 0 || !strings.Contains(revoked[0], k.ID.String()) || !strings.Contains(revoked[0], k.Prefix) ||
			strings.Contains(revoked[0], k.Token) {
			t.Fatalf("revocation rejections %v", revoked)
		}
		if len(keyRejections(t, a.srv, "api_key_unknown")) == 0 || len(keyRejections(t, a.srv, "malformed")) == 0 {
			t.Fatal("unknown or malformed key not audited")
		}
		// Issuance and revocation are DATA rows naming the key, never its token.
		a.srv.FlushAudit(t)
		for _, action := range []string{"create_api_key", "revoke_api_key"} {
			rows := ok(a.srv.DB(t).Ent.AuditLog.Query().Where(auditlog.ActionEQ(action), auditlog.ResourceEQ("api_key"),
				auditlog.ResultEQ(auditlog.ResultSUCCESS)).All(bg))(t)
			if len(rows) != 1 || !strings.Contains(rows[0].Metadata, k.ID.String()) || strings.Contains(rows[0].Metadata, k.Token[12:]) {
				t.Fatalf("%s rows: %+v", action, rows)
			}
		}
		// What the key did is audited under its id (session_id).
		if n := ok(a.srv.DB(t).Ent.AuditLog.Query().Where(auditlog.SessionIDEQ(k.ID.String()), auditlog.ActionEQ("list_users")).Count(bg))(t); n != 1 {
			t.Fatalf("%d list_users rows carry the key's id", n)
		}
		// Another user cannot revoke it through the own-keys route (it is not theirs).
		k2 := createKey(t, c, "second")
		_, other := a.user(t, o.ID, a.systemRole(t, "developer"))
		problem(t, other.DeleteApiKey(bg, oas.DeleteApiKeyParams{ID: k2.ID}), http.StatusNotFound, "api_key_not_found")
		ok(a.srv.WithToken(t, k2.Token).GetMe(bg))(t)
	})
}

// rawGetWith reads url with the bearer token, for assertions on the raw body.
func rawGetWith(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	return body
}

// TestAPIKeyIsTheIntersectionOfItsListAndTheOwner: a narrowed key does only what its list
// names; revoking the owner's role narrows it at once; names the owner does not hold, or that
// do not exist, are refused at creation; a key cannot mint a wider key.
func TestAPIKeyIsTheIntersectionOfItsListAndTheOwner(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		developer := a.systemRole(t, "developer")
		u, c := a.user(t, o.ID, developer)
		narrow := a.srv.WithToken(t, createKey(t, c, "reads", "user:read").Token)
		full := a.srv.WithToken(t, createKey(t, c, "everything").Token)

		ok(narrow.ListUsers(bg, oas.ListUsersParams{}))(t)
		ws := &oas.WorkspaceCreate{Name: "ws", Slug: oas.Slug(unique("w")), OrganizationID: o.ID}
		problem(t, errOf(narrow.CreateWorkspace(bg, ws)), http.StatusForbidden, "permission_denied")
		ok(full.CreateWorkspace(bg, ws))(t)

		// Creation: unknown names are a field error, names the owner lacks an escalation.
		problem(t, errOf(c.CreateApiKey(bg, &oas.APIKeyCreate{Name: "x", Permissions: []string{"nosuch:thing"}})),
			http.StatusBadRequest, "validation_failed", "permissions")
		problem(t, errOf(c.CreateApiKey(bg, &oas.APIKeyCreate{Name: "x", Permissions: []string{"user:create"}})),
			http.StatusForbidden, "permission_escalation")
		problem(t, errOf(c.CreateApiKey(bg, &oas.APIKeyCreate{Name: "x", Permissions: []string{}})),
			http.StatusBadRequest, "validation_failed")
		// A narrowed key mints only within its own list.
		problem(t, errOf(narrow.CreateApiKey(bg, &oas.APIKeyCreate{Name: "wider", Permissions: []string{"user:read", "workspace:create"}})),
			http.StatusForbidden, "permission_escalation")
		problem(t, errOf(narrow.CreateApiKey(bg, &oas.APIKeyCreate{Name: "unrestricted"})), http.StatusForbidden, "permission_escalation")
		sub := ok(narrow.CreateApiKey(bg, &oas.APIKeyCreate{Name: "same", Permissions: []string{"user:read"}}))(t)
		ok(a.srv.WithToken(t, sub.Token).ListUsers(bg, oas.ListUsersParams{}))(t)

		// The owner loses the role: both keys lose what it gave, on the very next request.
		ok(struct{}{}, a.root.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: u.ID, RoleId: developer}))(t)
		problem(t, errOf(narrow.ListUsers(bg, oas.ListUsersParams{})), http.StatusForbidden, "permission_denied")
		problem(t, errOf(full.ListUsers(bg, oas.ListUsersParams{})), http.StatusForbidden, "permission_denied")
		// Given back, the narrowed key is again what its list names, no more.
		ok(a.root.AssignUserRole(bg, &oas.RoleRef{RoleID: developer}, oas.AssignUserRoleParams{ID: u.ID}))(t)
		ok(narrow.ListUsers(bg, oas.ListUsersParams{}))(t)
		problem(t, errOf(narrow.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "ws", Slug: oas.Slug(unique("w")), OrganizationID: o.ID})),
			http.StatusForbidden, "permission_denied")
	})
}

// TestAPIKeyDiesWithItsOwner: deactivating or deleting the owner refuses the key on the next
// request (the owner's lifecycle events drop the cached key like the owner's sessions).
func TestAPIKeyDiesWithItsOwner(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		u, c := a.user(t, o.ID, a.systemRole(t, "developer"))
		kc := a.srv.WithToken(t, createKey(t, c, "ci").Token)
		ok(kc.GetMe(bg))(t)

		ok(a.root.DeactivateUser(bg, oas.DeactivateUserParams{ID: u.ID}))(t)
		problem(t, errOf(kc.GetMe(bg)), http.StatusUnauthorized, "invalid_token")
		ok(a.root.ActivateUser(bg, oas.ActivateUserParams{ID: u.ID}))(t)
		ok(kc.GetMe(bg))(t)

		ok(struct{}{}, a.root.DeleteUser(bg, oas.DeleteUserParams{ID: u.ID}))(t)
		problem(t, errOf(kc.GetMe(bg)), http.StatusUnauthorized, "invalid_token")
		if len(keyRejections(t, a.srv, "api_key_owner_inactive")) < 2 {
			t.Fatal("owner rejections not audited")
		}
	})
}

// TestAPIKeyExpires: a key is refused from its expiry on (the server's clock moves).
func TestAPIKeyExpires(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			root := srv.LoginAdmin(t)
			k := ok(root.CreateApiKey(bg, &oas.APIKeyCreate{Name: "short", ExpiresAt: oas.NewOptDateTime(clock.Now().Add(time.Hour))}))(t)
			kc := srv.WithToken(t, k.Token)
			ok(kc.GetMe(bg))(t)
			clock.Advance(time.Hour)
			problem(t, errOf(kc.GetMe(bg)), http.StatusUnauthorized, "invalid_token")
			if got := keyRejections(t, srv, "api_key_expired"); len(got) == 0 || !strings.Contains(got[0], k.ID.String()) {
				t.Fatalf("expiry rejections %v", got)
			}
			// An expiry in the past is refused at creation.
			problem(t, errOf(srv.LoginAdmin(t).CreateApiKey(bg, &oas.APIKeyCreate{Name: "old", ExpiresAt: oas.NewOptDateTime(clock.Now().Add(-time.Minute))})),
				http.StatusBadRequest, "validation_failed", "expires_at")
		})
	}
}

// TestAPIKeyAdministration: an administrator lists and revokes the keys of users they may act
// on, not those of a more powerful account nor outside their scope; keys are minted only for
// oneself.
func TestAPIKeyAdministration(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		admin, ac := a.user(t, o.ID, a.systemRole(t, "administrator"))
		dev, dc := a.user(t, o.ID, a.systemRole(t, "developer"))
		dk := createKey(t, dc, "dev")
		rootKey := createKey(t, a.root, "root")

		l := ok(ac.ListUserApiKeys(bg, oas.ListUserApiKeysParams{ID: dev.ID}))(t)
		if l.Total != 1 || l.Items[0].ID != dk.ID {
			t.Fatalf("admin's view of the developer's keys: %+v", l)
		}
		// The super administrator is outside the administrator's organization: not found.
		problem(t, errOf(ac.ListUserApiKeys(bg, oas.ListUserApiKeysParams{ID: a.adminID(t)})), http.StatusNotFound, "user_not_found")
		problem(t, ac.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: a.adminID(t), KeyId: rootKey.ID}), http.StatusNotFound, "user_not_found")

		// A more powerful colleague (system:admin granted directly): the administrator may
		// not revoke their key.
		strong, sc := a.user(t, o.ID)
		ok(a.root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "system:admin")}, oas.GrantUserPermissionParams{ID: strong.ID}))(t)
		sk := createKey(t, sc, "strong")
		problem(t, ac.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: strong.ID, KeyId: sk.ID}), http.StatusForbidden, "permission_escalation")
		ok(a.srv.WithToken(t, sk.Token).GetMe(bg))(t)
		// Nor a super administrator's in their own organization (their tier outranks).
		super, suc := a.user(t, o.ID, a.systemRole(t, "super_administrator"))
		suk := createKey(t, suc, "super")
		problem(t, ac.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: super.ID, KeyId: suk.ID}), http.StatusForbidden, "tier_escalation")
		ok(a.srv.WithToken(t, suk.Token).GetMe(bg))(t)
		// The super administrator may.
		ok(struct{}{}, a.root.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: strong.ID, KeyId: sk.ID}))(t)
		problem(t, errOf(a.srv.WithToken(t, sk.Token).GetMe(bg)), http.StatusUnauthorized, "invalid_token")

		// A developer cannot read or revoke others' keys (no user:update); the administrator can.
		problem(t, dc.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: admin.ID, KeyId: uuid.New()}), http.StatusForbidden, "permission_denied")
		problem(t, ac.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: dev.ID, KeyId: sk.ID}), http.StatusNotFound, "api_key_not_found")
		ok(struct{}{}, ac.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: dev.ID, KeyId: dk.ID}))(t)
		problem(t, errOf(a.srv.WithToken(t, dk.Token).GetMe(bg)), http.StatusUnauthorized, "invalid_token")

		// Minting is for oneself: the administrator's key is the administrator's.
		mine := createKey(t, ac, "mine")
		if me := ok(a.srv.WithToken(t, mine.Token).GetMe(bg))(t); me.User.ID != admin.ID {
			t.Fatalf("administrator's key acts as %s", me.User.ID)
		}
		if l := ok(ac.ListUserApiKeys(bg, oas.ListUserApiKeysParams{ID: dev.ID}))(t); l.Total != 0 {
			t.Fatalf("developer still has keys: %+v", l)
		}
	})
}

// TestAPIKeyLastUseIsCoalesced: last_used_at is written at the first use and then at most once
// a minute, not per request.
func TestAPIKeyLastUseIsCoalesced(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			root := srv.LoginAdmin(t)
			k := ok(root.CreateApiKey(bg, &oas.APIKeyCreate{Name: "busy"}))(t)
			kc := srv.WithToken(t, k.Token)
			// lastUsed waits for the asynchronous write to show want (nil: nothing yet).
			lastUsed := func(want time.Time) {
				t.Helper()
				var got *time.Time
				for range 200 {
					got = ok(srv.DB(t).Ent.APIKey.Query().Where(apikey.IDEQ(k.ID)).Only(bg))(t).LastUsedAt
					if got != nil && got.Equal(want) {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				t.Fatalf("last_used_at = %v, want %v", got, want)
			}
			first := clock.Now().UTC().Truncate(time.Microsecond)
			ok(kc.GetMe(bg))(t)
			lastUsed(first)
			clock.Advance(30 * time.Second)
			for range 5 {
				ok(kc.GetMe(bg))(t)
			}
			// A write per request would show first+30s shortly; it may only be late, never
			// wrongly present, so this check cannot fail spuriously.
			time.Sleep(100 * time.Millisecond)
			if got := ok(srv.DB(t).Ent.APIKey.Query().Where(apikey.IDEQ(k.ID)).Only(bg))(t).LastUsedAt; got == nil || !got.Equal(first) {
				t.Fatalf("last_used_at = %v within the minute, want %v", got, first)
			}
			clock.Advance(31 * time.Second)
			next := clock.Now().UTC().Truncate(time.Microsecond)
			ok(kc.GetMe(bg))(t)
			lastUsed(next)
		})
	}
}

// TestUnknownAPIKeysAreRateLimited: unknown keys count against the client's address like
// failed logins (TF_LOGIN_RATE_PER_IP a minute); past the limit the answer is 429, audited.
func TestUnknownAPIKeysAreRateLimited(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "3"))
			for i := range 3 {
				guess := a43(byte('A' + i))
				problem(t, errOf(srv.WithToken(t, guess).GetMe(bg)), http.StatusUnauthorized, "invalid_token")
			}
			problem(t, errOf(srv.WithToken(t, a43('Z')).GetMe(bg)), http.StatusTooManyRequests, "rate_limited")
			if len(keyRejections(t, srv, "api_key_rate_limited")) == 0 {
				t.Fatal("the limited attempt is not audited")
			}
			// A valid key is not affected: only failures count.
			k := ok(srv.LoginAdmin(t).CreateApiKey(bg, &oas.APIKeyCreate{Name: "good"}))(t)
			ok(srv.WithToken(t, k.Token).GetMe(bg))(t)
		})
	}
}

// a43 is a well-formed key that does not exist.
func a43(c byte) string { return "tfk_" + strings.Repeat(string(c), 43) }

// TestNarrowedSuperAdministratorKeyIsBoundedByItsList: a super administrator's key narrowed
// to user:read and user:update keeps the reach (every organization) but not the exemption from
// the acting-on rule: it cannot revoke the key of a user holding more than its list.
func TestNarrowedSuperAdministratorKeyIsBoundedByItsList(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		dev, dc := a.user(t, o.ID, a.systemRole(t, "developer"))
		dk := createKey(t, dc, "dev")
		narrow := a.srv.WithToken(t, createKey(t, a.root, "narrow", "user:read", "user:update").Token)

		l := ok(narrow.ListUserApiKeys(bg, oas.ListUserApiKeysParams{ID: dev.ID}))(t)
		if l.Total != 1 {
			t.Fatalf("narrowed super administrator's view: %+v", l)
		}
		problem(t, narrow.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: dev.ID, KeyId: dk.ID}), http.StatusForbidden, "permission_escalation")
		ok(a.srv.WithToken(t, dk.Token).GetMe(bg))(t)
		// With the full power (a password session) the same revocation succeeds.
		ok(struct{}{}, a.root.RevokeUserApiKey(bg, oas.RevokeUserApiKeyParams{ID: dev.ID, KeyId: dk.ID}))(t)
	})
}

// TestAPIKeyFollowsTheMFAPolicy: when the owner's organization starts requiring a second
// factor the owner has not enrolled, their key reaches no more than their sessions would.
func TestAPIKeyFollowsTheMFAPolicy(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		_, c := a.user(t, o.ID, a.systemRole(t, "developer"))
		kc := a.srv.WithToken(t, createKey(t, c, "ci").Token)
		ok(kc.ListUsers(bg, oas.ListUsersParams{}))(t)
		ok(a.root.UpdateOrganization(bg, &oas.OrganizationUpdate{RequireMfa: oas.NewOptBool(true)}, oas.UpdateOrganizationParams{ID: o.ID}))(t)
		problem(t, errOf(kc.ListUsers(bg, oas.ListUsersParams{})), http.StatusForbidden, "mfa_enrollment_required")
		problem(t, errOf(kc.CreateApiKey(bg, &oas.APIKeyCreate{Name: "another"})), http.StatusForbidden, "mfa_enrollment_required")
	})
}

// TestServiceAccountAPIKeySparedByTheMFAPolicy: a service account (authenticated by
// client_credentials) mints its own key; the organization's require_mfa does not gate it, as
// it does not gate the account's client_credentials sessions.
func TestServiceAccountAPIKeySparedByTheMFAPolicy(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "key-holder", rbac.RoleViewer)
		r := grant(t, a, sa.ID.String(), secret, "")
		if r.status != 200 {
			t.Fatalf("grant: %d %v", r.status, r.body)
		}
		k := ok(a.srv.WithToken(t, r.str("access_token")).CreateApiKey(bg, &oas.APIKeyCreate{Name: "sa"}))(t)
		kc := a.srv.WithToken(t, k.Token)
		if me := ok(kc.GetMe(bg))(t); me.User.ID != sa.ID {
			t.Fatalf("the key acts as %s, want the service account %s", me.User.ID, sa.ID)
		}
		org := a.srv.OrganizationID(t, seed.DefaultSlug)
		ok(a.root.UpdateOrganization(bg, &oas.OrganizationUpdate{RequireMfa: oas.NewOptBool(true)}, oas.UpdateOrganizationParams{ID: org}))(t)
		ok(kc.ListUsers(bg, oas.ListUsersParams{}))(t)
	})
}
