// Package audittest is the contract every audit sink must meet, run against each
// implementation on a real store.
package audittest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/audit"
)

// Counter reads back what a sink stored, by event id.
type Counter interface {
	CountIDs(ctx context.Context, ids []uuid.UUID) (int, error)
	Get(ctx context.Context, id uuid.UUID) (audit.Event, error)
}

// Sample returns n distinct, fully populated events.
func Sample(n int) []audit.Event {
	out := make([]audit.Event, n)
	base := time.Date(2026, 11, 20, 12, 0, 0, 123_000_000, time.UTC)
	for i := range out {
		out[i] = audit.Event{
			ID: uuid.Must(uuid.NewV7()), Timestamp: base.Add(time.Duration(i) * time.Millisecond),
			UserID: uuid.NewString(), UserEmail: "ada@example.com", UserFirstName: "Ada", UserLastName: "Lovelace",
			EventType: audit.EventData, Action: "create_user", Resource: "user", Result: audit.ResultSuccess,
			ErrorMessage: "", IPAddress: "192.0.2.1", UserAgent: "test/1.0", Metadata: `{"k":"v"}`,
			TenantID: uuid.NewString(), WorkspaceID: "", OrganizationID: uuid.NewString(), SessionID: uuid.NewString(),
			DurationMS: uint32(i), CreatedAt: base,
		}
	}
	return out
}

// RunSinkContract checks storage round-trip, idempotent re-writes and large batches.
func RunSinkContract(t *testing.T, sink audit.Sink, read Counter) {
	ctx := context.Background()
	t.Run("round trip keeps every column", func(t *testing.T) {
		events := Sample(3)
		events[1].EventType, events[1].Result, events[1].ErrorMessage = audit.EventAuth, audit.ResultFailure, "bad password"
		if err := sink.Write(ctx, events); err != nil {
			t.Fatal(err)
		}
		for _, want := range events {
			got, err := read.Get(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Timestamp.Equal(want.Timestamp) || !got.CreatedAt.Equal(want.CreatedAt) {
				t.Fatalf("timestamps: got %v/%v want %v/%v", got.Timestamp, got.CreatedAt, want.Timestamp, want.CreatedAt)
			}
			got.Timestamp, got.CreatedAt = want.Timestamp, want.CreatedAt
			if got != want {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
			}
		}
	})
	t.Run("re-writing the same ids adds nothing", func(t *testing.T) {
		events := Sample(50)
		for range 3 {
			if err := sink.Write(ctx, events); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := read.CountIDs(ctx, ids(events)); err != nil || n != len(events) {
			t.Fatalf("count %d, %v; want %d", n, err, len(events))
		}
	})
	t.Run("large batch", func(t *testing.T) {
		events := Sample(5000)
		if err := sink.Write(ctx, events); err != nil {
			t.Fatal(err)
		}
		if n, err := read.CountIDs(ctx, ids(events)); err != nil || n != len(events) {
			t.Fatalf("count %d, %v; want %d", n, err, len(events))
		}
	})
	t.Run("ping", func(t *testing.T) {
		if err := sink.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func ids(events []audit.Event) []uuid.UUID {
	out := make([]uuid.UUID, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}
