package httpapi_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-faster/jx"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// Service accounts through the generated client: CRUD, the user grant endpoints, no password.
func TestServiceAccountLifecycle(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		org := a.srv.OrganizationID(t, seed.DefaultSlug)
		sa := ok(a.root.CreateServiceAccount(bg, &oas.ServiceAccountCreate{Name: "exporter", Description: oas.NewOptString("nightly"),
			OrganizationID: org}))(t)
		if sa.Name != "exporter" || sa.Description != "nightly" || sa.Status != oas.UserStatusActive || sa.ClientID != sa.ID.String() {
			t.Fatalf("created %+v", sa)
		}
		got := ok(a.root.GetServiceAccount(bg, oas.GetServiceAccountParams{ID: sa.ID}))(t)
		if got.ID != sa.ID {
			t.Fatalf("get %+v", got)
		}
		list := ok(a.root.ListServiceAccounts(bg, oas.ListServiceAccountsParams{}))(t)
		if list.Total != 1 || list.Items[0].ID != sa.ID {
			t.Fatalf("list %+v", list)
		}
		// A human user is not a service account.
		admin := ok(a.root.ListUsers(bg, oas.ListUsersParams{Email: oas.NewOptString(apitest.AdminEmail)}))(t).Items[0]
		_, err := a.root.GetServiceAccount(bg, oas.GetServiceAccountParams{ID: admin.ID})
		problem(t, err, 404, "service_account_not_found")
		// It is a user of kind service: the user endpoints and grants work on it.
		u := ok(a.root.GetUser(bg, oas.GetUserParams{ID: sa.ID}))(t)
		if k, _ := u.Kind.Get(); k != oas.UserKindService {
			t.Fatalf("user kind %v", u.Kind)
		}
		ok(a.root.AssignUserRole(bg, &oas.RoleRef{RoleID: roleID(t, a, rbac.RoleViewer)}, oas.AssignUserRoleParams{ID: sa.ID}))(t)
		upd := ok(a.root.UpdateServiceAccount(bg, &oas.ServiceAccountUpdate{Name: oas.NewOptString("exporter-2")}, oas.UpdateServiceAccountParams{ID: sa.ID}))(t)
		if upd.Name != "exporter-2" || upd.Description != "nightly" {
			t.Fatalf("updated %+v", upd)
		}
		// It never has a password: an administrator cannot set one, and a login with its
		// address answers exactly like a wrong password.
		err = a.root.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: "a-long-enough-password"}, oas.ResetUserPasswordParams{ID: sa.ID})
		problem(t, err, 400, "validation_failed", "new_password")
		_, err = a.srv.Client.Login(bg, &oas.LoginRequest{Email: u.Email, Password: "anything-at-all-1"})
		problem(t, err, 401, "invalid_credentials")
		_, wrong := a.srv.Client.Login(bg, &oas.LoginRequest{Email: apitest.AdminEmail, Password: "anything-at-all-1"})
		if describe(err) != describe(wrong) {
			t.Fatalf("service account login %s, wrong password %s", describe(err), describe(wrong))
		}
		ok(0, a.root.DeleteServiceAccount(bg, oas.DeleteServiceAccountParams{ID: sa.ID}))(t)
		_, err = a.root.GetServiceAccount(bg, oas.GetServiceAccountParams{ID: sa.ID})
		problem(t, err, 404, "service_account_not_found")
		// Audited like users: a DATA row per change, naming the account's organization.
		a.srv.FlushAudit(t)
		for _, action := range []string{"create_service_account", "update_service_account", "delete_service_account"} {
			n := a.srv.DB(t).Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeDATA), auditlog.ActionEQ(action),
				auditlog.ResultEQ(auditlog.ResultSUCCESS), auditlog.TargetOrganizationIDEQ(org.String())).CountX(bg)
			if n != 1 {
				t.Errorf("%s: %d DATA rows", action, n)
			}
		}
	})
}

