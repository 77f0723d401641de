package authn

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// refreshPrefix marks our refresh tokens so they are recognisable in leaked-secret scanners.
const refreshPrefix = "tfr_"

// NewRefreshToken returns a 256-bit random opaque token and the hash that is stored for it.
func NewRefreshToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = refreshPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashRefreshToken(token)
}

// HashRefreshToken is SHA-256: the token has 256 bits of entropy, so a slow hash adds nothing
// and a database leak still yields nothing usable.
func HashRefreshToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// WellFormedRefreshToken rejects obvious garbage before anything touches the database.
func WellFormedRefreshToken(token string) bool {
	rest, ok := strings.CutPrefix(token, refreshPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
