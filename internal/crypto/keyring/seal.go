// Package keyring manages the Ed25519 key pairs that sign access tokens: generation, sealed
// storage of private keys, rotation, and the public key set (JWKS) verifiers trust.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Sealer encrypts private keys at rest with AES-256-GCM under a key-encryption key (KEK) that
// never touches the database, so a database dump alone cannot forge tokens.
type Sealer struct{ aead cipher.AEAD }

// NewSealer takes a 32-byte KEK.
func NewSealer(kek []byte) (*Sealer, error) {
	if len(kek) != 32 {
		return nil, errors.New("keys: the key-encryption key must be 32 bytes")
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal returns nonce || ciphertext; ad (the key id) binds the ciphertext to its record.
func (s *Sealer) Seal(plain, ad []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, ad)
}

// Open reverses Seal; it fails if the data, the key id or the KEK differ.
func (s *Sealer) Open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errors.New("keys: sealed key too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrWrongKEK
	}
	return plain, nil
}

// ErrWrongKEK means a stored signing key does not open under this instance's key-encryption
// key: it was sealed under another one (typically a second instance on the same database with
// its own TF_KEY_ENCRYPTION_KEY or its own generated key file), or the record was tampered with.
var ErrWrongKEK = errors.New("keys: the database's signing key was sealed with another key-encryption key; " +
	"instances sharing a database must share TF_KEY_ENCRYPTION_KEY")

// LoadKEK returns the key-encryption key: from encoded (base64 of 32 bytes) when given,
// otherwise from path, creating that file with a fresh random key (mode 0600) on first use.
// Replicas sharing a database must share the KEK: set it explicitly for them.
func LoadKEK(encoded, path string) ([]byte, error) {
	if encoded != "" {
		kek, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
		if err != nil || len(kek) != 32 {
			return nil, errors.New("keys: TF_KEY_ENCRYPTION_KEY must be base64 of 32 bytes")
		}
		return kek, nil
	}
	if b, err := os.ReadFile(path); err == nil {
		kek, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(kek) != 32 {
			return nil, fmt.Errorf("keys: %s does not hold base64 of 32 bytes", path)
		}
		return kek, nil
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("keys: read %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	kek := make([]byte, 32)
	_, _ = rand.Read(kek)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) { // another process created it first: use theirs
			return LoadKEK("", path)
		}
		return nil, err
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(kek) + "\n"); err != nil {
		return nil, err
	}
	return kek, f.Sync()
}

// Derive returns a 32-byte key for one purpose from the key-encryption key (HKDF-SHA256, the
// purpose's label as info): every replica sharing the KEK derives the same key, and the KEK
// itself is never used as a MAC key. Each label names one use (API keys, client secrets, page
// cursors) so that no two uses share a key.
func Derive(kek []byte, label string) ([]byte, error) {
	if len(kek) < 32 {
		return nil, errors.New("keyring: the key-encryption key must be at least 32 bytes")
	}
	return hkdf.Key(sha256.New, kek, nil, label, 32)
}