// client_credentials with client_secret_basic and client_secret_post; the token works like
// any other; §5.1 headers; rotation; revocation of a secret.
func TestClientCredentialsGrant(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "reader", rbac.RoleViewer)
		id := sa.ID.String()
		r := grant(t, a, id, secret, "")
		if r.status != 200 || r.str("token_type") != "Bearer" || r.str("access_token") == "" || r.body["expires_in"].(float64) <= 0 {
			t.Fatalf("basic: %d %v", r.status, r.body)
		}
		if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
			t.Fatalf("headers %v", r.header)
		}
		if _, ok := r.body["refresh_token"]; ok {
			t.Fatal("client_credentials must not issue a refresh token")
		}
		c := a.srv.WithToken(t, r.str("access_token"))
		ok(c.ListUsers(bg, oas.ListUsersParams{}))(t)
		me := ok(c.GetMe(bg))(t)
		if me.User.ID != sa.ID {
			t.Fatalf("me %v", me.User.ID)
		}
		// The decision API answers for the service account.
		dec := ok(c.CheckAuthorization(bg, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{{Permission: "user:read"}, {Permission: "user:delete"}}}))(t)
		if !dec.Results[0].Allowed || dec.Results[1].Allowed {
			t.Fatalf("decisions %+v", dec.Results)
		}
		// client_secret_post.
		r = postForm(t, a.srv.URL, "/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, "", "")
		if r.status != 200 || r.str("access_token") == "" {
			t.Fatalf("post: %d %v", r.status, r.body)
		}
		// Rotation: a second secret works beside the first; revoking the first ends it alone.
		sec2 := ok(a.root.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{Description: oas.NewOptString("next")},
			oas.CreateServiceAccountSecretParams{ID: sa.ID}))(t)
		secrets := ok(a.root.ListServiceAccountSecrets(bg, oas.ListServiceAccountSecretsParams{ID: sa.ID}))(t)
		if secrets.Total != 2 {
			t.Fatalf("secrets %+v", secrets)
		}
		raw, _ := json.Marshal(secrets)
		if strings.Contains(string(raw), secret) || strings.Contains(string(raw), sec2.ClientSecret) {
			t.Fatal("a secret is listed")
		}
		if r := grant(t, a, id, sec2.ClientSecret, ""); r.status != 200 {
			t.Fatalf("second secret: %d %v", r.status, r.body)
		}
		var first uuid.UUID
		for _, s := range secrets.Items {
			if s.ID != sec2.ID {
				first = s.ID
			}
		}
		ok(0, a.root.DeleteServiceAccountSecret(bg, oas.DeleteServiceAccountSecretParams{ID: sa.ID, SecretId: first}))(t)
		wantOAuthError(t, grant(t, a, id, secret, ""), 401, "invalid_client")
		if r := grant(t, a, id, sec2.ClientSecret, ""); r.status != 200 {
			t.Fatalf("second secret after revoking the first: %d %v", r.status, r.body)
		}
		// An expiry must lie ahead; an expired secret authenticates nothing.
		_, err := a.root.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{ExpiresAt: oas.NewOptDateTime(time.Now().Add(-time.Hour))},
			oas.CreateServiceAccountSecretParams{ID: sa.ID})
		problem(t, err, 400, "validation_failed", "expires_at")
		// Deactivating the account ends its tokens on the next request.
		tok := grant(t, a, id, sec2.ClientSecret, "").str("access_token")
		ok(a.root.DeactivateUser(bg, oas.DeactivateUserParams{ID: sa.ID}))(t)
		_, err = a.srv.WithToken(t, tok).ListUsers(bg, oas.ListUsersParams{})
		problem(t, err, 401, "invalid_token")
		wantOAuthError(t, grant(t, a, id, sec2.ClientSecret, ""), 401, "invalid_client")
	})
}

