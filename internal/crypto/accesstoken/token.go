// Package accesstoken issues and verifies access tokens: EdDSA-signed JWTs with a kid, checked
// against an algorithm allow-list, known keys, issuer, audience and validity window.
package accesstoken

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/keyring"
)

// Claims are the access token's claims. tid and oid let other services scope by tenant and
// organization without asking us.
type Claims struct {
	jwt.RegisteredClaims
	SessionID      string `json:"sid"`
	TenantID       string `json:"tid,omitempty"`
	OrganizationID string `json:"oid"`
	// AMR is how the session's user authenticated (RFC 8176): ["pwd"], ["pwd","otp","mfa"]
	// or ["pwd","mfa"].
	AMR []string `json:"amr,omitempty"`
	// ClientID names the OAuth2 client of a client_credentials grant; Scope is set when the
	// grant narrowed the token (space-separated permission names).
	ClientID string `json:"client_id,omitempty"`
	Scope    string `json:"scope,omitempty"`
}

// Keys is the key source: the current ring, and a way to pick up keys rotated elsewhere.
type Keys interface {
	Ring() *keyring.Ring
	RefreshFor(ctx context.Context, kid string) (ed25519.PublicKey, bool)
}

// Config fixes what this service issues and accepts.
type Config struct {
	Issuer   string
	Audience string
	TTL      time.Duration
	// Leeway tolerates clock skew between issuers and verifiers on exp/nbf/iat.
	Leeway time.Duration
	Now    func() time.Time
}

// Service signs and verifies.
type Service struct {
	cfg    Config
	keys   Keys
	parser *jwt.Parser
}

