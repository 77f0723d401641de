// Package apikey mints API key tokens and computes the keyed hash under which they are stored
// and looked up.
//
// A token is "tfk_" followed by 32 bytes from crypto/rand in unpadded base64url (47
// characters). Its secret carries 256 bits of entropy, so nobody can guess it or search for it
// offline: a slow password hash (argon2id) would only cost every request time and buy nothing.
// What the stored value must resist is a stolen database being turned into tokens, and a hash
// of a 256-bit secret cannot be inverted. The hash is nevertheless keyed (HMAC-SHA-256 under a
// server key derived from the key-encryption key, never stored in the database), so a database
// copy alone cannot even confirm a token seen elsewhere, and a lookup by hash compares nothing
// secret byte by byte in application code.
package apikey

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"sync"

	"github.com/telemetryflow/core/internal/crypto/keyring"
)

const (
	// Prefix starts every token, so a token is recognised (by the verifier, by secret scanners).
	Prefix = "tfk_"
	// secretBytes is the random part: 256 bits.
	secretBytes = 32
	// TokenLen is the length of every token.
	TokenLen = len(Prefix) + (secretBytes*8+5)/6
	// DisplayLen is how much of a token is shown in lists and audit rows: the prefix and 8
	// characters (48 bits), enough to tell keys apart, far too little to help a guess.
	DisplayLen = len(Prefix) + 8
)

// Digest is the keyed hash of a token: the stored value and the cache key.
type Digest [sha256.Size]byte

// keyLabel separates this key from everything else derived from the key-encryption key.
const keyLabel = "telemetryflow api-key hmac v1"

// KeyFromKEK derives the hashing key from the key-encryption key (keyring.Derive, a label of
// its own): every replica sharing the database shares it.
func KeyFromKEK(kek []byte) ([]byte, error) { return keyring.Derive(kek, keyLabel) }

// Hasher hashes tokens under one key. Safe for concurrent use; hashing allocates nothing (the
// HMAC states are pooled), so a cached authentication stays allocation-free.
type Hasher struct{ pool sync.Pool }

type state struct {
	mac hash.Hash
	buf []byte
	sum []byte
}

// NewHasher builds a hasher over a key of at least 32 bytes.
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < 32 {
		return nil, errors.New("apikey: the hashing key must be at least 32 bytes")
	}
	k := append([]byte(nil), key...)
	h := &Hasher{}
	h.pool.New = func() any {
		return &state{mac: hmac.New(sha256.New, k), buf: make([]byte, 0, TokenLen), sum: make([]byte, 0, sha256.Size)}
	}
	return h, nil
}

// Hash is the keyed hash of token.
func (h *Hasher) Hash(token string) Digest {
	s := h.pool.Get().(*state)
	s.mac.Reset()
	s.buf = append(s.buf[:0], token...)
	s.mac.Write(s.buf)
	s.sum = s.mac.Sum(s.sum[:0])
	var d Digest
	copy(d[:], s.sum)
	h.pool.Put(s)
	return d
}

// New mints a token from crypto/rand.
func New() (string, error) {
	var secret [secretBytes]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", err
	}
	return Prefix + base64.RawURLEncoding.EncodeToString(secret[:]), nil
}

// Looks reports whether s has the shape of a token: the prefix, the length and the base64url
// alphabet. Anything else is not an API key and is never looked up.
func Looks(s string) bool {
	if len(s) != TokenLen || s[:len(Prefix)] != Prefix {
		return false
	}
	for i := len(Prefix); i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// HasPrefix reports whether s claims to be an API key (it starts with the prefix), well
// formed or not: such a credential is refused as an API key, never tried as a JWT.
func HasPrefix(s string) bool { return len(s) >= len(Prefix) && s[:len(Prefix)] == Prefix }

// Display is the part of a token that may be shown: its first DisplayLen characters.
func Display(token string) string {
	if len(token) < DisplayLen {
		return token
	}
	return token[:DisplayLen]
}

// Mint makes a new token and answers it with its displayable part and its hash (the use case's
// command.KeyMinter).
func (h *Hasher) Mint() (token, display string, hash []byte, err error) {
	token, err = New()
	if err != nil {
		return "", "", nil, err
	}
	d := h.Hash(token)
	return token, Display(token), d[:], nil
}
