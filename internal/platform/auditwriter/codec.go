package auditwriter

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Record format, version 2 (little endian):
//
//	0      version
//	1      flags (flagSpooled)
//	2      event type
//	3      result
//	4:20   id
//	20:28  timestamp seconds   28:32 nanoseconds
//	32:40  created_at seconds  40:44 nanoseconds
//	44:48  duration_ms
//	48:    the 15 string columns, each a uvarint length then the bytes
//
// Version 1 is the same with the first 14 string columns (no target_organization_id): a
// spool written before the upgrade is still read, its events without a target organization.
// Times keep their full precision; each sink stores what its column holds.
const (
	codecVersion = 2
	fixedSize    = 48
	// v1Strings is how many string columns a version 1 record has.
	v1Strings = 14
	// flagSpooled marks an event accepted while the sink was failing or behind; storing it
	// later counts as a replay.
	flagSpooled = 1
)

var errDecode = errors.New("audit writer: undecodable record")

// stringsOf returns pointers to the string columns in their stored order; new columns go at
// the end, so an older version's columns are a prefix.
func stringsOf(e *audit.Event) [15]*string {
	return [15]*string{&e.UserID, &e.UserEmail, &e.UserFirstName, &e.UserLastName, &e.Action, &e.Resource,
		&e.ErrorMessage, &e.IPAddress, &e.UserAgent, &e.Metadata, &e.TenantID, &e.WorkspaceID,
		&e.OrganizationID, &e.SessionID, &e.TargetOrganizationID}
}

func encodedSize(e *audit.Event) int {
	n := fixedSize
	for _, s := range stringsOf(e) {
		n += uvarintLen(uint64(len(*s))) + len(*s)
	}
	return n
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// encode appends e to dst.
func encode(dst []byte, e *audit.Event, flags byte) []byte {
	var fixed [fixedSize]byte
	fixed[0], fixed[1], fixed[2], fixed[3] = codecVersion, flags, byte(e.EventType), byte(e.Result)
	copy(fixed[4:20], e.ID[:])
	putTime(fixed[20:32], e.Timestamp)
	putTime(fixed[32:44], e.CreatedAt)
	binary.LittleEndian.PutUint32(fixed[44:], e.DurationMS)
	dst = append(dst, fixed[:]...)
	for _, s := range stringsOf(e) {
		dst = binary.AppendUvarint(dst, uint64(len(*s)))
		dst = append(dst, *s...)
	}
	return dst
}

func putTime(b []byte, t time.Time) {
	binary.LittleEndian.PutUint64(b, uint64(t.Unix()))
	binary.LittleEndian.PutUint32(b[8:], uint32(t.Nanosecond()))
}

func getTime(b []byte) time.Time {
	return time.Unix(int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint32(b[8:]))).UTC()
}

// decode reads the record that occupies src[start:end]. Strings are substrings of src, so a
// whole batch shares one allocation.
func decode(src string, start, end int, e *audit.Event) (flags byte, err error) {
	if end-start < fixedSize {
		return 0, errDecode
	}
	columns := stringsOf(e)
	strs := columns[:]
	switch src[start] {
	case codecVersion:
	case 1:
		strs = columns[:v1Strings]
		e.TargetOrganizationID = ""
	default:
		return 0, errDecode
	}
	fixed := src[start : start+fixedSize]
	flags = fixed[1]
	e.EventType, e.Result = audit.EventType(fixed[2]), audit.Result(fixed[3])
	copy(e.ID[:], fixed[4:20])
	e.Timestamp = getTime([]byte(fixed[20:32]))
	e.CreatedAt = getTime([]byte(fixed[32:44]))
	e.DurationMS = binary.LittleEndian.Uint32([]byte(fixed[44:48]))
	off := start + fixedSize
	for _, s := range strs {
		n, k := uvarint(src[off:end])
		if k <= 0 || uint64(end-off-k) < n {
			return 0, errDecode
		}
		off += k
		*s = src[off : off+int(n)]
		off += int(n)
	}
	if off != end {
		return 0, errDecode
	}
	return flags, nil
}

// uvarint is binary.Uvarint over a string, without converting it.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
