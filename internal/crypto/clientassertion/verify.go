package clientassertion

import (
	"errors"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AssertionType is the only client_assertion_type (RFC 7523 §2.2).
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// MaxLifetime bounds how far in the future an assertion's exp may lie: a long-lived
// assertion is a bearer credential, and its jti must be remembered until it expires.
const MaxLifetime = 10 * time.Minute

// Assertion is what a verified assertion asserts.
type Assertion struct {
	ClientID  string
	JTI       string
	ExpiresAt time.Time
	Key       PublicKey // the key that verified it
}

// Claims are an assertion's claims.
type claims struct {
	jwt.RegisteredClaims
}

// ErrAssertion is every reason an assertion is refused (the caller gets invalid_client).
var ErrAssertion = errors.New("client assertion refused")

// Unverified reads the issuer (the client id) of an assertion without trusting it, to find
// the keys to verify it with.
func Unverified(raw string) (string, error) {
	var c claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil || c.Issuer == "" {
		return "", ErrAssertion
	}
	return c.Issuer, nil
}

// Verify checks an assertion: signed by one of keys with the key's own algorithm; iss = sub
// = clientID; aud naming audience; exp present, in the future and at most MaxLifetime away;
// a jti. Replay of the jti is the caller's to refuse (it must be remembered until exp).
func Verify(raw, clientID, audience string, keys []PublicKey, now time.Time, leeway time.Duration) (Assertion, error) {
	for _, k := range keys {
		a, err := verifyWith(raw, clientID, audience, k, now, leeway)
		if err == nil {
			return a, nil
		}
	}
	return Assertion{}, ErrAssertion
}

func verifyWith(raw, clientID, audience string, k PublicKey, now time.Time, leeway time.Duration) (Assertion, error) {
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{k.Alg}),
		jwt.WithIssuer(clientID),
		jwt.WithSubject(clientID),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var c claims
	t, err := p.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		if _, crit := t.Header["crit"]; crit {
			return nil, ErrAssertion
		}
		if kid, _ := t.Header["kid"].(string); kid != "" && k.KID != "" && kid != k.KID {
			return nil, ErrAssertion
		}
		return k.Key, nil
	})
	if err != nil || !t.Valid || c.ID == "" || c.ExpiresAt == nil {
		return Assertion{}, ErrAssertion
	}
	if c.ExpiresAt.After(now.Add(MaxLifetime + leeway)) {
		return Assertion{}, ErrAssertion
	}
	if !slices.Contains(c.Audience, audience) {
		return Assertion{}, ErrAssertion
	}
	return Assertion{ClientID: clientID, JTI: c.ID, ExpiresAt: c.ExpiresAt.Time, Key: k}, nil
}
