package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// refreshPrefix marks our refresh tokens so they are recognisable in leaked-secret scanners.
const refreshPrefix = "tfr_"

// newRefreshToken returns a 256-bit random opaque token and the hash that is stored for it.
func newRefreshToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = refreshPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashRefresh(token)
}

// hashRefresh is SHA-256: the token has 256 bits of entropy, so a slow hash adds nothing and a
// database leak still yields nothing usable.
func hashRefresh(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// wellFormedRefresh rejects obvious garbage before touching the database.
func wellFormedRefresh(token string) bool {
	rest, ok := strings.CutPrefix(token, refreshPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
