package auth

import (
	"context"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/clientassertion"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/oauth"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// Client authentication (RFC 6749 §2.3, RFC 7523): a service account presents a client secret
// (HTTP Basic or form fields) or a signed assertion. It goes through the login's defences:
// the per-address rate limit, the two lockout counts (authn.LockoutPolicy.Decide, the client
// id standing in for the email) and one coalesced AUTH failure row per client, action and
// reason. Every failure answers the same invalid_client.

// Client authentication methods, as discovery and the audit rows name them.
const (
	MethodSecretBasic   = "client_secret_basic"
	MethodSecretPost    = "client_secret_post"
	MethodPrivateKeyJWT = "private_key_jwt"
)

// ClientAuth is what a request presents to authenticate a client.
type ClientAuth struct {
	// Basic is set when the request carried Authorization: Basic; BasicID and BasicSecret are
	// its parts as sent (still form-encoded, RFC 6749 §2.3.1).
	Basic                    bool
	BasicID, BasicSecret     string
	FormID, FormSecret       string
	AssertionType, Assertion string
}

// Presented reports whether the request tried to authenticate a client at all.
func (c ClientAuth) Presented() bool {
	return c.Basic || c.FormSecret != "" || c.Assertion != "" || c.AssertionType != ""
}

// Client is an authenticated service account.
type Client struct {
	User   *port.PlacedUser
	ID     string // client_id: the service account's id
	Method string
	// CredentialID is the secret or key that authenticated.
	CredentialID uuid.UUID
	secret       *oauth.Secret // the secret that matched (for last_used_at)
}

// clientAttempt is one client authentication as it proceeds.
type clientAttempt struct {
	now      time.Time
	id       string
	method   string
	key      authn.LockKey
	user     *port.PlacedUser
	credID   uuid.UUID
	secret   *oauth.Secret
	secrets  []oauth.Secret // the account's live secrets (secret methods)
	reason   string         // why the credential did not match (audit only)
	failure  authn.Failure
	failed   audit.Event
	recorded bool
}

// AuthenticateClient checks the client's credentials and answers the service account.
func (s *Service) AuthenticateClient(ctx context.Context, c ClientAuth) (*Client, error) {
	method, id, err := clientMethod(c)
	if err != nil {
		return nil, err
	}
	a := &clientAttempt{now: s.now(), id: id, method: method,
		failed: audit.NewAuth(ctx, "client_authentication", "oauth2_client", audit.ResultFailure)}
	cl, err := s.authenticateClient(ctx, a, c)
	if cl == nil && a.failed.ErrorMessage != "" {
		a.failed.WithMetadata(map[string]any{"client_id": a.id, "method": a.method})
		s.recordFailure(ctx, a.failed)
		for _, e := range lockEvents(a.key, a.failed, a.failure) {
			s.cfg.Audit.Record(ctx, e)
		}
	}
	return cl, err
}

func (s *Service) authenticateClient(ctx context.Context, a *clientAttempt, c ClientAuth) (*Client, error) {
	client := reqinfo.From(ctx).ClientKey()
	if ok, wait := s.limiter.Allow(ctx, client, a.now); !ok {
		a.failed.ErrorMessage = "rate_limited"
		return nil, &errs.Error{Kind: errs.KindRateLimited, Code: errs.CodeRateLimited,
			Message: "Too many authentication attempts from this address; retry later.", RetryAfter: wait}
	}
	a.key = authn.LockKey{Account: authn.AccountKey("client:" + a.id), Client: client}
	if uid, perr := uuid.Parse(a.id); perr == nil {
		var (
			u   *port.PlacedUser
			err error
		)
		if a.method == MethodPrivateKeyJWT {
			u, err = s.cfg.Store.Credentials().Get(ctx, uid)
		} else {
			// A secret's account and its secrets in one round trip.
			u, a.secrets, err = s.cfg.Store.Clients().WithSecrets(ctx, uid)
		}
		switch {
		case err == nil && u.IsService():
			a.user, a.key.UserID = u, u.ID
			a.failed.UserID, a.failed.UserFirstName = u.ID.String(), u.FirstName
			a.failed.OrganizationID, a.failed.TenantID = u.OrganizationID.String(), u.TenantID.String()
		case err != nil && !errs.IsKind(err, errs.KindNotFound):
			return nil, err
		}
	}
	locks, err := s.locksOf(ctx, a.key, a.user)
	if err != nil {
		return nil, err
	}
	matches, err := s.checkClientCredential(ctx, a, c)
	if err != nil {
		return nil, err
	}
	attempt := authn.Attempt{PasswordMatches: matches, Locks: locks}
	if a.user != nil {
		attempt.User, attempt.HierarchyActive = &a.user.User, a.user.HierarchyActive
	}
	verdict := s.cfg.Lockout.Decide(attempt, a.now)
	switch {
	case verdict.CountFailure:
		if a.failure, err = s.countFailure(ctx, a.key, locks, a.now); err != nil {
			return nil, err
		}
		a.failed.ErrorMessage = verdict.Reason
		if a.reason != "" && verdict.Reason != authn.ReasonUnknownAccount {
			a.failed.ErrorMessage = a.reason
		}
		return nil, oauth.InvalidClient(s.cfg.Lockout.Wait(a.failure.After, a.now))
	case verdict.Reason != "":
		a.failed.ErrorMessage = verdict.Reason
		return nil, oauth.InvalidClient(verdict.RetryAfter)
	}
	if locks.Pair.Failures > 0 {
		if err := s.cfg.Store.LoginFailures().ClearPair(ctx, a.key); err != nil {
			return nil, err
		}
	}
	return &Client{User: a.user, ID: a.id, Method: a.method, CredentialID: a.credID, secret: a.secret}, nil
}

// checkClientCredential answers whether the presented credential is one of the account's
// usable ones (false for an unknown account, after the same work).
func (s *Service) checkClientCredential(ctx context.Context, a *clientAttempt, c ClientAuth) (bool, error) {
	if a.method == MethodPrivateKeyJWT {
		return s.checkAssertion(ctx, a, c.Assertion)
	}
	raw := c.FormSecret
	if a.method == MethodSecretBasic {
		raw = c.BasicSecret
		if v, err := url.QueryUnescape(raw); err == nil {
			raw = v
		}
	}
	presented := oauth.HashSecret(s.cfg.ClientSecretKey, raw)
	if a.user == nil {
		return false, nil
	}
	if !oauth.WellFormedSecret(raw) {
		a.reason = "malformed_secret"
		return false, nil
	}
	secrets := a.secrets
	for i := range secrets {
		if oauth.SecretMatches(secrets[i].Hash, presented) {
			if !secrets[i].Usable(a.now) {
				a.reason = "secret_expired"
				return false, nil
			}
			a.credID, a.secret = secrets[i].ID, &secrets[i]
			return true, nil
		}
	}
	a.reason = "bad_secret"
	return false, nil
}

// checkAssertion verifies a private_key_jwt assertion against the account's usable keys and
// spends its jti (each assertion is accepted once, on every replica).
func (s *Service) checkAssertion(ctx context.Context, a *clientAttempt, raw string) (bool, error) {
	if a.user == nil {
		return false, nil
	}
	keys, err := s.cfg.Store.Clients().Keys(ctx, a.user.ID)
	if err != nil {
		return false, err
	}
	var usable []clientassertion.PublicKey
	ids := map[string]uuid.UUID{}
	for _, k := range keys {
		if !k.Usable(a.now) {
			continue
		}
		pk, err := s.keyCache.parse(k)
		if err != nil {
			continue
		}
		usable = append(usable, pk)
		ids[string(pk.JWK)] = k.ID
	}
	as, err := clientassertion.Verify(raw, a.id, s.cfg.TokenEndpoint, usable, a.now, s.cfg.Leeway)
	if err != nil {
		a.reason = "bad_assertion"
		return false, nil
	}
	fresh := false
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		var err error
		fresh, err = tx.Clients().UseAssertion(ctx, a.id+":"+as.JTI, as.ExpiresAt.Add(s.cfg.Leeway), a.now)
		return err
	})
	if err != nil {
		return false, err
	}
	if !fresh {
		a.reason = "assertion_replayed"
		return false, nil
	}
	a.credID = ids[string(as.Key.JWK)]
	return true, nil
}

