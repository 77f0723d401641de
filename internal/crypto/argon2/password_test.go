package argon2_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/crypto/argon2"
)

// Cheap parameters keep the unit tests fast; the argon2id cost itself is the library's.
func cheap() argon2.Config {
	return argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1, Concurrency: 2, QueueTimeout: time.Second}
}

func TestHashAndVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h, err := argon2.New(cheap())
	if err != nil {
		t.Fatal(err)
	}
	enc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", enc)
	}
	cases := []struct {
		pw        string
		wantMatch bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery staplE", false},
		{"", false},
	}
	for _, tc := range cases {
		match, rehash, err := h.Verify(ctx, tc.pw, enc)
		if err != nil || match != tc.wantMatch || rehash {
			t.Errorf("Verify(%q) = %v, %v, %v", tc.pw, match, rehash, err)
		}
	}
	if _, _, err := h.Verify(ctx, "x", "$argon2id$garbage"); err == nil {
		t.Error("a malformed hash must be an error, not a mismatch")
	}
	if err := h.VerifyDummy(ctx, "anything"); err != nil {
		t.Errorf("VerifyDummy: %v", err)
	}
}

func TestRehashWhenParametersChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	old, _ := argon2.New(cheap())
	enc, err := old.Hash(ctx, "pw-pw-pw-pw-pw")
	if err != nil {
		t.Fatal(err)
	}
	stronger := cheap()
	stronger.Iterations = 2
	cur, _ := argon2.New(stronger)
	match, rehash, err := cur.Verify(ctx, "pw-pw-pw-pw-pw", enc)
	if err != nil || !match || !rehash {
		t.Fatalf("got match=%v rehash=%v err=%v; want a match that asks for a re-hash", match, rehash, err)
	}
	if match, rehash, _ := cur.Verify(ctx, "wrong", enc); match || rehash {
		t.Fatal("a mismatch must never ask for a re-hash")
	}
}

func TestRejectsWeakParameters(t *testing.T) {
	t.Parallel()
	if _, err := argon2.New(argon2.Config{MemoryKiB: 1024, Iterations: 1, Parallelism: 1}); err == nil {
		t.Fatal("1 MiB should be refused")
	}
}