// New builds the service.
func New(cfg Config, k Keys) (*Service, error) {
	if cfg.Issuer == "" || cfg.Audience == "" || cfg.TTL <= 0 {
		return nil, errors.New("token: issuer, audience and TTL are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, keys: k, parser: jwt.NewParser(
		jwt.WithValidMethods([]string{keyring.Algorithm}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithNotBeforeRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
		jwt.WithStrictDecoding(),
	)}, nil
}

// Subject is who a token is issued to.
type Subject struct {
	UserID         uuid.UUID
	SessionID      uuid.UUID
	TenantID       uuid.UUID
	OrganizationID uuid.UUID
	// AMR is the session's authentication methods (authn.AMRFor).
	AMR      []string
	ClientID string
	Scope    string
}

// Issue signs a new access token and returns it with its expiry.
func (s *Service) Issue(sub Subject) (string, time.Time, error) {
	k := s.keys.Ring().Signing()
	if k == nil {
		return "", time.Time{}, errors.New("token: no signing key")
	}
	now := s.cfg.Now().UTC().Truncate(time.Second)
	exp := now.Add(s.cfg.TTL)
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.cfg.Issuer,
			Subject:   sub.UserID.String(),
			Audience:  jwt.ClaimStrings{s.cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.Must(uuid.NewV7()).String(),
		},
		SessionID:      sub.SessionID.String(),
		OrganizationID: sub.OrganizationID.String(),
		AMR:            sub.AMR,
		ClientID:       sub.ClientID,
		Scope:          sub.Scope,
	}
	if sub.TenantID != uuid.Nil {
		c.TenantID = sub.TenantID.String()
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = k.KID
	signed, err := t.SignedString(k.Private)
	return signed, exp, err
}

// Reason names why a token was rejected; it goes to the audit log, not to the caller.
type Reason string

const (
	ReasonMalformed   Reason = "malformed"
	ReasonAlgorithm   Reason = "algorithm_not_allowed"
	ReasonUnknownKey  Reason = "unknown_kid"
	ReasonSignature   Reason = "bad_signature"
	ReasonExpired     Reason = "expired"
	ReasonNotYetValid Reason = "not_yet_valid"
	ReasonIssuer      Reason = "wrong_issuer"
	ReasonAudience    Reason = "wrong_audience"
	ReasonClaims      Reason = "invalid_claims"
	// ReasonCritical: the header has "crit" (RFC 7515 §4.1.11). We implement no extension a
	// token could mark critical, so any such token must be refused, whatever it names.
	ReasonCritical     Reason = "critical_header"
	ReasonSessionEnded Reason = "session_ended"
	ReasonUserInactive Reason = "user_inactive"
	// ReasonOrganizationInactive: the session's user sits under an inactive (or deleted)
	// organization, tenant or region. The session is suspended, not ended.
	ReasonOrganizationInactive Reason = "organization_inactive"
	ReasonMissing              Reason = "missing"
)

// RejectedError carries the reason a token failed verification.
type RejectedError struct{ Reason Reason }

func (e *RejectedError) Error() string { return "access token rejected: " + string(e.Reason) }

func reject(r Reason) error { return &RejectedError{Reason: r} }

var errUnknownKey = errors.New("unknown key id")
var errAlgorithm = errors.New("algorithm not allowed")
var errCritical = errors.New("critical header extension not understood")

// Verified is what a valid token asserts.
type Verified struct {
	UserID         uuid.UUID
	SessionID      uuid.UUID
	TenantID       uuid.UUID
	OrganizationID uuid.UUID
	ExpiresAt      time.Time
	IssuedAt       time.Time
	ClientID       string
	Scope          string
}

// Verify checks signature and claims. It does not know about sessions or users.
func (s *Service) Verify(ctx context.Context, raw string) (Verified, error) {
	var c Claims
	_, err := s.parser.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		// Defence in depth: the parser's allow-list already refused other algorithms.
		if t.Method != jwt.SigningMethodEdDSA {
			return nil, errAlgorithm
		}
		if _, ok := t.Header["crit"]; ok {
			return nil, errCritical
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errUnknownKey
		}
		if pub, ok := s.keys.Ring().Verifier(kid); ok {
			return pub, nil
		}
		if pub, ok := s.keys.RefreshFor(ctx, kid); ok {
			return pub, nil
		}
		return nil, errUnknownKey
	})
	if err != nil {
		return Verified{}, classify(err)
	}
	v := Verified{ExpiresAt: c.ExpiresAt.Time, ClientID: c.ClientID, Scope: c.Scope}
	if c.IssuedAt != nil {
		v.IssuedAt = c.IssuedAt.Time
	}
	var perr error
	if v.UserID, perr = uuid.Parse(c.Subject); perr != nil {
		return Verified{}, reject(ReasonClaims)
	}
	if v.SessionID, perr = uuid.Parse(c.SessionID); perr != nil {
		return Verified{}, reject(ReasonClaims)
	}
	if v.OrganizationID, perr = uuid.Parse(c.OrganizationID); perr != nil {
		return Verified{}, reject(ReasonClaims)
	}
	if c.TenantID != "" {
		if v.TenantID, perr = uuid.Parse(c.TenantID); perr != nil {
			return Verified{}, reject(ReasonClaims)
		}
	}
	if c.ID == "" {
		return Verified{}, reject(ReasonClaims)
	}
	return v, nil
}

func classify(err error) error {
	switch {
	case errors.Is(err, errAlgorithm):
		return reject(ReasonAlgorithm)
	case errors.Is(err, errUnknownKey):
		return reject(ReasonUnknownKey)
	case errors.Is(err, errCritical):
		return reject(ReasonCritical)
	case errors.Is(err, jwt.ErrTokenMalformed):
		return reject(ReasonMalformed)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		// The allow-list failure is reported as a signature error by the library.
		if errors.Is(err, jwt.ErrSignatureInvalid) || errors.Is(err, jwt.ErrEd25519Verification) {
			return reject(ReasonSignature)
		}
		return reject(ReasonAlgorithm)
	case errors.Is(err, jwt.ErrTokenExpired):
		return reject(ReasonExpired)
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return reject(ReasonNotYetValid)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return reject(ReasonIssuer)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return reject(ReasonAudience)
	default:
		return reject(ReasonClaims)
	}
}

// Issuer is the iss of every token this service signs (discovery publishes it).
func (s *Service) Issuer() string { return s.cfg.Issuer }