// Every §5.2 error of the token endpoint.
func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "errors", rbac.RoleViewer)
		id := sa.ID.String()
		token := func(v url.Values, user, pass string) formReply {
			return postForm(t, a.srv.URL, "/oauth2/token", v, user, pass)
		}
		cc := url.Values{"grant_type": {"client_credentials"}}
		wantOAuthError(t, token(url.Values{}, id, secret), 400, "invalid_request")
		wantOAuthError(t, token(url.Values{"grant_type": {"password"}}, id, secret), 400, "unsupported_grant_type")
		wantOAuthError(t, token(cc, "", ""), 401, "invalid_client")
		wantOAuthError(t, token(cc, id, "tfcs_wrong"), 401, "invalid_client")
		wantOAuthError(t, token(cc, uuid.NewString(), secret), 401, "invalid_client")
		wantOAuthError(t, token(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, id, secret), 400, "invalid_request")
		wantOAuthError(t, token(url.Values{"grant_type": {"client_credentials"}, "scope": {"user:delete"}}, id, secret), 400, "invalid_scope")
		wantOAuthError(t, token(url.Values{"grant_type": {"client_credentials"}, "scope": {"not-a-permission"}}, id, secret), 400, "invalid_scope")
		wantOAuthError(t, token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, "", ""), 400, "invalid_grant")
		wantOAuthError(t, token(url.Values{"grant_type": {"refresh_token"}}, "", ""), 400, "invalid_request")
		wantOAuthError(t, token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}, id, secret), 400, "unauthorized_client")
		// A human's refresh token is exchanged at the token endpoint too.
		_, login := a.srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
		r := token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {login.RefreshToken}}, "", "")
		if r.status != 200 || r.str("refresh_token") == "" || r.str("access_token") == "" {
			t.Fatalf("refresh: %d %v", r.status, r.body)
		}
		wantOAuthError(t, token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {login.RefreshToken}}, "", ""), 400, "invalid_grant")
		// Failures are audited (AUTH, with the client id, never the secret).
		a.srv.FlushAudit(t)
		rows := a.srv.DB(t).Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTH), auditlog.ActionEQ("client_authentication")).AllX(bg)
		if len(rows) == 0 {
			t.Fatal("no client_authentication rows")
		}
		for _, row := range rows {
			if strings.Contains(row.Metadata, secret) {
				t.Fatal("an audit row holds the secret")
			}
		}
	})
}

// Failed client authentications lock the client out like failed logins.
func TestClientAuthenticationLockout(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "locked", rbac.RoleViewer)
		for range 3 {
			wantOAuthError(t, grant(t, a, sa.ID.String(), "tfcs_guess", ""), 401, "invalid_client")
		}
		wantOAuthError(t, grant(t, a, sa.ID.String(), secret, ""), 401, "invalid_client")
	}, apitest.WithEnv("TF_LOCKOUT_THRESHOLD", "3"))
}

// Client authentication shares the login's per-address limit.
func TestClientAuthenticationRateLimit(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		a := &api{srv: srv, root: srv.LoginAdmin(t)}
		sa, secret := serviceAccount(t, a, "limited", rbac.RoleViewer)
		limited := false
		for range 40 {
			if r := grant(t, a, sa.ID.String(), secret, ""); r.status == http.StatusTooManyRequests {
				limited = true
				break
			}
		}
		if !limited {
			t.Fatal("40 grants a minute from one address were never limited")
		}
	})
}

// A scope narrows the token: inside it the token works, outside it the gate refuses (403 and an
// AUTHZ DENIED row), whatever the account holds.
func TestScopeNarrowing(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "narrow", rbac.RoleViewer)
		r := grant(t, a, sa.ID.String(), secret, "user:read")
		if r.status != 200 || r.str("scope") != "user:read" {
			t.Fatalf("scoped grant: %d %v", r.status, r.body)
		}
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(r.str("access_token"), claims); err != nil {
			t.Fatal(err)
		}
		if claims["scope"] != "user:read" || claims["client_id"] != sa.ID.String() || claims["sub"] != sa.ID.String() {
			t.Fatalf("claims %v", claims)
		}
		c := a.srv.WithToken(t, r.str("access_token"))
		ok(c.ListUsers(bg, oas.ListUsersParams{}))(t)
		_, err := c.ListRoles(bg, oas.ListRolesParams{})
		problem(t, err, 403, "permission_denied")
		a.srv.FlushAudit(t)
		denied := a.srv.DB(t).Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTHZ), auditlog.ResultEQ(auditlog.ResultDENIED),
			auditlog.UserIDEQ(sa.ID.String()), auditlog.ErrorMessageEQ("outside_credential_scope")).CountX(bg)
		if denied != 1 {
			t.Fatalf("AUTHZ DENIED outside_credential_scope rows: %d", denied)
		}
		// The unscoped token of the same account may list roles.
		full := a.srv.WithToken(t, grant(t, a, sa.ID.String(), secret, "").str("access_token"))
		ok(full.ListRoles(bg, oas.ListRolesParams{}))(t)
	})
}

