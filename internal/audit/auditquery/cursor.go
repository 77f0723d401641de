package auditquery

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/audit"
)

// A cursor is opaque to clients: version, timestamp in Unix milliseconds, event id, in
// unpadded base64url.
const cursorVersion = 1

var errCursor = errors.New("malformed cursor")

// EncodeCursor makes the opaque form of c.
func EncodeCursor(c audit.Cursor) string {
	var b [25]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(c.Timestamp.UnixMilli()))
	copy(b[9:], c.ID[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// DecodeCursor reads a cursor made by EncodeCursor.
func DecodeCursor(s string) (audit.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 25 || b[0] != cursorVersion {
		return audit.Cursor{}, errCursor
	}
	id, err := uuid.FromBytes(b[9:])
	if err != nil {
		return audit.Cursor{}, errCursor
	}
	return audit.Cursor{Timestamp: time.UnixMilli(int64(binary.BigEndian.Uint64(b[1:9]))).UTC(), ID: id}, nil
}
