package oauth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// SecretPrefix marks a client secret, so secret scanners (and people) recognise one.
const SecretPrefix = "tfcs_"

// secretBytes is the secret's entropy: 256 bits.
const secretBytes = 32

// NewSecret returns a fresh client secret: the prefix and 256 random bits, base64url.
func NewSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return SecretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// WellFormedSecret reports whether raw has the shape of a secret NewSecret makes; anything
// else is refused before any lookup.
func WellFormedSecret(raw string) bool {
	body, ok := strings.CutPrefix(raw, SecretPrefix)
	if !ok || len(body) != base64.RawURLEncoding.EncodedLen(secretBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(body)
	return err == nil
}

// HashSecret is the stored form of a secret: HMAC-SHA-256 under the server's key. The secret
// has 256 bits of entropy, so no guessing attack needs slowing down (what argon2id is for);
// the key means a stolen table alone cannot even check a candidate secret. See
// docs/machine-identities.md.
func HashSecret(key []byte, raw string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(raw))
	return m.Sum(nil)
}

// SecretMatches compares a presented secret's hash with a stored one in constant time.
func SecretMatches(stored, presented []byte) bool { return hmac.Equal(stored, presented) }