// RFC 7009 and 7662: a revoked access token is refused on the next request; introspection
// tells active from revoked, for the client itself and for a bearer with oauth2:introspect.
func TestRevokeAndIntrospect(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "revoker", rbac.RoleViewer)
		id := sa.ID.String()
		tok := grant(t, a, id, secret, "user:read").str("access_token")
		c := a.srv.WithToken(t, tok)
		ok(c.ListUsers(bg, oas.ListUsersParams{}))(t)

		in := postForm(t, a.srv.URL, "/oauth2/introspect", url.Values{"token": {tok}}, id, secret)
		if in.status != 200 || in.body["active"] != true || in.str("client_id") != id || in.str("scope") != "user:read" || in.str("sub") != id {
			t.Fatalf("introspect: %d %v", in.status, in.body)
		}
		if in.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("introspection headers %v", in.header)
		}
		// The super administrator holds oauth2:introspect.
		_, admin := a.srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
		if in := postBearer(t, a.srv.URL, "/oauth2/introspect", url.Values{"token": {tok}}, admin.AccessToken); in.body["active"] != true {
			t.Fatalf("admin introspect: %d %v", in.status, in.body)
		}
		// Another service account without the permission learns nothing about it.
		other, otherSecret := serviceAccount(t, a, "other", rbac.RoleViewer)
		if in := postForm(t, a.srv.URL, "/oauth2/introspect", url.Values{"token": {tok}}, other.ID.String(), otherSecret); in.status != 200 || in.body["active"] != false || len(in.body) != 1 {
			t.Fatalf("foreign introspect: %d %v", in.status, in.body)
		}
		wantOAuthError(t, postForm(t, a.srv.URL, "/oauth2/introspect", url.Values{"token": {tok}}, id, "tfcs_wrong"), 401, "invalid_client")

		// Revoking another client's token changes nothing; revoking its own ends it.
		if r := postForm(t, a.srv.URL, "/oauth2/revoke", url.Values{"token": {tok}}, other.ID.String(), otherSecret); r.status != 200 {
			t.Fatalf("foreign revoke: %d %v", r.status, r.body)
		}
		ok(c.ListUsers(bg, oas.ListUsersParams{}))(t)
		if r := postForm(t, a.srv.URL, "/oauth2/revoke", url.Values{"token": {tok}, "token_type_hint": {"access_token"}}, id, secret); r.status != 200 {
			t.Fatalf("revoke: %d %v", r.status, r.body)
		}
		_, err := c.ListUsers(bg, oas.ListUsersParams{})
		problem(t, err, 401, "invalid_token")
		if in := postForm(t, a.srv.URL, "/oauth2/introspect", url.Values{"token": {tok}}, id, secret); in.body["active"] != false {
			t.Fatalf("introspect after revoke: %v", in.body)
		}
		// Unknown tokens answer 200 (RFC 7009 §2.2); a missing one is invalid_request.
		if r := postForm(t, a.srv.URL, "/oauth2/revoke", url.Values{"token": {"garbage"}}, id, secret); r.status != 200 {
			t.Fatalf("revoke garbage: %d", r.status)
		}
		wantOAuthError(t, postForm(t, a.srv.URL, "/oauth2/revoke", url.Values{}, id, secret), 400, "invalid_request")
	})
}

