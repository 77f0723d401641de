// Package audittest is the contract every audit store must meet, run against each
// implementation (SQLite, PostgreSQL, ClickHouse) on a real server.
package audittest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Store is what the pipeline writes to and the query API reads from.
type Store interface {
	audit.Sink
	audit.Reader
}

// Counter counts the rows physically stored for the ids: a duplicated row counts twice.
type Counter interface {
	CountIDs(ctx context.Context, ids []uuid.UUID) (int, error)
}

// Base is the time sample events start at: noon UTC two days ago, so that test data is always
// inside the stores' retention and spans day boundaries predictably.
func Base() time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -2).Add(12*time.Hour + 123*time.Millisecond)
}

// Sample returns n distinct, fully populated events one millisecond apart from Base.
func Sample(n int) []audit.Event {
	out := make([]audit.Event, n)
	base := Base()
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
func RunSinkContract(t *testing.T, sink Store, count Counter) {
	ctx := context.Background()
	all := audit.Scope{All: true}
	t.Run("round trip keeps every column", func(t *testing.T) {
		events := Sample(3)
		events[1].EventType, events[1].Result, events[1].ErrorMessage = audit.EventAuth, audit.ResultFailure, "bad password"
		events[2].Metadata = `{"quote":"it's","backslash":"\\","nl":"\n","emoji":"🦫"}`
		events[2].UserAgent = "Mozilla/5.0 'quoted' \\ \t tab"
		if err := sink.Write(ctx, events); err != nil {
			t.Fatal(err)
		}
		for _, want := range events {
			got, err := sink.Get(ctx, all, want.ID)
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
	// writeCounted writes events times over and checks the store then holds each exactly once.
	writeCounted := func(t *testing.T, events []audit.Event, times int) {
		t.Helper()
		for range times {
			if err := sink.Write(ctx, events); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := count.CountIDs(ctx, ids(events)); err != nil || n != len(events) {
			t.Fatalf("count %d, %v; want %d", n, err, len(events))
		}
	}
	t.Run("re-writing the same batch adds nothing", func(t *testing.T) { writeCounted(t, Sample(50), 3) })
	t.Run("large batch", func(t *testing.T) { writeCounted(t, Sample(5000), 1) })
	t.Run("bytes a SQL store cannot hold do not fail the batch", func(t *testing.T) {
		// A batch that fails on one row would be retried forever; stores that cannot keep
		// NUL or invalid UTF-8 replace them instead.
		events := Sample(2)
		events[0].UserAgent = "nul\x00byte"
		events[1].UserAgent = "bad \xff\xfe utf-8"
		if err := sink.Write(ctx, events); err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if _, err := sink.Get(ctx, all, e.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("empty batch", func(t *testing.T) {
		if err := sink.Write(ctx, nil); err != nil {
			t.Fatal(err)
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
