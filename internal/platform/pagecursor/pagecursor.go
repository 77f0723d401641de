// Package pagecursor seals the opaque page cursors the API hands out, so a client can hold a
// position but cannot forge one: every cursor carries an HMAC over the list it belongs to and
// its content. A changed byte, a changed total or a cursor of another list is refused.
package pagecursor

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// CodeInvalidCursor is the stable code of a 400 for a cursor this service did not issue for
// the list it is used with.
const CodeInvalidCursor = "invalid_cursor"

// keyLabel separates the cursor key from anything else derived from the same secret.
const keyLabel = "telemetryflow/page-cursor/hmac-sha256/v1"

// tagSize is the MAC length kept in a cursor: 128 bits (HMAC-SHA256 truncated, RFC 2104 §5),
// ample against forgery while keeping cursors within the contract's 512 characters.
const tagSize = 16

// KeyFromKEK derives the cursor key from the key-encryption key with HKDF-SHA256 and a label
// of its own. Every replica sharing a database shares the KEK, hence this key, so a cursor
// issued by one replica is good on all; the KEK itself is never used as a MAC key.
func KeyFromKEK(kek []byte) ([]byte, error) {
	if len(kek) < 32 {
		return nil, errors.New("pagecursor: the key-encryption key must be at least 32 bytes")
	}
	return hkdf.Key(sha256.New, kek, nil, keyLabel, 32)
}

// Codec seals and opens cursors.
type Codec struct {
	key []byte
}

// New builds a codec from a 32-byte (or longer) key.
func New(key []byte) (*Codec, error) {
	if len(key) < 32 {
		return nil, errors.New("pagecursor: key must be at least 32 bytes")
	}
	return &Codec{key: append([]byte(nil), key...)}, nil
}

// Seal returns the opaque form of payload, bound to list (a name of the list and everything
// that makes it that list: filters, scope, parent).
func (c *Codec) Seal(list string, payload []byte) string {
	out := append(append([]byte(nil), payload...), c.tag(list, payload)...)
	return base64.RawURLEncoding.EncodeToString(out)
}

// Open returns the payload of a cursor sealed for list, or the invalid_cursor error.
func (c *Codec) Open(list, cursor string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) < tagSize {
		return nil, Invalid()
	}
	payload, tag := raw[:len(raw)-tagSize], raw[len(raw)-tagSize:]
	if !hmac.Equal(tag, c.tag(list, payload)) {
		return nil, Invalid()
	}
	return payload, nil
}

// tag is the truncated HMAC of the list and the payload; the list's length goes first so no
// (list, payload) pair can pose as another.
func (c *Codec) tag(list string, payload []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(list)))
	m.Write(n[:])
	m.Write([]byte(list))
	m.Write(payload)
	return m.Sum(nil)[:tagSize]
}

// Invalid is the error for a cursor that fails to open.
func Invalid() *errs.Error { return InvalidBecause("is not a cursor of this list") }

// InvalidBecause is the invalid_cursor error with a reason of its own.
func InvalidBecause(reason string) *errs.Error {
	return &errs.Error{Kind: errs.KindInvalid, Code: CodeInvalidCursor, Message: "The cursor cannot be used with this request.",
		Fields: []errs.FieldError{{Field: "cursor", Message: reason}}}
}
