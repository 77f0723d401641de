// Package clientassertion registers the public keys of service accounts (JWK, parsed by
// go-jose) and verifies their private_key_jwt assertions (RFC 7523, verified by golang-jwt
// against an algorithm allow-list).
package clientassertion

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"

	"github.com/go-jose/go-jose/v4"
)

// The algorithms an assertion may be signed with, one per key type.
const (
	AlgEdDSA = "EdDSA"
	AlgES256 = "ES256"
	AlgRS256 = "RS256"
)

// Algorithms is the allow-list, as discovery publishes it.
var Algorithms = []string{AlgEdDSA, AlgES256, AlgRS256}

// minRSABits is the smallest RSA modulus accepted.
const minRSABits = 2048

// PublicKey is a registered key: its algorithm (implied by its type), its kid and the key.
type PublicKey struct {
	Alg string
	KID string
	Key any    // ed25519.PublicKey, *ecdsa.PublicKey or *rsa.PublicKey
	JWK []byte // the public JWK, re-encoded (nothing but the public parts)
}

// ErrKey is any JWK this service does not accept.
var ErrKey = errors.New("the jwk must be a public Ed25519, P-256 or RSA (≥ 2048 bits) key")

// ParseJWK reads one public JWK. Private keys, other curves, small RSA keys and an "alg"
// that does not fit the key are refused.
func ParseJWK(raw []byte) (PublicKey, error) {
	var k jose.JSONWebKey
	if err := json.Unmarshal(raw, &k); err != nil || !k.Valid() || !k.IsPublic() {
		return PublicKey{}, ErrKey
	}
	var alg string
	switch pub := k.Key.(type) {
	case ed25519.PublicKey:
		alg = AlgEdDSA
	case *ecdsa.PublicKey:
		if pub.Curve != elliptic.P256() {
			return PublicKey{}, ErrKey
		}
		alg = AlgES256
	case *rsa.PublicKey:
		if pub.N.BitLen() < minRSABits {
			return PublicKey{}, ErrKey
		}
		alg = AlgRS256
	default:
		return PublicKey{}, ErrKey
	}
	if k.Algorithm != "" && k.Algorithm != alg {
		return PublicKey{}, ErrKey
	}
	k.Algorithm, k.Use = alg, "sig"
	out, err := json.Marshal(k)
	if err != nil {
		return PublicKey{}, ErrKey
	}
	return PublicKey{Alg: alg, KID: k.KeyID, Key: k.Key, JWK: out}, nil
}
