package auditquery

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
)

// A cursor's payload: version, timestamp in Unix milliseconds, event id. It is sealed (HMAC)
// and bound to the query it pages (scope and filter), so a client can neither move it nor
// carry it to another query.
const cursorVersion = 1

// cursorList names the list a cursor belongs to.
func cursorList(scope audit.Scope, f audit.Filter) string {
	b, err := json.Marshal([]any{scope, f})
	if err != nil {
		b = []byte(err.Error()) // never happens for these plain types; no cursor would open
	}
	return "audit_logs:" + string(b)
}

// encodeCursor seals c for the list.
func encodeCursor(codec *pagecursor.Codec, list string, c audit.Cursor) string {
	var b [25]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(c.Timestamp.UnixMilli()))
	copy(b[9:], c.ID[:])
	return codec.Seal(list, b[:])
}

// decodeCursor opens a cursor encodeCursor sealed for the same list.
func decodeCursor(codec *pagecursor.Codec, list, s string) (audit.Cursor, error) {
	b, err := codec.Open(list, s)
	if err != nil {
		return audit.Cursor{}, err
	}
	if len(b) != 25 || b[0] != cursorVersion {
		return audit.Cursor{}, pagecursor.Invalid()
	}
	id, err := uuid.FromBytes(b[9:])
	if err != nil {
		return audit.Cursor{}, pagecursor.Invalid()
	}
	return audit.Cursor{Timestamp: time.UnixMilli(int64(binary.BigEndian.Uint64(b[1:9]))).UTC(), ID: id}, nil
}