// private_key_jwt (RFC 7523): a registered Ed25519 key signs the assertion; aud is the token
// endpoint of the discovery document; each assertion is accepted once.
func TestPrivateKeyJWT(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, _ := serviceAccount(t, a, "signer", rbac.RoleViewer)
		id := sa.ID.String()
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		jwk := oas.ClientKeyCreateJwk{"kty": jx.Raw(`"OKP"`), "crv": jx.Raw(`"Ed25519"`), "kid": jx.Raw(`"k1"`),
			"x": jx.Raw(`"` + base64.RawURLEncoding.EncodeToString(pub) + `"`)}
		key := ok(a.root.CreateServiceAccountKey(bg, &oas.ClientKeyCreate{Jwk: jwk}, oas.CreateServiceAccountKeyParams{ID: sa.ID}))(t)
		if key.Alg != oas.ClientKeyAlgEdDSA || key.Kid != "k1" {
			t.Fatalf("key %+v", key)
		}
		// A private key is refused.
		bad := oas.ClientKeyCreateJwk{"kty": jx.Raw(`"OKP"`), "crv": jx.Raw(`"Ed25519"`),
			"x": jx.Raw(`"` + base64.RawURLEncoding.EncodeToString(pub) + `"`), "d": jx.Raw(`"` + base64.RawURLEncoding.EncodeToString(priv.Seed()) + `"`)}
		_, err = a.root.CreateServiceAccountKey(bg, &oas.ClientKeyCreate{Jwk: bad}, oas.CreateServiceAccountKeyParams{ID: sa.ID})
		problem(t, err, 400, "validation_failed", "jwk")

		meta := ok(a.srv.Client.GetOAuthServerMetadata(bg))(t)
		sign := func(aud string, exp time.Duration) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.RegisteredClaims{Issuer: id, Subject: id, Audience: jwt.ClaimStrings{aud},
				ExpiresAt: jwt.NewNumericDate(time.Now().Add(exp)), IssuedAt: jwt.NewNumericDate(time.Now()), ID: uuid.NewString()})
			tok.Header["kid"] = "k1"
			s, err := tok.SignedString(priv)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		assert := func(assertion string) formReply {
			return postForm(t, a.srv.URL, "/oauth2/token", url.Values{"grant_type": {"client_credentials"},
				"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}, "", "")
		}
		good := sign(meta.TokenEndpoint, time.Minute)
		if r := assert(good); r.status != 200 || r.str("access_token") == "" {
			t.Fatalf("private_key_jwt: %d %v", r.status, r.body)
		}
		wantOAuthError(t, assert(good), 401, "invalid_client") // replayed jti
		wantOAuthError(t, assert(sign("https://elsewhere.example/token", time.Minute)), 401, "invalid_client")
		wantOAuthError(t, assert(sign(meta.TokenEndpoint, time.Hour)), 401, "invalid_client") // exp too far
		keys := ok(a.root.ListServiceAccountKeys(bg, oas.ListServiceAccountKeysParams{ID: sa.ID}))(t)
		if keys.Total != 1 {
			t.Fatalf("keys %+v", keys)
		}
		ok(0, a.root.DeleteServiceAccountKey(bg, oas.DeleteServiceAccountKeyParams{ID: sa.ID, KeyId: key.ID}))(t)
		wantOAuthError(t, assert(sign(meta.TokenEndpoint, time.Minute)), 401, "invalid_client")
	})
}

// Minting a credential is acting on the account: an administrator cannot mint a secret or
// register a key for a more powerful account (a super administrator's service account).
func TestMintingCredentialsIsActingOn(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		org := a.srv.OrganizationID(t, seed.DefaultSlug)
		strong := ok(a.root.CreateServiceAccount(bg, &oas.ServiceAccountCreate{Name: "strong", OrganizationID: org}))(t)
		ok(a.root.AssignUserRole(bg, &oas.RoleRef{RoleID: roleID(t, a, rbac.RoleSuperAdministrator)}, oas.AssignUserRoleParams{ID: strong.ID}))(t)
		weak := ok(a.root.CreateServiceAccount(bg, &oas.ServiceAccountCreate{Name: "weak", OrganizationID: org}))(t)

		a.srv.CreateUser(t, apitest.UserSpec{Email: "org-admin@example.com", Password: "a-long-enough-password", Roles: []string{rbac.RoleAdministrator}})
		admin, _ := a.srv.Login(t, "org-admin@example.com", "a-long-enough-password")
		_, err := admin.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: strong.ID})
		escalation(t, err)
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		jwk := oas.ClientKeyCreateJwk{"kty": jx.Raw(`"OKP"`), "crv": jx.Raw(`"Ed25519"`), "x": jx.Raw(`"` + base64.RawURLEncoding.EncodeToString(pub) + `"`)}
		_, err = admin.CreateServiceAccountKey(bg, &oas.ClientKeyCreate{Jwk: jwk}, oas.CreateServiceAccountKeyParams{ID: strong.ID})
		escalation(t, err)
		// Power from a direct grant (no role, so no tier) is covered by the permissions rule:
		// every change to such an account, its credentials included, is refused.
		direct := ok(a.root.CreateServiceAccount(bg, &oas.ServiceAccountCreate{Name: "direct", OrganizationID: org}))(t)
		ok(a.root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "system:admin")}, oas.GrantUserPermissionParams{ID: direct.ID}))(t)
		minted := ok(a.root.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: direct.ID}))(t)
		refused(t, "permission_escalation", []call{
			{"mint a secret", func() error {
				return errOf(admin.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: direct.ID}))
			}},
			{"register a key", func() error {
				return errOf(admin.CreateServiceAccountKey(bg, &oas.ClientKeyCreate{Jwk: jwk}, oas.CreateServiceAccountKeyParams{ID: direct.ID}))
			}},
			{"revoke a secret", func() error {
				return admin.DeleteServiceAccountSecret(bg, oas.DeleteServiceAccountSecretParams{ID: direct.ID, SecretId: minted.ID})
			}},
			{"rename", func() error {
				return errOf(admin.UpdateServiceAccount(bg, &oas.ServiceAccountUpdate{Name: oas.NewOptString("mine")}, oas.UpdateServiceAccountParams{ID: direct.ID}))
			}},
			{"delete", func() error { return admin.DeleteServiceAccount(bg, oas.DeleteServiceAccountParams{ID: direct.ID}) }},
		})
		// The weaker account is the administrator's to equip.
		ok(admin.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: weak.ID}))(t)
		// And nobody's scope may exceed the account: a grant naming a permission it lacks is refused.
		sec := ok(admin.CreateServiceAccountSecret(bg, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: weak.ID}))(t)
		wantOAuthError(t, grant(t, a, weak.ID.String(), sec.ClientSecret, "user:read"), 400, "invalid_scope")
	})
}

