package auditwriter

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
)

// v1Record is a record written by the version 1 codec (before target_organization_id), kept
// byte for byte: a spool left by an older release must still be read after the upgrade.
const v1Record = "0101030101937a5e0000700080000000000000014258096b00000000c0d454074258096b00000000001764072a" +
	"0000000275310d61406578616d706c652e636f6d03416461084c6f76656c6163650b6372656174655f757365720475736572" +
	"00093139322e302e322e31056167656e740a7b226964223a2278227d02743100026f31027331"

func sampleEvent() audit.Event {
	ts := time.Date(2026, 11, 27, 10, 15, 30, 123000000, time.UTC)
	return audit.Event{ID: uuid.MustParse("01937a5e-0000-7000-8000-000000000001"), Timestamp: ts, CreatedAt: ts.Add(time.Millisecond),
		UserID: "u1", UserEmail: "a@example.com", UserFirstName: "Ada", UserLastName: "Lovelace", EventType: audit.EventData,
		Action: "create_user", Resource: "user", Result: audit.ResultSuccess, IPAddress: "192.0.2.1", UserAgent: "agent",
		Metadata: `{"id":"x"}`, TenantID: "t1", OrganizationID: "o1", SessionID: "s1", DurationMS: 42}
}

func TestDecodesVersion1Records(t *testing.T) {
	t.Parallel()
	raw, err := hex.DecodeString(v1Record)
	if err != nil {
		t.Fatal(err)
	}
	got := audit.Event{TargetOrganizationID: "left over from the previous record"}
	flags, err := decode(string(raw), 0, len(raw), &got)
	if err != nil {
		t.Fatal(err)
	}
	if want := sampleEvent(); flags != flagSpooled || got != want {
		t.Fatalf("decoded v1 record\n got %+v (flags %d)\nwant %+v", got, flags, want)
	}
}

func TestVersion2RoundTripsTheTargetOrganization(t *testing.T) {
	t.Parallel()
	e := sampleEvent()
	e.TargetOrganizationID = "o2"
	raw := encode(nil, &e, 0)
	if raw[0] != 2 || len(raw) != encodedSize(&e) {
		t.Fatalf("version %d, %d bytes (size says %d)", raw[0], len(raw), encodedSize(&e))
	}
	var got audit.Event
	if _, err := decode(string(raw), 0, len(raw), &got); err != nil || got != e {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	raw[0] = 3 // a future version this build does not know
	if _, err := decode(string(raw), 0, len(raw), &got); err == nil {
		t.Fatal("an unknown version decoded")
	}
}
