package pagecursor_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
)

func TestKeyIsDerivedNotTheKEK(t *testing.T) {
	t.Parallel()
	kek := bytes.Repeat([]byte{7}, 32)
	k1, err := pagecursor.KeyFromKEK(kek)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := pagecursor.KeyFromKEK(kek)
	other, _ := pagecursor.KeyFromKEK(bytes.Repeat([]byte{8}, 32))
	if !bytes.Equal(k1, k2) || bytes.Equal(k1, kek) || bytes.Equal(k1, other) || len(k1) != 32 {
		t.Fatal("the key must be deterministic per KEK, distinct from it and from other KEKs' keys")
	}
	if _, err := pagecursor.KeyFromKEK(kek[:16]); err == nil {
		t.Fatal("a short KEK was accepted")
	}
}

func TestSealAndOpen(t *testing.T) {
	t.Parallel()
	c, err := pagecursor.New(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := pagecursor.New(bytes.Repeat([]byte{2}, 32))
	sealed := c.Seal("users", []byte("position"))
	if got, err := c.Open("users", sealed); err != nil || string(got) != "position" {
		t.Fatalf("round trip: %q %v", got, err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(sealed)
	for name, tc := range map[string]struct {
		codec        *pagecursor.Codec
		list, cursor string
	}{
		"other list":  {c, "roles", sealed},
		"other key":   {other, "users", sealed},
		"changed":     {c, "users", base64.RawURLEncoding.EncodeToString(append([]byte("Position"), raw[8:]...))},
		"short":       {c, "users", "AAAA"},
		"not base64":  {c, "users", "*"},
		"empty":       {c, "users", ""},
		"list shifts": {c, "user", c.Seal("users", nil)},
	} {
		if _, err := tc.codec.Open(tc.list, tc.cursor); !errs.IsKind(err, errs.KindInvalid) || errs.As(err).Code != pagecursor.CodeInvalidCursor {
			t.Errorf("%s: %v", name, err)
		}
	}
}