// Discovery is consistent with the tokens actually issued.
func TestDiscovery(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		ctx := context.Background()
		m1 := ok(a.srv.Client.GetOAuthServerMetadata(ctx))(t)
		m2 := ok(a.srv.Client.GetOpenIDConfiguration(ctx))(t)
		b1, _ := json.Marshal(m1)
		b2, _ := json.Marshal(m2)
		if string(b1) != string(b2) {
			t.Fatalf("the two documents differ:\n%s\n%s", b1, b2)
		}
		sa, secret := serviceAccount(t, a, "disco", rbac.RoleViewer)
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(grant(t, a, sa.ID.String(), secret, "").str("access_token"), claims); err != nil {
			t.Fatal(err)
		}
		if claims["iss"] != m1.Issuer {
			t.Fatalf("iss %v, issuer %s", claims["iss"], m1.Issuer)
		}
		if !strings.HasSuffix(m1.TokenEndpoint, "/oauth2/token") || !strings.HasSuffix(m1.JwksURI, "/.well-known/jwks.json") {
			t.Fatalf("endpoints %+v", m1)
		}
		scopes := map[string]bool{}
		for _, s := range m1.ScopesSupported {
			scopes[s] = true
		}
		if !scopes["user:read"] || !scopes["oauth2:introspect"] || len(scopes) != len(rbac.Catalog()) {
			t.Fatalf("scopes %v", m1.ScopesSupported)
		}
	})
}

// escalation asserts the acting-on rule refused the call (by tier or by permissions).
func escalation(t *testing.T, err error) {
	t.Helper()
	var p *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &p) || p.StatusCode != 403 || (p.Response.Code != "tier_escalation" && p.Response.Code != "permission_escalation") {
		t.Fatalf("want 403 tier_escalation or permission_escalation, got %s", describe(err))
	}
}

// An organization requiring a second factor holds people to it; its service accounts, which
// authenticate with their own secret or key and could never enrol, keep working.
func TestRequireMFASparesServiceAccounts(t *testing.T) {
	t.Parallel()
	oauthDialect(t, func(t *testing.T, a *api) {
		sa, secret := serviceAccount(t, a, "mfa-org-reader", rbac.RoleViewer)
		org := a.srv.OrganizationID(t, seed.DefaultSlug)
		ok(a.root.UpdateOrganization(bg, &oas.OrganizationUpdate{RequireMfa: oas.NewOptBool(true)}, oas.UpdateOrganizationParams{ID: org}))(t)
		r := grant(t, a, sa.ID.String(), secret, "")
		if r.status != 200 {
			t.Fatalf("grant: %d %v", r.status, r.body)
		}
		ok(a.srv.WithToken(t, r.str("access_token")).ListUsers(bg, oas.ListUsersParams{}))(t)
	})
}