// clientMethod finds the one authentication method a request uses (RFC 6749 §2.3: a client
// must not use more than one) and the client id it names.
func clientMethod(c ClientAuth) (method, id string, err error) {
	n := 0
	if c.Basic {
		n++
		method, id = MethodSecretBasic, c.BasicID
		if v, err := url.QueryUnescape(id); err == nil {
			id = v
		}
	}
	if c.FormSecret != "" {
		n++
		method, id = MethodSecretPost, c.FormID
	}
	if c.Assertion != "" || c.AssertionType != "" {
		n++
		method = MethodPrivateKeyJWT
		if c.AssertionType != clientassertion.AssertionType || c.Assertion == "" {
			return "", "", oauth.InvalidRequest("client_assertion_type must be " + clientassertion.AssertionType + ", with client_assertion.")
		}
		iss, err := clientassertion.Unverified(c.Assertion)
		if err != nil {
			return "", "", oauth.InvalidClient(0)
		}
		if c.FormID != "" && c.FormID != iss {
			return "", "", oauth.InvalidClient(0)
		}
		id = iss
	}
	switch {
	case n == 0:
		return "", "", oauth.InvalidClient(0)
	case n > 1:
		return "", "", oauth.InvalidRequest("Use exactly one client authentication method.")
	case c.Basic && c.FormID != "" && c.FormID != id:
		return "", "", oauth.InvalidRequest("client_id does not match the HTTP Basic credentials.")
	case id == "":
		return "", "", oauth.InvalidClient(0)
	}
	return method, id, nil
}
